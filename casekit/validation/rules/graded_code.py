"""graded-code: a code stated per grade agrees with the row's syndrome and grade.

Some ICD-10-CM codes name a syndrome at one grade (D89.832 is CRS grade 2, G92.04 ICANS
grade 4). Which codes these are is data shipped with the validator, with its source
(params.mapping, a YAML file beside rules.yaml, read with the safe loader): a row
carrying a listed code must have that code's syndrome and grade (a code for an
unspecified grade only on a row without a grade), and a row of a listed syndrome with a
code must carry one of that syndrome's codes. A row of a syndrome no code is listed for
is counted as not checkable.
"""
from __future__ import annotations

import functools
from pathlib import Path

import jsonschema

from casekit.package_files import read_package_file
from casekit.safe_yaml import load_yaml
from casekit.validation.rules._common import row_id

KIND = "graded-code"
SCOPE = "case"
PARAMS = {"type": "object", "required": ["mapping"],
          "properties": {"mapping": {"type": "string", "pattern": "^[a-z0-9_]+\\.yaml$"}}}
COLUMNS = {"*": ("syndrome", "grade", "icd10cm_code")}
MAPPING_SCHEMA = {
    "type": "object", "required": ["source", "column", "codes"], "additionalProperties": False,
    "properties": {
        "source": {"type": "string", "minLength": 10},
        "column": {"type": "string"},
        "codes": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["code", "syndrome", "grade"], "additionalProperties": False,
            "properties": {"code": {"type": "string"}, "syndrome": {"type": "string"},
                           "grade": {"type": ["integer", "null"]}}}},
    },
}
FOLDER = Path(__file__).resolve().parent.parent


@functools.cache
def mapping(name: str) -> tuple[str, dict[str, tuple[str, int | None]]]:
    """(column, {code: (syndrome, grade)}) of a mapping file shipped with the validator."""
    document = load_yaml(read_package_file(FOLDER, name).decode("utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(MAPPING_SCHEMA).iter_errors(document))
    if error is not None:
        raise ValueError(f"{name}: {error.message}")
    return document["column"], {entry["code"]: (entry["syndrome"], entry["grade"]) for entry in document["codes"]}


def _label(syndrome, grade) -> str:
    return f"{syndrome} grade {'unspecified' if grade is None else grade}"


def check(context):
    column, codes = mapping(context.params["mapping"])
    graded = {syndrome for syndrome, _ in codes.values()}
    of_syndrome: dict[str, list[str]] = {}
    for code, (syndrome, _) in codes.items():
        of_syndrome.setdefault(syndrome, []).append(code)
    for resource in context.tables.rows:
        every = context.tables[resource]
        if not every or column not in every[0] or "syndrome" not in every[0]:
            continue
        for row in context.rows(resource):
            code, syndrome, grade = row.get(column), row.get("syndrome"), row.get("grade")
            if code is None:
                continue
            stated = codes.get(code)
            if stated is None and syndrome not in graded:
                context.not_checkable(f"no per-grade code is listed for the syndrome ({syndrome})")
                continue
            context.checked()
            if stated is None:
                yield context.finding(f"{row_id(resource, row)}: {column} {code} is not a code of {syndrome} by "
                                      f"grade ({', '.join(of_syndrome[syndrome])})", resource=resource, row=row,
                                      field=column, observed=code)
            elif stated != (syndrome, grade):
                wanted = [other for other, meaning in codes.items() if meaning == (syndrome, grade)]
                hint = f"; {_label(syndrome, grade)} is {wanted[0]}" if wanted else ""
                yield context.finding(f"{row_id(resource, row)}: {column} {code} is {_label(*stated)}, but the row "
                                      f"is {_label(syndrome, grade)}{hint}", resource=resource, row=row,
                                      field=column, expected=wanted[0] if wanted else None, observed=code)
