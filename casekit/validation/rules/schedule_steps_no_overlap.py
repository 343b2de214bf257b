"""schedule-steps-no-overlap: the steps of one drug follow each other without sharing a day.

Counting convention: steps are ordered by `step`; a step occupies every day from
its start to its end, both included. Step n+1 must start after step n ends.
Only a certain clash is reported: the next step's latest possible start is on or
before the previous step's earliest possible end. Step numbers must be unique
per drug. Steps in other time units than days are not compared.
"""
from __future__ import annotations

from collections import defaultdict

from casekit.timing import point_interval
from casekit.validation.rules._common import STEP_COLUMNS
from casekit.validation.rules.context import show

KIND = "schedule-steps-no-overlap"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"drug_schedules": STEP_COLUMNS}


def check(context):
    by_drug = defaultdict(list)
    for row in context.rows("drug_schedules"):
        if row.get("step") is not None:
            by_drug[row.get("drug_id")].append(row)
    context.checked(sum(map(len, by_drug.values())))
    for drug, steps in by_drug.items():
        steps.sort(key=lambda row: row["step"])
        for previous, following in zip(steps, steps[1:]):
            if previous["step"] == following["step"]:
                yield context.finding(f"{drug} has two steps numbered {following['step']} "
                                      f"({previous.get('schedule_id')} and {following.get('schedule_id')})",
                                      resource="drug_schedules", row=following, field="step",
                                      observed=str(following["step"]))
                continue
            previous_end = point_interval(previous, "end")[0]
            following_start = point_interval(following, "start")[1]
            if previous_end is None or following_start is None or following_start > previous_end:
                continue
            yield context.finding(f"{drug} step {following['step']} ({following.get('schedule_id')}) starts on day "
                                  f"{show(following_start)}, but step {previous['step']} "
                                  f"({previous.get('schedule_id')}) runs until day {show(previous_end)}",
                                  resource="drug_schedules", row=following, field="start_latest",
                                  expected=f"> {show(previous_end)}", observed=show(following_start))
