"""Which phrases of a vocabulary (time_phrases.phrase, a drug's name, an event type's label) a text says.

A phrase is found as whole words, in any case, in the normalised text; " ... " inside a phrase
stands for a few words between its parts ("from ... on" finds "from day 30 on"). All phrases of
one vocabulary are searched with one pattern, compiled once per distinct vocabulary.
"""
from __future__ import annotations

import functools
import re

from casekit.quotes.normalise import normalise

GAP = " ... "
_GAP_PATTERN = r"\b[^.;]{1,60}?\b"  # a few words, not past the end of a sentence


def _body(phrase: str) -> str:
    parts = [part.strip() for part in normalise(phrase).split(GAP.strip()) if part.strip()]
    return _GAP_PATTERN.join(r"(?<![\w-])" + re.escape(part).replace(r"\ ", " ") + r"(?![\w-])" for part in parts)


@functools.lru_cache(maxsize=64)
def phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """One pattern finding any of `phrases` (its groups named p0, p1, ... in their order); None for none."""
    usable = [phrase for phrase in phrases if phrase and phrase.strip()]
    if not usable:
        return None
    return re.compile("|".join(f"(?P<p{index}>{_body(phrase)})" for index, phrase in enumerate(phrases)
                               if phrase and phrase.strip()), re.IGNORECASE)


def found_phrases(phrases: tuple[str, ...], text: str) -> set[str]:
    """The phrases of `phrases` that `text` says (overlapping ones too: each phrase is looked for by itself
    where the joint pattern shows it may occur)."""
    pattern = phrases_pattern(phrases)
    if pattern is None or not text:
        return set()
    normal = normalise(text)
    if pattern.search(normal) is None:
        return set()
    found = set()
    for phrase in phrases:
        single = phrases_pattern((phrase,))
        if single is not None and single.search(normal):
            found.add(phrase)
    return found
