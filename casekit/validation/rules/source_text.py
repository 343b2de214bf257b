"""source-text: every quote occurs, after normalisation, in the passage its locator names.

Runs only when the article texts are given (`validate.py --source-text DIR`); otherwise the
report says that quotes were not checked. A source's text is the file of DIR whose sha256
equals sources.text_sha256 (a source with an empty text_sha256 has no known text and is not
checked). A locator's passage is found by its opening words (casekit.quotes.passages); a
quote's fragments joined by " ... " must occur there in order, and so must timing_as_stated.
"""
from __future__ import annotations

from casekit.quotes.passages import blocks, missing_fragment, passage
from casekit.quotes.source_files import texts_by_sha256
from casekit.validation.rules._common import row_id
from casekit.validation.rules.context import excerpt

KIND = "source-text"
SCOPE = "package"
PARAMS = {"type": "object", "properties": {}, "additionalProperties": False}
QUOTED = ("cases", "case_characteristics", "drug_schedules", "clinical_events", "toxicity_grades",
          "observations", "stated_summaries", "relative_timings")
WORDS = ("quote", "timing_as_stated")
COLUMNS = {
    "sources": ("source_id", "text_sha256"),
    "locators": ("locator_id", "source_id", "opening_words", "figure"),
    **{resource: ("locator_id", "case_id") for resource in QUOTED},
}
# The words are read through Tables.texts(): the validator need not keep every row's quote.
TEXTS = {resource: WORDS for resource in QUOTED}


def check(context):
    folder = context.options.get("source_text")
    if folder is None:
        return
    available = texts_by_sha256(folder)
    articles = {}
    for source in context.rows("sources"):
        digest = str(source.get("text_sha256") or "").strip().lower()
        if not digest:
            continue
        data = available.get(digest)
        text = _decoded(data)
        if text is None:
            reason = "no file" if data is None else "the file is not UTF-8 text; no usable file"
            yield context.finding(f"{source.get('source_id')}: {reason} in {folder} has sha256 {digest}",
                                  resource="sources", row=source, field="text_sha256",
                                  expected=digest, observed="absent")
            continue
        articles[source.get("source_id")] = blocks(text)

    locators = {row.get("locator_id"): row for row in context.rows("locators")}
    passages: dict[str, str | None] = {}
    for locator_id, locator in locators.items():
        article = articles.get(locator.get("source_id"))
        if article is None:
            continue
        passages[locator_id] = passage(article, locator.get("opening_words"), locator.get("figure"))
        if passages[locator_id] is None:
            yield context.finding(f"{locator_id}: no passage of {locator.get('source_id')} begins with "
                                  f"\"{locator.get('opening_words')}\"", resource="locators", row=locator,
                                  field="opening_words", locator=locator_id)

    for resource in QUOTED:
        for row, texts in context.tables.texts(resource, context.rows(resource), WORDS):
            text = passages.get(row.get("locator_id"))
            if text is None:
                continue
            for column, words in zip(WORDS, texts):
                if not words:
                    continue
                missing = missing_fragment(str(words), text)
                if missing is not None:
                    yield context.finding(
                        f"{row_id(resource, row)}: {column} {excerpt(str(words))} is not in {row.get('locator_id')}"
                        f" (not found: {excerpt(missing)})",
                        resource=resource, row=row, field=column, expected="words of the passage",
                        observed=missing)


def _decoded(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
