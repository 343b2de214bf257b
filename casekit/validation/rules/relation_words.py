"""relation-words: a relative timing says in its own words what its fields hold.

- anchor: the relation's quote names its anchor row: the anchor's drug (drugs.name), its
  purpose (purposes.label), its event type (event_types.label), analyte (analytes.name),
  attribute (attributes.label) or syndrome (syndromes.label), or any written form of these
  that the vocabulary lists (a `written_forms` column, `|`-separated, when the table has one);
  until every vocabulary lists its written forms, three consecutive words of the anchor row's
  own quote count as naming it too (its quote is read only for relations that name no form);
- comparator: every comparator phrase of time_phrases in the quote allows the stored
  comparator (the comparators its words allow are those all of its phrases allow);
- comparator direction: words that place the subject later than its anchor (params.later_phrases:
  "after", "later", "within") with no word that places it earlier (params.earlier_phrases) do not
  allow `<=` with an offset of 0, which puts the subject at or before its anchor;
- anchor point: where the words name only one point of the anchor (params.point_words: "after
  initiation of", "after discontinuation of"), a start or end anchor_point is that point;
- over an interval: an anchor_point `during` (the subject lies within the anchor's whole interval) is
  written in the words (params.span_words: "during", "throughout"), so a relation over an interval is
  never made of a relation to a point; and "during" words allow only comparator `=` (time_phrases);
- counting: a counting phrase of the quote states the counting convention; without one the
  convention is params.default_counting, or another one a recorded discrepancy names
  (discrepancy_rows.fields holds counting_convention, or the whole relation).

A relation that a discrepancy sets aside is not judged.
"""
from __future__ import annotations

import re
from itertools import compress
from operator import methodcaller

from casekit.quotes.normalise import normalise
from casekit.quotes.phrases import found_phrases, phrases_pattern
from casekit.quotes.units import written_forms
from casekit.timing import DURING
from casekit.validation.rules.time_words import phrases_of

KIND = "relation-words"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["default_counting"],
    "properties": {
        "default_counting": {"type": "string"},
        "later_phrases": {"type": "array", "items": {"type": "string"}},
        "earlier_phrases": {"type": "array", "items": {"type": "string"}},
        "point_words": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "end_words": {"type": "array", "items": {"type": "string"}},
        "span_words": {"type": "array", "items": {"type": "string"}},
    },
}
# How an anchor row is named: its resource -> (its coded column, the vocabulary, the vocabulary's name column).
NAMED_BY = {
    "drug_schedules": (("drug_id", "drugs", "name"), ("purpose", "purposes", "label")),
    "clinical_events": (("event_type", "event_types", "label"),),
    "observations": (("analyte_id", "analytes", "name"),),
    "case_characteristics": (("attribute", "attributes", "label"),),
    "toxicity_grades": (("syndrome", "syndromes", "label"),),
}
# The coded columns that name a row of each resource (what its names depend on), in NAMED_BY's order.
CODED_COLUMNS = {resource: tuple(column for column, _, _ in entries) for resource, entries in NAMED_BY.items()}
VOCABULARY_KEYS = {"drugs": "drug_id", "purposes": "purpose", "event_types": "event_type", "analytes": "analyte_id",
                   "attributes": "attribute", "syndromes": "syndrome"}
RELATION_COLUMNS = ("relation_id", "anchor_resource", "anchor_id", "anchor_point", "comparator", "offset_value",
                    "counting_convention", "quote", "subject_resource", "subject_id", "subject_point")
COLUMNS = {
    "relative_timings": RELATION_COLUMNS,
    "time_phrases": ("phrase", "kind", "comparators", "counting_convention"),
    "discrepancy_rows": ("resource", "row_id", "fields"),
    **{vocabulary: (VOCABULARY_KEYS[vocabulary], name, "written_forms")
       for entries in NAMED_BY.values() for _, vocabulary, name in entries},
    **{resource: tuple(column for column, _, _ in entries) for resource, entries in NAMED_BY.items()},
}
TEXTS = {resource: ("quote",) for resource in NAMED_BY}
SHARED_WORDS = 3
_ANCHOR_FIELDS = frozenset(("anchor_id", "anchor_resource"))  # a dispute of either leaves the anchor unjudged
_WORD = re.compile(r"[\w-]+")
_CLAUSE_END = re.compile(r"[,.;:()…]")  # where the clause after a span word ends


def names_of(context, vocabulary: str, code, name_column: str) -> list[str]:
    """The ways a vocabulary entry is written: its name or label, and its written forms when the
    vocabulary has that column (the one place that reads them, so new forms need no code)."""
    row = context.tables.row(vocabulary, code) if vocabulary in context.tables.keys else None
    if row is None:
        return []
    found = [str(row.get(name_column))] if row.get(name_column) else []
    return found + written_forms(row.get("written_forms"))


