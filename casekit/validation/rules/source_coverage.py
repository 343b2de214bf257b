"""source-coverage: every number the article states in a case's passages is encoded or set aside with a reason.

Runs only with the article texts (`validate.py --source-text DIR`), like source-text. For each
case, casekit.quotes.coverage reads every number, grade and stated time of the case's passages
(the passages its rows cite and every passage of the sections they are in) and finds it inside
the words of a fact row cited there (encoded), inside the words of a set_asides row (set aside,
with its reason), or nowhere: each number found nowhere is an error naming the passage and
quoting the words around it. A set_asides row that sets aside no number the fact rows leave out
is an error too. The counts per case (stated, encoded, set aside, uncovered) go to the report.
"""
from __future__ import annotations

import dataclasses

from casekit.quotes.article_texts import Articles
from casekit.quotes.coverage import UNCOVERED, Words, case_coverage, words_of
from casekit.validation.rules._common import row_id

KIND = "source-coverage"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "properties": {"findings_per_case": {"type": "integer", "minimum": 1}},
    "additionalProperties": False,
}
FACTS = ("case_characteristics", "drug_schedules", "clinical_events", "toxicity_grades",
         "observations", "stated_summaries", "relative_timings")
WORDS = ("quote", "timing_as_stated")
SET_ASIDES = "set_asides"
COLUMNS = {
    "sources": ("source_id", "text_sha256"),
    "locators": ("locator_id", "source_id", "section", "paragraph", "opening_words", "figure"),
    "cases": ("case_id", "source_id"),
    **{resource: ("locator_id", "case_id") for resource in (*FACTS, SET_ASIDES)},
    "relative_timings": ("locator_id", "case_id", "offset_value"),
}
TEXTS = {**{resource: WORDS for resource in FACTS}, SET_ASIDES: ("quote",)}
DEFAULT_FINDINGS_PER_CASE = 100


def check(context):
    folder = context.options.get("source_text")
    if folder is None:
        context.not_checkable("no article text given (run with --source-text DIR)", len(context.rows("cases")))
        return
    articles = Articles(folder, context.rows("sources"), context.rows("locators"))
    words: dict[str, list[Words]] = {}
    asides: dict[tuple, dict] = {}
    for resource, columns in TEXTS.items():
        fact = resource != SET_ASIDES
        for row, texts in context.tables.texts(resource, context.rows(resource), columns):
            for text in texts:
                if text:
                    item = words_of(resource, row, str(text), fact)
                    words.setdefault(row.get("case_id"), []).append(item)
                    if not fact:
                        asides[(row.get("case_id"), item)] = row
    limit = context.params.get("findings_per_case", DEFAULT_FINDINGS_PER_CASE)
    summary = context.options.get("coverage")
    locators = articles.locators
    for case in context.rows("cases"):
        case_id = case.get("case_id")
        coverage = case_coverage(articles, case_id, words.get(case_id, []))
        context.checked()
        if summary is not None:
            summary.append(coverage.as_dict())
        uncovered = [span for span in coverage.spans if span.status == UNCOVERED]
        for span in uncovered[:limit]:
            named = locators.get(span.locator_id) if span.locator_id else None
            yield _of_case(case_id, context.finding(
                f"{case_id}: {span.where} states \"{span.number}\", which no row encodes or sets aside: "
                f"\"{span.excerpt}\"",
                resource="locators" if named else "cases", row=named or case, field="covers" if named else "source_id",
                expected="encoded by a fact row's quote, or a set_asides row", observed=span.number,
                locator=span.locator_id or span.where))
        if len(uncovered) > limit:
            yield context.finding(f"{case_id}: {len(uncovered) - limit} more numbers of its passages are neither "
                                  f"encoded nor set aside (scripts/list_uncovered.py lists them all)",
                                  resource="cases", row=case, field="source_id", observed=len(uncovered))
        for item in coverage.idle:
            row = asides[(case_id, item)]
            yield context.finding(f"{row_id(SET_ASIDES, row)}: its quote \"{item.words}\" sets aside no number that "
                                  f"the fact rows leave out", resource=SET_ASIDES, row=row, field="quote",
                                  expected="a number no fact row quotes", observed=item.words)


def _of_case(case_id, finding):
    """The finding, marked as the case's (a locator row has no case_id to give it)."""
    return dataclasses.replace(finding, case_id=case_id)
