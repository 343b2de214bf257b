"""Which named thing of a sentence a qualifying phrase belongs to: "high dose corticosteroids, siltuximab".

A dose written in words ("high dose", "increasing doses of", "tapering") qualifies the drug named
right after it in its clause, or, with none after it, the one named last before it. Two drugs of one
sentence then keep their own words: the "high dose" of the corticosteroids is not the siltuximab's.
The names are found by one compiled pattern of every name's forms, built once per vocabulary.
"""
from __future__ import annotations

import re

from casekit.quotes.code_forms import code_pattern

__all__ = ["Owners"]

_CLAUSE_END = re.compile(r"[;.…]")  # a comma lists names of one clause; these end it


class Owners:
    """The names (codes with their written forms) a phrase may belong to."""

    def __init__(self, forms_by_code: dict):
        self._code = {}
        for code, forms in forms_by_code.items():
            for form in forms.forms:
                self._code.setdefault(form.lower(), code)
        self._pattern = code_pattern(tuple(form for forms in forms_by_code.values() for form in forms.forms))

    def owner(self, text: str, start: int, end: int):
        """The code of the name that the words text[start:end] qualify, or None when the clause names none."""
        if self._pattern is None:
            return None
        clause_start = max((match.end() for match in _CLAUSE_END.finditer(text, 0, start)), default=0)
        after = _CLAUSE_END.search(text, end)
        clause_end = after.start() if after else len(text)
        following = self._pattern.search(text, end, clause_end)
        if following is not None:
            return self._code.get(following.group(0).lower())
        before = [match for match in self._pattern.finditer(text, clause_start, start)]
        return self._code.get(before[-1].group(0).lower()) if before else None

    def owners(self, text: str, pattern: re.Pattern | None) -> list[tuple[str, object]]:
        """(words, the code they qualify) for each match of pattern in text."""
        if pattern is None:
            return []
        return [(match.group(0), self.owner(text, match.start(), match.end())) for match in pattern.finditer(text)]
