"""relative-words: the words that time a row relative to another are held by a relative timing of that row.

A row timed `relative` has no days of its own; its `timing_as_stated` holds the article's words that
time it ("1 day after the start of the drug", "just prior to discharge"). time-words asks
only that some relative timing name the row, so deleting the relation those words state passed as
long as another relation still named the row (one that bounds something else: a later row timed
after it). The complete set of relations of a relative row is one that holds each of its time
statements: some relation of the row (as subject, or as the anchor of a row its words put after
it) quotes its timing_as_stated, and, where those words name a row (a drug, an event type ... as
relation-words reads names), that relation's other row is one they name. "Where those words name a
row" reads the names of the rows the case's relations name other than the row itself (a row named
by no relation left is one no deleted relation can be told from; its own name, "in necropsy", names
no other row).

A row timed `relative` without timing_as_stated is refused: its time would rest on relations whose
words nothing checks, so deleting or moving one of several passed unseen. Its timing_as_stated
holds the words of the article that time it (a comparator word such as "followed", "concurrently",
"after bridging therapy", or the words whose meaning times it, "in necropsy"), which one of its
relations quotes.

Where a relative row's words place it after the row they time it by (params.later_phrases: "after",
"later", "followed") and say nothing that places it earlier (params.earlier_phrases: "before", "prior
to", "followed by"), a relation holding them has the row as its subject, the later row; where they place it
only earlier ("just prior to discharge"), as its anchor. A phrase followed by the row's own name places it the
other way ("followed by R" times R after the row before it; "Q, followed by R" times Q before R). So subject and anchor swapped is found where
neither row has a day and the relation's quote names the two rows in no telling order ("4 days
later", "22 months after hematopoietic stem cell transplantation").

Rows and relations a recorded discrepancy sets aside are not judged. Linear: one pass over the
relations to group them by row, one pass over the relative rows; a row's words are searched only for
the names whose first word they hold.
"""
from __future__ import annotations

import functools
import re

from casekit.quotes.normalise import normalise
from casekit.quotes.phrases import found_phrases
from casekit.validation.rules._common import TIME_COLUMNS, row_id
from casekit.validation.rules.relation_rows import _CLAUSE_END, FOLLOWING_WORDS, _said
from casekit.validation.rules.relation_words import _WORD, NAMED_BY, VOCABULARY_KEYS, _names

KIND = "relative-words"
SCOPE = "package"  # one pass over every case's relations and rows
PARAMS = {"type": "object", "required": ["relative_basis"],
          "properties": {"relative_basis": {"type": "string"},
                         "later_phrases": {"type": "array", "items": {"type": "string"}},
                         "earlier_phrases": {"type": "array", "items": {"type": "string"}}}}
COLUMNS = {
    "relative_timings": ("relation_id", "case_id", "subject_resource", "subject_id", "anchor_resource", "anchor_id",
                         "quote"),
    **{resource: ("timing_basis", *(column for column, _, _ in NAMED_BY.get(resource, ())))
       for resource in TIME_COLUMNS},
    **{vocabulary: (VOCABULARY_KEYS[vocabulary], name, "written_forms")
       for entries in NAMED_BY.values() for _, vocabulary, name in entries},
}
TEXTS = {resource: ("timing_as_stated",) for resource in TIME_COLUMNS}


def check(context):
    relative = context.params["relative_basis"]
    directions = _directions({"subject": tuple(context.params.get("later_phrases", ())),
                              "anchor": tuple(context.params.get("earlier_phrases", ()))})
    set_aside = context.tables.set_aside()
    # Relations whose two rows lie in other cases than the relation (case-scope's to report) are kept
    # for the whole run; every other relation is looked up through its case, one case at a time.
    foreign: dict = {}
    crossing: set = set()  # id() of each relation with such a row
    for relation in context.rows("relative_timings"):
        if _kept(relation, set_aside):
            for side, other in _sides(relation):
                if _case_of_side(context, side) != relation.get("case_id"):
                    foreign.setdefault(side, []).append((relation, other))
                    crossing.add(id(relation))
    known: dict = {}
    first_words_of: dict = {}  # a name -> its first word (names come from the vocabularies: few)
    current = None  # (case, its relations by row, {first word of a name: names}), built when a row of it needs it
    for resource in TIME_COLUMNS:
        key = context.tables.keys.get(resource)
        rows = [row for row in context.rows(resource) if row.get("timing_basis") == relative
                and set_aside.get((resource, row.get(key)), ()) is not None]
        context.checked(len(rows))
        for row, (stated,) in context.tables.texts(resource, rows, ("timing_as_stated",)):
            words = normalise(str(stated or "")).strip()
            if not words:
                yield context.finding(
                    f"{row_id(resource, row)}: it is timed relative to another row, but timing_as_stated does "
                    f"not hold the article's words that time it, so nothing checks that its relations say what "
                    f"the article says", resource=resource, row=row, field="timing_as_stated",
                    expected="the words that time it, quoted by one of its relative timings", observed="empty")
                continue
            lowered = words.lower()
            case = context.tables.case_of(resource, row)
            if current is None or current[0] != case:
                current = (case, *_case_relations(context, case, set_aside, crossing, known, first_words_of))
            _, by_row, first_words = current
            this = (resource, row.get(key))
            holding = [(relation, other) for relation, other in (*by_row.get(this, ()), *foreign.get(this, ()))
                       if lowered in normalise(str(relation.get("quote") or "")).lower()]
            if holding and _names_a_related_row(first_words, words, _names(context, this, known) or ()):
                holding = [(relation, other) for relation, other in holding if _names_it(context, other, words, known)]
            if not holding:
                yield context.finding(
                    f"{row_id(resource, row)}: its words \"{stated}\" time it relative to another row, but no "
                    f"relative timing of it quotes them (with the row they name)", resource=resource, row=row,
                    field="timing_as_stated", expected="a relative timing quoting these words",
                    observed=str(stated))
                continue
            side = _side_the_words_give(directions, words, _names(context, this, known) or ())
            if side is not None and not any(_is_side(relation, side, this) for relation, _ in holding):
                relation = holding[0][0]
                other = "anchor" if side == "subject" else "subject"
                yield context.finding(
                    f"{relation.get('relation_id')}: the words of {this[1]} \"{stated}\" place it "
                    f"{'after' if side == 'subject' else 'before'} the row they time it by, so it is the {side} "
                    f"({'the later row' if side == 'subject' else 'the earlier row'}) of the relation that holds "
                    f"them, but this relation, the only one that does, stores it as the {other}: subject and anchor "
                    f"are swapped, or the relation the words state is missing", resource="relative_timings",
                    row=relation, field=f"{side}_id", expected=this[1], observed=relation.get(f"{side}_id"))


