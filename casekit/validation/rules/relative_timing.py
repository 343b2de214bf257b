"""relative-timing: a stated relative timing agrees with the days the tables give both rows.

For each relative_timings row of the case, subject and anchor must exist in the
resource the row names (its provenance); they are found through the primary-key
index, never by scanning. A row of another case is the case-scope rule's to report. When both have an interval in days,
the subject's interval must overlap the interval that casekit.timing.implied_interval
derives from the anchor and the relation: "7 days after", counted inclusive,
puts the subject on anchor + 6 (the anchor day is day one); exclusive on
anchor + 7; hours are divided by 24. A row without days of its own takes the interval a
chain of relations from dated rows gives it (resolve(): resolve what can be resolved, each
relation once), and then every relation whose two ends have an interval is checked. A side
whose resource or id a recorded discrepancy sets aside (it reads as missing) is
not looked up: the discrepancy says that reading is disputed, not absent.
"""
from __future__ import annotations

from casekit.timing import ANCHOR_POINTS, DURING, POINT_COLUMNS, implied_interval, point_interval
from casekit.validation.rules._common import TIME_COLUMNS, PRIMARY_KEYS, show_interval

KIND = "relative-timing"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"relative_timings": ("subject_resource", "subject_id", "subject_point", "anchor_resource", "anchor_id",
                                "anchor_point", "comparator", "offset_value", "offset_unit", "counting_convention",
                                "quote"),
           **{resource: (*columns, "time_unit") for resource, columns in TIME_COLUMNS.items()}}
NEEDED = ("subject_point", "anchor_point", "comparator", "offset_value", "offset_unit", "counting_convention")


def case_relations(context) -> tuple[list, list, dict]:
    """The case's relative timings, built once per run and case for every rule that reads them:
    (missing: (relation, side, id) of each subject or anchor that does not exist; checked: (relation,
    subject row, anchor row) of each relation whose two rows exist in the case and that can be judged;
    known: resolve(checked))."""
    def build():
        missing, checked = [], []
        for relation in context.rows("relative_timings"):
            rows = {}
            for side in ("subject", "anchor"):
                resource, wanted = relation.get(f"{side}_resource"), relation.get(f"{side}_id")
                if resource is None or wanted is None:
                    break  # set aside by a discrepancy: the relation cannot be judged
                found = context.tables.row(resource, wanted) if resource in context.tables.keys else None
                if found is None:
                    missing.append((relation, side, wanted))
                elif context.tables.case_of(resource, found) == context.case_id:
                    rows[side] = found
            if len(rows) < 2:
                continue
            if any(relation.get(column) is None for column in NEEDED) or relation["subject_point"] not in \
                    POINT_COLUMNS or relation["anchor_point"] not in ANCHOR_POINTS:
                continue
            checked.append((relation, rows["subject"], rows["anchor"]))
        return missing, checked, resolve(checked)

    return context.tables.shared(("relative timings", context.case_id), build)


def check(context):
    context.checked(len(context.rows("relative_timings")))
    missing, checked, known = case_relations(context)
    for relation, side, wanted in missing:
        yield context.finding(f"{relation.get('relation_id')}: {side} {wanted} does not exist in "
                              f"{relation.get(f'{side}_resource')}", resource="relative_timings", row=relation,
                              field=f"{side}_id", observed=wanted)
    for relation in context.rows("relative_timings"):
        yield from _points_of_their_rows(context, relation)
        yield from _within_is_exact(context, relation)
    for relation, subject_row, anchor_row in checked:
        subject = known.get(_key(relation, "subject"), (None, None))
        anchor = known.get(_key(relation, "anchor"), (None, None))
        if subject == (None, None) or anchor == (None, None):
            continue
        implied = _implied(anchor, relation)
        if implied is not None and not _overlap(subject, implied):
            yield context.finding(
                f"{relation.get('subject_id')} is on {show_interval(subject)}, but \"{relation.get('quote')}\" "
                f"({relation.get('comparator')} {relation.get('offset_value')} {relation.get('offset_unit')} "
                f"after {relation.get('anchor_id')} {relation.get('anchor_point')} on {show_interval(anchor)}, "
                f"counted {relation.get('counting_convention')}) puts it on {show_interval(implied)}",
                resource="relative_timings", row=relation, field="offset_value",
                expected=show_interval(implied), observed=show_interval(subject))


