"""Interval timing: the earliest and latest day of a row, and what a stated relative timing implies.

Times are counted from the CAR T-cell infusion (day 0). A row's time is an
interval [earliest, latest]; either end may be unknown (None). Relative
timings ("4 days later", "within 48 hours") are resolved here, at analysis
time, and never stored back into the tables.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

POINT_COLUMNS = {
    "start": ("start_earliest", "start_latest"),
    "end": ("end_earliest", "end_latest"),
    "time": ("time_earliest", "time_latest"),
}
HOURS_PER_DAY = Decimal(24)
Interval = tuple  # (earliest or None, latest or None)


def point_interval(row: Mapping, point: str) -> Interval:
    """The [earliest, latest] interval of a row's start, end or time, in days; (None, None) when not in days."""
    if row.get("time_unit") != "d":
        return (None, None)
    earliest_column, latest_column = POINT_COLUMNS[point]
    return (_number(row.get(earliest_column)), _number(row.get(latest_column)))


def offset_in_days(relation: Mapping) -> Decimal:
    """The relation's offset in days, after its counting convention."""
    value = _number(relation["offset_value"])
    if relation["offset_unit"] == "h":
        value = value / HOURS_PER_DAY
    if relation["counting_convention"] == "inclusive":
        value -= 1
    return value


def implied_interval(anchor: Interval, relation: Mapping) -> Interval:
    """The interval the relation puts its subject in, given the anchor's interval."""
    shift = offset_in_days(relation)
    earliest, latest = anchor
    plus = (lambda day: None if day is None else day + shift)
    if relation["comparator"] == "=":
        return (plus(earliest), plus(latest))
    if relation["comparator"] == "<=":
        return (earliest, plus(latest))
    return (plus(earliest), None)


def resolve_relative_times(rows_by_resource: Mapping[str, list], relations: list, id_columns: Mapping[str, str]) -> dict:
    """Intervals, in days, of rows whose time is known only through relative timings.

    Chains ("stopped 4 days after it started, which was the day dasatinib
    started") are followed until nothing changes. Returns
    {(resource, row_id, point): (earliest, latest)}.
    """
    known: dict = {}

    def lookup(resource: str, row_id: str, point: str) -> Interval:
        if (resource, row_id, point) in known:
            return known[(resource, row_id, point)]
        for row in rows_by_resource.get(resource, []):
            if row[id_columns[resource]] == row_id:
                return point_interval(row, point)
        return (None, None)

    changed = True
    while changed:
        changed = False
        for relation in relations:
            key = (relation["subject_resource"], relation["subject_id"], relation["subject_point"])
            if lookup(*key) != (None, None):
                continue
            anchor = lookup(relation["anchor_resource"], relation["anchor_id"], relation["anchor_point"])
            if anchor == (None, None):
                continue
            known[key] = implied_interval(anchor, relation)
            changed = True
    return known


def _number(value):
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))
