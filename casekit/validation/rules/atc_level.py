"""atc-level: an ATC code's length and shape agree with its stated level.

WHO ATC codes grow by level: level 1 one letter (L), level 2 two digits more (L01),
level 3 a letter (L01E), level 4 a letter (L01EA), level 5 two digits (L01EA02).
`params.lengths` gives each level's length; the Table Schema's pattern already makes
every code one of these shapes, so a code's length names its level. A code without a
level, or a level without a code, is a finding too. A code of a level that names one substance
(params.unique_levels: level 5) is held by one row of a table only: a second drug given
the first one's code is a mistyped or copied code (a class code, level 4, may be shared).
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id

KIND = "atc-level"
SCOPE = "package"
PARAMS = {"type": "object", "required": ["lengths"],
          "properties": {"lengths": {"type": "object", "additionalProperties": {"type": "integer"}},
                         "unique_levels": {"type": "array", "items": {"type": "integer"}}}}
COLUMNS = {"*": ("atc_code", "atc_level")}


def check(context):
    lengths = {int(level): length for level, length in context.params["lengths"].items()}
    level_of = {length: level for level, length in lengths.items()}
    unique = {lengths[level] for level in context.params.get("unique_levels", ()) if level in lengths}
    for resource, rows in context.tables.rows.items():
        if not rows or "atc_code" not in rows[0] or "atc_level" not in rows[0]:
            continue
        coded = [row for row in rows if row.get("atc_code") is not None or row.get("atc_level") is not None]
        context.checked(len(coded))
        first: dict[str, dict] = {}
        for row in coded:
            code, level = row.get("atc_code"), row.get("atc_level")
            if code is not None and len(str(code)) in unique:
                if str(code) in first:
                    yield context.finding(
                        f"{row_id(resource, row)}: ATC code {code} names one substance, and "
                        f"{row_id(resource, first[str(code)])} holds it already", resource=resource, row=row,
                        field="atc_code", expected="a code no other row holds", observed=str(code))
                first.setdefault(str(code), row)
            if code is None:
                yield context.finding(f"{row_id(resource, row)}: ATC level {level} is given without an ATC code",
                                      resource=resource, row=row, field="atc_level", observed=str(level))
                continue
            implied = level_of.get(len(str(code)))
            if level is None or implied != level:
                yield context.finding(f"{row_id(resource, row)}: ATC code {code} has {len(str(code))} characters, "
                                      f"which is level {implied}; the row says level {level}",
                                      resource=resource, row=row, field="atc_level",
                                      expected=str(implied), observed=str(level))