def check(context):
    set_aside = context.tables.set_aside()
    relations = [relation for relation in context.rows("relative_timings")
                 if set_aside.get(("relative_timings", relation.get("relation_id")), ()) is not None]
    comparators = {phrase: set(str(row.get("comparators") or "").split())
                   for phrase, row in phrases_of(context, "comparator").items()}
    countings = {phrase: row.get("counting_convention") for phrase, row in phrases_of(context, "counting").items()}
    recorded = {row.get("row_id") for row in context.tables["discrepancy_rows"]
                if row.get("resource") == "relative_timings"
                and (not row.get("fields") or "counting_convention" in str(row.get("fields")).split())}
    default = context.params["default_counting"]
    later = set(context.params.get("later_phrases", ()))
    earlier = set(context.params.get("earlier_phrases", ()))
    point_words = {point: tuple(words) for point, words in context.params.get("point_words", {}).items()}
    open_ends = tuple(phrases_of(context, "open_end"))
    end_words = tuple(context.params.get("end_words", ()))
    span_words = tuple(context.params.get("span_words", ()))
    # Every phrase the checks below look for, looked for once per quote: each check reads the ones of its
    # own list among those found (found_phrases looks for each phrase by itself, so that is what it finds).
    every_phrase = tuple(dict.fromkeys((*comparators, *countings, *open_ends, *end_words, *span_words,
                                        *(word for words in point_words.values() for word in words))))
    unnamed = []  # (relation, anchor, names) whose quote names no vocabulary name of the anchor
    known: dict = {}
    for relation in relations:
        name = relation.get("relation_id")
        disputed = set_aside.get(("relative_timings", name), ())
        quote = normalise(str(relation.get("quote") or ""))
        if not quote:
            continue
        context.counted += 1
        found = found_phrases(every_phrase, quote, normalised=True)
        anchor = (relation.get("anchor_resource"), relation.get("anchor_id"))
        # The anchor's names (None: no such row), read once for the checks below that need them.
        names = _names(context, anchor, known) if anchor[0] in NAMED_BY else None
        if names is not None and _ANCHOR_FIELDS.isdisjoint(disputed) and not _says(names, quote):
            unnamed.append((relation, anchor, names))
        said = found.intersection(comparators)
        allowed = set.intersection(*(comparators[phrase] for phrase in said)) if said else set()
        if allowed and relation.get("comparator") not in allowed and "comparator" not in disputed:
            yield context.finding(
                f"{name}: the words \"{relation.get('quote')}\" ({', '.join(sorted(said))}) allow the comparator "
                f"{' or '.join(sorted(allowed))}, not {relation.get('comparator')}",
                resource="relative_timings", row=relation, field="comparator",
                expected=" or ".join(sorted(allowed)), observed=relation.get("comparator"))
        elif "comparator" not in disputed:
            yield from _direction_agrees(context, relation, said, allowed, later, found.intersection(open_ends))
        yield from _point_agrees(context, relation, found, point_words, disputed)
        if end_words:
            yield from _end_agrees(context, relation, quote, found.intersection(end_words), disputed, known)
        yield from _subject_end_said(context, relation, found.intersection(point_words.get("end", ()) + end_words),
                                     disputed)
        yield from _span_written(context, relation, found.intersection(span_words), span_words, disputed)
        yield from _span_used(context, relation, quote, found.intersection(span_words), span_words, disputed, names)
        if "counting_convention" in disputed:
            continue
        counted = {countings[phrase] for phrase in found.intersection(countings)}
        convention = relation.get("counting_convention")
        if counted and convention not in counted:
            yield context.finding(
                f"{name}: the words \"{relation.get('quote')}\" count {' or '.join(sorted(counted))}, "
                f"but counting_convention is {convention}", resource="relative_timings", row=relation,
                field="counting_convention", expected=" or ".join(sorted(counted)), observed=convention)
        elif not counted and convention != default and name not in recorded:
            yield context.finding(
                f"{name}: \"{relation.get('quote')}\" is counted {convention}, but its words do not say so "
                f"and no discrepancy records that reading (the usual count is {default})",
                resource="relative_timings", row=relation, field="counting_convention",
                expected=default, observed=convention)
    # Only the anchors the vocabularies do not name are looked for in their rows' own words.
    anchor_words = _anchor_words(context, [anchor for _, anchor, _ in unnamed])
    for relation, anchor, names in unnamed:
        if _shares_words(normalise(str(relation.get("quote"))), anchor_words.get(anchor, "")):
            continue
        yield context.finding(
            f"{relation.get('relation_id')}: its quote \"{relation.get('quote')}\" does not name its anchor "
            f"{anchor[1]} ({', '.join(names) or 'no name'}), nor quote its words",
            resource="relative_timings", row=relation, field="anchor_id",
            expected=" or ".join(names) or "the anchor's name", observed=anchor[1])


