"""source-coverage: every number the article states in a case's passages is encoded or set aside with a reason.

Runs only with the article texts (`validate.py --source-text DIR`), like source-text. For each
case, casekit.quotes.coverage reads every number, grade and stated time of the case's passages
(the passages its rows cite and every passage of the sections they are in) and finds it inside
the words of a fact row cited there (encoded), inside the words of a set_asides row (set aside,
with its reason), or nowhere: each number found nowhere is an error naming the passage and
quoting the words around it. A set_asides row that sets aside no number the fact rows leave out
is an error too. The counts per case (stated, encoded, set aside, uncovered) go to the report.

Coded words too: where a fact row's words state a number, each written form of an event type or
drug (params.checked_vocabularies: which vocabularies' forms each resource's words are searched for)
inside them must lie inside the words of a row naming that
code (its coded column, a summary's drug, a relation's subject or anchor), or be set aside; else
deleting the seizure of "On day 7, he suffered a generalized seizure requiring protective
intubation" would leave every number covered by the intubation's quote.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from casekit.quotes.article_texts import Articles
from casekit.quotes.code_forms import _is_abbreviation as is_abbreviation  # matched as written, as code_pattern does
from casekit.quotes.code_forms import code_pattern, written_forms
from casekit.quotes.coverage import UNCOVERED, Forms, Words, case_coverage, words_of
from casekit.quotes.normalise import normalise
from casekit.quotes.numbers import numbers
from casekit.quotes.units import forms_pattern
from casekit.quotes.units import written_forms as unit_forms
from casekit.validation.rules._common import row_id
from casekit.validation.rules.quote_agreement import NUMBERS, TIMES

KIND = "source-coverage"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "properties": {
        "findings_per_case": {"type": "integer", "minimum": 1},
        "checked_vocabularies": {"type": "object",
                                 "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "fact_vocabularies": {"type": "array", "items": {"type": "string"}},
        "time_phrase_kinds": {"type": "array", "items": {"type": "string"}},
        "follow_up": {"type": "object", "required": ["attribute", "words"], "additionalProperties": False,
                      "properties": {"attribute": {"type": "string"},
                                     "words": {"type": "array", "items": {"type": "string"}}}},
    },
    "additionalProperties": False,
}
FACTS = ("case_characteristics", "drug_schedules", "clinical_events", "toxicity_grades",
         "observations", "stated_summaries", "relative_timings", "combinations", "treatment_decisions",
         "calendar_dates")
WORDS = ("quote", "timing_as_stated")
SET_ASIDES = "set_asides"
# Which vocabulary each coded column of a fact resource names a code of.
CODED = {
    "clinical_events": {"event_type": "event_types"},
    "drug_schedules": {"drug_id": "drugs", "purpose": "purposes"},
    "observations": {"analyte_id": "analytes"},
    "toxicity_grades": {"syndrome": "syndromes"},
    "stated_summaries": {"drug_id": "drugs", "analyte_id": "analytes", "syndrome": "syndromes"},
    "treatment_decisions": {"drug_id": "drugs"},
}
VOCABULARY_KEYS = {"event_types": "event_type", "drugs": "drug_id", "analytes": "analyte_id", "syndromes": "syndrome",
                   "purposes": "purpose"}
OWN = {"purposes"}  # vocabularies that say what a row is for, not another fact
RELATION_ENDS = (("subject_resource", "subject_id"), ("anchor_resource", "anchor_id"))
COLUMNS = {
    "sources": ("source_id", "text_sha256"),
    "time_phrases": ("phrase", "kind"),
    "locators": ("locator_id", "source_id", "section", "paragraph", "opening_words", "figure"),
    "cases": ("case_id", "source_id"),
    **{resource: ("locator_id", "case_id", *CODED.get(resource, ()), *NUMBERS.get(resource, ()))
       for resource in (*FACTS, SET_ASIDES)},
    "relative_timings": ("locator_id", "case_id", "offset_value", *(column for end in RELATION_ENDS for column in end)),
    **{vocabulary: (key, "written_forms") for vocabulary, key in VOCABULARY_KEYS.items()},
}
TEXTS = {**{resource: WORDS for resource in FACTS}, "calendar_dates": ("quote",), SET_ASIDES: ("quote",)}
# The time intervals a row holds: a stated time inside one is the row's ("1.2 years" of a death in years 1 to 2).
INTERVALS = {resource: tuple(zip(times[::2], times[1::2])) for resource, times in TIMES.items()}
COLUMNS["frequencies"] = ("frequency", "written_forms")
COLUMNS["units"] = ("unit", "kind", "written_forms")
TIME_KIND = "time"  # the units whose forms write a time ("day 6", "6 months")
COLUMNS["drug_schedules"] = (*COLUMNS["drug_schedules"], "frequency")
DATES = "calendar_dates"
COLUMNS[DATES] = ("locator_id", "case_id", "resource", "row_id", "date")
DEFAULT_FINDINGS_PER_CASE = 100
CHARACTERISTICS, ROLE = "case_characteristics", "attribute"  # a characteristic's attribute says what it states
COLUMNS[CHARACTERISTICS] = (*COLUMNS[CHARACTERISTICS], ROLE)


def check(context):
    folder = context.options.get("source_text")
    if folder is None:
        context.not_checkable("no article text given (run with --source-text DIR)", len(context.rows("cases")))
        return
    articles = Articles(folder, context.rows("sources"), context.rows("locators"))
    checking = context.params.get("checked_vocabularies", {})
    checked = {vocabulary for vocabularies in checking.values() for vocabulary in vocabularies}
    forms = _forms(context, checked, set(context.params.get("fact_vocabularies", ())))
    named = _named_codes(context)
    frequencies = frequency_numbers(context.rows("frequencies")) if "frequencies" in context.tables.keys else {}
    words: dict[str, list[Words]] = {}
    asides: dict[tuple, dict] = {}
    for resource, columns in TEXTS.items():
        fact = resource != SET_ASIDES
        checks = frozenset(checking.get(resource, ()))
        for row, texts in context.tables.texts(resource, context.rows(resource), columns):
            codes = _codes(resource, row, named)
            for text in texts:
                if text:
                    item = words_of(resource, row, str(text), fact, codes, checks, *held(resource, row, frequencies),
                                    role=row.get(ROLE) if resource == CHARACTERISTICS else None)
                    words.setdefault(row.get("case_id"), []).append(item)
                    if not fact:
                        asides[(row.get("case_id"), item)] = row
    limit = context.params.get("findings_per_case", DEFAULT_FINDINGS_PER_CASE)
    summary = context.options.get("coverage")
    locators = articles.locators
    for case in context.rows("cases"):
        case_id = case.get("case_id")
        coverage = case_coverage(articles, case_id, words.get(case_id, []), forms)
        context.checked()
        if summary is not None:
            summary.append(coverage.as_dict())
        uncovered = [span for span in coverage.spans if span.status == UNCOVERED]
        for span in uncovered[:limit]:
            yield _passage_finding(
                context, case, locators, span,
                f"{case_id}: {span.where} states \"{span.number}\", which no row encodes or sets aside: "
                f"\"{span.excerpt}\"",
                expected="encoded by a fact row's quote, or a set_asides row", observed=span.number)
        if len(uncovered) > limit:
            yield context.finding(f"{case_id}: {len(uncovered) - limit} more numbers of its passages are neither "
                                  f"encoded nor set aside (scripts/list_uncovered.py lists them all)",
                                  resource="cases", row=case, field="source_id", observed=len(uncovered))
        for span, codes in coverage.unnamed[:limit]:
            written = _written(codes)
            yield _passage_finding(
                context, case, locators, span,
                f"{case_id}: {span.where} writes \"{span.number}\" ({written}) inside words another row quotes, "
                f"but no row of that code quotes it, nor sets it aside: \"{span.excerpt}\"",
                expected=f"a row naming {written} whose words hold these", observed=span.number)
        for span, form, codes in coverage.unclaimed[:limit]:
            written = _written(codes)
            yield _passage_finding(
                context, case, locators, span,
                f"{case_id}: {span.where} states \"{span.number}\" of \"{form}\" ({written}), but no row naming "
                f"that code holds {span.number} in its fields and words, nor sets it aside: \"{span.excerpt}\"",
                expected=f"a row naming {written} whose words and fields hold {span.number}",
                observed=f"{span.number} / {form}")
        for item in coverage.idle:
            row = asides[(case_id, item)]
            yield context.finding(f"{row_id(SET_ASIDES, row)}: its quote \"{item.words}\" sets aside no number that "
                                  f"the fact rows leave out", resource=SET_ASIDES, row=row, field="quote",
                                  expected="a number no fact row quotes", observed=item.words)


def held(resource: str, row, frequencies: dict) -> tuple:
    """What a fact row's fields hold, as words_of takes it: its number columns, its time intervals,
    and the numbers of its frequency's written forms (the 6 of "every 6 hours"); a calendar date
    holds the year, month and day its date writes (2019 of "2019", 3 and 14 of "2019-03-14")."""
    if resource == DATES:
        parts = str(row.get("date") or "").split("-")
        return (), (), frozenset(Decimal(part) for part in parts if part.isascii() and part.isdigit())
    return (NUMBERS.get(resource, ()), INTERVALS.get(resource, ()),
            frequencies.get(row.get("frequency"), frozenset()) if resource == "drug_schedules" else frozenset())


def frequency_numbers(rows) -> dict:
    """frequency -> the numbers its written forms state."""
    return {row.get("frequency"): frozenset(number.value for form in written_forms(row.get("written_forms"))
                                            for number in numbers(form)) for row in rows}


def _forms(context, checked: set, facts: set = frozenset()) -> Forms:
    """The compiled written forms of every code of the coded vocabularies, checked ones apart; the
    forms of the fact vocabularies also as one pattern (one scan of a passage, however many codes)."""
    found: dict = {"checked": {}, "alternatives": {}, "own": {}}
    fact_forms: dict[str, set] = {}
    for vocabulary, key in VOCABULARY_KEYS.items():
        if vocabulary not in context.tables.keys:
            continue
        for row in context.rows(vocabulary):
            forms = tuple(normalise(form) for form in written_forms(row.get("written_forms")))
            pattern = code_pattern(forms)
            if pattern is not None:
                kind = "checked" if vocabulary in checked else "own" if vocabulary in OWN else "alternatives"
                found[kind][(vocabulary, row.get(key))] = pattern
                if vocabulary in facts:
                    for form in forms:
                        fact_forms.setdefault(form, set()).add((vocabulary, row.get(key)))
    if fact_forms:
        abbreviations, folded = {}, {}
        for form, codes in fact_forms.items():
            target = abbreviations if is_abbreviation(form) else folded
            target.setdefault(form if target is abbreviations else form.lower(), set()).update(codes)
        found["facts"] = (code_pattern(tuple(sorted(fact_forms))), abbreviations, folded)
    if "time_phrases" in context.tables.keys:
        found["time_words"] = time_words_pattern(context.rows("time_phrases"), context.params.get("time_phrase_kinds"))
    follow_up = context.params.get("follow_up")
    if follow_up and follow_up.get("words"):
        said = sorted((normalise(word) for word in follow_up["words"]), key=len, reverse=True)
        found["follow_up"] = (re.compile(r"\b(?:" + "|".join(map(re.escape, said)) + r")\b", re.IGNORECASE),
                              follow_up["attribute"])
    if "units" in context.tables.keys:
        found["times"] = forms_pattern(tuple(form for row in context.rows("units") if row.get("kind") == TIME_KIND
                                             for form in unit_forms(row.get("written_forms"))))
    return Forms(**found)


def time_words_pattern(rows, kinds) -> re.Pattern | None:
    """One pattern of the time phrases of these kinds (whole words, any case; a phrase with a gap,
    "from ... on", is left out), or None."""
    kinds = set(kinds or ())
    phrases = sorted({normalise(str(row.get("phrase"))) for row in rows
                      if row.get("kind") in kinds and row.get("phrase") and "..." not in str(row.get("phrase"))},
                     key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b", re.IGNORECASE) if phrases else None


def _named_codes(context) -> dict[tuple, frozenset]:
    """(resource, id) -> the codes a fact row names, for the rows a relative timing may name."""
    named = {}
    for resource, columns in CODED.items():
        key = context.tables.keys.get(resource)
        if key is None:
            continue
        for row in context.rows(resource):
            named[(resource, row.get(key))] = _own_codes(resource, row)
    return named


def _own_codes(resource: str, row) -> frozenset:
    return frozenset((vocabulary, row.get(column)) for column, vocabulary in CODED.get(resource, {}).items()
                     if row.get(column) is not None)


def _codes(resource: str, row, named: dict) -> frozenset:
    """The codes a row names: its own coded columns', or a relation's subject's and anchor's."""
    if resource == "relative_timings":
        return frozenset().union(*(named.get((row.get(kind), row.get(identifier)), frozenset())
                                   for kind, identifier in RELATION_ENDS))
    if resource == DATES:  # a date is a fact of the row it dates
        return named.get((row.get("resource"), row.get("row_id")), frozenset())
    return _own_codes(resource, row)


def _written(codes) -> str:
    return ", ".join(f"{vocabulary} {code}" for vocabulary, code in codes)


def _passage_finding(context, case, locators: dict, span, message: str, expected: str, observed):
    """A finding on the passage's locator (field covers), or on the case when the passage has no locator row."""
    named_locator = locators.get(span.locator_id) if span.locator_id else None
    return _of_case(case.get("case_id"), context.finding(
        message, resource="locators" if named_locator else "cases", row=named_locator or case,
        field="covers" if named_locator else "source_id", expected=expected, observed=observed,
        locator=span.locator_id or span.where))


def _of_case(case_id, finding):
    """The finding, marked as the case's (a locator row has no case_id to give it)."""
    return dataclasses.replace(finding, case_id=case_id)
