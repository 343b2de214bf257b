"""Whether a unit is written in a phrase, by the written forms the units vocabulary gives it.

units.written_forms lists the ways articles write a unit, separated by `|` (for example
`mg/day|mg/d`). A form counts when it occurs in the normalised phrase as a whole: after a
start, space, digit or opening bracket, and not followed by a letter, digit, "/" or "^"
(so "mg" is not found inside "mg/kg", nor "day" inside "days"); a number hyphenated to its unit
counts too ("22-year-old", "a 3-month interval"). Forms made only of letters (day, months) match
in any case; forms with symbols (mg/L, μg/L) match exactly. A form ending in `#` is a prefix
written straight before a number, in its own case: `D#` finds the "D11" of "post-infusion day 8 (D8) ... D11".
"""
from __future__ import annotations

import functools
import re

from casekit.quotes.normalise import normalise


def written_forms(cell) -> list[str]:
    """The forms of one units.written_forms cell, normalised; [] when the cell is empty."""
    if not cell:
        return []
    text = str(cell)
    return list(_cell_forms(text) if len(text) <= _REMEMBERED_CHARACTERS else _cell_forms.__wrapped__(text))


_REMEMBERED_CHARACTERS = 1024  # a vocabulary cell is a few forms; a longer one is read, not remembered


@functools.lru_cache(maxsize=8192)  # rules read the same vocabulary cells on every run
def _cell_forms(cell: str) -> tuple[str, ...]:
    return tuple(form for form in (normalise(part) for part in cell.split("|")) if form)


_BEFORE = r"(?:^|(?<=[\s\d(\[<>~≤≥=,;])|(?<=\d-))"


@functools.lru_cache(maxsize=1024)  # a vocabulary has a few dozen forms, searched for in every row
def form_pattern(form: str) -> re.Pattern:
    # Each pattern opens by looking ahead for the form itself: the match is the same, and the
    # search skips straight to where the form occurs instead of testing what precedes each position.
    if form.endswith("#") and len(form) > 1:
        prefix = re.escape(form[:-1])
        return re.compile(f"(?={prefix})" + r"(?:^|(?<![\w.]))" + prefix + r"(?=\d)")
    flags = re.IGNORECASE if form.replace(" ", "").isalpha() else 0
    written = re.escape(form)
    return re.compile(f"(?={written})" + _BEFORE + written + r"(?![\w/^])", flags)


@functools.lru_cache(maxsize=256)
def forms_pattern(forms: tuple[str, ...]) -> re.Pattern | None:
    """One pattern that finds wherever form_pattern finds any of `forms` (None for no forms): one
    search instead of one per form. It opens by looking ahead for a first character of a form."""
    if not forms:
        return None
    bodies = []
    for form in forms:
        pattern = form_pattern(form)
        bodies.append(f"(?i:{pattern.pattern})" if pattern.flags & re.IGNORECASE else pattern.pattern)
    first = "".join(sorted({re.escape(form[0]) for form in forms}))
    return re.compile(f"(?=(?i:[{first}]))(?:" + "|".join(bodies) + ")")


def is_written(forms: list[str], text: str) -> bool:
    """Whether any of the (normalised) forms occurs in text as a whole unit."""
    text = normalise(text)
    return any(form_pattern(form).search(text) for form in forms)



_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_WORD_AFTER = re.compile(r"[ -]?([^\W\d_]+)(?![\w/^])")
_WORD_BEFORE = re.compile(r"(?<![\w/])([^\W\d_]+) ?-?$")
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_ANY_NUMBER_WORD = re.compile("|".join(NUMBER_WORDS))
_WORD_NUMBER = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")[ -]([^\W\d_]+)(?![\w/^])")


def counted_units(text: str, units_by_form: dict[str, str]) -> set[str]:
    """The units whose written forms (`units_by_form`: lowercased form of letters -> unit) `text` writes
    next to a number, as a time is counted: after it ("48h", "2 years", "a 3-month interval", "two
    weeks") or before it ("day 3", "days 3-4", "D11"). A form alone (the "h" of a marker) counts no time.
    Looked for around each run of digits, so text without digits or number words costs one scan."""
    found = set()
    lowered = text.lower()
    for match in _DIGITS.finditer(lowered):
        after = _WORD_AFTER.match(lowered, match.end())
        if after and after.group(1) in units_by_form:
            found.add(units_by_form[after.group(1)])
        before = _WORD_BEFORE.search(lowered, max(0, match.start() - 12), match.start())
        if before and before.group(1) in units_by_form:
            found.add(units_by_form[before.group(1)])
    if _ANY_NUMBER_WORD.search(lowered):
        for match in _WORD_NUMBER.finditer(lowered):
            if match.group(1) in units_by_form:
                found.add(units_by_form[match.group(1)])
    return found
