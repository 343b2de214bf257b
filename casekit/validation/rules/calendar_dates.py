"""calendar-dates: a calendar date the article gives a fact row agrees with its words, its row and the case's days.

A calendar_dates row gives one point of a fact row (a schedule step's start or end, any other
row's time) the calendar date the article states, to the precision it states: a year (2019), a
month (2019-03) or a day (2019-03-14). The tables keep counting days from the infusion; the date is
beside them, as field_sources is beside a coded value. For each row of the case:

- the row it dates exists in its case and has the point it names;
- a full date is a day of the calendar (no 2019-02-30);
- every part of the date is written in its quote: the year's digits, the month as a number or a
  name (params.month_names, written forms in the format of units.written_forms), the day's number;
- the quote names the row it dates (its drug, purpose, event type ..., as relation-words names an
  anchor) or quotes its words: a date moved to another row of the case is refused even where
  both rows' days would allow it;
- the dates of one case agree with their rows' days: a dated point on days [a, b] puts day 0
  between its date's first day minus b and its last day minus a, and every dated point of the case
  must leave one day 0 possible (2019 on day 0 and 2018 on day 30 cannot both hold). A row without
  days of its own takes the days its relative timings give it, as relative-timing resolves them.
  The window of day 0 is narrowed row by row, so the work is linear in the dates.
"""
from __future__ import annotations

import calendar
import datetime
import re

from casekit.quotes.code_forms import CodeForms, written_forms
from casekit.quotes.normalise import normalise
from casekit.timing import POINT_COLUMNS, point_interval
from casekit.validation.rules._common import TIME_COLUMNS
from casekit.validation.rules.relation_words import COLUMNS as WORD_COLUMNS, NAMED_BY, _anchor_words, _names, \
    _says, _shares_words
from casekit.validation.rules.relative_timing import COLUMNS as RELATION_COLUMNS, case_relations

KIND = "calendar-dates"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["month_names"],
    "properties": {"month_names": {"type": "array", "items": {"type": "string"}, "minItems": 12, "maxItems": 12}},
    "additionalProperties": False,
}
DATES = "calendar_dates"
COLUMNS = {**RELATION_COLUMNS, **{resource: (*RELATION_COLUMNS.get(resource, ()), *columns)
                                   for resource, columns in WORD_COLUMNS.items()},
           DATES: ("date_id", "case_id", "resource", "row_id", "point", "date", "locator_id")}
TEXTS = {DATES: ("quote",), **{resource: ("quote",) for resource in NAMED_BY}}
_DIGITS = re.compile(r"\d+")
# The points each resource's rows have: a schedule starts and ends, any other row has one time.
POINTS = {resource: tuple(point for point, columns in POINT_COLUMNS.items() if set(columns) <= set(time_columns))
          for resource, time_columns in TIME_COLUMNS.items()}


