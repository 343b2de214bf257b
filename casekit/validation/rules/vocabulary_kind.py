"""vocabulary-kind: every unit column holds a unit of the kind it measures.

Each column that params.columns names (in any resource that has it) must hold a
unit whose units.kind is one of the listed kinds: time columns a time unit, a
dose a dose or a dose rate, a dose per body size a dose_per_body unit. A stated
summary's unit must be of the kind its summary kind needs (params.summary_kinds).
An observation's unit must be commensurable with its analyte's canonical unit
(analytes.unit): the same unit, or one the UCUM library converts into it (mg/dL
into mg/L); the tables never hold a converted number.
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id

KIND = "vocabulary-kind"
SCOPE = "case"
KINDS = {"type": "array", "minItems": 1, "items": {"type": "string"}}
PARAMS = {
    "type": "object",
    "required": ["columns", "summary_kinds"],
    "properties": {
        "columns": {"type": "object", "minProperties": 1, "additionalProperties": KINDS},
        "summary_kinds": {"type": "object", "additionalProperties": KINDS},
    },
}
# Only the unit columns and the rows that own them are kept; see columns_read().
COLUMNS = None


def columns_read(params: dict) -> dict:
    return {"*": tuple(params["columns"]), "units": ("kind",), "stated_summaries": ("kind", "unit"),
            "observations": ("analyte_id", "unit"), "analytes": ("unit",)}


def check(context):
    tables = context.tables
    if "units" not in tables.keys:
        return
    wanted = context.params["columns"]
    # Each unit's kind looked up once; a row is judged further only when its unit's kind is not wanted.
    kind_of = {unit: vocabulary.get("kind") for unit, vocabulary in tables.index("units").items()}
    for resource in tables.rows:
        if resource in ("units", "analytes", "dose_limits"):
            continue  # vocabularies: their units are definitions, not measurements of a case
        rows = context.rows(resource)
        if not rows:
            continue
        columns = [(column, wanted[column]) for column in wanted if column in rows[0]]
        if columns or resource == "stated_summaries":
            context.checked(len(rows))
        for row in rows:
            for column, kinds in columns:
                kind = kind_of.get(row.get(column))
                if kind is not None and kind not in kinds:
                    yield from _kind(context, resource, row, column, kinds, f"{column} needs")
            if resource == "stated_summaries":
                kinds = context.params["summary_kinds"].get(row.get("kind"))
                if kinds:
                    yield from _kind(context, resource, row, "unit", kinds, f"a {row.get('kind')} needs")
    yield from _commensurable(context)


def _kind(context, resource, row, column, kinds, needs):
    unit = row.get(column)
    if unit is None:
        return
    vocabulary = context.tables.row("units", unit)
    kind = None if vocabulary is None else vocabulary.get("kind")
    if kind is None or kind in kinds:
        return  # a unit missing from units.csv is the foreign key's to report
    yield context.finding(f"{row_id(resource, row)}: {column} {unit} is a unit of kind {kind}; {needs} a unit of "
                          f"kind {' or '.join(kinds)}", resource=resource, row=row, field=column,
                          expected=" or ".join(kinds), observed=f"{unit} ({kind})")


def _commensurable(context):
    from casekit.validation.rules._common import unit_factor

    for row in context.rows("observations"):
        analyte = context.tables.row("analytes", row.get("analyte_id"))
        unit, canonical = row.get("unit"), None if analyte is None else analyte.get("unit")
        if unit is None or canonical is None or unit == canonical or unit_factor(unit, canonical) is not None:
            continue
        yield context.finding(f"{row_id('observations', row)}: {row.get('analyte_id')} is recorded in {unit}, which "
                              f"does not convert into its analyte's unit {canonical} (UCUM)",
                              resource="observations", row=row, field="unit",
                              expected=f"a unit commensurable with {canonical}", observed=unit)
