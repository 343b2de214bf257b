"""The passage a locator names, and whether a quote's fragments occur in it.

The article text is split into blocks at blank lines. A locator's passage starts at the
block whose normalised text begins with the locator's opening words; a figure legend is a
block beginning with its figure label ("Figure 1"), and its opening words are the words after
the label. Headings lose their "#" marks, and a list (a reference list) its first bullet, so
its opening words are those of its first item. A paragraph broken by a page or a figure (its block
ends without closing punctuation) continues at the next block that starts in lower case.
"""
from __future__ import annotations

import re

from casekit.quotes.normalise import normalise

FRAGMENT_SEPARATOR = " ... "
_LABEL = re.compile(r"^(?:figure|fig\.?|table)\s+(\d+)[.:]?\s*", re.IGNORECASE)
_CLOSED = re.compile(r"[.!?:)\]](?:\^[\d,\-]+)?$")
_MAX_CONTINUATIONS = 5


def blocks(article: str) -> list[str]:
    """The article's blocks (paragraphs, legends, headings), normalised, empty ones left out."""
    found = []
    for block in re.split(r"\n\s*\n", article):
        text = normalise(re.sub(r"^(?:#+\s*|[-*+]\s+)", "", block.strip()))
        if text:
            found.append(text)
    return found


def passage(article_blocks: list[str], opening_words: str, figure=None) -> str | None:
    """The passage that begins with opening_words (in the given figure's legend, if figure); None if absent."""
    opening = normalise(opening_words or "")
    if not opening:
        return None
    for index, block in enumerate(article_blocks):
        label = _LABEL.match(block)
        body = block[label.end():] if label else block
        if figure not in (None, "") and (label is None or label.group(1) != str(figure)):
            continue
        if body.startswith(opening) or block.startswith(opening):
            return _with_continuations(article_blocks, index)
    return None


def _with_continuations(article_blocks: list[str], index: int) -> str:
    parts = [article_blocks[index]]
    position = index
    for _ in range(_MAX_CONTINUATIONS):
        if _CLOSED.search(parts[-1]):
            break
        following = next((i for i in range(position + 1, len(article_blocks))
                          if article_blocks[i][:1].islower()), None)
        if following is None:
            break
        parts.append(article_blocks[following])
        position = following
    return " ".join(parts)


def fragments(quote: str) -> list[str]:
    """A quote's fragments (joined by " ... " in the data), normalised."""
    return [normalise(part) for part in str(quote).split(FRAGMENT_SEPARATOR) if normalise(part)]


def missing_fragment(quote: str, text: str) -> str | None:
    """The first fragment of quote not found in text after the previous one, or None if all are there in order."""
    position = 0
    for fragment in fragments(quote):
        found = text.find(fragment, position)
        if found < 0:
            return fragment
        position = found + len(fragment)
    return None
