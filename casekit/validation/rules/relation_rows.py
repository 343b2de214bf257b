"""relation-rows: a relative timing's subject and anchor are the rows its words mean.

relation-words checks that the quote names the anchor's drug or event type. Several rows of a case
may share that name (the steps of one drug's schedule, two fevers, two CSF analyses), so a relation
moved to a sibling row still named its anchor and passed. Here, for each side of a relation:

- subject: the quote names the subject row as relation-words requires of the anchor (its drug,
  purpose, event type, analyte, attribute or syndrome, a written form of these, or three consecutive
  words of the row's own quote);
- the row meant: among the case's rows of the side's resource that share its coded name (its
  siblings), the words single out the row they mean, each step narrowing the siblings only where
  it keeps some of them: a further name only some siblings have (a step's purpose: "during
  lymphodepletion with X"), a day the words state ("day +2", "D11") on which only some siblings lie,
  an ordinal of a step (params.step_ordinals with params.step_nouns: "the second dose", "the last
  dose"), three consecutive words of a sibling's own quote; then, for a schedule, the point counts
  (a start is the drug's first remaining step, "after initiation of X"; an end its last, "after
  discontinuation of X"). The side's row must be among those left, and be the only one left:
  words that leave two siblings alike do not say which one the relation times.

- the order: "X after Y" (params.anchor_follows) makes the row named right after the phrase the anchor,
  "X prior to Y", "X, followed by Y", "X continued through Y", "X treated with Y", "X switched to Y"
  (params.subject_follows) the later row, which a relation stores as its subject; judged where the
  other row is named before the phrase.

A side a recorded discrepancy disputes (its id or resource) is not judged. Work per relation is a
few dictionary look-ups and one search of its quote per sibling group; the siblings' quotes are read
once, in file order, only for groups that need them.
"""
from __future__ import annotations

import re
from itertools import compress
from operator import methodcaller

from casekit.quotes.normalise import normalise
from casekit.quotes.phrases import found_phrases
from casekit.timing import POINT_COLUMNS, point_interval
from casekit.validation.rules.relation_words import COLUMNS as WORD_COLUMNS, NAMED_BY, _anchor_words, _names, \
    _shares_runs, names_of, row_names, word_runs
from casekit.validation.rules.relative_timing import COLUMNS as TIMING_COLUMNS

KIND = "relation-rows"
# One pass over every case: the siblings' quotes are read from the data file once, not once per case.
SCOPE = "package"
PARAMS = {
    "type": "object",
    "properties": {
        "step_ordinals": {"type": "object", "additionalProperties": {"type": ["integer", "string"]}},
        "step_nouns": {"type": "array", "items": {"type": "string"}},
        "anchor_follows": {"type": "array", "items": {"type": "string"}},
        "subject_follows": {"type": "array", "items": {"type": "string"}},
    },
}
COLUMNS = {
    **WORD_COLUMNS,
    **TIMING_COLUMNS,
    "relative_timings": tuple(dict.fromkeys((*WORD_COLUMNS["relative_timings"], *TIMING_COLUMNS["relative_timings"],
                                             "case_id"))),
    **{resource: tuple(dict.fromkeys((*WORD_COLUMNS.get(resource, ()), *TIMING_COLUMNS.get(resource, ()),
                                      *(("step",) if resource == "drug_schedules" else ()))))
       for resource in NAMED_BY},
}
TEXTS = {resource: ("quote",) for resource in NAMED_BY}
LAST = "last"
# A day the words state: "day 7", "days +6 and +7", "day -4 to day -2", "D11" (the second number of a range too).
_DAY = re.compile(r"(?:\b[Dd]ays?\s*|\bD)([+-]?\d+)(?:\s*(?:-|–|to|and)\s*(?:[Dd]ays?\s*)?([+-]?\d+))?")


def stated_days(quote: str) -> set:
    days = set()
    for match in _DAY.finditer(quote):
        days.update(int(group) for group in match.groups() if group is not None)
    return days


