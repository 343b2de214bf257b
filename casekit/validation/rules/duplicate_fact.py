"""duplicate-fact: one case does not state the same fact twice.

Two rows of one fact table and one case state the same fact when everything but their id
is the same: the article's words (`quote`, `timing_as_stated`), the locator, and every
structured field. Free commentary (`note`, `code_note`, an event's `description`, the
grade or reference range as written, which only copy the quote) is not compared. The
later row is the finding.

Linear and light: the rows of each case are first grouped by the structured fields the
validator keeps (STRUCTURED); only rows that collide there have their words and other
fields (RECHECKED) read through Tables.texts() and compared.
"""
from __future__ import annotations

from operator import itemgetter

from casekit.validation.rules._common import PRIMARY_KEYS, TIME_COLUMNS

KIND = "duplicate-fact"
SCOPE = "package"
PARAMS = {"type": "object"}
_TIMES = ("time_unit", "timing_basis")
# What two rows must share to be compared at all: kept in memory (most columns are read by other rules too).
STRUCTURED = {
    "case_characteristics": ("attribute", "value_number", "value_min", "value_max", "unit",
                             *TIME_COLUMNS["case_characteristics"], *_TIMES),
    "drug_schedules": ("drug_id", "step", "purpose", "dose_value", "dose_unit", "dose_per_body_value",
                       "dose_per_body_unit", "frequency", "administrations", *TIME_COLUMNS["drug_schedules"], *_TIMES),
    "clinical_events": ("event_type", *TIME_COLUMNS["clinical_events"], *_TIMES),
    "toxicity_grades": ("syndrome", "grading_system", "grade", *TIME_COLUMNS["toxicity_grades"], *_TIMES),
    "observations": ("analyte_id", "value", "unit", "value_kind", "reference_low", "reference_high",
                     *TIME_COLUMNS["observations"], *_TIMES),
    "stated_summaries": ("kind", "drug_id", "analyte_id", "syndrome", "value", "unit"),
    "relative_timings": ("subject_resource", "subject_id", "subject_point", "anchor_resource", "anchor_id",
                         "anchor_point", "offset_value", "offset_unit"),
    "treatment_decisions": ("drug_id", "decision", "reason_event_id"),
    "combinations": ("name",),
}
# The words, and the remaining structured fields, read through Tables.texts() for colliding rows only.
RECHECKED = {
    "case_characteristics": ("quote", "timing_as_stated", "value_text", "method", "icd10_code", "icd10cm_code",
                             "ontology_code", "value_certainty"),
    "drug_schedules": ("quote", "timing_as_stated", "route", "dose_description", "combination_id"),
    "clinical_events": ("quote", "timing_as_stated", "certainty", "purpose", "device"),
    "toxicity_grades": ("quote", "timing_as_stated", "icd10_code", "icd10cm_code", "ontology_code"),
    "observations": ("quote", "timing_as_stated", "interpretation", "value_certainty"),
    "stated_summaries": ("quote", "counting_convention"),
    "relative_timings": ("quote", "comparator", "counting_convention"),
    "treatment_decisions": ("quote", "reason"),
    "combinations": ("quote",),
}
# Columns deliberately not compared: commentary, and words that only copy the quote.
NOT_COMPARED = ("note", "code_note", "description", "grade_as_stated", "reference_text")
COLUMNS = {resource: (*columns, "locator_id", "case_id") for resource, columns in STRUCTURED.items()}
TEXTS = RECHECKED


def check(context):
    tables = context.tables
    case_ids = tables.case_ids()
    for resource, columns in STRUCTURED.items():
        if not tables[resource]:
            continue
        context.checked(len(tables[resource]))
        key_of = itemgetter("locator_id", *columns)
        first_of: dict[int, object] = {}  # id(row) -> the earlier row it collides with
        for case_id in case_ids:
            seen: dict[tuple, object] = {}
            for row in tables.for_case(resource, case_id):
                key = key_of(row)
                try:
                    earlier = seen.setdefault(key, row)
                except TypeError:  # an unhashable value: this row cannot collide
                    continue
                if earlier is not row:
                    first_of[id(row)] = earlier
        if not first_of:
            continue
        yield from _same_words(context, resource, first_of)


def _same_words(context, resource, first_of):
    earlier_rows = {id(row): row for row in first_of.values()}
    later_rows = [row for row in context.tables[resource] if id(row) in first_of]
    involved = sorted([*earlier_rows.values(), *later_rows], key=lambda row: row.get("_row"))
    unique = list({id(row): row for row in involved}.values())
    words = {id(row): values for row, values in context.tables.texts(resource, unique, RECHECKED[resource])}
    key = PRIMARY_KEYS.get(resource)
    for row in later_rows:
        earlier = first_of[id(row)]
        if words.get(id(row)) != words.get(id(earlier)):
            continue
        yield context.finding(f"{row.get(key)} states the same fact as {earlier.get(key)} (same quote, locator "
                              f"and fields in case {row.get('case_id')}); keep one of the two rows",
                              resource=resource, row=row, field=key, observed=str(row.get(key)),
                              expected=f"no second row like {earlier.get(key)}")