def _direction_agrees(context, relation, said: set, allowed: set, later: set, open_said: set):
    """What the words say of the subject's place beside its anchor, beyond the comparators they allow:

    - an offset of 0 with `=` or `<=` (both put the subject on the anchor's own time) needs words that
      allow `=` ("same day", "at that time"): words that say nothing, or only that it came later or
      earlier, order the story (>=);
    - words that only place the subject later ("after", "later", "followed"), with a number and nothing
      that loosens it ("at least", "more than"), put it that time after (=).
    `open_said`: the open_end phrases of time_phrases the words say."""
    comparator, offset = relation.get("comparator"), relation.get("offset_value")
    expected = None
    if offset == 0 and comparator in ("=", "<=") and (not said or "=" not in allowed or said <= later):
        expected = ">="
    elif offset != 0 and said and said <= later and "=" in allowed and comparator != "=" \
            and not open_said:
        expected = "="
    if expected is None:
        return
    what = f"({', '.join(sorted(said))}) " if said else "(no words of time_phrases) "
    yield context.finding(
        f"{relation.get('relation_id')}: the words \"{relation.get('quote')}\" {what}place the subject "
        f"{'at or after its anchor' if expected == '>=' else 'the stated time after its anchor'}, so the comparator "
        f"is {expected}, not {comparator} with an offset of {relation.get('offset_value')}",
        resource="relative_timings", row=relation, field="comparator", expected=expected, observed=comparator)


# The resources whose rows have an end of their own (a schedule step), which end words time.
ENDING = {"drug_schedules"}


def _end_agrees(context, relation, quote: str, said: set, disputed, known: dict):
    """"X continued until Y", "X continued through Y": the words time the end of X, the row named before
    them. Where X is the relation's subject or anchor and has an end, that side's point is its end.
    `said`: the end words the quote says."""
    if not said:
        return
    pattern = phrases_pattern(tuple(sorted(said)))
    where = pattern.search(quote).start() if pattern is not None else None
    if where is None:
        return
    for side in ("subject", "anchor"):
        resource, point = relation.get(f"{side}_resource"), relation.get(f"{side}_point")
        if resource not in ENDING or point == "end" or f"{side}_point" in disputed:
            continue
        names = _names(context, (resource, relation.get(f"{side}_id")), known)
        named = phrases_pattern(tuple(names)) if names else None
        found = named.search(quote) if named is not None else None
        if found is not None and found.start() < where:
            yield context.finding(
                f"{relation.get('relation_id')}: the words \"{relation.get('quote')}\" ({', '.join(sorted(said))}) "
                f"time the end of {relation.get(f'{side}_id')}, named before them, but {side}_point is {point}",
                resource="relative_timings", row=relation, field=f"{side}_point", expected="end", observed=point)


def _subject_end_said(context, relation, end_said: set, disputed):
    """A schedule timed by a relation is timed at its start ("switched to X", "treated with X") unless the
    words speak of an end ("X was stopped", "until"): an end subject_point needs such words (`end_said`: the
    words of point_words end and end_words the quote says)."""
    if relation.get("subject_point") != "end" or relation.get("subject_resource") not in ENDING \
            or "subject_point" in disputed or end_said:
        return
    yield context.finding(
        f"{relation.get('relation_id')}: subject_point is end, but the words \"{relation.get('quote')}\" say "
        f"nothing of the end of {relation.get('subject_id')} (no word of point_words end or end_words)",
        resource="relative_timings", row=relation, field="subject_point", expected="start", observed="end")


def _point_agrees(context, relation, found: set, point_words: dict, disputed):
    """A start or end anchor_point is the one point of the anchor the words name, when they name one only
    (`found`: the phrases the quote says, point words among them)."""
    point = relation.get("anchor_point")
    if point not in point_words or "anchor_point" in disputed:
        return
    named = {other for other, words in point_words.items() if not found.isdisjoint(words)}
    if len(named) == 1 and point not in named:
        [said] = named
        yield context.finding(
            f"{relation.get('relation_id')}: the words \"{relation.get('quote')}\" name the {said} of the anchor, "
            f"but anchor_point is {point}", resource="relative_timings", row=relation, field="anchor_point",
            expected=said, observed=point)


