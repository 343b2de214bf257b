"""Interval timing: the earliest and latest day of a row, and what a stated relative timing implies.

Times are counted from the CAR T-cell infusion (day 0). A row's time is an
interval [earliest, latest]; either end may be unknown (None). Relative
timings ("4 days later", "within 48 hours") are resolved here, at analysis
time, and never stored back into the tables. A relation resolves only
inside its own case: an anchor row of another case is treated as unknown.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

POINT_COLUMNS = {
    "start": ("start_earliest", "start_latest"),
    "end": ("end_earliest", "end_latest"),
    "time": ("time_earliest", "time_latest"),
}
# Exact counts, kept as divisions so that 48 h is exactly 2 days; any other time unit goes through
# the UCUM library (casekit.ucum).
PER_DAY = {"d": Decimal(1), "h": Decimal(24), "min": Decimal(1440)}
DAYS_PER_UNIT = {"wk": Decimal(7)}
Interval = tuple  # (earliest or None, latest or None)


def point_interval(row: Mapping, point: str) -> Interval:
    """The [earliest, latest] interval of a row's start, end or time, in days; (None, None) when not in days."""
    if row.get("time_unit") != "d":
        return (None, None)
    earliest_column, latest_column = POINT_COLUMNS[point]
    return (_number(row.get(earliest_column)), _number(row.get(latest_column)))


def offset_in_days(relation: Mapping) -> Decimal:
    """The relation's offset in days, after its counting convention."""
    value = in_days(_number(relation["offset_value"]), relation["offset_unit"])
    if relation["counting_convention"] == "inclusive":
        value -= 1
    return value


def in_days(value: Decimal, unit: str) -> Decimal:
    """`value` of a UCUM time unit, in days."""
    if unit in PER_DAY:
        return value / PER_DAY[unit]
    if unit in DAYS_PER_UNIT:
        return value * DAYS_PER_UNIT[unit]
    from casekit.ucum import convert  # only for months, years...: the UCUM registry takes a second to build

    return value * Decimal(str(convert(1, unit, "d")))


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

    Chains ("stopped 4 days after it started, which was the day the other
    drug started") are followed until nothing changes. A relation that has a
    case_id only reads rows of that case, so one case's rows never place
    another's. Returns {(resource, row_id, point): (earliest, latest)}.
    """
    known: dict = {}
    index = {
        resource: {row[id_columns[resource]]: row for row in rows}
        for resource, rows in rows_by_resource.items() if resource in id_columns
    }

    def row_in_case(resource: str, row_id: str, case_id):
        row = index.get(resource, {}).get(row_id)
        if row is None or (case_id is not None and row.get("case_id", case_id) != case_id):
            return None
        return row

    def lookup(resource: str, row_id: str, point: str, case_id) -> Interval:
        row = row_in_case(resource, row_id, case_id)
        if row is None:
            return (None, None)
        return known.get((resource, row_id, point)) or point_interval(row, point)

    changed = True
    while changed:
        changed = False
        for relation in relations:
            case_id = relation.get("case_id")
            key = (relation["subject_resource"], relation["subject_id"], relation["subject_point"])
            if row_in_case(key[0], key[1], case_id) is None or lookup(*key, case_id) != (None, None):
                continue
            anchor = lookup(relation["anchor_resource"], relation["anchor_id"], relation["anchor_point"], case_id)
            if anchor == (None, None):
                continue
            known[key] = implied_interval(anchor, relation)
            changed = True
    return known


def _number(value):
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))
