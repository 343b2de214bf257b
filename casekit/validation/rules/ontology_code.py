"""ontology-code: an ontology term is from an open ontology; the term itself is not verifiable offline.

An `ontology_code` (PREFIX:ID) must name one of the open ontologies in
params.prefixes (MedDRA and SNOMED CT are licensed and left out). The validator ships
no copy of these ontologies, so whether the term exists is counted in the per-rule
summary as not checkable, never passed silently.
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id
from casekit.validation.rules.icd10_code import coded_rows

KIND = "ontology-code"
SCOPE = "case"
PARAMS = {"type": "object", "required": ["prefixes"],
          "properties": {"prefixes": {"type": "array", "items": {"type": "string"}, "minItems": 1}}}
COLUMNS = {"*": ("ontology_code",)}


def check(context):
    prefixes = context.params["prefixes"]
    for resource, rows in coded_rows(context, "ontology_code"):
        for row in rows:
            code = str(row["ontology_code"])
            prefix = code.split(":", 1)[0]
            if prefix not in prefixes:
                context.checked()
                yield context.finding(f"{row_id(resource, row)}: {code} is not a term of an open ontology "
                                      f"({', '.join(prefixes)})", resource=resource, row=row,
                                      field="ontology_code", observed=code)
            else:
                context.not_checkable(f"{prefix} terms cannot be looked up offline")