def _directions(directions: dict) -> tuple:
    """What _side_the_words_give reads of the direction phrases ({side: phrases}), worked out once a run:
    the phrases, and each phrase's words (lowercased, single-spaced) -> its side."""
    phrases = {phrase: side for side, listed in directions.items() for phrase in listed}
    by_text = {" ".join(normalise(phrase).lower().split()): side for phrase, side in phrases.items()}
    return tuple(phrases), by_text


def _side_the_words_give(directions: tuple, words: str, own_names) -> str | None:
    """"subject" where the words place their row only later than another, "anchor" only earlier, else None.
    A phrase places the row the other way where the row's own name comes right after it: "R-CHOP, followed by
    R-GemOx" places R-CHOP earlier, "followed by R-GemOx" R-GemOx later. Of phrases that overlap, the longest
    is read ("followed by", not "followed"). `directions`: from _directions."""
    phrases, by_text = directions
    if not phrases or not found_phrases(phrases, words, normalised=True):
        return None
    said = set()
    for match in _directions_pattern(tuple(sorted(by_text, key=len, reverse=True))).finditer(words):
        side = by_text.get(" ".join(match.group(0).lower().split()))
        if side is None:
            continue
        following = " ".join(_CLAUSE_END.split(words[match.end():], 1)[0].split()[:FOLLOWING_WORDS])
        if own_names and following and _said(own_names, following):
            side = "anchor" if side == "subject" else "subject"
        said.add(side)
    return said.pop() if len(said) == 1 else None


@functools.lru_cache(maxsize=64)
def _directions_pattern(phrases: tuple) -> re.Pattern:
    """Every phrase as whole words, the longest first, so that an overlap is read as the longest phrase."""
    return re.compile("|".join(r"(?<![\w-])" + r"\s+".join(map(re.escape, phrase.split())) + r"(?![\w-])"
                               for phrase in phrases), re.IGNORECASE)


def _is_side(relation, side: str, row) -> bool:
    return (relation.get(f"{side}_resource"), relation.get(f"{side}_id")) == row


def _kept(relation, set_aside) -> bool:
    return set_aside.get(("relative_timings", relation.get("relation_id")), ()) is not None


def _sides(relation):
    """(this row, the other row) for the relation's subject and its anchor, each as (resource, id)."""
    subject = (relation.get("subject_resource"), relation.get("subject_id"))
    anchor = (relation.get("anchor_resource"), relation.get("anchor_id"))
    return (subject, anchor), (anchor, subject)


def _case_of_side(context, side):
    row = context.tables.row(*side) if side[0] in context.tables.keys else None
    return None if row is None else context.tables.case_of(side[0], row)


def _case_relations(context, case, set_aside, crossing: set, known: dict, first_words_of: dict):
    """A case's relations by the rows in that case they name, and the first-word index of the names of
    every row they name: only one case's are held at a time, so memory does not grow with the cases."""
    by_row: dict = {}
    related: set = set()
    for relation in context.tables.for_case("relative_timings", case):
        if _kept(relation, set_aside):
            for side, other in _sides(relation):
                related.add(side)
                if id(relation) not in crossing or _case_of_side(context, side) == case:
                    by_row.setdefault(side, []).append((relation, other))
    return by_row, _first_words(context, related, known, first_words_of)


def _names_it(context, other, words: str, known: dict) -> bool:
    """Whether the words name the relation's other row; a row that does not exist is relative-timing's to report."""
    if other[0] not in NAMED_BY:
        return False
    names = _names(context, other, known)
    return names is None or _said(names, words)


def _first_words(context, rows, known: dict, first_words_of: dict) -> dict:
    """{the first word of a name: the names} of the rows a case's relations name (as relation-words reads names)."""
    index: dict = {}
    lists = {}  # each list of names once (rows of one drug or event type share theirs, from `known`)
    for row in rows:
        if row[0] in NAMED_BY:
            names = _names(context, row, known)
            if names:
                lists[id(names)] = names
    for names in lists.values():
        for name in names:
            if name not in first_words_of:
                words = _WORD.findall(normalise(name).lower())
                first_words_of[name] = words[0] if words else None
            if first_words_of[name] is not None:
                index.setdefault(first_words_of[name], set()).add(name)
    return index


def _names_a_related_row(index: dict, words: str, own_names) -> bool:
    """Whether the words name a row some relation of the case names, other than by the row's own names: only
    names whose first word occurs are searched."""
    candidates = {name for word in _WORD.findall(words.lower()) for name in index.get(word, ())} - set(own_names)
    return bool(candidates) and _said(sorted(candidates), words)

