"""The passage a locator names, and whether a quote's fragments occur in it.

The article text is split into blocks at blank lines, and also at a single line break after a
line that ends a sentence (closing punctuation), after a heading, or before a heading or a
list item: so paragraphs separated by single line breaks are blocks of their own, while a line
wrapped inside a sentence stays in its block. A locator's passage starts at the
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


_HEADING = re.compile(r"^#+\s*")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s")
# What a block's text loses: a heading's "#" marks, or a bullet list item's bullet.
_MARK = re.compile(r"^(?:#+\s*|[-*+]\s+)")


def blocks(article: str) -> list[str]:
    """The article's blocks (paragraphs, legends, headings), normalised, empty ones left out."""
    return [text for text, _ in marked_blocks(article)]


def marked_blocks(article: str) -> list[tuple[str, bool]]:
    """The article's blocks, normalised, each with whether it is a heading ("#" marks removed)."""
    found = []
    for chunk in re.split(r"\n\s*\n", article):
        lines: list[str] = []
        for line in chunk.split("\n"):
            line = line.strip()
            if not line:
                continue
            if lines and _starts_a_block(lines[-1], line):
                found.append(_block(lines))
                lines = []
            lines.append(line)
        if lines:
            found.append(_block(lines))
    return [block for block in found if block[0]]


def _starts_a_block(previous: str, line: str) -> bool:
    if _HEADING.match(previous) or _HEADING.match(line) or _LIST_ITEM.match(line):
        return True
    return bool(_CLOSED.search(normalise(previous)))


def _block(lines: list[str]) -> tuple[str, bool]:
    heading = bool(_HEADING.match(lines[0]))
    return normalise(_MARK.sub("", " ".join(lines))), heading


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
    return " ".join(article_blocks[i] for i in continuation_indexes(article_blocks, index))


def continuation_indexes(article_blocks: list[str], index: int, taken=frozenset()) -> list[int]:
    """The block at index and the blocks that continue it (a block ending without closing
    punctuation continues at the next block that starts in lower case), in order."""
    chain = [index]
    for _ in range(_MAX_CONTINUATIONS):
        if _CLOSED.search(article_blocks[chain[-1]]):
            break
        following = next((i for i in range(chain[-1] + 1, len(article_blocks))
                          if article_blocks[i][:1].islower() and i not in taken), None)
        if following is None:
            break
        chain.append(following)
    return chain


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


def fragment_spans(quote: str, text: str) -> list[tuple[int, int]] | None:
    """Where each fragment of quote lies in text, found in order as missing_fragment finds them;
    None if one is missing."""
    spans, position = [], 0
    for fragment in fragments(quote):
        found = text.find(fragment, position)
        if found < 0:
            return None
        position = found + len(fragment)
        spans.append((found, position))
    return spans


def _in_number(text: str, at: int) -> bool:
    """Whether position `at` of text is a digit, or a decimal point or thousands comma between digits."""
    if not 0 <= at < len(text):
        return False
    if text[at].isdigit():
        return True
    return text[at] in ".," and 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit()


def split_number(spans: list[tuple[int, int]], text: str) -> str | None:
    """The words of text around the first fragment edge that cuts a number in two ("19 ... .5"), else None."""
    for start, end in spans:
        for edge in (start, end):
            if _in_number(text, edge - 1) and _in_number(text, edge):
                return text[max(0, edge - 20):edge + 20]
    return None
