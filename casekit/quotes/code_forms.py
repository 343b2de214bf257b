"""Whether a code is written in a phrase, by the written forms its vocabulary gives it.

A vocabulary's `written_forms` cell lists the ways articles write one code, separated by `|`
(drugs: `G-CSF|granulocyte colony-stimulating factor`; routes: `via a nasogastric tube|nasogastric`;
frequencies: `q6h|every 6 hours`), the format of units.written_forms. A form counts where it stands
as whole words: not inside a longer word ("intubation" is not found in "extubation"), while a form
that begins or ends with a symbol is bounded only on its word side ("/day" is found in "100mg/day").
A form with at most one capital letter matches in any case ("Ferritin", "ferritin"); a form with
more capitals is an abbreviation and matches only as written ("ICU", "CRS", "IL-6", "AC"), so a
lower-case word of the same letters is not mistaken for it.

All the forms of one code make one pattern, compiled once per run and searched once per phrase.
"""
from __future__ import annotations

import functools
import re

from casekit.quotes.normalise import normalise
from casekit.quotes.units import written_forms

__all__ = ["code_pattern", "written_forms", "found_in", "first_match"]


def _body(form: str) -> str:
    written = re.escape(form)
    before = r"(?<!\w)" if form[0].isalnum() else ""
    after = r"(?!\w)" if form[-1].isalnum() else ""
    body = before + written + after
    return f"(?i:{body})" if sum(character.isupper() for character in form) <= 1 else body


@functools.lru_cache(maxsize=4096)  # one entry per code of a run's vocabularies
def code_pattern(forms: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for all the (normalised) forms of a code, longest first; None for no forms."""
    if not forms:
        return None
    ordered = sorted(set(forms), key=len, reverse=True)
    # A lookahead for a first character of some form lets the search skip to where one can start.
    first = "".join(sorted({re.escape(character) for form in ordered
                            for character in {form[0].lower(), form[0].upper()}}))
    return re.compile(f"(?=[{first}])(?:" + "|".join(map(_body, ordered)) + ")")


def found_in(pattern: re.Pattern, parts) -> bool:
    """Whether the pattern occurs in one of the phrases, as written or after normalisation.

    The phrases as written are searched first: a form found there is found (normalisation
    never splits a word), and most rows need nothing more."""
    for part in parts:
        if pattern.search(part):
            return True
    return any(pattern.search(normalise(part)) for part in parts)


def first_match(pattern: re.Pattern, parts) -> str | None:
    """The words of the first occurrence of the pattern in the normalised phrases, else None."""
    for part in parts:
        match = pattern.search(normalise(part))
        if match:
            return match.group(0)
    return None
