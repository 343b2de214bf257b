"""Which numbers of a case's passages its rows encode, set aside, or leave out.

A case's passages are the passages its rows' locators name and every passage of the sections
those locators are in (casekit.quotes.article: a numbered section runs from its first paragraph
to the next heading or the next section; naming one legend brings in every legend). Each number
of a passage, read by casekit.quotes.numbers exactly as quote-agreement reads a quote (digits,
number words, "grade IV", days, decades), is one span. A span is encoded when it lies inside
the words (quote or timing as stated) of a fact row cited at that passage, set aside when it
lies inside the words of a set-aside row, and uncovered otherwise.

Numbers alone cannot tell two facts of one sentence apart ("On day 7, he suffered a generalized
seizure requiring protective intubation" is quoted by the seizure and by the intubation), so the
coded words are counted too: where a fact row's words state a number, each written form of a code
of the vocabularies that row is coded by (`Words.checks`: an event's event types, a schedule's
drugs) inside those words must lie inside the words of a row naming that code (`Words.codes`: its
own code, a relation's subject and anchor, a summary's drug), or of a set-aside row. A form inside
a longer form ("CSF" of "G-CSF") is not one; a form that also writes a code of another vocabulary
at the same place (`Forms.alternatives`: "CRS" is an event type and a syndrome) is covered by a row
naming either; a form that says what a row quoting it is for (`Forms.own`: a schedule's purpose,
"prednisolone for encephalitis") is covered when some row of the case names its code, wherever
that row is told ("encephalitis was suspected"), so a faithful quote reaching into that purpose
is no finding while the seizure that "levetiracetam" was given for is still required. A form found
nowhere is an unnamed span (`CaseCoverage.unnamed`).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from casekit.quotes import passage_memo
from casekit.quotes.article import LEGEND, PARAGRAPH, Passage
from casekit.quotes.article_texts import Articles

from casekit.quotes.numbers import number_spans
from casekit.quotes.passages import fragment_spans

ENCODED, SET_ASIDE, UNCOVERED = "encoded", "set_aside", "uncovered"
# A number right after "figure", "fig." or "table" points to a part of the article itself.
_CROSS_REFERENCE = re.compile(r"\b(?:figures?|figs?\.?|tables?)\s+$", re.IGNORECASE)
_CROSS_REFERENCE_REACH = 16  # characters before a number that "figures " and its spaces can take
EXCERPT = 40  # characters of context each side of an uncovered number


class Words(NamedTuple):
    locator_id: str
    words: str
    fact: bool  # a fact row's words (encoded); else a set-aside row's
    codes: frozenset = frozenset()  # the (vocabulary, code) pairs the row names
    checks: frozenset = frozenset()  # the vocabularies whose forms inside these words a row must name
    # The only numbers these words encode, when not all of them: a relative timing's quote may name
    # the days of the rows it relates, but only its offset is its own (as quote-agreement reads it).
    own: frozenset | None = None
    within: tuple = ()  # (earliest, latest) of each time interval the row holds: "1.2 years" lies in 1 to 2
    untimed: bool = False  # a row of a timed resource whose time fields are all empty (its time is not stated)
    timed: bool = False  # a row of a resource with time fields (an event, a schedule, an observation ...)
    offset: bool = False  # a relative timing: its number is a time ("3-month"), not the "3" of "Deauville 3" beside it
    role: str | None = None  # what a row of the patient states (a case characteristic's attribute: "follow_up")

    def holds(self, value) -> bool:
        """Whether these words encode a number of this value (their row's fields hold it)."""
        return self.own is None or value in self.own or any(low <= value <= high for low, high in self.within)


def words_of(resource: str, row: dict, words: str, fact: bool, codes: frozenset = frozenset(),
             checks: frozenset = frozenset(), held: tuple | None = None, intervals: tuple = (),
             also: frozenset = frozenset(), role: str | None = None) -> Words:
    """A row's words as coverage reads them: a fact row encodes only the numbers its fields hold
    (`held`: the columns holding them, `intervals`: pairs of columns bounding a time, `also`: numbers
    its coded columns hold, as the 6 of a frequency "every 6 hours"; a relative timing only its
    offset), so a number its quote shares with another row's words is that row's to encode."""
    offset = resource == "relative_timings"
    if offset:
        held, intervals, also = ("offset_value",), (), frozenset()
    if held is None:
        return Words(row.get("locator_id"), words, fact, codes, checks, role=role)
    own = frozenset(value for value in map(_decimal, map(row.get, held)) if value is not None) | also
    within = tuple((low, high) for low, high in ((_decimal(row.get(first)), _decimal(row.get(last)))
                                                  for first, last in intervals)
                   if low is not None and high is not None)
    untimed = bool(intervals) and all(_decimal(row.get(column)) is None for pair in intervals for column in pair)
    return Words(row.get("locator_id"), words, fact, codes, checks, own, within, untimed, bool(intervals), offset, role)


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        return None


class Forms(NamedTuple):
    """The written forms of the coded words coverage counts: (vocabulary, code) -> compiled pattern."""
    checked: dict  # the vocabularies a row's `checks` may name
    alternatives: dict  # other vocabularies, looked at only where a checked form stands
    own: dict = {}  # forms that say what a row is for ("seizure" of a schedule's purpose): not a fact it leaves out
    # The forms that say what a number counts ((number, code) is a stated fact), as one pattern and the
    # codes each matched form writes: (pattern, {abbreviation: codes}, {lower-cased form: codes}), or ().
    facts: tuple = ()
    times: re.Pattern | None = None  # the written forms of the units of time ("day", "months")
    # The words of the time-phrase vocabulary that state a time with no number ("thereafter"): each
    # one in a case's passage is a stated time, encoded by any fact row whose words hold it.
    time_words: re.Pattern | None = None
    # Words that tell the time of writing ("currently"): a time their sentence states is the case's
    # follow-up, claimed only by a row of that role (`follow_up[1]`) holding it: (pattern, role), or ().
    follow_up: tuple = ()


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
    unnamed: list = []  # (Span, codes) of each coded word no row naming its code quotes (Span.number: the words)
    unclaimed: list = []  # (Span, form, codes) of each stated fact no row holding its number and naming its code claims

    def count(self, status: str | None = None) -> int:
        return sum(1 for span in self.spans if status is None or span.status == status)

    def as_dict(self) -> dict:
        return {"case_id": self.case_id, "stated": self.count(), "encoded": self.count(ENCODED),
                "set_aside": self.count(SET_ASIDE), "uncovered": self.count(UNCOVERED)}


def case_coverage(articles: Articles, case_id: str, words: list[Words], forms: Forms | None = None) -> CaseCoverage:
    """The coverage of one case's passages by its rows' words (and of their coded words, given `forms`)."""
    cited: dict[tuple, list[Words]] = {}
    for item in words:
        passage = articles.passages.get(item.locator_id)
        if passage is not None:
            source_id = articles.locators[item.locator_id].get("source_id")
            cited.setdefault((source_id, passage.index), []).append(item)
    spans: list[Span] = []
    idle: list[Words] = []
    unnamed: list[tuple] = []
    case_codes = frozenset().union(*(item.codes for item in words))
    unclaimed: list[tuple] = []
    used: set[int] = set()
    forms_token = passage_memo.forms_token(forms) if passage_memo.enabled else None
    for (source_id, _), (passage, where, locator_id) in sorted(_case_passages(articles, cited).items()):
        items = cited.get((source_id, passage.index), [])

        def count(used_here: set, idle_here: list) -> tuple:
            return _passage_counts(passage, where, locator_id, items, forms, case_codes, used_here, idle_here)

        if passage_memo.enabled:
            key = (passage, where, locator_id, tuple(items), forms_token, case_codes)
            (found, unnamed_here, unclaimed_here), idle_here, used_here = passage_memo.recall(key, items, count)
            idle += idle_here
            used |= used_here
        else:
            found, unnamed_here, unclaimed_here = count(used, idle)
        spans += found
        unnamed += unnamed_here
        unclaimed += unclaimed_here
    idle = [item for item in idle if id(item) not in used]  # a set-aside of a coded word a time is told of
    return CaseCoverage(case_id, spans, idle, unnamed, unclaimed)


def _passage_counts(passage: Passage, where: str, locator_id, items: list[Words], forms: Forms | None,
                    case_codes: frozenset, used: set, idle: list) -> tuple[list, list, list]:
    """The spans, unnamed forms and unclaimed facts of one passage (`used` and `idle` get its set-asides')."""
    spans = _passage_spans(passage, where, locator_id, items, idle, forms.times if forms is not None else None,
                           forms.time_words if forms is not None else None)
    unnamed: list[tuple] = []
    unclaimed: list[tuple] = []
    if forms is not None:
        unnamed += _unnamed_forms(passage, where, locator_id, items, forms, case_codes, used)
        if forms.facts:
            unclaimed += _unclaimed_facts(passage, where, locator_id, items, forms, used)
        if forms.follow_up and forms.times is not None:
            unclaimed += _unclaimed_follow_up(passage, where, locator_id, items, forms)
    return spans, unnamed, unclaimed


def _unnamed_forms(passage: Passage, where: str, locator_id, items: list[Words], forms: Forms,
                   case_codes: frozenset = frozenset(), used: set | None = None) -> list[tuple]:
    """The coded words inside a numbered fact row's words that no row naming their code quotes
    (`used` gets the id of each set-aside row that sets aside one of them, so it is not idle)."""
    used = set() if used is None else used
    text = passage.text
    located = [(item, fragment_spans(item.words, text) or []) for item in items]
    asides = [span for item, found in located if not item.fact for span in found]
    named: dict[tuple, list] = {}
    for item, found in located:
        for code in item.codes:
            named.setdefault(code, []).extend(found)
    found_forms: dict[tuple, set] = {}  # (start, end) -> the codes written there
    # Words that say what a row is for (its purpose: "prednisolone for encephalitis"), where it stands.
    purposes = {match.span() for item, found in located for code in item.codes if code in forms.own
                for low, high in found for match in forms.own[code].finditer(text, low, high)}
    for item, found in located:
        if not (item.fact and item.checks and number_spans(item.words)):
            continue
        for low, high in found:
            for code, pattern in forms.checked.items():
                if code[0] in item.checks:
                    for match in pattern.finditer(text, low, high):
                        found_forms.setdefault(match.span(), set()).add(code)
    spans, reported = [], set()
    for (start, end), codes in sorted(found_forms.items()):
        if any(low <= start and end <= high and high - low > end - start for low, high in found_forms) \
                or (start, end) in reported:
            continue  # a form inside a longer one is not one ("CSF" of "G-CSF")
        if _inside(start, end, asides):
            used.update(id(item) for item, found in located if not item.fact and _inside(start, end, found))
            continue
        # The same words may write a code of any other vocabulary ("CRS": an event type and a syndrome).
        codes = codes | {code for code, pattern in (*forms.checked.items(), *forms.alternatives.items())
                         if code not in codes
                         and any(match.span() == (start, end) for match in pattern.finditer(text, start, end))}
        if any(_inside(start, end, named.get(code, ())) for code in codes) \
                or ((start, end) in purposes and codes & case_codes):
            continue
        reported.add((start, end))
        spans.append((Span(where, locator_id, text[start:end], excerpt(text, start, end), UNCOVERED), sorted(codes)))
    return spans


def _unclaimed_facts(passage: Passage, where: str, locator_id, items: list[Words], forms: Forms,
                     used: set) -> list[tuple]:
    """The stated facts of a passage no row claims.

    A stated fact is a number the fact rows' words encode together with the coded words of its
    clause (`forms.facts`: the forms of drugs, event types, analytes, syndromes). A clause ends at a
    comma, colon, bracket, "and", "but", a sentence end; a sentence ends at a full stop, semicolon, question
    or exclamation mark (not the stop of a short capitalised abbreviation: "Cat. No.", "et al.").
    A number is claimed by a fact row whose words hold it, whose fields hold its value and which
    names the code of a coded word of its clause, or of the sentence's first clause (its subject:
    "The CAR T-cells, measured by ..., expanded rapidly to 1064 cells/uL on day 9"); a number a row
    naming no code holds (an age, a score) counts the patient and is claimed by that row. A sentence
    that opens with a time ("On day 6,", "After initiation of the drug on day 7,": the
    numbers of its first clause written with a unit of time, `forms.times`) lends that time to each
    later clause writing a coded word: "On day 6, one dose of siltuximab ... was added, however, his
    clinical condition further deteriorated" states (6, siltuximab) and (6, deteriorated). That is
    claimed by a row naming a code of the clause that holds the time, or by a row naming it whose
    words hold the coded word and whose time is not stated (the curator read the day as not told).
    Numbers and coded words inside a set-aside row's words are set aside (`used` gets the id of each
    set-aside that sets aside a coded word a time would otherwise be told of, so it is not idle).
    """
    text = passage.text
    located = [(item, fragment_spans(item.words, text) or []) for item in items]
    asides = [span for item, found in located if not item.fact for span in found]
    encoded = [span for item, found in located if item.fact for span in found]
    numbers = [(start, end, number) for start, end, number in number_spans(text)
               if _inside(start, end, encoded) and not _inside(start, end, asides)
               and not _CROSS_REFERENCE.search(text, max(0, start - _CROSS_REFERENCE_REACH), start)]
    if not numbers:
        return []
    pattern, abbreviations, folded = forms.facts
    bounds = _sentence_bounds(text)
    written: dict[tuple, set] = {}  # one scan of each sentence stating a number: a form inside a longer one is not found
    for low, high in bounds:
        if not _between(numbers, low, high):
            continue
        for match in pattern.finditer(text, low, high):
            codes = abbreviations.get(match.group(), set()) | folded.get(match.group().lower(), set())
            if codes:
                written[match.span()] = codes
    if not written:
        return []
    spans = sorted(written)
    aside = {span for span in spans if _inside(*span, asides)}

    time = {entry[:2]: forms.times is not None and _is_time(text, entry, forms.times) for entry in numbers}

    def codes_of(clause_forms) -> set:
        return set().union(*(written[span] for span in clause_forms))

    def claimed(entry: tuple, codes: set, patient: bool = True) -> bool:
        start, end, number = entry
        # A row naming no code claims a number as the patient's (an age, a score), not a time: a time
        # told beside a coded word ("in remission more than 2 years after") is that coded fact's.
        patient = patient and not time[entry[:2]]
        return any(item.fact and (item.codes & codes or (patient and not item.codes)) and item.holds(number.value)
                   and _inside(start, end, found) and not (item.offset and not time[entry[:2]])
                   for item, found in located)

    def untimed(clause_forms) -> bool:
        return any(item.fact and item.untimed and item.codes & written[span] and _inside(*span, found)
                   for item, found in located for span in clause_forms)

    unclaimed = []
    for sentence_start, clauses in _sentences(text, bounds, numbers, spans):
        subject = codes_of([span for span in clauses[0][1] if span not in aside])
        for clause_numbers, clause_forms, _ in clauses:
            clause_forms = [span for span in clause_forms if span not in aside]
            if clause_forms:
                for entry in clause_numbers:
                    # A coded word of its clause, or the sentence's subject, says what a number counts.
                    if not claimed(entry, codes_of(clause_forms) | subject):
                        unclaimed.append(_fact(text, where, locator_id, entry, clause_forms[0], written))
        if len(clauses) < 2 or not _OPENS_WITH_TIME.match(text, sentence_start) or forms.times is None:
            continue
        opening = [entry for entry in clauses[0][0] if time[entry[:2]]]
        for clause_numbers, clause_forms, bracketed in clauses[1:]:
            own = [entry for entry in clause_numbers if time[entry[:2]]]
            if bracketed and own:
                continue  # a bracketed time of its own ("On day 13 (7 days after initiation of the drug)")
            for form in clause_forms:
                codes = written[form]
                if untimed([form]) or any(claimed(entry, codes, patient=False) for entry in own):
                    continue
                for entry in opening:
                    if claimed(entry, codes, patient=False):
                        continue
                    if form in aside:
                        used.update(id(item) for item, found in located if not item.fact and _inside(*form, found))
                    else:
                        unclaimed.append(_fact(text, where, locator_id, entry, form, written))
            if own:
                break  # the sentence has moved on to a time of its own
    return unclaimed


def _unclaimed_follow_up(passage: Passage, where: str, locator_id, items: list[Words], forms: Forms) -> list[tuple]:
    """The times told in a sentence of the time of writing ("He is currently in remission more than 2 years
    after ...") that no row of the follow-up role holds: the event told then holds the same time, so
    without this a deleted follow-up would leave every number claimed."""
    pattern, role = forms.follow_up
    text = passage.text
    if pattern.search(text) is None:
        return []
    located = [(item, fragment_spans(item.words, text) or []) for item in items]
    asides = [span for item, found in located if not item.fact for span in found]
    unclaimed, entries = [], number_spans(text)
    for low, high in _sentence_bounds(text):
        said = pattern.search(text, low, high)
        if said is None:
            continue
        for entry in _between(entries, low, high):
            start, end, number = entry
            if _inside(start, end, asides) or not _is_time(text, entry, forms.times):
                continue
            if not any(item.fact and item.role == role and item.holds(number.value) and _inside(start, end, found)
                       for item, found in located):
                unclaimed.append((Span(where, locator_id, text[start:end],
                                       excerpt(text, min(start, said.start()), max(end, said.end())), UNCOVERED),
                                  said.group(), [("attributes", role)]))
    return unclaimed


def _fact(text: str, where: str, locator_id, entry: tuple, span: tuple, written: dict) -> tuple:
    """(Span, form, codes) of an unclaimed fact: the number, the coded word it counts, their words."""
    start, end, _ = entry
    low, high = span
    return (Span(where, locator_id, text[start:end], excerpt(text, min(start, low), max(end, high)), UNCOVERED),
            text[low:high], sorted(written[span]))


def _is_time(text: str, entry: tuple, times: re.Pattern) -> bool:
    """Whether a number is written with a unit of time: "day 6", "day +13", "6 months", "a 3-month"."""
    start, end, _ = entry
    if _AGE.match(text, end):
        return False  # "a 66-year-old woman": an age, not a time of the course
    before = text[max(0, start - 8):start].rstrip(" +-")
    return any(match.end() == len(before) for match in times.finditer(before)) \
        or times.match(text, end + (text[end:end + 1] in (" ", "-"))) is not None \
        or times.match(text, start) is not None  # a prefix read with its number: the "D" of "D19"


_AGE = re.compile(r"[ -]?(?:years?|months?)[ -]old\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,:()]|\s(?:and|but|while|whereas)\s")
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)")
_ABBREVIATION = re.compile(r"(?:\b[A-Z][A-Za-z]{0,2}|\bal|\be\.g|\bi\.e|\bvs)$")
_OPENS_WITH_TIME = re.compile(r"\s*(?:on|at|by|after|from|until|within|in|over|during|since|before|following)\b",
                              re.IGNORECASE)


