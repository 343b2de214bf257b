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

from contextlib import closing

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
         "observations", "stated_summaries", "relative_timings", "combinations", "treatment_decisions")
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
    # The numbers each case's restating set-asides state; a case's fact rows are read only until
    # every one of them is found (the verdict is the same: a number found stays found), so the
    # rule does not read every number of every fact row again.
    said = [(row, numbers(str(quote or ""))) for row, (quote,) in context.tables.texts(SET_ASIDES, restating,
                                                                                        ("quote",))]
    sought: dict = {}  # case -> the values still looked for in its fact rows
    for row, stated in said:
        if stated:
            sought.setdefault(row.get("case_id"), set()).update(number.value for number in stated)
    encoded: dict = {case: set() for case in sought}  # case -> the sought values its fact rows state
    for resource in FACTS:
        if not sought:
            break
        if resource not in context.tables.keys:
            continue
        mine = (row for row in context.rows(resource) if row.get("case_id") in sought)
        with closing(context.tables.texts(resource, mine, WORDS)) as read:  # closes its file on a break
            for row, texts in read:
                case = row.get("case_id")
                looked_for = sought.get(case)
                if not looked_for:
                    continue  # found everything while this row was read ahead
                for text in texts:
                    if text:
                        for number in numbers(str(text)):
                            if number.value in looked_for:
                                looked_for.discard(number.value)
                                encoded[case].add(number.value)
                if not looked_for:
                    del sought[case]
                if not sought:
                    break
    for row, stated in said:
        missing = [number.text for number in stated if number.value not in encoded.get(row.get("case_id"), ())]
        if missing:
            yield context.finding(
                f"{row_id(SET_ASIDES, row)}: its reason is {row.get('reason')}, but no fact row of its case states "
                f"{', '.join(missing)}: what is set aside as said again is said nowhere else",
                resource=SET_ASIDES, row=row, field="reason", expected="numbers a fact row of the case states",
                observed=", ".join(missing))
