"""relative-words: the words that time a row relative to another are held by a relative timing of that row.

A row timed `relative` has no days of its own; its `timing_as_stated` holds the article's words that
time it ("1 day after the start of the drug", "just prior to discharge"). time-words asks
only that some relative timing name the row, so deleting the relation those words state passed as
long as another relation still named the row (one that bounds something else: a later row timed
after it). The complete set of relations of a relative row is one that holds each of its time
statements: some relation of the row (as subject, or as the anchor of a row its words put after
it) quotes its timing_as_stated, and, where those words name a row (a drug, an event type ... as
relation-words reads names), that relation's other row is one they name. A row without
timing_as_stated has its time words only in its relations; time-words' check that one exists is
all that can be asked of it.

Rows and relations a recorded discrepancy sets aside are not judged. Linear: one pass over the
relations to group them by row, one pass over the relative rows, the vocabularies' names gathered once.
"""
from __future__ import annotations

from casekit.quotes.normalise import normalise
from casekit.validation.rules._common import TIME_COLUMNS, row_id
from casekit.validation.rules.relation_words import NAMED_BY, VOCABULARY_KEYS, _names, _says, names_of

KIND = "relative-words"
SCOPE = "package"  # one pass over every case: the vocabularies' names are gathered once
PARAMS = {"type": "object", "required": ["relative_basis"], "properties": {"relative_basis": {"type": "string"}}}
COLUMNS = {
    "relative_timings": ("relation_id", "subject_resource", "subject_id", "anchor_resource", "anchor_id", "quote"),
    **{resource: ("timing_basis", *(column for column, _, _ in NAMED_BY.get(resource, ())))
       for resource in TIME_COLUMNS},
    **{vocabulary: (VOCABULARY_KEYS[vocabulary], name, "written_forms")
       for entries in NAMED_BY.values() for _, vocabulary, name in entries},
}
TEXTS = {resource: ("timing_as_stated",) for resource in TIME_COLUMNS}


def check(context):
    relative = context.params["relative_basis"]
    set_aside = context.tables.set_aside()
    by_row: dict = {}  # (resource, id) -> [(relation, the other side's (resource, id))]
    for relation in context.rows("relative_timings"):
        if set_aside.get(("relative_timings", relation.get("relation_id")), ()) is None:
            continue
        subject = (relation.get("subject_resource"), relation.get("subject_id"))
        anchor = (relation.get("anchor_resource"), relation.get("anchor_id"))
        by_row.setdefault(subject, []).append((relation, anchor))
        by_row.setdefault(anchor, []).append((relation, subject))
    every_name = None
    known: dict = {}
    for resource in TIME_COLUMNS:
        key = context.tables.keys.get(resource)
        rows = [row for row in context.rows(resource) if row.get("timing_basis") == relative
                and set_aside.get((resource, row.get(key)), ()) is not None]
        context.checked(len(rows))
        for row, (stated,) in context.tables.texts(resource, rows, ("timing_as_stated",)):
            words = normalise(str(stated or "")).strip()
            if not words:
                continue
            lowered = words.lower()
            holding = [(relation, other) for relation, other in by_row.get((resource, row.get(key)), ())
                       if lowered in normalise(str(relation.get("quote") or "")).lower()]
            if every_name is None:
                every_name = _every_name(context)
            if holding and _says(every_name, words):
                holding = [(relation, other) for relation, other in holding if _names_it(context, other, words, known)]
            if not holding:
                yield context.finding(
                    f"{row_id(resource, row)}: its words \"{stated}\" time it relative to another row, but no "
                    f"relative timing of it quotes them (with the row they name)", resource=resource, row=row,
                    field="timing_as_stated", expected="a relative timing quoting these words",
                    observed=str(stated))


def _names_it(context, other, words: str, known: dict) -> bool:
    """Whether the words name the relation's other row; a row that does not exist is relative-timing's to report."""
    if other[0] not in NAMED_BY:
        return False
    names = _names(context, other, known)
    return names is None or _says(names, words)


def _every_name(context) -> list[str]:
    """Every name a relation's row can be named by (drugs, purposes, event types ...), once per run."""
    def build():
        names = []
        for entries in NAMED_BY.values():
            for _, vocabulary, name_column in entries:
                if vocabulary not in context.tables.keys:
                    continue
                code = VOCABULARY_KEYS[vocabulary]
                for entry in context.tables[vocabulary]:
                    names += names_of(context, vocabulary, entry.get(code), name_column)
        return sorted(set(names))

    return build()
