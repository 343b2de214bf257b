"""Which phrases of a vocabulary (time_phrases.phrase, a drug's name, an event type's label) a text says.

A phrase is found as whole words, in any case, in the normalised text; " ... " inside a phrase
stands for a few words between its parts ("from ... on" finds "from day 30 on", but not the "from ...
on" of "died from multiorgan failure on day +36", where a time follows its last part). Patterns are
compiled once per phrase (or list of names) and run only where the phrase's first words occur.
"""
from __future__ import annotations

import functools
import re

from casekit.quotes.normalise import normalise

GAP = " ... "
_GAP_PATTERN = r"\b[^.;]{1,60}?\b"  # a few words, not past the end of a sentence


# A phrase with a gap ends on its last part only where no time of its own begins there: the "on" of
# "from day 30 on" ends the phrase, the "on" of "died from multiorgan failure on day +36" opens a time.
_NO_TIME_AFTER = r"(?!\s+(?:[^\W\d]+\s+)?[^\s\d]{0,3}\d)"  # "on day +36", "on D36", "on 5 May"


def _body(phrase: str) -> str:
    parts = [part.strip() for part in normalise(phrase).split(GAP.strip()) if part.strip()]
    body = _GAP_PATTERN.join(r"(?<![\w-])" + re.escape(part).replace(r"\ ", " ") + r"(?![\w-])" for part in parts)
    return body + _NO_TIME_AFTER if len(parts) > 1 else body


@functools.lru_cache(maxsize=1024)
def phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """One pattern finding any of `phrases` (its groups named p0, p1, ... in their order); None for none."""
    bodies = [f"(?P<p{index}>{_body(phrase)})" for index, phrase in enumerate(phrases)
              if phrase and _body(phrase)]  # a phrase of no words ("...") finds nothing
    return re.compile("|".join(bodies), re.IGNORECASE) if bodies else None


def found_phrases(phrases: tuple[str, ...], text: str, normalised: bool = False) -> set[str]:
    """The phrases of `phrases` that `text` says, overlapping ones too (each phrase is looked for by itself,
    and only where its first words occur). `normalised`: the text is normalised already."""
    if not phrases or not text:
        return set()
    normal = text if normalised else normalise(text)
    lowered = normal.lower()
    # The first words of a phrase are found by a plain search first: most texts hold none of them.
    return {phrase for opening, search, phrase in _searches(phrases)
            if opening in lowered and search(normal) is not None}


@functools.lru_cache(maxsize=1024)
def _searches(phrases: tuple[str, ...]) -> tuple:
    """(first words, search of the phrase's own pattern, phrase) of each phrase that has words: worked out once
    per list of phrases, not once per phrase of every text (a phrase of no words, "...", finds nothing)."""
    found = []
    for phrase in phrases:
        opening, single = _opening(phrase), phrases_pattern((phrase,))
        if single is not None:
            found.append((opening, single.search, phrase))
    return tuple(found)


def opening_words(phrase: str) -> tuple[str, ...]:
    """The words (lowercased) of the first part of a phrase, every one of which a text that says it holds."""
    return tuple(_opening(phrase).split())


@functools.lru_cache(maxsize=1024)
def _opening(phrase: str) -> str:
    return normalise(phrase).split(GAP.strip())[0].strip().lower()