def _span_written(context, relation, span_said: set, span_words: tuple, disputed):
    """An anchor_point during (the subject within the anchor's interval) is one the words state (`span_said`:
    the span words the quote says)."""
    if relation.get("anchor_point") != DURING or not span_words or "anchor_point" in disputed:
        return
    if not span_said:
        yield context.finding(
            f"{relation.get('relation_id')}: anchor_point is during (within the anchor's interval), but the words "
            f"\"{relation.get('quote')}\" say no {' or '.join(repr(word) for word in span_words)}",
            resource="relative_timings", row=relation, field="anchor_point",
            expected="a point its words name (start, end or time)", observed=DURING)


def _span_used(context, relation, quote: str, span_said: set, span_words: tuple, disputed, names):
    """Words that put the subject "during" the anchor (the anchor named in the clause after "during") mean
    the anchor's whole interval: a relation to one point of it (its start, its end) says less than the words.
    `names`: the anchor's (_names), None for an anchor not named by NAMED_BY or no row; `span_said`: the span
    words the quote says."""
    point = relation.get("anchor_point")
    if point == DURING or not span_words or "anchor_point" in disputed or not names:
        return
    anchor = (relation.get("anchor_resource"), relation.get("anchor_id"))
    for word in span_said:
        for match in re.finditer(rf"\b{re.escape(word)}\b", quote, re.IGNORECASE):
            clause = _CLAUSE_END.split(quote[match.end():], maxsplit=1)[0]
            if _says(names, clause):
                yield context.finding(
                    f"{relation.get('relation_id')}: the words \"{relation.get('quote')}\" put the subject "
                    f"'{word}' its anchor {anchor[1]}, within its whole interval, but anchor_point is {point}",
                    resource="relative_timings", row=relation, field="anchor_point", expected=DURING, observed=point)
                return


def _names(context, anchor, known: dict) -> list[str] | None:
    """The names of an anchor row (its drug, purpose, event type ...), looked up once per coded value
    (`known`); None when the row does not exist (relative-timing reports a missing anchor)."""
    tables = context.tables
    row = tables.row(*anchor) if anchor[0] in tables.keys else None
    return None if row is None else row_names(context, anchor[0], row, known)


def row_names(context, resource: str, row, known: dict) -> list[str]:
    """_names of a row already at hand (a row of `resource`, one of NAMED_BY)."""
    codes = (resource, *map(row.get, CODED_COLUMNS[resource]))
    names = known.get(codes)
    if names is None:
        names = []
        for column, vocabulary, name_column in NAMED_BY[resource]:
            names += names_of(context, vocabulary, row.get(column), name_column)
        names = known[codes] = list(dict.fromkeys(names))
    return names


def _says(names: list[str], quote: str) -> bool:
    pattern = phrases_pattern(tuple(names)) if names else None
    return pattern is not None and pattern.search(quote) is not None


def _anchor_words(context, anchors) -> dict:
    """(resource, id) -> the words of the row's quote (as _words gives them), for `anchors` only."""
    wanted: dict[str, set] = {}
    for resource, row_id in anchors:
        wanted.setdefault(resource, set()).add(row_id)
    found = {}
    for resource, ids in wanted.items():
        key = context.tables.keys.get(resource)
        rows = context.rows(resource)
        rows = list(compress(rows, map(ids.__contains__, map(methodcaller("get", key), rows))))  # (at C level)
        for row, (quote,) in context.tables.texts(resource, rows, ("quote",)):
            found[(resource, row.get(key))] = _words(normalise(str(quote or "")))
    return found


def _words(text: str) -> str:
    """The words of a text, lowercased, each between single spaces (punctuation dropped)."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def _shares_words(quote: str, anchor_words: str) -> bool:
    """Whether SHARED_WORDS consecutive words of `quote` occur, in order, among `anchor_words` (from _words)."""
    return _shares_runs(word_runs(quote), anchor_words)


def word_runs(quote: str) -> list[str]:
    """Each run of SHARED_WORDS consecutive words of `quote`, lowercased, as " w1 w2 w3 " (as _words spaces
    them): worked out once for a quote that is compared with the words of several rows."""
    words = _WORD.findall(quote.lower())
    return [f" {' '.join(words[index:index + SHARED_WORDS])} " for index in range(len(words) - SHARED_WORDS + 1)]


def _shares_runs(runs: list[str], anchor_words: str) -> bool:
    """Whether one of the runs (from word_runs) occurs among `anchor_words` (from _words)."""
    return any(map(anchor_words.__contains__, runs))