def check(context):
    rows = context.rows(DATES)
    if not rows:
        context.not_checkable("the case states no calendar date")
        return
    context.checked(len(rows))
    months = [CodeForms(written_forms(names)) for names in context.params["month_names"]]
    known = None
    window = (None, None)  # the calendar days (ordinals) day 0 of the case may be on
    narrowed_by = None
    names_known: dict = {}
    unnamed = []  # (date row, its quote, the names of its row) whose quote names no name of its row
    for row, (quote,) in context.tables.texts(DATES, rows, ("quote",)):
        name, resource, target, point = row.get("date_id"), row.get("resource"), row.get("row_id"), row.get("point")
        found = context.tables.row(resource, target) if resource in context.tables.keys else None
        if found is None or context.tables.case_of(resource, found) != context.case_id:
            yield context.finding(f"{name}: {resource} has no row {target} in case {context.case_id}",
                                  resource=DATES, row=row, field="row_id", expected="a row of the case",
                                  observed=target)
            continue
        if point not in POINTS.get(resource, ()):
            yield context.finding(f"{name}: a row of {resource} has no {point} (its points: "
                                  f"{' and '.join(POINTS.get(resource, ()))})", resource=DATES, row=row,
                                  field="point", expected=" or ".join(POINTS.get(resource, ())), observed=point)
            continue
        span = _calendar_span(str(row.get("date") or ""))
        if span is None:
            yield context.finding(f"{name}: {row.get('date')} is not a day of the calendar", resource=DATES,
                                  row=row, field="date", expected="a real date", observed=row.get("date"))
            continue
        unwritten = _unwritten(str(row.get("date")), normalise(str(quote or "")), months)
        if unwritten:
            yield context.finding(f"{name}: the {' and '.join(unwritten)} of {row.get('date')} is not written in "
                                  f"\"{quote}\"", resource=DATES, row=row, field="date",
                                  expected=f"the {' and '.join(unwritten)} the quote writes", observed=row.get("date"))
            continue
        names = _names(context, (resource, target), names_known) if resource in NAMED_BY else None
        if names is not None and not _says(names, normalise(str(quote or ""))):
            unnamed.append((row, quote, names))
        if known is None:
            known = case_relations(context)[2]
        days = known.get((resource, target, point)) or point_interval(found, point)
        if days == (None, None):
            continue
        first, last = span
        earliest, latest = days
        low = first - latest if latest is not None else None
        high = last - earliest if earliest is not None else None
        new_low = _pick(max, window[0], low)
        new_high = _pick(min, window[1], high)
        if new_low is not None and new_high is not None and new_low > new_high:
            yield context.finding(
                f"{name}: {row.get('date')} on day {_days(days)} of {target} puts the infusion (day 0) between "
                f"{_show(low)} and {_show(high)}, but {narrowed_by} puts it between {_show(window[0])} and "
                f"{_show(window[1])}", resource=DATES, row=row, field="date",
                expected=f"a date with day 0 between {_show(window[0])} and {_show(window[1])}",
                observed=row.get("date"))
            continue
        window, narrowed_by = (new_low, new_high), name if narrowed_by is None else f"{narrowed_by} and {name}"
    yield from _unnamed_rows(context, unnamed)


def _unnamed_rows(context, unnamed):
    """Dates whose quote neither names their row nor shares words with the row's own quote."""
    words = _anchor_words(context, [(row.get("resource"), row.get("row_id")) for row, _, _ in unnamed])
    for row, quote, names in unnamed:
        target = (row.get("resource"), row.get("row_id"))
        if _shares_words(normalise(str(quote or "")), words.get(target, "")):
            continue
        yield context.finding(f"{row.get('date_id')}: its quote \"{quote}\" does not name the row it dates, "
                              f"{target[1]} ({', '.join(names) or 'no name'}), nor quote its words",
                              resource=DATES, row=row, field="row_id",
                              expected=" or ".join(names) or "the row's name", observed=target[1])


def _calendar_span(text: str):
    """(first, last) calendar day (ordinals) of a year, month or day; None when it is no day of the calendar."""
    parts = [int(part) for part in text.split("-")] if text else []
    try:
        if len(parts) == 1:
            return (datetime.date(parts[0], 1, 1).toordinal(), datetime.date(parts[0], 12, 31).toordinal())
        if len(parts) == 2:
            year, month = parts
            return (datetime.date(year, month, 1).toordinal(),
                    datetime.date(year, month, calendar.monthrange(year, month)[1]).toordinal())
        if len(parts) == 3:
            day = datetime.date(*parts).toordinal()
            return (day, day)
    except ValueError:
        return None
    return None


def _unwritten(text: str, quote: str, months: list) -> list[str]:
    """The parts of the date (year, month, day) its quote does not write."""
    year, *rest = [int(part) for part in text.split("-")]
    numbers = {int(digits) for digits in _DIGITS.findall(quote)}
    missing = [] if year in numbers else ["year"]
    if rest and rest[0] not in numbers and months[rest[0] - 1].find(quote) is None:
        missing.append("month")
    if len(rest) > 1 and rest[1] not in numbers:
        missing.append("day")
    return missing


def _pick(choose, current, new):
    if current is None:
        return new
    return current if new is None else choose(current, new)


def _show(ordinal) -> str:
    if ordinal is None:
        return "any day"
    return datetime.date.fromordinal(int(ordinal)).isoformat()


def _days(days) -> str:
    earliest, latest = days
    if earliest == latest:
        return str(earliest)
    return f"{'?' if earliest is None else earliest} to {'?' if latest is None else latest}"
