"""Whether a code is written in a phrase, by the written forms its vocabulary gives it.

A vocabulary's `written_forms` cell lists the ways articles write one code, separated by `|`
(drugs: `G-CSF|granulocyte colony-stimulating factor`; routes: `via a nasogastric tube|nasogastric`;
frequencies: `q6h|every 6 hours`), the format of units.written_forms. A form counts where it stands
as whole words: not inside a longer word ("intubation" is not found in "extubation"), while a form
that begins or ends with a symbol is bounded only on its word side ("/day" is found in "100mg/day").
A form with at most one capital letter matches in any case ("Ferritin", "ferritin"); a form with
more capitals is an abbreviation and matches only as written ("ICU", "CRS", "IL-6", "AC"), so a
lower-case word of the same letters is not mistaken for it, and it is not found as the end of a
longer hyphenated abbreviation (the "CSF" of "GM-CSF" is no cerebrospinal fluid).

The forms of a code are looked for with str.find in the lower-cased phrase, each occurrence then
checked for its word boundaries and, for an abbreviation, its case: a few hundred nanoseconds a
phrase, where a regular expression would take microseconds. code_pattern() gives the same
matches as one compiled pattern, for the rarer searches that need one (taking words out).
"""
from __future__ import annotations

import functools
import re
from itertools import compress

from casekit.quotes.normalise import normalise
from casekit.quotes.units import written_forms

__all__ = ["CodeForms", "code_pattern", "written_forms"]


def _is_abbreviation(form: str) -> bool:
    return sum(character.isupper() for character in form) > 1


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def _ends_compound(text: str, start: int) -> bool:
    """Whether the abbreviation at start ends a hyphenated one: the "CSF" of "GM-CSF" or "G-CSF" is
    not the abbreviation CSF (an ASCII capital or digit, then a hyphen, just before it: the pattern's
    [A-Z0-9], so "É-ICU" is found by both searches)."""
    return start >= 2 and text[start - 1] == "-" and text[start - 2] in _CAPITALS_AND_DIGITS


_CAPITALS_AND_DIGITS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class CodeForms:
    """The (normalised) written forms of one code, searched for as this module says."""

    __slots__ = ("forms", "_checks", "_lows", "_pattern")

    def __init__(self, forms):
        self.forms = tuple(forms)
        self._checks, self._lows = _checks_of(self.forms)
        self._pattern = None

    def __bool__(self):
        return bool(self.forms)

    def find(self, text: str, lowered: str | None = None) -> str | None:
        """The words of the first form found in text (as given: normalise it first if need be), else None.
        `lowered` is text.lower(), when the caller has it already."""
        if lowered is None:
            lowered = text.lower()
        if len(lowered) != len(text):  # lower-casing changed the length (a rare letter): use the pattern
            if self._pattern is None:
                self._pattern = code_pattern(self.forms)
            match = self._pattern.search(text) if self._pattern is not None else None
            return match.group(0) if match else None
        size = len(text)
        # Only the forms the lower-cased text holds somewhere are checked (compress filters in C);
        # a code with one form needs no filter.
        checks = self._checks if len(self._checks) == 1 else compress(self._checks, map(lowered.__contains__, self._lows))
        for low, exact, bounded_before, bounded_after in checks:
            start = lowered.find(low)
            while start >= 0:
                end = start + len(low)
                if bounded_before and start:
                    character = text[start - 1]
                    if character.isalnum() or character == "_" or (exact is not None and _ends_compound(text, start)):
                        start = lowered.find(low, start + 1)
                        continue
                if bounded_after and end < size:
                    character = text[end]
                    if character.isalnum() or character == "_":
                        start = lowered.find(low, start + 1)
                        continue
                if exact is None or text[start:end] == exact:
                    return text[start:end]
                start = lowered.find(low, start + 1)
        return None

    def in_text(self, text: str, lowered: str) -> bool:
        """Whether a form occurs in text as written (lowered is text.lower()): the quick test."""
        return self.find(text, lowered) is not None

    def found_in(self, parts) -> bool:
        """Whether a form occurs in one of the phrases as written, or else after normalisation (only
        a phrase that normalisation may change is searched again)."""
        if not self.forms:
            return False
        for part in parts:
            if self.in_text(part, part.lower()):
                return True
        for part in parts:
            if _may_normalise(part):
                normal = normalise(part)
                if normal != part and self.find(normal) is not None:
                    return True
        return False


# Rules build the forms of every vocabulary code on each run, from the same few hundred cells: what a tuple
# of forms searches with is read once per process (immutable: text, None and booleans).
@functools.lru_cache(maxsize=8192)
def _checks_of(forms: tuple[str, ...]) -> tuple[tuple, tuple]:
    checks = tuple((form.lower(), form if _is_abbreviation(form) else None, _is_word(form[0]), _is_word(form[-1]))
                   for form in sorted(set(forms), key=len, reverse=True))
    return checks, tuple(check[0] for check in checks)


_NORMALISED = ("  ", "*", "_", "<", "$", " /", "/ ", "( ", " )")


def _may_normalise(part: str) -> bool:
    """Whether normalise() can change the words of part: it leaves printable ASCII text without
    markup, double spaces or spaces beside brackets and slashes as it is (but for the spacing
    of a power of ten, which no written form spans)."""
    return not part.isascii() or not part.isprintable() or any(map(part.__contains__, _NORMALISED))


def _body(form: str) -> str:
    written = re.escape(form)
    before = r"(?<!\w)" if form[0].isalnum() else ""
    after = r"(?!\w)" if form[-1].isalnum() else ""
    if not _is_abbreviation(form):
        return f"(?i:{before + written + after})"
    compound = r"(?<![A-Z0-9]-)" if form[0].isalnum() else ""  # as _ends_compound
    return before + compound + written + after


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