# The fields of a relation whose dispute leaves its order, or one of its sides, unjudged.
_ORDER_FIELDS = frozenset(("subject_id", "anchor_id", "subject_resource", "anchor_resource"))
_SIDE_FIELDS = {side: frozenset((f"{side}_id", f"{side}_resource")) for side in ("subject", "anchor")}


def check(context):
    set_aside = context.tables.set_aside()
    checked = _relations_with_rows(context)
    context.checked(len(checked))
    ordinals = _ordinal_phrases(context.params)
    siblings = _siblings(context, checked)
    names_known: dict = {}
    followers = {phrase: side for side in ("anchor", "subject")
                 for phrase in context.params.get(f"{side}_follows", ())}
    judged = []  # (relation, quote, side, row, group of siblings or None, needs its own words)
    wanted = []
    for relation, subject_row, anchor_row in checked:
        disputed = set_aside.get(("relative_timings", relation.get("relation_id")), ())
        if disputed is None:
            continue
        quote = normalise(str(relation.get("quote") or ""))
        if not quote:
            continue
        sides = (("subject", relation.get("subject_resource"), subject_row),
                 ("anchor", relation.get("anchor_resource"), anchor_row))
        if followers and _ORDER_FIELDS.isdisjoint(disputed):
            yield from _order_agrees(context, relation, quote, followers, sides, names_known)
        for side, resource, row in sides:
            if resource not in NAMED_BY or not _SIDE_FIELDS[side].isdisjoint(disputed):
                continue
            unnamed = False
            if side == "subject":
                # (the row is the one the relation names: _names of its id would look it up again)
                unnamed = not _said(row_names(context, resource, row, names_known), quote)
                if unnamed:
                    wanted.append((resource, relation.get("subject_id")))
            group = siblings.get((resource, relation.get("case_id"), row.get(NAMED_BY[resource][0][0])), ())
            if len(group) > 1:
                key = context.tables.keys.get(resource)
                wanted.extend((resource, sibling.get(key)) for sibling in group)
            if unnamed or len(group) > 1:  # else nothing is left to judge of this side
                judged.append((relation, quote, side, row, group if len(group) > 1 else None, unnamed))
    words = _anchor_words(context, list(dict.fromkeys(wanted)))
    runs, runs_of = None, None  # the word runs of the last quote judged (both sides of a relation share it)
    for relation, quote, side, row, group, unnamed in judged:
        resource, row_key = relation.get(f"{side}_resource"), relation.get(f"{side}_id")
        if runs_of is not quote:
            runs, runs_of = word_runs(quote), quote
        if unnamed and not _shares_runs(runs, words.get((resource, row_key), "")):
            names = _names(context, (resource, row_key), names_known) or []
            yield context.finding(
                f"{relation.get('relation_id')}: its quote \"{relation.get('quote')}\" does not name its subject "
                f"{row_key} ({', '.join(names) or 'no name'}), nor quote its words",
                resource="relative_timings", row=relation, field="subject_id",
                expected=" or ".join(names) or "the subject's name", observed=row_key)
            continue
        if group is None:
            continue
        key = context.tables.keys.get(resource)
        meant, why = _meant(context, relation, quote, runs, side, group, words, ordinals)
        ids = [sibling.get(key) for sibling in meant]
        if row_key not in ids:
            yield context.finding(
                f"{relation.get('relation_id')}: its words \"{relation.get('quote')}\" mean {' or '.join(ids)} "
                f"({why}), not {row_key}", resource="relative_timings", row=relation, field=f"{side}_id",
                expected=" or ".join(ids), observed=row_key)
        elif len(ids) > 1 and len({words.get((resource, other)) for other in ids}) > 1:
            # (Siblings quoting the very same words are one fact stated twice: duplicate-fact's to report.)
            yield context.finding(
                f"{relation.get('relation_id')}: its words \"{relation.get('quote')}\" name {', '.join(ids)} alike "
                f"and do not say which one is its {side}; quote the words (a day, a step, the row's own words) "
                f"that single out {row_key}", resource="relative_timings", row=relation, field=f"{side}_id",
                expected=f"words that single out {row_key}", observed=row_key)


