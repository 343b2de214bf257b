"""weight-based-dose-plausible: a dose given both in mg and per body size implies a plausible body size.

Counting convention: dose_value / dose_per_body_value is the body weight (mg and
mg/kg) or body surface area (mg and mg/m2) the two numbers imply; it must lie in
the range params.ranges gives for that per-body unit (e.g. 30-250 kg). A step
without both numbers, or with a per-body dose of zero, is not checked.
"""
from __future__ import annotations

from decimal import Decimal

from casekit.validation.rules._common import as_decimal
from casekit.validation.rules.context import show

KIND = "weight-based-dose-plausible"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["dose_unit", "ranges"],
    "properties": {
        "dose_unit": {"type": "string"},
        "ranges": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["name", "unit", "min", "max"],
            "properties": {"name": {"type": "string"}, "unit": {"type": "string"},
                           "min": {"type": "number"}, "max": {"type": "number"}}}},
    },
}
COLUMNS = {"drug_schedules": ("dose_value", "dose_unit", "dose_per_body_value", "dose_per_body_unit")}


def check(context):
    for row in context.rows("drug_schedules"):
        dose, per_body = as_decimal(row.get("dose_value")), as_decimal(row.get("dose_per_body_value"))
        plausible = context.params["ranges"].get(row.get("dose_per_body_unit"))
        if dose is None or not per_body or plausible is None or row.get("dose_unit") != context.params["dose_unit"]:
            continue
        implied = (dose / per_body).quantize(Decimal("0.01"))
        low, high = Decimal(str(plausible["min"])), Decimal(str(plausible["max"]))
        if low <= implied <= high:
            continue
        yield context.finding(f"{row.get('schedule_id')}: {show(dose)} {row.get('dose_unit')} at {show(per_body)} "
                              f"{row.get('dose_per_body_unit')} implies a {plausible['name']} of {show(implied)} "
                              f"{plausible['unit']}, outside {show(low)}-{show(high)} {plausible['unit']}",
                              resource="drug_schedules", row=row, field="dose_value",
                              expected=f"{show(low)}-{show(high)} {plausible['unit']}",
                              observed=f"{show(implied)} {plausible['unit']}")
