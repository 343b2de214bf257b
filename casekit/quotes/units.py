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
    return [form for form in (normalise(part) for part in str(cell).split("|")) if form]


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
