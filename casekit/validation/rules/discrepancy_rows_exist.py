"""discrepancy-rows-exist: every contradiction the package records points at rows that exist.

Each discrepancy of the case has at least one discrepancy_rows entry, and each
entry's row_id is the primary key of a row of the named resource. A row of
another case is the case-scope rule's to report.
"""
from __future__ import annotations

KIND = "discrepancy-rows-exist"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"discrepancies": ("locator_a",), "discrepancy_rows": ("resource", "row_id")}


def check(context):
    entries_of = {}
    for entry in context.all_rows("discrepancy_rows"):
        entries_of.setdefault(entry.get("discrepancy_id"), []).append(entry)
    context.checked(len(context.rows("discrepancies")))
    for discrepancy in context.rows("discrepancies"):
        wanted = discrepancy.get("discrepancy_id")
        entries = entries_of.get(wanted, [])
        if not entries:
            yield context.finding(f"{wanted} names no affected rows in discrepancy_rows.csv",
                                  resource="discrepancies", row=discrepancy, field="discrepancy_id",
                                  locator=discrepancy.get("locator_a"))
        for entry in entries:
            resource, target = entry.get("resource"), entry.get("row_id")
            # Rows recording the reading not adopted exist too: the index holds every row.
            if resource in context.tables.keys and context.tables.row(resource, target) is not None:
                continue
            yield context.finding(f"{wanted} refers to {resource} row {target}, which does not exist",
                                  resource="discrepancy_rows", row=entry, field="row_id", observed=target,
                                  locator=discrepancy.get("locator_a"))
