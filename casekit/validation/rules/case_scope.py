"""case-scope: every reference of a case's rows resolves inside that case and its article.

A fact row's locator (locator_id, and a discrepancy's locator_a and locator_b)
must be a passage of the source that reports the row's case (locators.source_id
equals cases.source_id). A relative timing's subject and anchor, and a
discrepancy_rows entry's row, and a calendar date's row, must be rows of the same case. A reference to a
row that exists nowhere is left to relative-timing and discrepancy-rows-exist.
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id

KIND = "case-scope"
SCOPE = "case"
PARAMS = {"type": "object"}
LOCATOR_COLUMNS = ("locator_id", "locator_a", "locator_b")
ROW_REFERENCES = {
    "relative_timings": (("subject_resource", "subject_id"), ("anchor_resource", "anchor_id")),
    "discrepancy_rows": (("resource", "row_id"),),
    "calendar_dates": (("resource", "row_id"),),
}
COLUMNS = {"*": LOCATOR_COLUMNS, "cases": ("source_id",), "locators": ("source_id",),
           **{resource: tuple(column for pair in pairs for column in pair) for resource, pairs in ROW_REFERENCES.items()}}


def check(context):
    tables = context.tables
    case = tables.row("cases", context.case_id)
    source = None if case is None else case.get("source_id")
    for resource in tables.rows:
        if resource == "locators":
            continue
        rows = context.all_rows(resource)
        context.checked(len(rows))
        if source is not None:
            yield from _foreign_locators(context, resource, rows, source)
        for resource_column, id_column in ROW_REFERENCES.get(resource, ()):
            for row in rows:
                target_resource, target = row.get(resource_column), row.get(id_column)
                if target_resource not in tables.keys:
                    continue
                found = tables.row(target_resource, target)
                if found is None:
                    continue
                owner = tables.case_of(target_resource, found)
                if owner != context.case_id:
                    yield context.finding(f"{row_id(resource, row)}: {id_column} {target} is a {target_resource} row "
                                          f"of case {owner}, not of this case ({context.case_id})",
                                          resource=resource, row=row, field=id_column,
                                          expected=f"a row of case {context.case_id}", observed=f"case {owner}")


def _foreign_locators(context, resource, rows, source):
    columns = [column for column in LOCATOR_COLUMNS if column in rows[0]] if rows else []
    locators = context.tables.index("locators")
    for row in rows:
        for column in columns:
            cited = row.get(column)
            if cited is None:
                continue
            locator = locators.get(cited)
            if locator is None or locator.get("source_id") == source:
                continue
            yield context.finding(f"{row_id(resource, row)}: {column} {cited} is a passage of source "
                                  f"{locator.get('source_id')}, but case {context.case_id} is reported in {source}",
                                  resource=resource, row=row, field=column,
                                  expected=f"a locator of {source}", observed=f"{cited} ({locator.get('source_id')})")
