"""stated-start-end-day: a stated start (end) day equals the drug's earliest start (latest end).

Counting convention: days since the CAR T-cell infusion (day 0). The drug's first
day is the earliest start over its steps, its last day the latest end. When
those are intervals, the stated day must lie inside; when exact, it must equal.
"""
from __future__ import annotations

from casekit.timing import point_interval
from casekit.validation.rules._common import (STEP_COLUMNS, as_decimal, bounds, drug_steps, remembered, show_interval,
                                              within)
from casekit.validation.rules.context import show

KIND = "stated-start-end-day"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"stated_summaries": ("kind", "drug_id", "unit", "value"), "drug_schedules": STEP_COLUMNS}
POINTS = {"start_day": ("start", min, "starts"), "end_day": ("end", max, "ends")}


def _bounds_of(steps, point, pick):
    intervals = [point_interval(step, point) for step in steps]
    return bounds([i[0] for i in intervals], [i[1] for i in intervals], pick)


def check(context):
    for stated in context.rows("stated_summaries"):
        if stated.get("kind") not in POINTS or stated.get("unit") != "d":
            continue
        context.checked()
        point, pick, verb = POINTS[stated["kind"]]
        drug, value = stated.get("drug_id"), as_decimal(stated.get("value"))
        steps = drug_steps(context, drug)
        if not steps:
            yield context.finding(f"{drug}: the article states a {point} day, but the tables hold no schedule "
                                  f"step for {drug}", resource="stated_summaries", row=stated, field="drug_id")
            continue
        span = remembered(context, (drug, point, pick), lambda: _bounds_of(steps, point, pick))
        if value is not None and not within(value, span):
            yield context.finding(f"{drug} {verb} on {show_interval(span)} in the schedule; the article states "
                                  f"day {show(value)} ({stated.get('summary_id')})",
                                  resource="stated_summaries", row=stated, field="value",
                                  expected=f"day {show(value)}", observed=show_interval(span))

