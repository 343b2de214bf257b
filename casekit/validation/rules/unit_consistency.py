"""unit-consistency: an observation is in its analyte's unit.

observations.unit must equal analytes.unit of its analyte_id (UCUM codes,
compared as text: no conversion is attempted).
"""
from __future__ import annotations

KIND = "unit-consistency"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"observations": ("analyte_id", "unit"), "analytes": ("unit",)}


def check(context):
    analytes = context.tables.index("analytes", "analyte_id")
    for row in context.rows("observations"):
        analyte = analytes.get(row.get("analyte_id"))
        if analyte is None or row.get("unit") is None or analyte.get("unit") is None:
            continue
        if row["unit"] != analyte["unit"]:
            yield context.finding(f"{row.get('observation_id')}: {row.get('analyte_id')} is recorded in "
                                  f"{row['unit']}, but analytes.csv gives its unit as {analyte['unit']}",
                                  resource="observations", row=row, field="unit",
                                  expected=analyte["unit"], observed=row["unit"])
