"""lymphodepletion-before-infusion: lymphodepleting chemotherapy ends before the CAR T-cell infusion.

Counting convention: day 0 is the infusion (params.infusion_day); a schedule with
a purpose in params.purposes must end on day -1 or earlier. Its latest possible
end is compared (its latest start when the end is unknown).
"""
from __future__ import annotations

from casekit.timing import point_interval
from casekit.validation.rules._common import TIME_COLUMNS
from casekit.validation.rules.context import show

KIND = "lymphodepletion-before-infusion"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["purposes", "infusion_day"],
    "properties": {"purposes": {"type": "array", "items": {"type": "string"}}, "infusion_day": {"type": "integer"}},
}
COLUMNS = {"drug_schedules": ("purpose", "drug_id", *TIME_COLUMNS["drug_schedules"], "time_unit")}


def check(context):
    infusion = context.params["infusion_day"]
    for row in context.rows("drug_schedules"):
        if row.get("purpose") not in context.params["purposes"]:
            continue
        context.checked()
        field, last = "end_latest", point_interval(row, "end")[1]
        if last is None:
            field, last = "start_latest", point_interval(row, "start")[1]
        if last is not None and last >= infusion:
            yield context.finding(f"{row.get('schedule_id')} ({row.get('drug_id')}, {row.get('purpose')}) runs until "
                                  f"day {show(last)}; it must end before the infusion on day {infusion}",
                                  resource="drug_schedules", row=row, field=field,
                                  expected=f"< {infusion}", observed=show(last))
