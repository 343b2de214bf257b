"""set-aside-reason: a set-aside's reason agrees with what its row can show.

A reason is a curator's word, but two of them say something the tables can check:

- a reason of params.figure_reasons (figure_only: a figure's time window, drawn only as a curve)
  rests on a locator that is a figure (its `figure` is set): words of the running text are no
  figure's;
- a reason of params.restated_reasons (restated: the article says it again) sets aside numbers
  the case encodes elsewhere: every number of its quote is a number of some fact row's words of
  the same case, read by the same number reader as quote-agreement. A number encoded nowhere is
  not restated, it is left out.

And every reason declares in data what its words may state (set_aside_reasons.admits), which is
checked where the words can show it, clause by clause of the set-aside's quote:

- `no_fact` (an identifier, a reference number, the publication): no number written with a unit
  of a dose or a measure (params.dose_kinds, params.value_kinds: "40 mg/day", "19.5 mg/L"), and none
  in a clause that writes a drug, event type, syndrome or analyte (their written_forms): "CRS grade
  3" set aside as a reference number is a fact left out;
- `unmodelled` (a fact the model has no column for yet): no dose (a number written with a unit of
  params.dose_kinds), no measured value (params.value_kinds) beside an analyte, no time (a number
  counted in a unit of params.time_kinds: "day 3", "2 weeks") beside a drug, event type, syndrome
  or analyte: the schedules, observations and events hold those;
- `any` (another study's result, background, interpretation ...): what the words say is not
  checkable from them; the rows are counted as not checkable in the per-rule summary.
"""
from __future__ import annotations

import re
from contextlib import closing

from casekit.quotes.code_forms import CodeForms, code_pattern, written_forms
from casekit.quotes.normalise import normalise
from casekit.quotes.numbers import number_spans, numbers
from casekit.quotes.units import counted_units, forms_pattern
from casekit.validation.rules._common import row_id

KIND = "set-aside-reason"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "properties": {
        "figure_reasons": {"type": "array", "items": {"type": "string"}},
        "restated_reasons": {"type": "array", "items": {"type": "string"}},
        "dose_kinds": {"type": "array", "items": {"type": "string"}},
        "value_kinds": {"type": "array", "items": {"type": "string"}},
        "time_kinds": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}
SET_ASIDES = "set_asides"
FACTS = ("case_characteristics", "drug_schedules", "clinical_events", "toxicity_grades",
         "observations", "stated_summaries", "relative_timings", "combinations", "treatment_decisions")
WORDS = ("quote", "timing_as_stated")
REASONS = "set_aside_reasons"
NO_FACT, UNMODELLED = "no_fact", "unmodelled"
# The coded vocabularies a set-aside's words are read for, by what the model holds beside them.
DRUGS, ANALYTES, EVENTS = ("drugs",), ("analytes",), ("event_types", "syndromes")
VOCABULARY_KEYS = {"drugs": "drug_id", "analytes": "analyte_id", "event_types": "event_type", "syndromes": "syndrome"}
# The columns of the fact tables that name a code of those vocabularies.
CODE_COLUMNS = {"drug_schedules": ("drug_id",), "clinical_events": ("event_type",), "toxicity_grades": ("syndrome",),
                "observations": ("analyte_id",), "stated_summaries": ("drug_id", "analyte_id", "syndrome"),
                "treatment_decisions": ("drug_id",)}
_VOCABULARY_OF = {key: vocabulary for vocabulary, key in VOCABULARY_KEYS.items()}
_CLAUSE_END = re.compile(r"[;.](?:\s|$)")
COLUMNS = {
    SET_ASIDES: ("set_aside_id", "case_id", "locator_id", "reason"),
    REASONS: ("reason", "admits"),
    "units": ("unit", "kind", "written_forms"),
    **{vocabulary: (key, "written_forms") for vocabulary, key in VOCABULARY_KEYS.items()},
    "locators": ("locator_id", "figure"),
    **{resource: ("case_id", *CODE_COLUMNS.get(resource, ())) for resource in FACTS},
}
TEXTS = {SET_ASIDES: ("quote",), **{resource: WORDS for resource in FACTS}}


def check(context):
    if SET_ASIDES not in context.tables.keys:
        return
    figures = set(context.params.get("figure_reasons", ()))
    restated = set(context.params.get("restated_reasons", ()))
    rows = context.rows(SET_ASIDES)
    restating = [row for row in rows if row.get("reason") in restated]
    for row in rows:
        if row.get("reason") in figures:
            locator = context.tables.row("locators", row.get("locator_id"))
            if locator is not None and locator.get("figure") is None:
                yield context.finding(
                    f"{row_id(SET_ASIDES, row)}: its reason is {row.get('reason')}, but its locator "
                    f"{row.get('locator_id')} is no figure", resource=SET_ASIDES, row=row, field="reason",
                    expected="a figure's locator, or another reason", observed=row.get("reason"))
    yield from _admitted(context, rows, figures | restated)
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
    unsaid = set()
    for row, stated in said:
        missing = [number.text for number in stated if number.value not in encoded.get(row.get("case_id"), ())]
        if missing:
            unsaid.add(id(row))
            yield context.finding(
                f"{row_id(SET_ASIDES, row)}: its reason is {row.get('reason')}, but no fact row of its case states "
                f"{', '.join(missing)}: what is set aside as said again is said nowhere else",
                resource=SET_ASIDES, row=row, field="reason", expected="numbers a fact row of the case states",
                observed=", ".join(missing))
    yield from _restated_with_their_codes(context, [row for row in restating if id(row) not in unsaid])


