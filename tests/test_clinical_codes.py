"""This package's clinical codes: each is verified by the validator's code rules, and an empty code says why.

Whether a code exists (WHO ICD-10, ICD-10-CM billable codes), agrees with its row's grade
(graded-code) or is from an open ontology is now checked by the validator for every case
(rules icd10-code, icd10cm-code, graded-code, ontology-code; tests/test_rules_codes.py plants
each slip). What stays here is this package's own policy: the diagnosis and every CRS and
ICANS grade carry an ICD-10-CM code, and a code left empty is explained in code_note.
"""
from __future__ import annotations

import csv

import pytest

from conftest import PACKAGE, PUBLISHED_CASE
from rules_support import validate

CODED_TABLES = {"case_characteristics": "characteristic_id", "toxicity_grades": "grade_id"}
CODE_COLUMNS = ("icd10_code", "icd10cm_code", "ontology_code")
CODE_RULES = {"icd10-code", "icd10cm-code", "graded-code", "ontology-code"}


def rows_of(name: str) -> list[dict]:
    with (PACKAGE / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rows_that_need_codes() -> list[tuple[str, dict]]:
    """Diagnosis rows and every toxicity grade row."""
    needed = [("toxicity_grades", row) for row in rows_of("toxicity_grades")]
    needed += [("case_characteristics", row) for row in rows_of("case_characteristics") if row["attribute"] == "diagnosis"]
    return needed


@pytest.mark.parametrize("resource, row", rows_that_need_codes(),
                         ids=[row[CODED_TABLES[resource]] for resource, row in rows_that_need_codes()])
def test_an_empty_code_is_explained(resource, row):
    if not all(row[column] for column in CODE_COLUMNS):
        assert row["code_note"], "a code is empty but code_note does not say why"


def test_the_diagnosis_and_each_crs_and_icans_grade_carry_an_icd10cm_code():
    published = [row for _, row in rows_that_need_codes() if row["case_id"] == PUBLISHED_CASE]
    assert published and all(row["icd10cm_code"] for row in published)


def test_the_code_rules_check_every_code_of_the_package_and_find_nothing(typed_tables):
    from casekit.validation.rule_summary import RuleSummary
    from casekit.validation.rules import columns_needed, run_rules, texts_needed

    summary = RuleSummary()
    tables = typed_tables.tables.compacted(columns_needed(), texts_needed())
    findings = run_rules(PACKAGE, tables, typed_tables.descriptor, summary=summary)
    assert not [f for f in findings if f.rule in CODE_RULES]
    counts = summary.as_dict()
    coded = sum(1 for name in CODED_TABLES for row in rows_of(name) if row["icd10cm_code"])
    assert counts["icd10cm-code"]["checked"] == coded
    assert counts["graded-code"]["checked"] == sum(1 for row in rows_of("toxicity_grades") if row["icd10cm_code"])


@pytest.mark.parametrize("change, rule_id", [
    ({"icd10_code": "C83.9"}, "icd10-code"),  # a real WHO code that does not hold C83.398
    ({"icd10_code": "C99.9"}, "icd10-code"),
    ({"icd10cm_code": "C83.3"}, "icd10cm-code"),
    ({"icd10cm_code": "C83.99X"}, "icd10cm-code"),
    ({"ontology_code": "SNOMEDCT:93037000"}, "ontology-code"),
])
def test_a_wrong_diagnosis_code_is_caught_by_the_validator(typed_tables, change, rule_id):
    for column, value in change.items():
        typed_tables.set_cell("case_characteristics", "cc-diagnosis", column, value)
    hits = [f for f in validate(typed_tables) if f.rule in CODE_RULES]
    assert [(f.rule, f.field) for f in hits] == [(rule_id, next(iter(change)))]


def test_a_grade_row_coded_for_another_grade_is_caught_by_the_validator(typed_tables):
    grade = next(row for row in rows_of("toxicity_grades") if row["icd10cm_code"])
    typed_tables.set_cell("toxicity_grades", grade["grade_id"], "grade", str(int(grade["grade"]) % 4 + 1))
    hits = [f for f in validate(typed_tables) if f.rule == "graded-code"]
    assert [(f.resource, f.field) for f in hits] == [("toxicity_grades", "icd10cm_code")]
