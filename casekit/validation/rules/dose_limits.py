"""dose-limits: no dose lies outside the limits kept as data, nor implies an impossible adult body.

Each row of dose_limits gives a drug's minimum and/or maximum in one unit, with its source:
- a mass unit (mg) bounds one administration: the step's dose_value in a mass unit;
- a mass per time unit (mg/d) bounds one day: a dose rate (dose_unit mg/d) as stated, or a
  dose per administration times the frequency's administrations_per_day (no per-day dose
  is derived when the frequency has none);
- a mass per body size unit (mg/kg, mg/m2) bounds dose_per_body_value.
Units are converted with UCUM (ucumvert) when they differ. A quantity of the limit's kind
(units.kind: a dose, a dose rate, a dose per body size) that UCUM cannot convert into the
limit's unit is an error, since it could never be compared with its limit.

A step with both a dose and a dose per body size implies the body size: dose / dose per body
size (700 mg at 8 mg/kg is 87.5 kg). params.body_sizes gives, per unit of body size (the part of
the per-body unit after its last "/"), what is possible for an adult; an implied size outside it
is an error. Units of different kinds (units.kind) are never compared, so UCUM is consulted only
for two units of one kind, such as g and mg.
"""
from __future__ import annotations

import functools
from decimal import Decimal

from casekit.validation.rules._common import as_decimal, row_id
from casekit.validation.rules.context import show

KIND = "dose-limits"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["body_sizes"],
    "properties": {"body_sizes": {"type": "object", "additionalProperties": {
        "type": "object", "required": ["name", "minimum", "maximum"],
        "properties": {"name": {"type": "string"}, "minimum": {"type": "number", "exclusiveMinimum": 0},
                       "maximum": {"type": "number", "exclusiveMinimum": 0}}}}},
}
COLUMNS = {
    "dose_limits": ("limit_id", "drug_id", "minimum", "maximum", "unit", "basis", "source"),
    "frequencies": ("frequency", "administrations_per_day"),
    "units": ("unit", "kind"),
    "drug_schedules": ("schedule_id", "drug_id", "dose_value", "dose_unit", "dose_per_body_value",
                       "dose_per_body_unit", "frequency", "locator_id", "case_id"),
}


def check(context):
    per_day = {row.get("frequency"): as_decimal(row.get("administrations_per_day"))
               for row in context.rows("frequencies")}
    kinds = {row.get("unit"): row.get("kind") for row in context.rows("units")}
    limits: dict[str, list[dict]] = {}
    for limit in context.rows("dose_limits"):
        limits.setdefault(limit.get("drug_id"), []).append(limit)
    context.checked(len(context.rows("drug_schedules")))
    for step in context.rows("drug_schedules"):
        for limit in limits.get(step.get("drug_id"), []):
            yield from _against_limit(context, step, limit, per_day, kinds)
        yield from _body_size(context, step)


def _quantities(step, per_day):
    """(field, value, unit, what) the step states or implies: per administration, per day, per body size."""
    dose, unit = as_decimal(step.get("dose_value")), step.get("dose_unit")
    if dose is not None and unit:
        yield "dose_value", dose, unit, "dose"
        times = per_day.get(step.get("frequency"))
        if times is not None and "/" not in unit:
            yield "dose_value", dose * times, f"{unit}/d", f"daily dose ({show(dose)} {unit} x {show(times)})"
    per_body, body_unit = as_decimal(step.get("dose_per_body_value")), step.get("dose_per_body_unit")
    if per_body is not None and body_unit:
        yield "dose_per_body_value", per_body, body_unit, "dose"


def _against_limit(context, step, limit, per_day, kinds):
    target = limit.get("unit")
    low, high = as_decimal(limit.get("minimum")), as_decimal(limit.get("maximum"))
    for column, value, unit, what in _quantities(step, per_day):
        if unit != target and kinds.get(unit) and kinds.get(target) and kinds[unit] != kinds[target]:
            continue  # a dose per administration is never compared with a limit per kg or per day
        converted = convert(value, unit, target)
        if converted is None:
            if kinds.get(unit) and kinds.get(unit) == kinds.get(target):
                yield context.finding(
                    f"{row_id('drug_schedules', step)}: {step.get('drug_id')} {what} in {unit} cannot be compared "
                    f"with the limit {limit.get('limit_id')} in {target}: UCUM does not convert one into the other;"
                    " state the limit (or the dose) in a unit that converts",
                    resource="drug_schedules", row=step, field=column, expected=f"a unit convertible to {target}",
                    observed=unit)
            continue
        if high is not None and converted > high:
            bound, word = high, "above the maximum"
        elif low is not None and converted < low:
            bound, word = low, "below the minimum"
        else:
            continue
        yield context.finding(
            f"{row_id('drug_schedules', step)}: {step.get('drug_id')} {what} of {show(converted)} {target} is "
            f"{word} of {show(bound)} {target} ({limit.get('limit_id')}: {limit.get('basis')}; {limit.get('source')})",
            resource="drug_schedules", row=step, field=column,
            expected=f"{'<=' if bound is high else '>='} {show(bound)} {target}", observed=f"{show(converted)} {target}")


def _body_size(context, step):
    dose, unit = as_decimal(step.get("dose_value")), step.get("dose_unit")
    per_body, body_unit = as_decimal(step.get("dose_per_body_value")), step.get("dose_per_body_unit")
    if dose is None or not per_body or not unit or not body_unit:
        return
    amount, _, size_unit = body_unit.rpartition("/")
    possible = context.params["body_sizes"].get(size_unit)
    if possible is not None:
        per_size = convert(per_body, amount, unit)
        if per_size is None or per_size <= 0:
            return
        implied = (dose / per_size).quantize(Decimal("0.01"))
        low, high = Decimal(str(possible["minimum"])), Decimal(str(possible["maximum"]))
        if low <= implied <= high:
            return
        yield context.finding(
            f"{row_id('drug_schedules', step)}: {show(dose)} {unit} at {show(per_body)} {body_unit} implies a "
            f"{possible['name']} of {show(implied)} {size_unit}, outside what is possible for an adult "
            f"({show(low)}-{show(high)} {size_unit}); one of the two numbers is wrong",
            resource="drug_schedules", row=step, field="dose_value",
            expected=f"{show(low)}-{show(high)} {size_unit}", observed=f"{show(implied)} {size_unit}")


def convert(value: Decimal, unit: str, target: str) -> Decimal | None:
    """value in unit, expressed in target; None when the units are not commensurable or not UCUM."""
    if unit == target:
        return value
    factor = _factor(unit, target)
    return None if factor is None else (value * factor).normalize()


@functools.lru_cache(maxsize=256)
def _factor(unit: str, target: str) -> Decimal | None:
    registry = _ucum()
    if registry is None:
        return None
    from casekit.ucum import MAX_UNIT_CHARACTERS

    if max(len(unit), len(target)) > MAX_UNIT_CHARACTERS:
        return None  # the parser's time grows faster than the code's length
    try:
        source, wanted = registry.from_ucum(unit), registry.from_ucum(target)
        if not source.is_compatible_with(wanted):
            return None
        return Decimal(repr(float(source.to(wanted).magnitude)))
    except Exception:  # noqa: BLE001 - a code UCUM cannot parse is simply not compared
        return None


@functools.cache
def _ucum():
    try:
        from ucumvert import PintUcumRegistry
    except ImportError:
        return None
    return PintUcumRegistry()