def _restated_with_their_codes(context, restating):
    """A number said again beside a coded word ("On day 6, one dose of X") is said again only where a fact
    row of the case states it in words that write the same code, or in the words of a row naming that code: the
    number alone is in many rows (a day,
    "one"), so setting aside the only words of a fact whose rows were deleted passed as restated."""
    words = _Words(context)
    sought: dict = {}  # case -> [(set-aside, number, {(vocabulary, code)}, the form written)]
    for row, (quote,) in context.tables.texts(SET_ASIDES, restating, ("quote",)):
        for clause in _clauses(normalise(str(quote or ""))):
            spans = number_spans(clause)
            codes, form = words.codes_written(clause) if spans else (set(), None)
            if codes:
                sought.setdefault(row.get("case_id"), []).extend(
                    (row, number, codes, form) for _, _, number in spans)
    if not sought:
        return
    for resource in FACTS:
        if resource not in context.tables.keys or not sought:
            continue
        mine = (row for row in context.rows(resource) if row.get("case_id") in sought)
        with closing(context.tables.texts(resource, mine, WORDS)) as read:
            for row, texts in read:
                left = sought.get(row.get("case_id"))
                if not left:
                    continue
                text = normalise(" ".join(str(text) for text in texts if text))
                values = {number.value for number in numbers(text)}
                named = {(_VOCABULARY_OF[column], row.get(column)) for column in CODE_COLUMNS.get(resource, ())}
                kept = [item for item in left if item[1].value not in values
                        or not (named & item[2] or words.writes(text, item[2]))]
                if not kept:
                    del sought[row.get("case_id")]  # the case's later rows are no longer read
                    if not sought:
                        break
                elif len(kept) < len(left):
                    sought[row.get("case_id")] = kept
    reported = set()
    for items in sought.values():
        for row, number, codes, form in items:
            if id(row) in reported:
                continue
            reported.add(id(row))
            yield context.finding(
                f"{row_id(SET_ASIDES, row)}: its reason is {row.get('reason')}, but no fact row of its case states "
                f"{number.text} in words that write {form}: what is set aside as said again is said nowhere else",
                resource=SET_ASIDES, row=row, field="reason",
                expected=f"a fact row of the case stating {number.text} with {form}", observed=number.text)


def _admitted(context, rows, checked_otherwise: set):
    """Findings for set-asides whose words state what their reason declares it does not admit; the
    rows no check can judge (a reason that admits any fact, and none of the checks above) counted as such."""
    admits = {row.get("reason"): row.get("admits") for row in context.rows(REASONS)} \
        if REASONS in context.tables.keys else {}
    checked = [row for row in rows if admits.get(row.get("reason")) in (NO_FACT, UNMODELLED)]
    unchecked = sum(1 for row in rows if admits.get(row.get("reason")) not in (NO_FACT, UNMODELLED)
                    and row.get("reason") not in checked_otherwise)
    context.checked(len(rows) - unchecked)
    context.not_checkable("its reason admits facts of any kind (set_aside_reasons.admits is any): "
                          "the words cannot show whether the reason is true", unchecked)
    if not checked:
        return
    words = _Words(context)
    for row, (quote,) in context.tables.texts(SET_ASIDES, checked, ("quote",)):
        admitted = admits[row.get("reason")]
        for clause in _clauses(normalise(str(quote or ""))):
            slip = words.no_fact(clause) if admitted == NO_FACT else words.modelled(clause)
            if slip is not None:
                number, how = slip
                yield context.finding(
                    f"{row_id(SET_ASIDES, row)}: its reason {row.get('reason')} admits {_ADMITS[admitted]}, but its "
                    f"quote states {number} {how}: \"{clause.strip()}\"", resource=SET_ASIDES, row=row,
                    field="reason", expected=f"words stating {_ADMITS[admitted]}, or a reason that admits facts",
                    observed=f"{number} {how}")
                break


_ADMITS = {NO_FACT: "no fact of the case", UNMODELLED: "only facts the model cannot hold"}