# The points each resource's rows have: a schedule starts and ends, any other row has one time.
POINTS = {resource: tuple(point for point, columns in POINT_COLUMNS.items() if set(columns) <= set(time_columns))
          for resource, time_columns in TIME_COLUMNS.items()}


def _points_of_their_rows(context, relation):
    """A point its row does not have (an event's start, a schedule's time) would leave the relation unchecked.
    Every row has a whole time, so any anchor may be a "during"."""
    for side in ("subject", "anchor"):
        resource, point = relation.get(f"{side}_resource"), relation.get(f"{side}_point")
        if side == "anchor" and point == DURING:
            continue
        if resource in POINTS and point is not None and point not in POINTS[resource]:
            yield context.finding(
                f"{relation.get('relation_id')}: {side}_point is {point}, but a row of {resource} has no {point} "
                f"(its {'points are' if len(POINTS[resource]) > 1 else 'point is'} {' and '.join(POINTS[resource])})",
                resource="relative_timings", row=relation, field=f"{side}_point",
                expected=" or ".join(POINTS[resource]), observed=point)


def _within_is_exact(context, relation):
    """"During X" puts the subject within X's interval, which is comparator = and an offset of 0; any other
    comparator or offset would state a point of X, which its start or end says."""
    if relation.get("anchor_point") != DURING:
        return
    for field, wanted in (("comparator", "="), ("offset_value", 0)):
        value = relation.get(field)
        if value is not None and value != wanted:
            yield context.finding(
                f"{relation.get('relation_id')}: anchor_point is during (the subject lies within the anchor's "
                f"interval), which needs comparator = and an offset of 0, but {field} is {value}",
                resource="relative_timings", row=relation, field=field, expected=str(wanted), observed=str(value))
            return


_SIDE_COLUMNS = {side: (f"{side}_resource", f"{side}_id", f"{side}_point") for side in ("subject", "anchor")}


def _key(relation, side: str) -> tuple:
    # The column names of a side are built once: this runs several times per relation and rule.
    resource, row_id, point = _SIDE_COLUMNS[side]
    return (relation.get(resource), relation.get(row_id), relation.get(point))


def _implied(anchor, relation):
    try:
        return implied_interval(anchor, relation)
    except ValueError:  # an offset unit that is not a time (casekit.ucum.UnitError): vocabulary-kind's to report
        return None


def resolve(checked) -> dict:
    """(resource, id, point) -> interval in days of every row end the relations name: its own days, else
    the interval a chain of relations from dated rows gives it (the first relation to reach it).

    Each relation is taken once, when its anchor becomes known, so the work is linear in relations.
    """
    known, by_anchor, queue = {}, {}, []
    for relation, subject_row, anchor_row in checked:
        anchor_key = _key(relation, "anchor")
        for key, row in ((_key(relation, "subject"), subject_row), (anchor_key, anchor_row)):
            if key not in known:
                interval = point_interval(row, key[2])
                known[key] = interval
                if interval != (None, None):
                    queue.append(key)
        by_anchor.setdefault(anchor_key, []).append(relation)
    while queue:
        anchor = queue.pop()
        for relation in by_anchor.pop(anchor, ()):
            subject = _key(relation, "subject")
            if known.get(subject) != (None, None):
                continue
            implied = _implied(known[anchor], relation)
            if implied is not None and implied != (None, None):
                known[subject] = implied
                queue.append(subject)
    return known


def _overlap(first, second) -> bool:
    (a_low, a_high), (b_low, b_high) = first, second
    if a_high is not None and b_low is not None and a_high < b_low:
        return False
    if b_high is not None and a_low is not None and b_high < a_low:
        return False
    return True
