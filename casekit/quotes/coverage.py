"""Which numbers of a case's passages its rows encode, set aside, or leave out.

A case's passages are the passages its rows' locators name and every passage of the sections
those locators are in (casekit.quotes.article: a numbered section runs from its first paragraph
to the next heading or the next section; naming one legend brings in every legend). Each number
of a passage, read by casekit.quotes.numbers exactly as quote-agreement reads a quote (digits,
number words, "grade IV", days, decades), is one span. A span is encoded when it lies inside
the words (quote or timing as stated) of a fact row cited at that passage, set aside when it
lies inside the words of a set-aside row, and uncovered otherwise.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from casekit.quotes.article import LEGEND, PARAGRAPH, Passage
from casekit.quotes.article_texts import Articles

from casekit.quotes.numbers import number_spans
from casekit.quotes.passages import fragment_spans

ENCODED, SET_ASIDE, UNCOVERED = "encoded", "set_aside", "uncovered"
# A number right after "figure", "fig." or "table" points to a part of the article itself.
_CROSS_REFERENCE = re.compile(r"\b(?:figures?|figs?\.?|tables?)\s+$", re.IGNORECASE)
EXCERPT = 40  # characters of context each side of an uncovered number


class Words(NamedTuple):
    locator_id: str
    words: str
    fact: bool  # a fact row's words (encoded); else a set-aside row's
    # The only numbers these words encode, when not all of them: a relative timing's quote may name
    # the days of the rows it relates, but only its offset is its own (as quote-agreement reads it).
    own: frozenset | None = None


def words_of(resource: str, row: dict, words: str, fact: bool) -> Words:
    """A row's words as coverage reads them (a relative timing encodes only its offset)."""
    own = None
    if resource == "relative_timings":
        try:
            own = frozenset({Decimal(str(row.get("offset_value")).strip())})
        except (ArithmeticError, ValueError):
            own = frozenset()
    return Words(row.get("locator_id"), words, fact, own)


class Span(NamedTuple):
    where: str  # the passage: its locator id, or its section and paragraph
    locator_id: str | None
    number: str  # the words stating the number
    excerpt: str
    status: str


class CaseCoverage(NamedTuple):
    case_id: str
    spans: list[Span]
    idle: list[Words]  # set-aside words that set aside no number the fact rows leave out

    def count(self, status: str | None = None) -> int:
        return sum(1 for span in self.spans if status is None or span.status == status)

    def as_dict(self) -> dict:
        return {"case_id": self.case_id, "stated": self.count(), "encoded": self.count(ENCODED),
                "set_aside": self.count(SET_ASIDE), "uncovered": self.count(UNCOVERED)}


def case_coverage(articles: Articles, case_id: str, words: list[Words]) -> CaseCoverage:
    """The coverage of one case's passages by its rows' words."""
    cited: dict[tuple, list[Words]] = {}
    for item in words:
        passage = articles.passages.get(item.locator_id)
        if passage is not None:
            source_id = articles.locators[item.locator_id].get("source_id")
            cited.setdefault((source_id, passage.index), []).append(item)
    spans: list[Span] = []
    idle: list[Words] = []
    for (source_id, _), (passage, where, locator_id) in sorted(_case_passages(articles, cited).items()):
        spans += _passage_spans(passage, where, locator_id, cited.get((source_id, passage.index), []), idle)
    return CaseCoverage(case_id, spans, idle)


def _case_passages(articles: Articles, cited: dict) -> dict[tuple, tuple[Passage, str, str | None]]:
    """(source_id, passage index) -> (passage, how to name it, the locator naming it) for every passage of the case."""
    found: dict[tuple, tuple[Passage, str, str | None]] = {}
    sections: set[tuple] = set()
    for (source_id, index), items in cited.items():
        locator_id = items[0].locator_id
        locator = articles.locators[locator_id]
        found[(source_id, index)] = (articles.articles[source_id].passages[index], locator_id, locator_id)
        sections.add((source_id, locator.get("section")))
    for source_id, section in sorted(sections, key=str):
        article = articles.articles[source_id]
        starts = _section_starts(articles, source_id)
        if section in starts:
            stops = {start for other, start in starts.items() if other != section}
            for passage in article.section_paragraphs(starts[section], stops):
                label = f"{section} paragraph {passage.ordinal - starts[section] + 1}"
                found.setdefault((source_id, passage.index), (passage, label, None))
        elif any(article.passages[index].kind == LEGEND for (source, index) in cited if source == source_id):
            for passage in article.legends():
                found.setdefault((source_id, passage.index), (passage, f"legend of figure {passage.figure}", None))
    return found


def _section_starts(articles: Articles, source_id: str) -> dict:
    """section -> the ordinal of its first paragraph, for the source's sections located by paragraph number."""
    offsets: dict = {}
    for locator_id, locator in articles.locators.items():
        passage = articles.passages.get(locator_id)
        if locator.get("source_id") != source_id or passage is None or passage.kind != PARAGRAPH:
            continue
        if locator.get("paragraph") is not None:
            offsets.setdefault(locator.get("section"), Counter())[passage.ordinal - int(locator["paragraph"])] += 1
    return {section: counter.most_common(1)[0][0] + 1 for section, counter in offsets.items()}


def _passage_spans(passage: Passage, where: str, locator_id, items: list[Words], idle: list[Words]) -> list[Span]:
    encoded, set_aside, asides = [], [], []
    numbers = number_spans(passage.text)
    for item in items:
        found = fragment_spans(item.words, passage.text) or []
        if item.fact and item.own is not None:
            encoded.extend((start, end) for start, end, number in numbers
                           if number.value in item.own and _inside(start, end, found))
        elif item.fact:
            encoded.extend(found)
        else:
            set_aside.extend(found)
            asides.append((item, found))
    spans, seen = [], set()
    for start, end, number in numbers:
        if (start, end) in seen or _CROSS_REFERENCE.search(passage.text, 0, start):
            continue  # a decade or a parenthesised range states two numbers; "figure 1" points within the article
        seen.add((start, end))
        if _inside(start, end, encoded):
            status = ENCODED
        elif _inside(start, end, set_aside):
            status = SET_ASIDE
        else:
            status = UNCOVERED
        spans.append(Span(where, locator_id, passage.text[start:end], excerpt(passage.text, start, end), status))
    kept = [(start, end) for start, end, _ in numbers if not _inside(start, end, encoded)]
    idle.extend(item for item, found in asides if found and not any(_inside(*span, found) for span in kept))
    return spans


def _inside(start: int, end: int, intervals) -> bool:
    return any(low <= start and end <= high for low, high in intervals)


def excerpt(text: str, start: int, end: int) -> str:
    """The words around text[start:end], at most EXCERPT characters each side, cut at word edges."""
    low, high = max(0, start - EXCERPT), min(len(text), end + EXCERPT)
    if low > 0 and " " in text[low:start]:
        low = text.index(" ", low) + 1
    if high < len(text) and " " in text[end:high]:
        high = text.rindex(" ", end, high)
    return ("..." if low > 0 else "") + text[low:high] + ("..." if high < len(text) else "")
