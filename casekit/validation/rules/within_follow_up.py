"""within-follow-up: every dated fact lies between the earliest allowed day and the end of follow-up.

Counting convention: times in h, d, wk, mo and a are converted to days (24 h/d,
365.25 d/a, 12 mo/a), any other time unit by UCUM's definition of it (so a unit
added to the vocabulary cannot carry a time past the bounds); a time in a unit
UCUM does not convert to days is itself an error, since it cannot be bounded. Follow-up is the case_characteristics row with attribute
params.attribute; its value_max, or else value_min (a lower bound: the article
vouches for at least that long), in its unit. A time after it is an error.
Negative days are allowed only for schedules whose purpose is in
params.negative_purposes and rows of params.baseline_resources, and no earlier
than params.earliest_day. Without a follow-up row the upper bound is not checked.
"""
from __future__ import annotations

from casekit.validation.rules._common import TIME_COLUMNS, days_per, in_days, row_id
from casekit.validation.rules.context import show

KIND = "within-follow-up"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["attribute", "earliest_day", "negative_purposes", "baseline_resources"],
    "properties": {
        "attribute": {"type": "string"},
        "earliest_day": {"type": "integer", "maximum": 0},
        "negative_purposes": {"type": "array", "items": {"type": "string"}},
        "baseline_resources": {"type": "array", "items": {"type": "string"}},
    },
}
COLUMNS = {**{resource: (*columns, "time_unit") for resource, columns in TIME_COLUMNS.items()},
           "drug_schedules": (*TIME_COLUMNS["drug_schedules"], "time_unit", "purpose"),
           "case_characteristics": (*TIME_COLUMNS["case_characteristics"], "time_unit", "attribute", "value_min",
                                    "value_max", "unit")}


def check(context):
    follow_up = _follow_up_days(context)
    last = None if follow_up is None else follow_up[0]
    earliest_day = context.params["earliest_day"]
    for resource, columns in TIME_COLUMNS.items():
        context.checked(len(context.rows(resource)))
        for row in context.rows(resource):
            unit = row.get("time_unit")
            if unit != "d" and days_per(unit) is None:
                stated = [column for column in columns if row.get(column) is not None]
                if stated:
                    yield context.finding(
                        f"{row_id(resource, row)}: time_unit {unit!r} is not a unit of time UCUM converts to days,"
                        f" so {stated[0]} cannot be checked against the infusion and the end of follow-up",
                        resource=resource, row=row, field="time_unit", expected="a UCUM unit of time",
                        observed=None if unit is None else str(unit))
                continue
            days = [in_days(row.get(column), unit) for column in columns]
            known = [day for day in days if day is not None]
            # Most rows lie inside the window: judge each column only when one of them is outside it.
            if not known or ((last is None or max(known) <= last) and min(known) >= max(0, earliest_day)):
                continue
            for column in columns:
                finding = _judge(context, resource, row, column, follow_up)
                if finding is not None:
                    # One finding per row: its other bounds usually repeat the same mistake.
                    yield finding
                    break


def _judge(context, resource, row, column, follow_up):
    unit = row.get("time_unit")
    days = in_days(row.get(column), unit)
    earliest_day = context.params["earliest_day"]
    if days is None:
        return None
    stated = f"{show(row.get(column))} {unit}"
    if follow_up is not None and days > follow_up[0]:
        return context.finding(f"{row_id(resource, row)}: {column} is {stated} after the infusion, "
                               f"after the end of follow-up ({follow_up[1]})",
                               resource=resource, row=row, field=column,
                               expected=f"<= {follow_up[1]}", observed=stated)
    if days < 0 and not _may_precede_infusion(context, resource, row):
        return context.finding(f"{row_id(resource, row)}: {column} is {stated}, before the CAR T-cell "
                               f"infusion; only lymphodepletion and baseline facts may be",
                               resource=resource, row=row, field=column, expected=">= 0", observed=stated)
    if days < earliest_day:
        return context.finding(f"{row_id(resource, row)}: {column} is {stated}, earlier than day "
                               f"{earliest_day}, the earliest day a pre-infusion fact may have",
                               resource=resource, row=row, field=column,
                               expected=f">= {earliest_day} d", observed=stated)
    return None


def _follow_up_days(context):
    for row in context.rows("case_characteristics"):
        if row.get("attribute") != context.params["attribute"]:
            continue
        value = row.get("value_max") if row.get("value_max") is not None else row.get("value_min")
        days = in_days(value, row.get("unit"))
        if days is not None:
            return days, f"{show(value)} {row.get('unit')}, {row.get('characteristic_id')}"
    return None


def _may_precede_infusion(context, resource, row) -> bool:
    if resource in context.params["baseline_resources"]:
        return True
    return resource == "drug_schedules" and row.get("purpose") in context.params["negative_purposes"]
