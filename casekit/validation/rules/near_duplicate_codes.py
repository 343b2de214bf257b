"""near-duplicate-codes: no two codes of one vocabulary share a label or a written form.

A vocabulary is any resource without `case_id` whose rows hold one of params.columns (a label, a
drug's name, the written forms). A code added under a second name (`discharge` beside
`hospital_discharge`) splits one meaning in two: the facts of one case use one code, the next
case's the other, and no query finds both.

params.compare says what is compared:
- `label`: the columns' text, ignoring case, spacing and typography (casekit.quotes.normalise);
- `written_forms`: each `|`-separated form, as coded-words (casekit.quotes.code_forms) or, for
  the vocabularies of params.unit_vocabularies, quote-agreement (casekit.quotes.units) reads it.
  Two forms are one when a phrase that holds one holds the other: the same text, or the same
  text in another case where one of them matches in any case (a form with at most one capital
  letter; a unit form made only of letters). "CRS" and "Crs" are one; the unit forms "g/L" and
  "G/L" are two, since a unit with a symbol matches only as written.

One code's own forms may repeat each other ("mL|ml"); only forms of two codes are compared. The
second code (in row order) gets the finding, naming the first. One pass over the rows, grouped by
the lower-cased text: linear in the rows.
"""
from __future__ import annotations

from casekit.quotes.normalise import normalise
from casekit.quotes.units import written_forms
from casekit.validation.tables import ROW_NUMBER

KIND = "near-duplicate-codes"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["compare", "columns"],
    "additionalProperties": False,
    "properties": {
        "compare": {"enum": ["label", "written_forms"]},
        "columns": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "unit_vocabularies": {"type": "array", "items": {"type": "string"}},
    },
}
CASE_KEY = "case_id"


def columns_read(params) -> dict:
    return {"*": (*params["columns"], CASE_KEY)}


def check(context):
    params = context.params
    columns = params["columns"]
    units = frozenset(params.get("unit_vocabularies", ()))
    for resource, rows in context.tables.rows.items():
        if not rows or CASE_KEY in rows[0] or not any(column in rows[0] for column in columns):
            continue
        present = [column for column in columns if column in rows[0]]
        context.checked(len(rows))
        key = context.tables.keys.get(resource)
        if params["compare"] == "label":
            yield from _same_labels(context, resource, rows, key, present)
        else:
            yield from _same_forms(context, resource, rows, key, present, resource in units)


def _code(row, key) -> str:
    code = row.get(key) if key else None
    return str(code) if code is not None else f"row {row.get(ROW_NUMBER)}"


def _same_labels(context, resource, rows, key, columns):
    first: dict[str, tuple[str, str]] = {}  # normalised label -> (code, the label as written)
    for row in rows:
        code = _code(row, key)
        for column in columns:
            label = row.get(column)
            if not label:
                continue
            owner = first.setdefault(normalise(str(label)).casefold(), (code, str(label)))
            if owner[0] != code:
                yield context.finding(
                    f"{code}: its {column} '{label}' is the label of {owner[0]} ('{owner[1]}') too; two codes "
                    f"that read alike are one meaning under two names: reuse {owner[0]}, or say in the label "
                    f"what sets the codes apart", resource=resource, row=row, field=column,
                    expected=f"a label no other code of {resource} has", observed=str(label))
                break  # one finding a row


def _same_forms(context, resource, rows, key, columns, unit_forms: bool):
    seen: dict[str, list[tuple[str, str, bool]]] = {}  # lower-cased form -> (code, form, matches any case)
    for row in rows:
        code = _code(row, key)
        for column in columns:
            clash = None
            for form in dict.fromkeys(written_forms(row.get(column))):
                others = seen.setdefault(form.lower(), [])
                any_case = _matches_any_case(form, unit_forms)
                clash = next((other for other in others if other[0] != code
                              and (other[1] == form or any_case or other[2])), None)
                others.append((code, form, any_case))
                if clash is not None:
                    yield context.finding(
                        f"{code}: its written form '{form}' is a written form of {clash[0]} ('{clash[1]}') too, "
                        f"so the words of a row cannot tell the two codes apart; make each form specific to its "
                        f"code, or reuse {clash[0]}", resource=resource, row=row, field=column,
                        expected=f"forms no other code of {resource} has", observed=form)
                    break  # one finding a row and column
            if clash is not None:
                break


def _matches_any_case(form: str, unit_forms: bool) -> bool:
    if unit_forms:  # casekit.quotes.units: forms made only of letters match in any case
        return form.replace(" ", "").isalpha()
    return sum(character.isupper() for character in form) <= 1  # casekit.quotes.code_forms
