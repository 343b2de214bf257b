"""stated-total-row: a total a schedule's own words state is kept as a stated summary.

A schedule step's quote may state a total of its drug: a number of doses ("one dose of", "a
single dose of": a number written with a form of a unit of kind `count`), or how long the drug was
given ("for 7 days": "for", a number and a form of a unit of kind `time`). When that number is all
of the drug's administrations in the case (the steps' administrations, counted as
administration-count counts them) or the drug's whole span (its first exact start to its last
exact end, both days counted or not), the article states a total of the drug, and the tables keep
stated totals as stated_summaries rows (administration_count, duration), which
administration-count and stated-duration check against the steps. So the step and its summary
need each other: without the summary the total is read only as a step's column, and deleting
either row is a finding. A number that is part of the drug ("four further doses" of five) is no
total; a step whose count or days are not all known states no total this rule can see.
"""
from __future__ import annotations

import re

from casekit.quotes.code_forms import code_pattern
from casekit.quotes.normalise import normalise
from casekit.quotes.numbers import number_spans
from casekit.quotes.units import forms_pattern, written_forms
from casekit.validation.rules._common import STEP_COLUMNS, administrations, exact_day, in_days, row_id
from casekit.validation.rules.context import show

KIND = "stated-total-row"
SCOPE = "package"  # the quotes are read again from the file row by row (TEXTS), so they are not kept
PARAMS = {"type": "object"}
COLUMNS = {"drug_schedules": (*STEP_COLUMNS, "schedule_id", "case_id"),
           "stated_summaries": ("case_id", "kind", "drug_id", "value", "unit"),
           "units": ("unit", "kind", "written_forms"), "frequencies": ("administrations_per_day",),
           "drugs": ("drug_id", "written_forms")}
TEXTS = {"drug_schedules": ("quote",)}
COUNT, TIME = "count", "time"  # the kinds of unit (units.kind) a count of doses and a duration are written in
ADMINISTRATION_COUNT, DURATION = "administration_count", "duration"
_FOR = re.compile(r"\bfor $", re.IGNORECASE)  # "for 7 days": how long, not when ("on day 7")
_FOR_ANYWHERE = re.compile(r"\bfor ", re.IGNORECASE)
_OF = re.compile(r"\s+of\s+(?:the\s+|a\s+)?", re.IGNORECASE)  # "one dose of X": the doses are X's


def check(context):
    counts, times = _unit_patterns(context)
    if counts is None and not times:
        return
    held, steps = {}, {}
    for summary in context.rows("stated_summaries"):
        value = summary.get("value")
        if value is not None:
            days = in_days(value, summary.get("unit")) if summary.get("kind") == DURATION else value
            held.setdefault((summary.get("case_id"), summary.get("kind"), summary.get("drug_id")), set()).add(days)
    for case in {row.get("case_id") for row in context.rows("drug_schedules")}:
        # A reading the tables do not adopt (discrepancy_rows) counts in no total.
        for step in context.tables.checked_rows("drug_schedules", case):
            steps.setdefault((case, step.get("drug_id")), []).append(step)
    checked = {id(step) for group in steps.values() for step in group}
    totals: dict = {}
    drugs = _Drugs(context)
    rows = context.rows("drug_schedules")
    context.checked(len(rows))
    for step, (quote,) in context.tables.texts("drug_schedules", rows, TEXTS["drug_schedules"]):
        if not quote or id(step) not in checked:
            continue
        case, drug = step.get("case_id"), step.get("drug_id")
        for kind, number, words in _stated_totals(normalise(str(quote)), counts, times, drugs, drug):
            if (case, drug, kind) not in totals:
                totals[(case, drug, kind)] = _total(context, steps[(case, drug)], kind)
            total = totals[(case, drug, kind)]
            if total is None or number not in total or number in held.get((case, kind, drug), ()):
                continue
            what = "all of its administrations" if kind == ADMINISTRATION_COUNT else "its whole span"
            yield context.finding(
                f"{row_id('drug_schedules', step)}: its quote states \"{words}\" of {drug}, which is {what} in the "
                f"case (a stated total), but no stated_summaries row of kind {kind} for {drug} holds it",
                resource="drug_schedules", row=step, field="quote",
                expected=f"a stated_summaries row ({kind}, {drug}, {show(number)})", observed=words)


def _unit_patterns(context) -> tuple:
    """(one pattern of the count units' forms or None, [(time unit, pattern of its forms)])."""
    if "units" not in context.tables.keys:
        return None, []
    units = context.tables["units"]
    counts = forms_pattern(tuple(form for row in units if row.get("kind") == COUNT
                                 for form in written_forms(row.get("written_forms"))))
    times = [(row.get("unit"), forms_pattern(tuple(written_forms(row.get("written_forms")))))
             for row in units if row.get("kind") == TIME]
    return counts, [(unit, pattern) for unit, pattern in times if pattern is not None]


class _Drugs:
    """Which drugs a text names at a place: one pattern of every drug's written forms, built when first needed."""

    def __init__(self, context):
        self.context, self.pattern, self.codes = context, None, {}

    def named_at(self, text: str, at: int) -> set:
        if self.pattern is None:
            rows = self.context.tables["drugs"] if "drugs" in self.context.tables.keys else []
            for row in rows:
                for form in written_forms(row.get("written_forms")):
                    self.codes.setdefault(normalise(form).lower(), set()).add(row.get("drug_id"))
            self.pattern = code_pattern(tuple(self.codes)) or re.compile(r"(?!)")
        match = self.pattern.match(text, at)
        return set() if match is None else self.codes.get(match.group(0).lower(), set())


def _stated_totals(quote: str, counts, times, drugs=None, drug=None) -> list[tuple]:
    """(kind, value, words) of each number the quote writes as a count of doses or as "for" a time
    (a duration in days). A count of doses of another drug ("after two doses of Y, X was given" in X's
    quote) is no total of the step's drug."""
    found = []
    if not (_FOR_ANYWHERE.search(quote) or (counts is not None and counts.search(quote))):
        return found  # most quotes write neither: one scan each, no number read
    for start, end, number in number_spans(quote):
        after = end + (quote[end:end + 1] in (" ", "-"))
        counted = counts.match(quote, after) if counts is not None else None
        if counted:
            of = _OF.match(quote, counted.end()) if drugs is not None else None
            named = drugs.named_at(quote, of.end()) if of is not None else set()
            if named and drug not in named:
                continue
            found.append((ADMINISTRATION_COUNT, number.value, quote[start:counted.end()]))
        elif _FOR.search(quote, max(0, start - 4), start):
            for unit, pattern in times:
                match = pattern.match(quote, after)
                if match:
                    found.append((DURATION, in_days(number.value, unit), quote[start - 4:match.end()]))
                    break
    return found


def _total(context, steps, kind) -> set | None:
    """The drug's total of this kind in the case: {administrations, as administration-count counts them},
    or {its span counted exclusive, inclusive} in days; None when a step leaves it unknown."""
    if kind == ADMINISTRATION_COUNT:
        counts = [administrations(step, context) for step in steps]
        return None if None in counts else {sum(counts)}
    starts = [exact_day(step, "start") for step in steps]
    ends = [exact_day(step, "end") for step in steps]
    if None in starts or None in ends:
        return None
    span = max(ends) - min(starts)
    return {span, span + 1}
