"""Small helpers the rule kinds share: row ids, exact days, unit conversion."""
from __future__ import annotations

from decimal import Decimal

from casekit.timing import point_interval
from casekit.validation.tables import PRIMARY_KEYS

DAYS_PER_YEAR = Decimal("365.25")
DAYS_PER_UNIT = {"h": Decimal(1) / Decimal(24), "d": Decimal(1), "mo": DAYS_PER_YEAR / 12, "a": DAYS_PER_YEAR}
TIME_COLUMNS = {
    "drug_schedules": ("start_earliest", "start_latest", "end_earliest", "end_latest"),
    "clinical_events": ("time_earliest", "time_latest"),
    "toxicity_grades": ("time_earliest", "time_latest"),
    "observations": ("time_earliest", "time_latest"),
    "case_characteristics": ("time_earliest", "time_latest"),
}

# What the schedule rules read of a step: its drug, order, dose, frequency and days.
STEP_COLUMNS = ("drug_id", "step", "purpose", "dose_value", "dose_unit", "dose_per_body_value", "dose_per_body_unit",
                "frequency", "administrations", "time_unit", *TIME_COLUMNS["drug_schedules"])


def row_id(resource: str, row: dict) -> str:
    return str(row.get(PRIMARY_KEYS.get(resource, ""), f"row {row.get('_row')}"))


def exact_day(row: dict, point: str) -> Decimal | None:
    """The day of a row's start, end or time when the article pins it to one day, else None."""
    earliest, latest = point_interval(row, point)
    return earliest if earliest is not None and earliest == latest else None


def in_days(value, unit: str | None) -> Decimal | None:
    if value is None or unit not in DAYS_PER_UNIT:
        return None
    if unit == "d":
        return value if isinstance(value, (int, Decimal)) else Decimal(str(value))
    return (value if isinstance(value, (int, Decimal)) else Decimal(str(value))) * DAYS_PER_UNIT[unit]


def as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def drug_steps(context, drug_id) -> list[dict]:
    """The case's schedule steps of one drug, in step order (steps without a number last)."""
    steps = [row for row in context.rows("drug_schedules") if row.get("drug_id") == drug_id]
    return sorted(steps, key=lambda row: (row.get("step") is None, row.get("step") or 0))


def administrations(step: dict):
    """A step's number of administrations: as stated, or one for a `single` step; None if unknown."""
    count = step.get("administrations")
    if count is None and step.get("frequency") == "single":
        return 1
    return count


def summaries(context, kind: str) -> list[dict]:
    return [row for row in context.rows("stated_summaries") if row.get("kind") == kind]


def within(value, interval) -> bool:
    """Whether value lies in [earliest, latest]; an unknown end does not bound."""
    earliest, latest = interval
    return (earliest is None or value >= earliest) and (latest is None or value <= latest)


def show_interval(interval) -> str:
    from casekit.validation.rules.context import show
    earliest, latest = interval
    if earliest is not None and earliest == latest:
        return f"day {show(earliest)}"
    low = "?" if earliest is None else show(earliest)
    high = "?" if latest is None else show(latest)
    return f"days {low} to {high}"


def bounds(earliest: list, latest: list, pick) -> tuple:
    """Where the first (pick=min) or last (pick=max) of several intervals can lie.

    An unknown end of one step leaves the far bound open, because that step
    could be the first (or last) one; the near bound holds with any known value.
    """
    def known(values):
        return [value for value in values if value is not None]

    if pick is min:
        low = min(earliest) if earliest and None not in earliest else None
        high = min(known(latest)) if known(latest) else None
    else:
        low = max(known(earliest)) if known(earliest) else None
        high = max(latest) if latest and None not in latest else None
    return (low, high)