def _between(entries: list, low: int, high: int) -> list:
    """The entries (sorted by where they start) that start in [low, high): two bisections, not a scan."""
    return entries[bisect_left(entries, (low,)):bisect_left(entries, (high,))]


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage."""
    ends = [match.end() for match in _SENTENCE_END.finditer(text)
            if match.group() != "." or not _ABBREVIATION.search(text, max(0, match.start() - 4), match.start())]
    bounds, start = [], 0
    for end in [*ends, len(text)]:
        if end > start:
            bounds.append((start, end))
            start = end
    return bounds


def _sentences(text: str, bounds: list, numbers: list, forms: list) -> list[tuple]:
    """Per sentence: where it starts, and per clause its numbers, its coded words (start, end) and
    whether it is bracketed (a clause after an opening bracket)."""
    found = []
    for sentence_start, sentence_end in bounds:
        clauses, clause_start = [], sentence_start
        breaks = [match.end() for match in _CLAUSE_BREAK.finditer(text, sentence_start, sentence_end)]
        for clause_end in [*breaks, sentence_end]:
            if clause_end > clause_start:
                clauses.append((_between(numbers, clause_start, clause_end), _between(forms, clause_start, clause_end),
                                text[clause_start - 1:clause_start] == "("))
                clause_start = clause_end
        found.append((sentence_start, clauses))
    return found


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


def _passage_spans(passage: Passage, where: str, locator_id, items: list[Words], idle: list[Words],
                   times: re.Pattern | None = None, time_words: re.Pattern | None = None) -> list[Span]:
    encoded, set_aside, asides, quoted = [], [], [], []
    numbers = number_spans(passage.text)
    for item in items:
        found = fragment_spans(item.words, passage.text) or []
        if item.fact:
            quoted.extend(found)
        if item.fact and item.own is not None:
            encoded.extend((start, end) for start, end, number in numbers
                           if item.holds(number.value) and _inside(start, end, found)
                           and not (item.offset and times is not None
                                    and not _is_time(passage.text, (start, end, number), times)))
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
    if time_words is not None:
        for match in time_words.finditer(passage.text):
            start, end = match.span()
            status = ENCODED if _inside(start, end, quoted) else SET_ASIDE if _inside(start, end, set_aside) \
                else UNCOVERED
            spans.append(Span(where, locator_id, match.group(), excerpt(passage.text, start, end), status))
            if status != ENCODED:
                kept.append((start, end))
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