# The words right after a phrase: up to the end of its clause, and a few words at most.
_CLAUSE_END = re.compile(r"[,.;:()\[\]]")
FOLLOWING_WORDS = 5


def _order_agrees(context, relation, quote: str, followers: dict, sides: tuple, names_known: dict):
    """"X after Y": the row named right after "after" is the anchor; "X prior to Y", "X, followed by Y": the row
    named right after them is the later row, which a relation stores as its subject. Judged where the words
    name one of the relation's rows right after the phrase and the other before it. A relation whose two rows
    are swapped passed wherever neither row had a day. `sides`: (side, resource, row) of each of its rows."""
    said = found_phrases(tuple(followers), quote, normalised=True)
    if not said:
        return
    names = {side: row_names(context, resource, row, names_known) for side, resource, row in sides}
    pattern = _followers_pattern(tuple(sorted(said)))
    for match in pattern.finditer(quote):
        following = _CLAUSE_END.split(quote[match.end():], 1)[0].split()[:FOLLOWING_WORDS]
        window = " ".join(following)
        phrase = " ".join(match.group(0).lower().split())
        wanted = followers.get(phrase)
        if wanted is None:
            continue
        # Judged where the row named right after the phrase is the other one only (not the one it makes `wanted`).
        other = "subject" if wanted == "anchor" else "anchor"
        if not (names[other] and _said(names[other], window)) or (names[wanted] and _said(names[wanted], window)):
            continue
        # Only "X after Y" with both rows named, X (the row the phrase makes `wanted`) before the phrase: a
        # quote may open on words that relate an earlier row ("followed by R, with no response then received S").
        if names[wanted] and _said(names[wanted], quote[:match.start()]):
            yield context.finding(
                f"{relation.get('relation_id')}: the words \"{relation.get('quote')}\" name "
                f"{relation.get(f'{other}_id')} right after \"{phrase}\", which makes it the {wanted} "
                f"(the {'earlier' if wanted == 'anchor' else 'later'} row), but it is the {other}: subject and "
                f"anchor are swapped", resource="relative_timings", row=relation, field=f"{wanted}_id",
                expected=relation.get(f"{other}_id"), observed=relation.get(f"{wanted}_id"))
            return


def _followers_pattern(phrases: tuple) -> re.Pattern:
    pattern = _FOLLOWERS.get(phrases)
    if pattern is None:  # (compiled once per set of phrases: a few sets, met in every relation)
        pattern = _FOLLOWERS[phrases] = re.compile(
            "|".join(r"(?<![\w-])" + r"\s+".join(map(re.escape, phrase.split())) + r"(?![\w-])"
                     for phrase in phrases), re.IGNORECASE)
    return pattern


_FOLLOWERS: dict = {}


def _relations_with_rows(context) -> list:
    """(relation, subject row, anchor row) of each relation whose two rows exist in its own case (a missing
    or foreign row is relative-timing's and case-scope's to report)."""
    found = []
    keys, row_of, case_of = context.tables.keys, context.tables.row, context.tables.case_of
    for relation in context.rows("relative_timings"):
        case = relation.get("case_id")
        resource = relation.get("subject_resource")
        subject = row_of(resource, relation.get("subject_id")) if resource in keys else None
        if subject is None or case_of(resource, subject) != case:
            continue
        resource = relation.get("anchor_resource")
        anchor = row_of(resource, relation.get("anchor_id")) if resource in keys else None
        if anchor is not None and case_of(resource, anchor) == case:
            found.append((relation, subject, anchor))
    return found


