"""narrative-bounds: each bound of a narrative time comes from a relative timing to the row that bounds it.

A row timed `narrative` has its days from the order of the story ("told after the day-0 fluid
bolus and before the day-3 transfer"). Each of its bounds, in days, must be the bound its relative
timings give, so that a window widened (1..4 to 0..4), opened (a bound its relations give left empty) or
moved is found:

- an earliest bound is the latest of the days its relations put it at or after: a relation
  whose subject is the row (the anchor's earliest day plus the offset), or one whose anchor it
  is with comparator `=`;
- a latest bound is the earliest of the days its relations put it at or before: a relation
  whose anchor is the row and whose later subject begins on a known day (that day minus the
  offset), or one whose subject it is with comparator `=` or `<=`.

Rows without days of their own take the days a chain of relations gives them (as relative-timing
resolves them). Every bound needs one, an earliest bound on the infusion day (day 0) too: "nothing
in the story comes before the infusion" is true of every row, so a day-0 bound that rested on it
alone let the relation that put a row after a day-0 event be deleted unseen. A bound that really
rests on the infusion is a relation to the infusion row, as data. A schedule step is bounded by its drug's stated
first and last days too (stated_summaries start_day and end_day, a disputed one included: a
discrepancy may keep a stated window for some steps only). A bound a recorded discrepancy names
(its row and field in discrepancy_rows) that none of these bounds comes from that recorded reading
and need not be backed; one they bound is checked like any other.
"""
from __future__ import annotations

from casekit.timing import POINT_COLUMNS, offset_in_days
from casekit.validation.rules._common import TIME_COLUMNS, as_decimal, row_id
from casekit.validation.rules.context import show
from casekit.validation.rules.relative_timing import COLUMNS as RELATION_COLUMNS, _key, case_relations

KIND = "narrative-bounds"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["narrative_basis"],
    "properties": {"narrative_basis": {"type": "string"}},
}
COLUMNS = {**RELATION_COLUMNS,
           **{resource: (*columns, "time_unit", "timing_basis", *(("drug_id",) if resource == "drug_schedules" else ()))
              for resource, columns in TIME_COLUMNS.items()},
           "discrepancy_rows": ("resource", "row_id", "fields"),
           "stated_summaries": ("kind", "drug_id", "value", "unit")}
POINTS = {"drug_schedules": ("start", "end")}


def _stated_days(context) -> dict:
    """drug id -> (its stated first days, its stated last days), in days, as the article states them
    (a disputed one included: a discrepancy may keep a stated window for some steps only)."""
    days: dict = {}
    for row in context.all_rows("stated_summaries"):
        kind, value = row.get("kind"), as_decimal(row.get("value"))
        if kind in ("start_day", "end_day") and value is not None and row.get("unit") == "d":
            first, last = days.setdefault(row.get("drug_id"), ([], []))
            (first if kind == "start_day" else last).append(value)
    return days


def check(context):
    narrative = context.params["narrative_basis"]
    _, checked, known = case_relations(context)
    lower, upper = {}, {}  # (resource, id, point) -> the days its relations bound it by
    for relation, _, _ in checked:
        subject, anchor = _key(relation, "subject"), _key(relation, "anchor")
        try:
            shift = offset_in_days(relation)
        except ValueError:
            continue
        comparator = relation.get("comparator")
        anchor_low, anchor_high = known.get(anchor, (None, None))
        subject_low, subject_high = known.get(subject, (None, None))
        if anchor_low is not None:  # "within" (<=) starts at the anchor itself
            lower.setdefault(subject, []).append(anchor_low + (0 if comparator == "<=" else shift))
        if comparator in ("=", "<=") and anchor_high is not None:
            upper.setdefault(subject, []).append(anchor_high + shift)
        begins = subject_low if subject_low is not None else subject_high
        if comparator in ("=", ">=") and begins is not None:
            upper.setdefault(anchor, []).append(begins - shift)
        if comparator == "=" and subject_low is not None:
            lower.setdefault(anchor, []).append(subject_low - shift)
    recorded = {}
    for row in context.all_rows("discrepancy_rows"):
        fields = str(row.get("fields") or "").split()
        recorded.setdefault((row.get("resource"), row.get("row_id")), set()).update(fields or {"*"})
    stated_days = _stated_days(context)
    for resource in TIME_COLUMNS:
        for row in context.rows(resource):
            if row.get("timing_basis") != narrative:
                continue
            if row.get("time_unit") != "d":
                context.not_checkable("a narrative time not counted in days")
                continue
            name = row_id(resource, row)
            named = recorded.get((resource, name), set())
            if "*" in named:
                context.not_checkable("a narrative time a recorded discrepancy names whole")
                continue
            context.checked()
            # A schedule step lies within its drug's stated first and last days.
            first, last = stated_days.get(row.get("drug_id"), ((), ())) if resource == "drug_schedules" else ((), ())
            for point in POINTS.get(resource, ("time",)):
                key = (resource, name, point)
                for column, bounds, pick, word, stated in (
                        (POINT_COLUMNS[point][0], lower, max, "after", first),
                        (POINT_COLUMNS[point][1], upper, min, "before", last)):
                    value = as_decimal(row.get(column))
                    found = [*bounds.get(key, ()), *stated]
                    if value is None:
                        # An empty bound the story gives is a window left open where the article closes it.
                        if found and column not in named:
                            expected = pick(found)
                            yield context.finding(
                                f"{name}: {column} is empty, but the rows its relative timings put it {word} (and "
                                f"its drug's stated days) bound it at day {show(expected)}", resource=resource,
                                row=row, field=column, expected=show(expected), observed="empty")
                        continue
                    if not found:
                        if column not in named:
                            yield context.finding(
                                f"{name}: {column} {show(value)} is a narrative bound, but no relative timing "
                                f"puts the row {word} another row", resource=resource, row=row, field=column,
                                expected=f"a relative timing to the row it comes {word}", observed=show(value))
                        continue
                    expected = pick(found)
                    if value != expected:
                        yield context.finding(
                            f"{name}: {column} is {show(value)}, but the rows its relative timings put it {word} "
                            f"(and its drug's stated days) bound it at day {show(expected)}",
                            resource=resource, row=row, field=column,
                            expected=show(expected), observed=show(value))
