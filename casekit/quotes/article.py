"""An article's passages in reading order, what kind each is, and how its paragraphs are counted.

A passage is a block (casekit.quotes.passages) with the blocks that continue it. Kinds:
- heading: a block that began with "#" marks;
- legend: a block that begins with a figure or table label ("Figure 1");
- insert: anything a paragraph broken by a page or a figure skips before its continuation
  (a block that ends on a comma or a lower-case word is broken, and continues at the next
  block that starts in lower case)
  (copyright lines, affiliations, an address): page layout, not a paragraph;
- paragraph: every other passage. Paragraphs are counted from 1 in reading order over the whole
  article (`ordinal`); a section's paragraph n is the section's n-th, so within one section
  ordinal - paragraph is the same for every locator.

A section runs from its first paragraph to the next heading or the first paragraph of another
section, whichever comes first.
"""
from __future__ import annotations

from typing import NamedTuple

from casekit.quotes.normalise import normalise
from casekit.quotes.passages import _LABEL, continuation_indexes, marked_blocks

PARAGRAPH, HEADING, LEGEND, INSERT = "paragraph", "heading", "legend", "insert"


class Passage(NamedTuple):
    index: int  # position among the article's passages
    kind: str
    text: str  # normalised, its continuations joined
    ordinal: int | None  # paragraphs only: 1 for the article's first paragraph
    figure: str | None  # legends only: the label's number


class Article:
    """One article text, split into passages."""

    def __init__(self, text: str):
        marked = marked_blocks(text)
        texts = [block for block, _ in marked]
        consumed: set[int] = set()
        insert_until = -1
        self.passages: list[Passage] = []
        ordinal = 0
        for index, (block, heading) in enumerate(marked):
            if index in consumed:
                continue
            label = _LABEL.match(block)
            broken = index > insert_until and _breaks_off(block, heading)  # page inserts take no continuation
            chain = continuation_indexes(texts, index, consumed) if broken else [index]
            consumed.update(chain[1:])
            if label:
                kind = LEGEND
            elif index < insert_until:
                kind = INSERT
            elif heading:
                kind = HEADING
            else:
                kind = PARAGRAPH
                ordinal += 1
                insert_until = max(insert_until, chain[-1])
            self.passages.append(Passage(len(self.passages), kind, " ".join(texts[i] for i in chain),
                                         ordinal if kind == PARAGRAPH else None,
                                         label.group(1) if label else None))
        self._starts = [_opening(passage) for passage in self.passages]

    def find(self, opening_words, figure=None) -> Passage | None:
        """The passage that begins with opening_words (in the given figure's legend, if figure); None if absent."""
        opening = normalise(str(opening_words or ""))
        if not opening:
            return None
        for passage, start in zip(self.passages, self._starts):
            if figure not in (None, "") and passage.figure != str(figure):
                continue
            if start.startswith(opening) or passage.text.startswith(opening):
                return passage
        return None

    def heading_before(self, passage: Passage) -> tuple[str, int] | None:
        """The nearest heading before passage (not one inside a page insert), with the ordinal of
        the first paragraph after it; None if no heading precedes it."""
        for earlier in reversed(self.passages[:passage.index]):
            if earlier.kind == HEADING:
                following = next((p.ordinal for p in self.passages[earlier.index:] if p.kind == PARAGRAPH), None)
                return earlier.text, following
        return None

    def legends(self) -> list[Passage]:
        return [passage for passage in self.passages if passage.kind == LEGEND]

    def section_paragraphs(self, first_ordinal: int, stops: set[int]) -> list[Passage]:
        """The paragraphs from the one counted first_ordinal up to the next heading or a paragraph in stops."""
        found = []
        for passage in self.passages:
            if passage.kind == HEADING and found:
                break
            if passage.kind != PARAGRAPH or passage.ordinal < first_ordinal:
                continue
            if found and passage.ordinal in stops:
                break
            found.append(passage)
        return found


def _breaks_off(block: str, heading: bool) -> bool:
    """Whether a block reads as a paragraph broken off mid-sentence: it ends on a comma or on a word
    of lower-case letters. Other unclosed lines (an affiliation ending on a place name, an e-mail
    address, a date) do not continue, so they cannot take a broken paragraph's continuation."""
    if heading or not block:
        return False
    last = block.split()[-1]
    return last.endswith(",") or (last.isalpha() and last.islower())


def _opening(passage: Passage) -> str:
    if passage.kind != LEGEND:
        return passage.text
    label = _LABEL.match(passage.text)
    return passage.text[label.end():] if label else passage.text
