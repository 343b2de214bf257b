"""decision-reason: a treatment not given says why in the article's words, and its reason row is that reason.

A treatment_decisions row records a drug that was considered and not given, or not considered
(its decision and drug are checked against its quote by coded-words). Its `reason` is the
article's words for why: they must lie inside the row's quote, and a quote that gives a reason
(one of params.reason_cues, such as "due to") needs them. A `reason_event_id` names the
clinical_events row that records the reason as a finding of the patient: it must be a row of the
same case whose event type is written in the reason's words (or, with no reason words, in the
quote), so the link says what the words say. Where the reason's words are the quote of one event
of the case, that event is the reason: a reason_event_id left empty, or naming another event of
the same type whose own words the reason does not hold, is refused.
"""
from __future__ import annotations

from casekit.quotes.code_forms import CodeForms, written_forms
from casekit.quotes.normalise import normalise
from casekit.validation.row_checks import blank
from casekit.validation.rules._common import row_id
from casekit.validation.rules.context import excerpt

KIND = "decision-reason"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["reason_cues"],
    "properties": {"reason_cues": {"type": "string"}},
    "additionalProperties": False,
}
DECISIONS = "treatment_decisions"
EVENTS = "clinical_events"
COLUMNS = {DECISIONS: ("decision_id", "case_id", "reason_event_id"), EVENTS: ("event_id", "event_type", "case_id"),
           "event_types": ("event_type", "written_forms")}
TEXTS = {DECISIONS: ("quote", "reason"), EVENTS: ("quote",)}


def check(context):
    rows = context.rows(DECISIONS) if DECISIONS in context.tables.keys else []
    if not rows:
        context.not_checkable("no treatment not given is recorded")
        return
    context.checked(len(rows))
    cues = CodeForms(written_forms(context.params["reason_cues"]))
    tables = context.tables
    events = None
    for row, (quote, reason) in tables.texts(DECISIONS, rows, ("quote", "reason")):
        name = row_id(DECISIONS, row)
        quote = "" if quote is None else str(quote)
        if reason is not None and blank(str(reason)):
            yield context.finding(f"{name}: the reason holds only spaces or invisible characters; write the article's "
                                  f"words for it, or leave it empty", resource=DECISIONS, row=row, field="reason",
                                  expected="the reason's words or nothing", observed=repr(str(reason)))
            continue
        if reason:
            if normalise(str(reason)) not in normalise(quote):
                yield context.finding(f"{name}: the reason {excerpt(str(reason))} is not in the quote "
                                      f"{excerpt(quote)}; write the article's own words for it",
                                      resource=DECISIONS, row=row, field="reason", expected="words of the quote",
                                      observed=str(reason))
                continue
        else:
            said = cues.find(normalise(quote))
            if said is not None:
                yield context.finding(f"{name}: the quote gives a reason ('{said}') but reason is empty: "
                                      f"{excerpt(quote)}", resource=DECISIONS, row=row, field="reason",
                                      expected="the reason's words", observed="empty")
                continue
        event_id = row.get("reason_event_id")
        if reason:
            if events is None:  # the case's events and their words, read once per case
                events = [(event.get("event_id"), normalise(str(words or "")))
                          for event, (words,) in tables.texts(EVENTS, context.rows(EVENTS), ("quote",))]
            written = _events_written_in(normalise(str(reason)), events)
            if written and event_id not in written:
                shown = ", ".join(written)
                yield context.finding(f"{name}: the reason {excerpt(str(reason))} is the words of {shown}, but "
                                      f"reason_event_id is {event_id or 'empty'}", resource=DECISIONS, row=row,
                                      field="reason_event_id", expected=shown, observed=event_id or "empty")
                continue
        if event_id is None:
            continue
        event = tables.row(EVENTS, event_id)
        if event is None:
            continue  # a row that exists nowhere is the schema's foreign key
        owner = tables.case_of(EVENTS, event)
        if owner != context.case_id:
            yield context.finding(f"{name}: reason_event_id {event_id} is an event of case {owner}, not of this case",
                                  resource=DECISIONS, row=row, field="reason_event_id",
                                  expected=f"an event of case {context.case_id}", observed=f"case {owner}")
            continue
        event_type = event.get("event_type")
        type_row = tables.row("event_types", event_type) if "event_types" in tables.keys else None
        forms = CodeForms(written_forms(None if type_row is None else type_row.get("written_forms")))
        words = str(reason) if reason else quote
        if not forms.found_in([words]):
            yield context.finding(f"{name}: reason_event_id {event_id} is a {event_type} event, which the words "
                                  f"{excerpt(words)} do not write", resource=DECISIONS, row=row,
                                  field="reason_event_id", expected=f"a written form of {event_type}",
                                  observed=event_type)


def _events_written_in(reason: str, events) -> list:
    """The events whose whole quote the reason's words hold (an event's words inside the reason)."""
    return [event_id for event_id, words in events if words and words in reason]
