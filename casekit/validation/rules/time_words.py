"""time-words: a row's time fields say what its words say about time, whatever its timing basis.

The words are the row's `quote` and `timing_as_stated`. Phrases
without a number mean what the time_phrases vocabulary says they mean (data, not code):

- unit: when the words count a time in a unit (a written form of a unit of kind time next to a
  number: "48h", "2 years", "day 3"), the `time_unit` of a row not timed `stated` is one of the
  units so written (a stated time's unit, and a relative timing's offset unit, must be written in
  its words: quote-agreement checks those);
- stated: a row timed `implied` or `narrative` whose own words state every time number it holds
  is `stated` (its words bind it); its own words are its timing_as_stated, or without one its
  quote, unless a relative timing places it (a narrative quote may name the days around it);
- open end: words of an open_end phrase ("onward", "more than") leave the row's last bound
  (time_latest, or a schedule step's end_latest) empty;
- half open: a stated time with one bound of a point and the other empty has words that leave that side
  open (params.open_start_words, "by day +14"; params.open_end_words or an open_end phrase, "after",
  "onward"): a bound dropped from "on day 3" left the day in the other bound, and passed;
- relative: a row timed `relative` is named by at least one relative timing (as its subject, or
  as the anchor of a later subject: "just prior to discharge" is stored with the discharge as subject);
- empty: a row timed with a basis of params.timeless_bases (`relative`, `not_stated`) holds no time
  bound (its time lives in relative_timings, or nowhere), so a bound left behind by a relabelled
  basis is reported, not read;
- implied: a row timed `implied` rests on an implied_time phrase of its words, whose window
  (earliest_day to latest_day) holds the row's time (a schedule step's start), or on a relative
  timing that places it, or is itself the infusion that defines the day numbering
  (params.definition_purposes), which then lies on params.origin_day; where every phrase its words
  hold leaves the earliest day open ("before therapy") and the words state no number, the row's
  first bound stays empty too (closing it is a precision the words do not give).

A reading a recorded discrepancy sets aside is not judged (its whole row, or the fields it disputes).
"""
from __future__ import annotations

import re
from decimal import Decimal

from casekit.quotes.normalise import normalise
from casekit.quotes.numbers import numbers
from casekit.quotes.phrases import found_phrases, opening_words
from casekit.quotes.units import counted_units, written_forms
from casekit.validation.rules._common import TIME_COLUMNS, as_decimal, days_per, in_days, row_id
from casekit.validation.rules.context import show

KIND = "time-words"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["stated_basis", "implied_basis", "narrative_basis", "relative_basis"],
    "properties": {
        "stated_basis": {"type": "string"},
        "implied_basis": {"type": "string"},
        "narrative_basis": {"type": "string"},
        "relative_basis": {"type": "string"},
        "definition_purposes": {"type": "array", "items": {"type": "string"}},
        "origin_day": {"type": "number"},
        "timeless_bases": {"type": "array", "items": {"type": "string"}},
        "closing_phrases": {"type": "array", "items": {"type": "string"}},
        "open_start_words": {"type": "array", "items": {"type": "string"}},
        "open_end_words": {"type": "array", "items": {"type": "string"}},
    },
}
WORDS = ("quote", "timing_as_stated")
PHRASE_COLUMNS = ("phrase", "kind", "comparators", "earliest_day", "latest_day", "counting_convention")
COLUMNS = {
    "units": ("unit", "kind", "written_forms"),
    "time_phrases": PHRASE_COLUMNS,
    "relative_timings": ("relation_id", "subject_resource", "subject_id", "anchor_resource", "anchor_id",
                         "offset_unit", "offset_value"),
    **{resource: (*columns, "time_unit", "timing_basis", *(("purpose",) if resource == "drug_schedules" else ()))
       for resource, columns in TIME_COLUMNS.items()},
}
TEXTS = {resource: WORDS for resource in TIME_COLUMNS}
# The bounds of a row's time that the implied phrases and open ends speak of.
FIRST_POINT = {"drug_schedules": ("start_earliest", "start_latest")}
LAST_BOUND = {"drug_schedules": "end_latest"}


def phrases_of(context, kind: str) -> dict[str, dict]:
    """The time_phrases rows of one kind, by phrase."""
    return {row.get("phrase"): row for row in context.tables["time_phrases"] if row.get("kind") == kind}


