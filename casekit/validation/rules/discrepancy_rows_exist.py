"""discrepancy-rows-exist: every contradiction the package records points at rows that exist.

Each discrepancy of the case has at least one discrepancy_rows entry, and each
entry's row_id is the primary key of a row of the named resource in the same case.
"""
from __future__ import annotations

from casekit.validation.rules._common import PRIMARY_KEYS

KIND = "discrepancy-rows-exist"
SCOPE = "case"
PARAMS = {"type": "object"}


def check(context):
    for discrepancy in context.rows("discrepancies"):
        wanted = discrepancy.get("discrepancy_id")
        entries = [row for row in context.tables["discrepancy_rows"] if row.get("discrepancy_id") == wanted]
        if not entries:
            yield context.finding(f"{wanted} names no affected rows in discrepancy_rows.csv",
                                  resource="discrepancies", row=discrepancy, field="discrepancy_id",
                                  locator=discrepancy.get("locator_a"))
        for entry in entries:
            resource, target = entry.get("resource"), entry.get("row_id")
            key = PRIMARY_KEYS.get(resource)
            # All of the case's rows: those recording the reading not adopted exist too.
            if key and any(row.get(key) == target for row in context.tables.for_case(resource, context.case_id)):
                continue
            yield context.finding(f"{wanted} refers to {resource} row {target}, which does not exist in this case",
                                  resource="discrepancy_rows", row=entry, field="row_id", observed=target,
                                  locator=discrepancy.get("locator_a"))