def _clauses(text: str) -> list[str]:
    """The clauses of a quote that state a number (split at sentence ends and semicolons)."""
    found, start = [], 0
    for match in _CLAUSE_END.finditer(text):
        found.append(text[start:match.start()])
        start = match.end()
    found.append(text[start:])
    return [clause for clause in found if clause.strip() and any(character.isalnum() for character in clause)]


class _Words:
    """The coded forms and units of the package, compiled once per run: one pattern per vocabulary."""

    def __init__(self, context):
        self.coded, self.quick = {}, {}
        self.codes_of: dict = {}  # vocabulary -> {a form, lower case: its codes}
        self.forms_of: dict = {}  # (vocabulary, code) -> its forms
        for vocabulary, key in VOCABULARY_KEYS.items():
            if vocabulary not in context.tables.keys:
                continue
            forms = []
            by_form = self.codes_of[vocabulary] = {}
            for row in context.rows(vocabulary):
                own = tuple(normalise(form) for form in written_forms(row.get("written_forms")))
                self.forms_of[(vocabulary, row.get(key))] = own
                forms += own
                for form in own:
                    by_form.setdefault(form.lower(), set()).add(row.get(key))
            forms = tuple(forms)
            self.coded[vocabulary] = code_pattern(forms)
            # The quick search finds a form exactly where the pattern does (tests/test_rules_coded_words.py)
            # at a fraction of the cost of one alternation of every form; the pattern then says which words.
            self.quick[vocabulary] = CodeForms(forms)
        units = context.rows("units") if "units" in context.tables.keys else []
        kinds = {kind: set(context.params.get(f"{kind}_kinds", ())) for kind in ("dose", "value", "time")}
        self.after = {kind: forms_pattern(tuple(normalise(form) for row in units if row.get("kind") in wanted
                                                for form in written_forms(row.get("written_forms"))))
                      for kind, wanted in kinds.items() if kind != "time"}
        self.time_forms = {form.lower(): row.get("unit") for row in units if row.get("kind") in kinds["time"]
                           for form in written_forms(row.get("written_forms")) if form.isalpha()}

    def codes_written(self, clause: str) -> tuple[set, str | None]:
        """The codes ((vocabulary, code)) whose forms the clause writes, and the first form written."""
        codes, first = set(), None
        for vocabulary in VOCABULARY_KEYS:
            pattern = self.coded.get(vocabulary)
            if pattern is None or self.quick[vocabulary].find(clause) is None:
                continue
            for match in pattern.finditer(clause):
                found = self.codes_of[vocabulary].get(match.group(0).lower(), ())
                codes.update((vocabulary, code) for code in found)
                first = first or (f"{match.group(0)!r} ({vocabulary})" if found else None)
        return codes, first

    def writes(self, text: str, codes) -> bool:
        """Whether the (normalised) text writes a form of one of the codes."""
        for code in codes:
            pattern = code_pattern(self.forms_of.get(code, ()))  # compiled once per process (lru_cache)
            if pattern is not None and pattern.search(text):
                return True
        return False

    def written(self, clause: str, vocabularies) -> str | None:
        """The first form of a code of these vocabularies the clause writes, or None."""
        for vocabulary in vocabularies:
            pattern = self.coded.get(vocabulary)
            if pattern is None or self.quick[vocabulary].find(clause) is None:
                continue
            match = pattern.search(clause)
            if match is not None:
                return f"{match.group(0)!r} ({vocabulary})"
        return None

    def unit_after(self, clause: str, spans, kind: str) -> str | None:
        """The first number of the clause written with a unit of this kind ("8mg/kg", "19.5 mg/L"), or None."""
        pattern = self.after.get(kind)
        if pattern is None:
            return None
        return next((number.text for _, end, number in spans
                     if pattern.match(clause, end + (clause[end:end + 1] == " "))), None)

    def no_fact(self, clause: str):
        spans = number_spans(clause)
        if not spans:
            return None
        for kind, what in (("dose", "a dose"), ("value", "a measured value")):
            unit = self.unit_after(clause, spans, kind)
            if unit is not None:
                return unit, f"with a unit: {what}"
        coded = self.written(clause, (*DRUGS, *EVENTS, *ANALYTES))
        return None if coded is None else (spans[0][2].text, f"beside {coded}")

    def modelled(self, clause: str):
        spans = number_spans(clause)
        if not spans:
            return None
        dose = self.unit_after(clause, spans, "dose")
        if dose is not None:
            return dose, "with a unit: a dose, which the drug schedules hold"
        value = self.unit_after(clause, spans, "value")
        coded = self.written(clause, ANALYTES) if value is not None else None
        if coded is not None:
            return value, f"with a unit beside {coded}: a value, which the observations hold"
        if self.time_forms and counted_units(clause, self.time_forms):
            coded = self.written(clause, (*EVENTS, *DRUGS, *ANALYTES))
            if coded is not None:
                return spans[0][2].text, f"as a time beside {coded}: the events, schedules and observations hold it"
        return None
