"""source-text: every quote occurs, after normalisation, in the passage its locator names; nothing is skipped.

A set-aside whose reason is one of params.cut_off_reasons (text_cut_off: the text breaks off after a
number) must end where its passage ends: words in the middle of a text are not cut off.

Runs only when the article texts are given (`validate.py --source-text DIR`); otherwise the
report says that quotes were not checked. A source's text is the file of DIR whose sha256
equals sources.text_sha256. A locator's passage is found by its opening words
(casekit.quotes.article); a quote's fragments joined by " ... " must occur there in order, and
so must timing_as_stated.

Nothing is skipped without a word: a quote that cannot be looked up (its source records no
text_sha256, no file has it, its locator's passage is not found) is an error on the quote's row
with the reason. A fragment whose edge falls inside a number ("19 ... .5 mg/L") is refused: it
would let a changed value pass. A locator's paragraph number is checked against the text
(casekit.quotes.article says how paragraphs are counted): every locator of one section gives
the same ordinal - paragraph; one under a heading that names its section is that heading's
paragraph number; and paragraph n is at least the n-th paragraph of the article.
"""
from __future__ import annotations

import re
from collections import Counter

from casekit.quotes.article_texts import Articles
from casekit.quotes.passages import fragment_spans, fragments, missing_fragment, split_number
from casekit.validation.rules._common import row_id
from casekit.validation.rules.context import excerpt

KIND = "source-text"
SCOPE = "package"
PARAMS = {"type": "object", "properties": {"cut_off_reasons": {"type": "array", "items": {"type": "string"}}},
          "additionalProperties": False}
# What may follow the last words of a text that breaks off: spaces, closing punctuation and an
# editor's note in square brackets ("[text ends]").
_TRAILING = " \t\n\r.,;:…)]"
_EDITORS_NOTES = re.compile(r"(?:\s*\[[^\[\]]*\])+\s*\Z")
QUOTED = ("cases", "case_characteristics", "drug_schedules", "clinical_events", "toxicity_grades",
          "observations", "stated_summaries", "relative_timings", "field_sources", "combinations",
          "treatment_decisions", "calendar_dates")
WORDS = ("quote", "timing_as_stated")
# Words per resource: the fact rows' quote and timing as stated, and the words a set-aside row holds.
WORDS_OF = {**{resource: WORDS for resource in QUOTED}, "set_asides": ("quote",), "calendar_dates": ("quote",)}
COLUMNS = {
    "sources": ("source_id", "text_sha256"),
    "locators": ("locator_id", "source_id", "section", "paragraph", "opening_words", "figure"),
    "sections": ("section", "label"),
    **{resource: ("locator_id", "case_id") for resource in WORDS_OF},
    "set_asides": ("locator_id", "case_id", "reason"),
}
# The words are read through Tables.texts(): the validator need not keep every row's quote.
TEXTS = dict(WORDS_OF)


def check(context):
    folder = context.options.get("source_text")
    if folder is None:
        for resource in QUOTED:
            context.not_checkable("no article text given (run with --source-text DIR)", len(context.rows(resource)))
        return
    found = Articles(folder, context.rows("sources"), context.rows("locators"))
    for source in context.rows("sources"):
        digest = str(source.get("text_sha256") or "").strip().lower()
        if digest and source.get("source_id") not in found.articles:
            yield context.finding(f"{source.get('source_id')}: {found.missing_text[source.get('source_id')]}"
                                  f" ({digest})", resource="sources", row=source, field="text_sha256",
                                  expected=digest, observed="absent")
    for locator_id, locator in found.locators.items():
        if locator.get("source_id") in found.articles and locator_id not in found.passages:
            yield context.finding(f"{locator_id}: {found.missing_passage[locator_id]}", resource="locators",
                                  row=locator, field="opening_words", locator=locator_id)
    yield from _paragraph_numbers(context, found)
    for resource, columns in WORDS_OF.items():
        yield from _quotes(context, found, resource, columns)