def check(context):
    params = context.params
    # Each written form of a time unit made of letters ("days", "h"; "D#" read as "d"), lowercased.
    time_units = {form.rstrip("#").lower(): row.get("unit") for row in context.tables["units"]
                  if row.get("kind") == "time" for form in written_forms(row.get("written_forms"))
                  if form.rstrip("#").isalpha()}
    open_ends = tuple(phrases_of(context, "open_end"))
    closing = tuple(params.get("closing_phrases", ()))  # "from day 3 to day 5" is closed
    # The last word of each open-end phrase's first part: no emphasis or spacing splits one word, so
    # words without any of these say no open end and need no normalising ("than" of "more than").
    open_words = {part.split()[-1].lower() for part in (phrase.split(" ... ")[0] for phrase in open_ends)
                  if part.split()}
    # Whether lowered words hold any of them (as a substring, as `in` finds it): one search, not one per word.
    says_open_word = re.compile("|".join(map(re.escape, sorted(open_words)))).search if open_words else None
    # Every word of each open-end phrase's first part ("from day": "from" and "day"): plain words
    # (see open_end_test) holding all the words of none of them say no open end either.
    may_say_open = open_end_test(open_ends)
    implied_phrases = phrases_of(context, "implied_time")
    implied_keys = tuple(implied_phrases)
    set_aside = context.tables.set_aside()
    relations = [relation for relation in context.tables["relative_timings"]
                 if set_aside.get(("relative_timings", relation.get("relation_id")), ()) is not None]
    subjects = {(relation.get("subject_resource"), relation.get("subject_id")) for relation in relations}
    # "just prior to the discharge" is stored with the later row as subject: an anchor is timed by it too.
    related = subjects | {(relation.get("anchor_resource"), relation.get("anchor_id")) for relation in relations}
    definitions = set(params.get("definition_purposes", ()))

    relative, stated = params["relative_basis"], params["stated_basis"]
    timeless = set(params.get("timeless_bases", ()))
    for resource, columns in TIME_COLUMNS.items():
        first_point = FIRST_POINT.get(resource, ("time_earliest", "time_latest"))
        last_bound = LAST_BOUND.get(resource, "time_latest")
        key = context.tables.keys.get(resource)
        no_time = (None,) * len(columns)  # a row holding no time bound
        needed = []  # rows whose words the checks below read: they hold a time the words may contradict
        rows = context.rows(resource)
        context.checked(len(rows))  # each row's basis is judged; its times against its words where it holds one
        for row in rows:
            basis = row.get("timing_basis")
            if basis == relative and (resource, row.get(key)) not in related \
                    and set_aside.get((resource, row.get(key)), ()) is not None:
                yield context.finding(
                    f"{row_id(resource, row)}: timing_basis is {basis}, but no relative timing relates this row "
                    f"to another", resource=resource, row=row, field="timing_basis",
                    expected="a relative timing naming this row", observed="none")
            if basis in timeless:
                bounds = [column for column in columns if row.get(column) is not None]
                if bounds and set_aside.get((resource, row.get(key)), ()) is not None:
                    yield context.finding(
                        f"{row_id(resource, row)}: timing_basis is {basis}, which holds no time, but "
                        f"{bounds[0]} is {show(row.get(bounds[0]))}", resource=resource, row=row,
                        field=bounds[0], expected="empty", observed=show(row.get(bounds[0])))
                continue
            if row.get(last_bound) is not None or (basis != stated and tuple(map(row.get, columns)) != no_time):
                needed.append(row)
        yield from _half_open(context, resource, rows, stated, open_ends, set_aside, key)
        for row, words in context.tables.texts(resource, needed, WORDS):
            basis = row.get("timing_basis")
            if basis == stated:
                raw = f"{words[0]}\n{words[1]}"
                # (may_say_open first: it rules out most plain words, which then need no other test)
                if not may_say_open(raw) or says_open_word is None or says_open_word(raw.lower()) is None:
                    continue  # a stated row's words matter here only for an open end, and they say none
            name = row_id(resource, row)
            disputed = set_aside.get((resource, name), ())
            if disputed is None:
                continue
            held = {column: value for column, value in zip(columns, map(row.get, columns))
                    if value is not None and column not in disputed}
            parts = [str(part) for part in words if part]
            if not parts or not held:
                continue
            text = "\n".join(map(normalise, parts))
            placed = (resource, name) in subjects
            # A stated time's unit must be written in its words: quote-agreement's to report.
            if basis != stated and row.get("time_unit") and "time_unit" not in disputed:
                yield from _unit_agrees(context, resource, row, "time_unit", text, time_units)
            # The row's own words about its time are its timing_as_stated; without them, its quote,
            # unless relative timings place it (a narrative quote may name the days of the rows around it).
            own = [str(words[1])] if words[1] else ([] if placed else parts)
            if own and basis in (params["implied_basis"], params["narrative_basis"]):
                said = {number.value for part in own for number in numbers(part)}
                if all(as_decimal(value) in said for value in held.values()):
                    yield context.finding(
                        f"{name}: its words {_shown(parts)} state every time it holds "
                        f"({', '.join(show(value) for value in held.values())}), so its timing_basis is "
                        f"{stated}, not {basis}", resource=resource, row=row, field="timing_basis",
                        expected=stated, observed=basis)
            if last_bound in held and open_ends:
                said_open = found_phrases(open_ends, text, normalised=True)
                if said_open and not found_phrases(closing, text, normalised=True):
                    yield context.finding(
                        f"{name}: its words say \"{sorted(said_open)[0]}\", which leaves the end open, but "
                        f"{last_bound} is {show(held[last_bound])}",
                        resource=resource, row=row, field=last_bound, expected="empty",
                        observed=show(held[last_bound]))
            if basis == params["implied_basis"] and resource == "drug_schedules" and row.get("purpose") in definitions:
                yield from _defines_day(context, resource, row, name, params.get("origin_day", 0))
            elif basis == params["implied_basis"] and not placed:
                yield from _implied(context, resource, row, name, parts, text, first_point, implied_phrases,
                                    implied_keys, own_words=str(words[1] or words[0] or ""))


