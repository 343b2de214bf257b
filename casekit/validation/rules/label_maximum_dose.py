"""label-maximum-dose: no single dose exceeds the maximum its product label allows.

params.maxima maps drug_id to {max, unit, label}; a schedule step of that drug
whose dose_unit equals `unit` must have dose_value <= max. Steps in another
unit, or without a dose, are not compared (no conversion is guessed).
"""
from __future__ import annotations

from decimal import Decimal

from casekit.validation.rules._common import as_decimal
from casekit.validation.rules.context import show

KIND = "label-maximum-dose"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["maxima"],
    "properties": {"maxima": {"type": "object", "additionalProperties": {
        "type": "object", "required": ["max", "unit", "label"],
        "properties": {"max": {"type": "number", "exclusiveMinimum": 0}, "unit": {"type": "string"},
                       "label": {"type": "string"}}}}},
}
COLUMNS = {"drug_schedules": ("drug_id", "dose_value", "dose_unit")}


def check(context):
    for row in context.rows("drug_schedules"):
        limit = context.params["maxima"].get(row.get("drug_id"))
        dose = as_decimal(row.get("dose_value"))
        if limit is None or dose is None or row.get("dose_unit") != limit["unit"]:
            continue
        maximum = Decimal(str(limit["max"]))
        if dose > maximum:
            yield context.finding(f"{row.get('schedule_id')}: {row.get('drug_id')} {show(dose)} {limit['unit']} "
                                  f"exceeds the label maximum of {show(maximum)} {limit['unit']} ({limit['label']})",
                                  resource="drug_schedules", row=row, field="dose_value",
                                  expected=f"<= {show(maximum)} {limit['unit']}",
                                  observed=f"{show(dose)} {limit['unit']}")
