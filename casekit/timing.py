"""Interval timing: the earliest and latest day of a row, and what a stated relative timing implies.

Times are counted from the CAR T-cell infusion (day 0). A row's time is an
interval [earliest, latest]; either end may be unknown (None). Relative
timings ("4 days later", "within 48 hours") are resolved here, at analysis
time, and never stored back into the tables. A relation resolves only
inside its own case: an anchor row of another case is treated as unknown.
"""
from __future__ import annotations

import heapq
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
# "during" is no point but the whole of a row's time: from the earliest start to the latest end of a
# schedule step, or an event's (or observation's) time. A relation "= 0 d after X during" puts its
# subject within X's interval ("during lymphodepletion"). A row has either start and end or one time,
# so the first column of each pair that the row holds is the one read.
DURING = "during"
SPAN_COLUMNS = (("start_earliest", "time_earliest"), ("end_latest", "time_latest"))
ANCHOR_POINTS = (*POINT_COLUMNS, DURING)
Interval = tuple  # (earliest or None, latest or None)


def point_interval(row: Mapping, point: str) -> Interval:
    """The [earliest, latest] interval of a row's start, end or time (or, for "during", of its whole
    time), in days; (None, None) when not in days."""
    if row.get("time_unit") != "d":
        return (None, None)
    if point == DURING:
        return tuple(_number(_first_held(row, columns)) for columns in SPAN_COLUMNS)
    earliest_column, latest_column = POINT_COLUMNS[point]
    return (_number(row.get(earliest_column)), _number(row.get(latest_column)))


def point_columns(point: str) -> tuple:
    """The time columns a point reads (all of them a "during" may read)."""
    return POINT_COLUMNS[point] if point in POINT_COLUMNS else tuple(column for pair in SPAN_COLUMNS for column in pair)


def _first_held(row: Mapping, columns):
    for column in columns:
        value = row.get(column)
        if value is not None and value != "":
            return value
    return None


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
    drug started") are followed to their end. A relation that has a case_id
    only reads rows of that case, so one case's rows never place another's.
    A row's own days always win; otherwise the first relation to place it wins,
    in the order of repeated passes over the relations in table order (the
    order the figure has always used). A relation that places its subject
    nowhere (">= X" where X has only a latest day) places nothing, so another
    relation may still place that row. Returns {(resource, row_id, point): (earliest, latest)}.

    Each relation is pushed and popped at most once, so the work is
    O(R log R) in the number of relations R, whatever the graph: cycles,
    long chains or anchors that never resolve.
    """
    index = {
        resource: {row[id_columns[resource]]: row for row in rows}
        for resource, rows in rows_by_resource.items() if resource in id_columns
    }

    def row_in_case(resource: str, row_id: str, case_id):
        row = index.get(resource, {}).get(row_id)
        if row is None or (case_id is not None and row.get("case_id", case_id) != case_id):
            return None
        return row

    known: dict = {}
    waiting: dict = {}  # anchor key -> positions of the relations that wait for it
    ready: list = []  # heap of (pass, position): the moment a pass loop over the relations would apply one
    for position, relation in enumerate(relations):
        case_id = relation.get("case_id")
        subject = row_in_case(relation["subject_resource"], relation["subject_id"], case_id)
        anchor = row_in_case(relation["anchor_resource"], relation["anchor_id"], case_id)
        if subject is None or anchor is None or point_interval(subject, relation["subject_point"]) != (None, None):
            continue
        if point_interval(anchor, relation["anchor_point"]) != (None, None):
            ready.append((1, position))
        else:
            anchor_key = (relation["anchor_resource"], relation["anchor_id"], relation["anchor_point"])
            waiting.setdefault(anchor_key, []).append(position)
    heapq.heapify(ready)
    while ready:
        moment = heapq.heappop(ready)
        relation = relations[moment[1]]
        key = (relation["subject_resource"], relation["subject_id"], relation["subject_point"])
        if key in known:
            continue
        anchor_key = (relation["anchor_resource"], relation["anchor_id"], relation["anchor_point"])
        anchor = known.get(anchor_key) or point_interval(index[anchor_key[0]][anchor_key[1]], anchor_key[2])
        implied = implied_interval(anchor, relation)
        if implied == (None, None):
            continue
        known[key] = implied
        for position in waiting.pop(key, ()):
            # Within one pass a later relation already sees this row placed; an earlier one waits for the next pass.
            heapq.heappush(ready, (moment[0] if position > moment[1] else moment[0] + 1, position))
    return known


def _number(value):
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))