# What normalising may drop from between two letters: LaTeX ($), tags (<), emphasis (* _), a power's ^ and
# zero-width characters (casekit.quotes.normalise). Elsewhere it only respaces, unifies dashes and the micro
# sign, and drops an "x" between a number and 10, so each run of ASCII letters of the normalised words is
# one of the words as written.
_MAY_JOIN_LETTERS = re.compile("[$<*_^\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def open_end_test(open_ends: tuple):
    """A test of unnormalised words, False only where found_phrases cannot find an open-end phrase in their
    normalised form: the words are plain (see _MAY_JOIN_LETTERS) and hold, for no phrase, every word (of
    letters) of its first part. A phrase whose first part holds another's words needs no test of its own."""
    openings = set(map(frozenset, map(opening_words, open_ends)))
    if not all(word.isascii() and word.isalpha() for words in openings for word in words) \
            or frozenset() in openings:
        return lambda raw: True  # (a word of other characters is one only the normalised form may hold)
    openings = {words for words in openings if not any(other < words for other in openings)}
    single = sorted(next(iter(words)) for words in openings if len(words) == 1)
    says_single = re.compile("|".join(map(re.escape, single))).search if single else None
    several = [tuple(words) for words in openings if len(words) > 1]

    def may_say_open(raw: str) -> bool:
        if _MAY_JOIN_LETTERS.search(raw) is not None:
            return True
        lowered = raw.lower()
        if says_single is not None and says_single(lowered) is not None:
            return True
        holds = lowered.__contains__
        return any(all(map(holds, words)) for words in several)
    return may_say_open


def _half_open(context, resource, rows, stated, open_ends, set_aside, key):
    """A stated point with one bound and the other empty ("on day 3" stored as day 3 or later) needs words that
    leave that side open: params.open_start_words ("by day +14", "before") for an empty earliest bound,
    params.open_end_words or an open_end phrase ("after", "onward", "thereafter") for an empty latest one.
    Without them a bound dropped from a stated day passed: the day held on one side is still in the words."""
    opening = {"earliest": tuple(context.params.get("open_start_words", ())),
               "latest": (*context.params.get("open_end_words", ()), *open_ends)}
    if not opening["earliest"] and not opening["latest"]:
        return
    columns = TIME_COLUMNS[resource]
    pairs = list(zip(columns[::2], columns[1::2]))
    half_open = []
    for row in rows:
        if row.get("timing_basis") != stated:
            continue
        values = tuple(map(row.get, columns))
        if None not in values or values.count(None) == len(values):
            continue  # every bound held, or none: no pair with one bound held and the other empty
        disputed = set_aside.get((resource, row.get(key)), ())
        if disputed is None:
            continue
        empty = [(empty, held, side) for earliest, latest in pairs
                 for empty, held, side in ((earliest, latest, "earliest"), (latest, earliest, "latest"))
                 if row.get(empty) is None and row.get(held) is not None and not {empty, held} & set(disputed)]
        if empty:
            half_open.append((row, empty))
    if not half_open:
        return
    by_id = {id(row): empty for row, empty in half_open}
    for row, words in context.tables.texts(resource, [row for row, _ in half_open], WORDS):
        text = "\n".join(normalise(str(part)) for part in words if part)
        for empty, held, side in by_id[id(row)]:
            if opening[side] and not found_phrases(opening[side], text, normalised=True):
                yield context.finding(
                    f"{row_id(resource, row)}: {held} is {show(row.get(held))} but {empty} is empty, an open "
                    f"{'start' if side == 'earliest' else 'end'}, and its words {_shown([str(part) for part in words if part])} "
                    f"say nothing that leaves it open ({', '.join(opening[side][:4])} ...)",
                    resource=resource, row=row, field=empty, expected=show(row.get(held)), observed="empty")
                break


def _unit_agrees(context, resource, row, column, text, time_units):
    unit = row.get(column)
    written = sorted(counted_units(text, time_units)) if time_units else []
    if written and unit not in written:
        yield context.finding(
            f"{row_id(resource, row)}: {column} is {unit}, but its words \"{text}\" write the time in "
            f"{' or '.join(written)}", resource=resource, row=row, field=column,
            expected=" or ".join(written), observed=unit)


def _implied(context, resource, row, name, parts, text, first_point, implied_phrases, implied_keys, own_words=""):
    said = found_phrases(implied_keys, text, normalised=True)
    if not said:
        yield context.finding(
            f"{name}: its time is implied, but its words {_shown(parts)} hold no phrase of time_phrases "
            f"whose meaning places it, and no relative timing places it",
            resource=resource, row=row, field="timing_basis",
            expected="an implied_time phrase or a relative timing", observed=row.get("timing_basis"))
        return
    unit = row.get("time_unit")
    if days_per(unit) is None:
        return  # not a unit of time (vocabulary-kind's to report); min or Ms convert like days
    low, high = (in_days(as_decimal(row.get(column)), unit) for column in first_point)
    if low is not None and all(implied_phrases[phrase].get("earliest_day") is None for phrase in said) \
            and not numbers(own_words):
        yield context.finding(
            f"{name}: its words ({', '.join(sorted(said))}) leave the earliest day open, but "
            f"{first_point[0]} is {_bound(row.get(first_point[0]))}", resource=resource, row=row,
            field=first_point[0], expected="empty", observed=_bound(row.get(first_point[0])))
    for phrase in sorted(said):
        meaning = implied_phrases[phrase]
        earliest, latest = as_decimal(meaning.get("earliest_day")), as_decimal(meaning.get("latest_day"))
        window = f"\"{phrase}\" means days {_bound(earliest)} to {_bound(latest)}"
        if earliest is not None and (low is None or low < earliest):
            yield context.finding(f"{name}: {window}, but {first_point[0]} is {_bound(low)}",
                                  resource=resource, row=row, field=first_point[0],
                                  expected=f">= {show(earliest)}", observed=_bound(row.get(first_point[0])))
        if latest is not None and (high is None or high > latest):
            yield context.finding(f"{name}: {window}, but {first_point[1]} is {_bound(high)}",
                                  resource=resource, row=row, field=first_point[1],
                                  expected=f"<= {show(latest)}", observed=_bound(row.get(first_point[1])))


def _defines_day(context, resource, row, name, day):
    """The infusion that defines the day numbering lies on that day (start and end)."""
    for column in (*FIRST_POINT.get(resource, ()), "end_earliest", "end_latest"):
        value = as_decimal(row.get(column))
        if value is not None and (row.get("time_unit") != "d" or value != day):
            yield context.finding(
                f"{name}: the infusion defines day {show(as_decimal(day))}, but {column} is {show(value)} "
                f"{row.get('time_unit')}", resource=resource, row=row, field=column,
                expected=show(as_decimal(day)), observed=show(value))


def _bound(value) -> str:
    return "?" if value is None else show(value if not isinstance(value, float) else Decimal(str(value)))


def _shown(parts: list[str]) -> str:
    return " / ".join(f'"{part}"' for part in parts)