def _quotes(context, found: Articles, resource: str, columns: tuple[str, ...]):
    cut_off = set(context.params.get("cut_off_reasons", ())) if resource == "set_asides" else set()
    for row, texts in context.tables.texts(resource, context.rows(resource), columns):
        locator_id = row.get("locator_id")
        passage = found.passages.get(locator_id)
        context.checked()
        for column, words in zip(columns, texts):
            if not words:
                continue
            where = f"{row_id(resource, row)}: {column} {excerpt(str(words))}"
            if passage is None:
                yield context.finding(f"{where} was not checked against the article: {found.why_unchecked(locator_id)}",
                                      resource=resource, row=row, field=column,
                                      expected="words of a passage found in the article", observed="not checked")
                continue
            missing = missing_fragment(str(words), passage.text)
            if missing is not None:
                yield context.finding(f"{where} is not in {locator_id} (not found: {excerpt(missing)})",
                                      resource=resource, row=row, field=column, expected="words of the passage",
                                      observed=missing)
                continue
            cut = split_number(fragment_spans(str(words), passage.text), passage.text)
            if cut is not None:
                yield context.finding(f"{where}: a fragment edge cuts a number of {locator_id} in two "
                                      f"(\"{cut}\"); quote the whole number", resource=resource, row=row,
                                      field=column, expected="fragments that keep numbers whole", observed=cut)
            elif cut_off and row.get("reason") in cut_off \
                    and not _ends(passage.text, fragments(str(words))[-1]):
                yield context.finding(f"{where}: set aside as {row.get('reason')}, but the text of {locator_id} goes "
                                      f"on after these words; a text that breaks off ends with them",
                                      resource=resource, row=row, field="reason",
                                      expected="words at the end of the passage", observed=row.get("reason"))


def _ends(text: str, words: str) -> bool:
    """Whether text ends with words (but for closing punctuation and an editor's bracketed note)."""
    return _EDITORS_NOTES.sub("", text).rstrip(_TRAILING).endswith(words.rstrip(_TRAILING))


def _paragraph_numbers(context, found: Articles):
    labels = {row.get("section"): str(row.get("label") or "") for row in context.rows("sections")}
    by_section: dict[tuple, list] = {}
    for locator_id, locator in found.locators.items():
        passage = found.passages.get(locator_id)
        paragraph = locator.get("paragraph")
        if passage is None or paragraph is None or passage.ordinal is None:
            continue
        by_section.setdefault((locator.get("source_id"), locator.get("section")), []).append((locator, passage))
    for (source_id, section), located in by_section.items():
        offsets = Counter(passage.ordinal - locator["paragraph"] for locator, passage in located)
        # The offset most locators share (ties: the first paragraph's) is the section's start.
        first = min(located, key=lambda pair: pair[0]["paragraph"])
        usual = max(offsets, key=lambda offset: (offsets[offset], offset == first[1].ordinal - first[0]["paragraph"]))
        article = found.articles[source_id]
        for locator, passage in located:
            paragraph = locator["paragraph"]
            expected = _under_heading(article, passage, labels.get(section, ""), section)
            if expected is None and len(located) > 1:
                expected = passage.ordinal - usual
            if expected is None and paragraph > passage.ordinal:
                expected = f"at most {passage.ordinal}"
            if expected is not None and expected != paragraph:
                yield context.finding(
                    f"{locator.get('locator_id')}: paragraph {paragraph} of {section}, but its passage "
                    f"(\"{locator.get('opening_words')}\") is paragraph {expected} of {section} in the text",
                    resource="locators", row=locator, field="paragraph", expected=expected, observed=paragraph,
                    locator=locator.get("locator_id"))


def _under_heading(article, passage, label: str, section: str):
    """The passage's paragraph number counted from a heading that names its section, else None."""
    heading = article.heading_before(passage)
    if heading is None or heading[1] is None:
        return None
    names = {label.strip().lower(), str(section).replace("_", " ").lower()}
    return passage.ordinal - heading[1] + 1 if heading[0].strip().lower() in names else None