def _siblings(context, checked) -> dict:
    """(resource, case, coded name) -> the rows of one case of that resource sharing it, for the coded names
    of the rows relations name, where more than one row shares it (siblings never cross cases)."""
    wanted: dict = {}  # (resource, case) -> the coded names its relations' rows have
    for relation, subject_row, anchor_row in checked:
        case = relation.get("case_id")
        for resource, row in ((relation.get("subject_resource"), subject_row),
                              (relation.get("anchor_resource"), anchor_row)):
            if resource in NAMED_BY:
                wanted.setdefault((resource, case), set()).add(row.get(NAMED_BY[resource][0][0]))
    set_aside = context.tables.set_aside()
    found: dict = {}
    for (resource, case), codes in wanted.items():
        column, key = NAMED_BY[resource][0][0], context.tables.keys.get(resource)
        groups: dict = {}
        rows = context.tables.for_case(resource, case)
        # (the rows holding one of the codes are picked out at C level: most rows of a case hold none)
        for row in compress(rows, map(codes.__contains__, map(methodcaller("get", column), rows))):
            if set_aside.get((resource, row.get(key)), ()) is not None:
                # (a reading the tables do not adopt is no row a relation can mean)
                groups.setdefault(row.get(column), []).append(row)
        found.update(((resource, case, code), group) for code, group in groups.items() if len(group) > 1)
    return found


def _ordinal_phrases(params) -> dict:
    """"the second dose" -> 2, "the last dose" -> LAST: each ordinal of params.step_ordinals before each step noun."""
    nouns = params.get("step_nouns", ())
    return {f"{ordinal} {noun}": position for ordinal, position in params.get("step_ordinals", {}).items()
            for noun in nouns}


def _meant(context, relation, quote, runs, side, group, words, ordinals):
    """The siblings the words single out, and why (for the finding); `runs`: the quote's word_runs."""
    resource, point = relation.get(f"{side}_resource"), relation.get(f"{side}_point")
    key = context.tables.keys.get(resource)
    left, why = list(group), []

    def narrow(keep, reason):
        nonlocal left
        kept = [row for row in left if keep(row)]
        if kept and len(kept) < len(left):
            left = kept
            why.append(reason)

    for column, vocabulary, name_column in NAMED_BY[resource][1:]:
        said = {id(row) for row in left if _said(names_of(context, vocabulary, row.get(column), name_column), quote)}
        narrow(lambda row: id(row) in said, f"the {column} they name")
    days = stated_days(quote)
    if days:
        narrow(lambda row: _exact_day(row, point) in days, "the day they state")
    if resource == "drug_schedules" and ordinals:
        said = found_phrases(tuple(ordinals), quote, normalised=True)
        steps = [row.get("step") for row in left if row.get("step") is not None]
        for phrase in sorted(said):
            position = ordinals[phrase]
            wanted = max(steps, default=None) if position == LAST else position
            narrow(lambda row: row.get("step") == wanted, f"\"{phrase}\"")
    narrow(lambda row: _shares_runs(runs, words.get((resource, row.get(key)), "")), "the words of the row they quote")
    if resource == "drug_schedules" and point in ("start", "end"):
        steps = [row.get("step") for row in left if row.get("step") is not None]
        if steps:
            first = (min if point == "start" else max)(steps)
            narrow(lambda row: row.get("step") == first,
                   f"the {'first' if point == 'start' else 'last'} step of the drug, whose {point} they time")
    return left, "; ".join(why) or "the rows they name"


def _exact_day(row, point):
    if point not in POINT_COLUMNS:
        return None  # a blank or unknown point: relative-timing's to report
    earliest, latest = point_interval(row, point)
    return int(earliest) if earliest is not None and earliest == latest and earliest == int(earliest) else None


def _said(names, text: str) -> bool:
    """Whether the (normalised) text says one of the names: each name is searched only where its first
    words occur, which most texts do not hold (one pattern of every name is slower on every text)."""
    return bool(names) and bool(found_phrases(tuple(names), text, normalised=True))
