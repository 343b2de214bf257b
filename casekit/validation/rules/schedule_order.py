"""schedule-order: every interval runs forwards.

Drug schedules: start_earliest <= start_latest, end_earliest <= end_latest and
start_earliest <= end_latest (a step cannot end before its earliest start); for a
step with an exact start and end that is start <= end (a one-day step has start = end).
Clinical events, toxicity grades, observations and case characteristics:
time_earliest <= time_latest. Missing bounds are not compared.
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id
from casekit.validation.rules.context import show

KIND = "schedule-order"
SCOPE = "case"
PARAMS = {"type": "object"}
ORDERED_PAIRS = {
    "drug_schedules": [("start_earliest", "start_latest"), ("end_earliest", "end_latest"),
                       ("start_earliest", "end_latest")],
    "clinical_events": [("time_earliest", "time_latest")],
    "toxicity_grades": [("time_earliest", "time_latest")],
    "observations": [("time_earliest", "time_latest")],
    "case_characteristics": [("time_earliest", "time_latest")],
}
COLUMNS = {resource: tuple(column for pair in pairs for column in pair) for resource, pairs in ORDERED_PAIRS.items()}


def check(context):
    for resource, pairs in ORDERED_PAIRS.items():
        context.checked(len(context.rows(resource)))
        for row in context.rows(resource):
            for first, second in pairs:
                low, high = row.get(first), row.get(second)
                if low is None or high is None or low <= high:
                    continue
                yield context.finding(f"{row_id(resource, row)}: {first} ({show(low)}) is after {second} "
                                      f"({show(high)}); the interval runs backwards",
                                      resource=resource, row=row, field=second,
                                      expected=f">= {show(low)}", observed=show(high))
                break

