"""cumulative-dose: a stated cumulative dose equals the sum of the drug's schedule steps.

Counting convention: a step stated as a rate (a dose per time, e.g. mg/d against
a total in mg) contributes its daily amount x days, days = end - start + 1 (both
ends count), and only when start and end are each one exact day; whatever its
frequency, a rate is the amount given per day. A step stated per administration
in a unit commensurable with the total (mg, g) contributes dose x administrations:
the stated count, one for a `single` step, or the frequency's
administrations_per_day x days (frequencies.csv). Units are converted with UCUM;
any other unit is "mixed units". A step whose dose, days or count is unknown
makes the total unverifiable: one finding names that step and the total is not
compared.
"""
from __future__ import annotations

from decimal import Decimal

from casekit.validation.rules._common import (STEP_COLUMNS, administrations, as_decimal, drug_steps, exact_day,
                                              per_day_factor, remembered, summaries, unit_factor)
from casekit.validation.rules.context import show

KIND = "cumulative-dose"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"stated_summaries": ("kind", "drug_id", "unit", "value"), "drug_schedules": STEP_COLUMNS,
           "frequencies": ("administrations_per_day",)}


def check(context):
    stated_totals = summaries(context, "cumulative_dose")
    context.checked(len(stated_totals))
    for stated in stated_totals:
        drug, unit, value = stated.get("drug_id"), stated.get("unit"), as_decimal(stated.get("value"))
        steps = drug_steps(context, drug)
        if not steps:
            yield context.finding(f"{drug}: the article states a cumulative dose of {show(value)} {unit}, "
                                  f"but the tables hold no schedule step for {drug}",
                                  resource="stated_summaries", row=stated, field="drug_id")
            continue
        first = (drug, unit) not in context.memo.setdefault("summed", set())
        context.memo["summed"].add((drug, unit))
        total, problems = remembered(context, (drug, unit), lambda: _sum(context, steps, unit))
        # A step that cannot be summed is reported once, not again for each summary of the same drug.
        for step, problem in problems if first else ():
            yield context.finding(f"{drug} cumulative dose cannot be verified: step {step.get('step')} "
                                  f"({step.get('schedule_id')}) {problem}",
                                  resource="drug_schedules", row=step, field="dose_value",
                                  expected=f"{show(value)} {unit}" if value is not None else None)
        if problems or value is None:
            continue
        if total != value:
            yield context.finding(f"{drug} schedule ({_rows_label(steps)}) sums to {show(total)} {unit}; "
                                  f"the article states {show(value)} {unit} ({stated.get('summary_id')})",
                                  resource="stated_summaries", row=stated, field="value",
                                  expected=f"{show(value)} {unit}", observed=f"{show(total)} {unit}")


def _sum(context, steps, unit):
    """(total of the steps that can be summed in `unit`, [(step, why not)] for the others)."""
    total, problems = Decimal(0), []
    for step in steps:
        amount, problem = _contribution(context, step, unit)
        if problem:
            problems.append((step, problem))
        else:
            total += amount
    return total, problems


def _contribution(context, step, stated_unit):
    dose, dose_unit = as_decimal(step.get("dose_value")), step.get("dose_unit")
    if dose is None:
        return None, "has no dose"
    per_day = per_day_factor(dose_unit, stated_unit)
    if per_day is not None:
        start, end = exact_day(step, "start"), exact_day(step, "end")
        if start is None or end is None:
            return None, "has no exact start and end day, so its number of days is unknown"
        if end < start:
            return None, f"ends (day {show(end)}) before it starts (day {show(start)})"
        return dose * per_day * (end - start + 1), None
    factor = unit_factor(dose_unit, stated_unit)
    if factor is not None:
        count = administrations(step, context)
        if count is None:
            return None, "has no number of administrations"
        return dose * factor * count, None
    return None, f"is in {dose_unit}, the stated total in {stated_unit} (mixed units)"


def _rows_label(steps) -> str:
    """Where the summed steps are, so the curator can open them: 'data/drug_schedules.csv rows 8-15'."""
    numbers = sorted(step["_row"] for step in steps if step.get("_row") is not None)
    if numbers and numbers == list(range(numbers[0], numbers[-1] + 1)):
        where = f"row {numbers[0]}" if len(numbers) == 1 else f"rows {numbers[0]}-{numbers[-1]}"
    else:
        where = "rows " + ", ".join(map(str, numbers))
    return f"data/drug_schedules.csv {where}"
