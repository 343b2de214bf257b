"""icd10cm-code: an ICD-10-CM code exists and is billable.

Every `icd10cm_code` cell, in any table that has the column, must be a code of the
ICD-10-CM list simple-icd-10-cm ships (read as text by casekit.validation.code_lists,
without importing the library) and a billable leaf, not a category with subcodes
(C83.39 has C83.390 and C83.398 below it). Without the library the codes are counted
as not checkable, never passed.
"""
from __future__ import annotations

from casekit.validation.code_lists import icd10cm, without_dot
from casekit.validation.rules._common import row_id
from casekit.validation.rules.icd10_code import to_look_up

KIND = "icd10cm-code"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"*": ("icd10cm_code",)}
MISSING = "ICD-10-CM list not available (install simple-icd-10-cm)"


def check(context):
    for resource, row, code, codes in to_look_up(context, "icd10cm_code", icd10cm, MISSING):
        bare = without_dot(code)
        if not codes.exists(bare):
            yield context.finding(f"{row_id(resource, row)}: {code} is not a code of {codes.name}",
                                  resource=resource, row=row, field="icd10cm_code", observed=code)
        elif not codes.is_leaf(bare):
            yield context.finding(f"{row_id(resource, row)}: {code} is an ICD-10-CM category with codes below "
                                  f"it, not a billable code; give the most specific code the article supports",
                                  resource=resource, row=row, field="icd10cm_code", observed=code)
