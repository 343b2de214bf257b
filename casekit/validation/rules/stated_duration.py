"""stated-duration: a stated duration equals the span of the drug's schedule.

Counting convention: from the earliest start of any step to the latest end of
any step. `inclusive` (the row's counting_convention, or params.default_counting)
counts both the first and the last day: end - start + 1 (days 3-23 are 21 days);
`exclusive` counts elapsed days: end - start. When the ends are intervals the
stated value must fall between the shortest and the longest possible span;
an end that is unknown leaves that side unchecked.
"""
from __future__ import annotations

from casekit.timing import point_interval
from casekit.validation.rules._common import (STEP_COLUMNS, as_decimal, bounds, drug_steps, remembered, show_interval,
                                              summaries, within)
from casekit.validation.rules.context import show

KIND = "stated-duration"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["default_counting"],
    "properties": {"default_counting": {"enum": ["inclusive", "exclusive"]}},
}
COLUMNS = {"stated_summaries": ("kind", "drug_id", "unit", "value", "counting_convention"), "drug_schedules": STEP_COLUMNS}


def _span(steps):
    """(first start, last end) of a drug's steps, each an interval of days."""
    starts = [point_interval(step, "start") for step in steps]
    ends = [point_interval(step, "end") for step in steps]
    return (bounds([s[0] for s in starts], [s[1] for s in starts], min),
            bounds([e[0] for e in ends], [e[1] for e in ends], max))


def check(context):
    durations = summaries(context, "duration")
    context.checked(len(durations))
    for stated in durations:
        drug, value = stated.get("drug_id"), as_decimal(stated.get("value"))
        steps = drug_steps(context, drug)
        if value is None or not steps:
            if not steps:
                yield context.finding(f"{drug}: the article states a duration, but the tables hold no schedule "
                                      f"step for {drug}", resource="stated_summaries", row=stated, field="drug_id")
            continue
        if stated.get("unit") != "d":
            continue
        counting = stated.get("counting_convention") or context.params["default_counting"]
        extra = 1 if counting == "inclusive" else 0
        first, last = remembered(context, drug, lambda: _span(steps))
        shortest = None if last[0] is None or first[1] is None else last[0] - first[1] + extra
        longest = None if last[1] is None or first[0] is None else last[1] - first[0] + extra
        if not within(value, (shortest, longest)):
            span = show_interval((shortest, longest)).replace("day ", "").replace("days ", "")
            yield context.finding(f"{drug} is scheduled from {show_interval(first)} to {show_interval(last)}, "
                                  f"which is {span} days counted {counting}; the article states {show(value)} days",
                                  resource="stated_summaries", row=stated, field="value",
                                  expected=f"{show(value)} d", observed=f"{span} d")

