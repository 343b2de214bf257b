"""set-aside-reason: a set-aside's reason agrees with what its row can show.

A reason is a curator's word, but two of them say something the tables can check:

- a reason of params.figure_reasons (figure_only: a figure's time window, drawn only as a curve)
  rests on a locator that is a figure (its `figure` is set): words of the running text are no
  figure's;
- a reason of params.restated_reasons (restated: the article says it again) sets aside numbers
  the case encodes elsewhere: every number of its quote is a number of some fact row's words of
  the same case, read by the same number reader as quote-agreement. A number encoded nowhere is
  not restated, it is left out.
"""
from __future__ import annotations

from casekit.quotes.numbers import numbers
from casekit.validation.rules._common import row_id

KIND = "set-aside-reason"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "properties": {
        "figure_reasons": {"type": "array", "items": {"type": "string"}},
        "restated_reasons": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}
SET_ASIDES = "set_asides"
FACTS = ("case_characteristics", "drug_schedules", "clinical_events", "toxicity_grades",
         "observations", "stated_summaries", "relative_timings")
WORDS = ("quote", "timing_as_stated")
COLUMNS = {
    SET_ASIDES: ("set_aside_id", "case_id", "locator_id", "reason"),
    "locators": ("locator_id", "figure"),
    **{resource: ("case_id",) for resource in FACTS},
}
TEXTS = {SET_ASIDES: ("quote",), **{resource: WORDS for resource in FACTS}}


def check(context):
    if SET_ASIDES not in context.tables.keys:
        return
    figures = set(context.params.get("figure_reasons", ()))
    restated = set(context.params.get("restated_reasons", ()))
    rows = context.rows(SET_ASIDES)
    context.checked(len(rows))
    restating = [row for row in rows if row.get("reason") in restated]
    for row in rows:
        if row.get("reason") in figures:
            locator = context.tables.row("locators", row.get("locator_id"))
            if locator is not None and locator.get("figure") is None:
                yield context.finding(
                    f"{row_id(SET_ASIDES, row)}: its reason is {row.get('reason')}, but its locator "
                    f"{row.get('locator_id')} is no figure", resource=SET_ASIDES, row=row, field="reason",
                    expected="a figure's locator, or another reason", observed=row.get("reason"))
    if not restating:
        return
    # Only the numbers the restating quotes state are looked for in their case's fact rows: a set of
    # every number every case states would hold all cases at once (this rule judges the package whole).
    said = [(row, numbers(str(quote or ""))) for row, (quote,) in context.tables.texts(SET_ASIDES, restating, ("quote",))]
    wanted: dict = {}  # case -> the values its restating quotes state
    for row, stated in said:
        wanted.setdefault(row.get("case_id"), set()).update(number.value for number in stated)
    encoded: dict = {}  # case -> those of them its fact rows' words state
    for resource in FACTS:
        if resource not in context.tables.keys:
            continue
        mine = [row for row in context.rows(resource) if row.get("case_id") in wanted]
        for row, texts in context.tables.texts(resource, mine, WORDS):
            looked_for = wanted[row.get("case_id")]
            values = encoded.setdefault(row.get("case_id"), set())
            for text in texts:
                if text:
                    values.update(number.value for number in numbers(str(text)) if number.value in looked_for)
    for row, stated in said:
        missing = [number.text for number in stated if number.value not in encoded.get(row.get("case_id"), set())]
        if missing:
            yield context.finding(
                f"{row_id(SET_ASIDES, row)}: its reason is {row.get('reason')}, but no fact row of its case states "
                f"{', '.join(missing)}: what is set aside as said again is said nowhere else",
                resource=SET_ASIDES, row=row, field="reason", expected="numbers a fact row of the case states",
                observed=", ".join(missing))
