"""Small helpers the rule kinds share: row ids, exact days, counts, unit conversion.

Units are converted by the UCUM library (casekit.ucum), never by a table of our
own; equal units, and a rate whose code is the amount's code per day ("mg/d" for
"mg", UCUM's own grammar), need no conversion, so the library (about a second to
load) is loaded only when two different units really meet. Time units are
counted in days by UCUM's definitions: 24 h, 7 d a week, a Julian year of 365.25
days and a month of a twelfth of it.
"""
from __future__ import annotations

import functools
from decimal import Decimal

from casekit.timing import point_interval
from casekit.validation.tables import PRIMARY_KEYS

DAYS_PER_YEAR = Decimal("365.25")
DAYS_PER_UNIT = {"h": Decimal(1) / Decimal(24), "d": Decimal(1), "wk": Decimal(7), "mo": DAYS_PER_YEAR / 12,
                 "a": DAYS_PER_YEAR}
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
    found = row.get(PRIMARY_KEYS.get(resource, ""), _NO_KEY)
    # (the row number is formatted only for a row without a key, not for every row)
    return f"row {row.get('_row')}" if found is _NO_KEY else str(found)


_NO_KEY = object()


def exact_day(row: dict, point: str) -> Decimal | None:
    """The day of a row's start, end or time when the article pins it to one day, else None."""
    earliest, latest = point_interval(row, point)
    return earliest if earliest is not None and earliest == latest else None


@functools.lru_cache(maxsize=256)
def days_per(unit: str | None) -> Decimal | None:
    """How many days one `unit` is: the common units from DAYS_PER_UNIT (UCUM's own values), any other
    by converting with UCUM (so `Ms`, megaseconds, is 11.57... days); None if it is no unit of time."""
    if unit in DAYS_PER_UNIT:
        return DAYS_PER_UNIT[unit]
    return unit_factor(unit, "d") if unit else None


def in_days(value, unit: str | None) -> Decimal | None:
    if value is None:
        return None
    if unit == "d":
        return value if isinstance(value, (int, Decimal)) else Decimal(str(value))
    factor = days_per(unit)
    if factor is None:
        return None
    return (value if isinstance(value, (int, Decimal)) else Decimal(str(value))) * factor


def as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def drug_steps(context, drug_id) -> list[dict]:
    """The case's schedule steps of one drug, in step order (steps without a number last).

    The steps of every drug are grouped in one pass per case and rule, so many stated summaries
    of one case cost one pass over its schedule, not one pass each.
    """
    by_drug = context.memo.get("drug_steps")
    if by_drug is None:
        by_drug = context.memo["drug_steps"] = {}
        for row in context.rows("drug_schedules"):
            by_drug.setdefault(row.get("drug_id"), []).append(row)
        for steps in by_drug.values():
            steps.sort(key=lambda row: (row.get("step") is None, row.get("step") or 0))
    return by_drug.get(drug_id, [])


def remembered(context, key, work):
    """work(), computed once per case and rule for `key` (a drug's span, its summed doses)."""
    memo = context.memo.setdefault("remembered", {})
    if key not in memo:
        memo[key] = work()
    return memo[key]


def administrations(step, context=None):
    """A step's number of administrations: as stated; one for a `single` step; else, when its days are
    exact, its frequency's administrations_per_day (frequencies.csv) times its days; None if unknown."""
    count = step.get("administrations")
    if count is not None:
        return count
    if step.get("frequency") == "single":
        return 1
    per_day = None if context is None else per_day_count(context, step.get("frequency"))
    start, end = exact_day(step, "start"), exact_day(step, "end")
    if per_day is None or start is None or end is None or end < start:
        return None
    return per_day * (end - start + 1)


def per_day_count(context, frequency) -> Decimal | None:
    """How many administrations a frequency gives each day (frequencies.administrations_per_day), if fixed."""
    if frequency is None or "frequencies" not in context.tables.keys:
        return None
    row = context.tables.row("frequencies", frequency)
    return None if row is None else as_decimal(row.get("administrations_per_day"))


def unit_factor(unit: str | None, target: str | None) -> Decimal | None:
    """How many `target` one `unit` is (UCUM); None when either is missing or they are not commensurable."""
    if unit is None or target is None:
        return None
    if unit == target:
        return Decimal(1)
    from casekit.ucum import UnitError, convert

    try:
        return Decimal(format(convert(1.0, unit, target), ".12g"))
    except UnitError:
        return None


def per_day_factor(rate_unit: str | None, amount_unit: str | None) -> Decimal | None:
    """How many `amount_unit` per day one `rate_unit` is (mg/d -> mg: 1; mg/h -> mg: 24); None if not a rate of it."""
    if rate_unit is None or amount_unit is None:
        return None
    if rate_unit == f"{amount_unit}/d":
        return Decimal(1)
    if rate_unit == amount_unit or "/" not in rate_unit:
        return None
    return unit_factor(rate_unit, f"{amount_unit}/d")


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
