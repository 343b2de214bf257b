"""The code rules: ICD-10 and ICD-10-CM codes exist, LOINC check digits, ATC levels, per-grade codes.

Each slip is planted in several rows of the real package's typed tables; every test asserts
the rule and the field. The same slips in the fixture cases are in test_fixture_cases.py.
"""
from __future__ import annotations

import pytest

from rules_support import validate


def fields_of(findings, rule_id) -> set[tuple[str, str]]:
    return {(f.resource, f.field) for f in findings if f.rule == rule_id}


@pytest.mark.parametrize("resource, row_id, code", [
    ("case_characteristics", "cc-diagnosis", "C83.308"),  # one wrong digit (C83.398): no such code
    ("toxicity_grades", "tg-crs-day-0", "D89.822"),
    ("toxicity_grades", "tg-icans", "G92.40"),
])
def test_an_icd10cm_code_that_does_not_exist_is_rejected(typed_tables, resource, row_id, code):
    typed_tables.set_cell(resource, row_id, "icd10cm_code", code)
    findings = validate(typed_tables)
    assert (resource, "icd10cm_code") in fields_of(findings, "icd10cm-code")
    [finding] = [f for f in findings if f.rule == "icd10cm-code"]
    assert finding.observed == code and "is not a code of ICD-10-CM" in finding.message


@pytest.mark.parametrize("code", ["C83.39", "C83.3", "D89.83"])
def test_an_icd10cm_category_is_not_a_billable_code(typed_tables, code):
    typed_tables.set_cell("case_characteristics", "cc-diagnosis", "icd10cm_code", code)
    findings = validate(typed_tables)
    [finding] = [f for f in findings if f.rule == "icd10cm-code"]
    assert finding.field == "icd10cm_code" and "not a billable code" in finding.message


@pytest.mark.parametrize("resource, row_id, code", [
    ("case_characteristics", "cc-diagnosis", "C38.3"),  # C83.3 transposed: a real code that does not hold C83.398
    ("case_characteristics", "cc-diagnosis", "C33.8"),  # transposed again: no such WHO code
    ("toxicity_grades", "tg-crs-day-3", "D98.8"),  # on a grade row that had none: no such WHO code
])
def test_a_who_icd10_code_with_transposed_digits_is_rejected(typed_tables, resource, row_id, code):
    typed_tables.set_cell(resource, row_id, "icd10_code", code)
    findings = validate(typed_tables)
    assert fields_of(findings, "icd10-code") == {(resource, "icd10_code")}


def test_a_who_icd10_code_that_holds_the_icd10cm_code_is_accepted(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "icd10_code", "D89.8")
    assert fields_of(validate(typed_tables), "icd10-code") == set()


@pytest.mark.parametrize("analyte, code", [
    ("crp", "1988-6"),  # wrong check digit
    ("ferritin", "2276-7"),
    ("il-6", "26881-8"),
    ("body-temperature", "8130-5"),  # two digits transposed: the check digit no longer fits
])
def test_a_loinc_code_with_a_wrong_check_digit_is_rejected(typed_tables, analyte, code):
    typed_tables.set_cell("analytes", analyte, "loinc_code", code)
    findings = validate(typed_tables)
    [finding] = [f for f in findings if f.rule == "loinc-check-digit"]
    assert (finding.resource, finding.field, finding.observed) == ("analytes", "loinc_code", code)


def test_loinc_check_digit_follows_the_users_guide_example():
    from casekit.validation.rules.loinc_check_digit import check_digit

    assert check_digit("12345") == 5
    assert [check_digit(number) for number in ("1988", "2276", "26881", "8310")] == [5, 4, 3, 5]


def test_a_loinc_code_the_guide_lists_as_an_exception_is_accepted(typed_tables):
    typed_tables.set_cell("analytes", "crp", "loinc_code", "11491-6")
    assert fields_of(validate(typed_tables), "loinc-check-digit") == set()


@pytest.mark.parametrize("drug, level", [("dasatinib", 4), ("g-csf", 5), ("immunoglobulin", 3), ("fludarabine", 1)])
def test_an_atc_level_that_disagrees_with_the_codes_length_is_rejected(typed_tables, drug, level):
    typed_tables.set_cell("drugs", drug, "atc_level", str(level))
    findings = validate(typed_tables)
    [finding] = [f for f in findings if f.rule == "atc-level"]
    assert (finding.resource, finding.field, finding.observed) == ("drugs", "atc_level", str(level))


def test_an_atc_level_without_a_code_is_rejected(typed_tables):
    typed_tables.set_cell("drugs", "platelets", "atc_code", "")
    findings = validate(typed_tables)
    assert fields_of(findings, "atc-level") == {("drugs", "atc_level")}


@pytest.mark.parametrize("row_id, code, meaning", [
    ("tg-crs-day-3", "D89.832", "crs grade 2"),  # the grade-2 code on the grade-3 row
    ("tg-crs-day-0", "D89.833", "crs grade 3"),
    ("tg-icans", "G92.03", "icans grade 3"),  # the grade-3 code on the grade-4 row
    ("tg-icans", "D89.834", "crs grade 4"),  # a CRS code on the ICANS row
    ("tg-crs-day-0", "G92.02", "icans grade 2"),
    ("tg-icans", "G92.00", "icans grade unspecified"),  # the unspecified-grade code on a graded row
])
def test_a_per_grade_code_that_disagrees_with_the_rows_syndrome_or_grade_is_rejected(typed_tables, row_id, code,
                                                                                     meaning):
    typed_tables.set_cell("toxicity_grades", row_id, "icd10cm_code", code)
    findings = validate(typed_tables)
    [finding] = [f for f in findings if f.rule == "graded-code"]
    assert (finding.resource, finding.field, finding.observed) == ("toxicity_grades", "icd10cm_code", code)
    assert f"is {meaning}" in finding.message


def test_a_crs_row_with_a_code_outside_the_crs_codes_is_rejected(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-0", "icd10cm_code", "C83.398")
    findings = validate(typed_tables)
    assert fields_of(findings, "graded-code") == {("toxicity_grades", "icd10cm_code")}


def test_the_per_grade_codes_are_data_with_their_source():
    from casekit.validation.rules.graded_code import mapping
    import yaml

    from conftest import REPO

    document = yaml.safe_load((REPO / "casekit" / "validation" / "graded_codes.yaml").read_text(encoding="utf-8"))
    assert "ICD-10-CM" in document["source"]
    column, codes = mapping("graded_codes.yaml")
    assert column == "icd10cm_code" and codes["D89.832"] == ("crs", 2) and codes["G92.04"] == ("icans", 4)


# Importing simple_icd_10_cm takes about 3 s: the two tests that ask the libraries share one xdist worker.
ICD_LIBRARIES = pytest.mark.xdist_group("icd-libraries")


@ICD_LIBRARIES
def test_every_per_grade_code_of_the_mapping_is_a_billable_icd10cm_code_naming_its_grade():
    import simple_icd_10_cm as cm

    from casekit.validation.rules.graded_code import mapping

    for code, (syndrome, grade) in mapping("graded_codes.yaml")[1].items():
        assert cm.is_valid_item(code) and cm.is_leaf(code), code
        description = cm.get_description(code).lower()
        assert (f"grade {grade}" if grade is not None else "grade unspecified") in description, (code, description)


@ICD_LIBRARIES
def test_the_offline_lists_agree_with_the_libraries():
    import simple_icd_10 as who
    import simple_icd_10_cm as cm

    from casekit.validation.code_lists import icd10cm, who_icd10

    for code in ("C83.398", "C83.308", "C83.39", "D89.832", "G92.04", "C91.02", "C91.03", "U09.9"):
        assert icd10cm().exists(code.replace(".", "")) == cm.is_valid_item(code), code
        if cm.is_valid_item(code):
            assert icd10cm().is_leaf(code.replace(".", "")) == cm.is_leaf(code), code
    for code in ("C83.3", "C38.3", "C33.8", "C91.0", "C19.0", "D89.8", "D98.8", "G92"):
        assert who_icd10().exists(code) == who.is_valid_item(code), code


def test_without_the_icd_libraries_codes_are_not_checkable_never_passed(typed_tables, monkeypatch):
    from casekit.validation.rule_summary import RuleSummary
    from casekit.validation.rules import columns_needed, run_rules, texts_needed
    from casekit.validation.rules import icd10_code, icd10cm_code
    from conftest import PACKAGE

    monkeypatch.setattr(icd10cm_code, "icd10cm", lambda: None)
    monkeypatch.setattr(icd10_code, "who_icd10", lambda: None)
    summary = RuleSummary()
    tables = typed_tables.tables.compacted(columns_needed(), texts_needed())
    findings = run_rules(PACKAGE, tables, typed_tables.descriptor, summary=summary)
    assert not [f for f in findings if f.rule in {"icd10-code", "icd10cm-code"}]
    counts = summary.as_dict()
    coded = {column: sum(1 for name in ("case_characteristics", "toxicity_grades")
                         for row in typed_tables.read_rows(name) if row.get(column))
             for column in ("icd10cm_code", "icd10_code")}
    assert counts["icd10cm-code"]["checked"] == 0 and counts["icd10cm-code"]["not_checkable"] == coded["icd10cm_code"] > 0
    assert "install simple-icd-10-cm" in " ".join(counts["icd10cm-code"]["not_checkable_why"])
    assert counts["icd10-code"]["not_checkable"] == coded["icd10_code"] > 0


def test_an_ontology_term_of_a_licensed_terminology_is_rejected_and_open_terms_are_not_checkable(typed_tables):
    typed_tables.set_cell("case_characteristics", "cc-diagnosis", "ontology_code", "SNOMEDCT:93037000")
    findings = validate(typed_tables)
    assert fields_of(findings, "ontology-code") == {("case_characteristics", "ontology_code")}


def test_codes_rules_do_not_import_the_icd_libraries(tmp_path):
    """Importing simple_icd_10_cm parses a 9.7 MB XML (about 3 s): the validator reads its code list instead."""
    import subprocess
    import sys

    from conftest import REPO

    code = ("import sys; from pathlib import Path; from casekit.validation.pipeline import validate_package; "
            "r = validate_package(Path('.')); assert r.exit_code() == 0, r.findings; "
            "print(sorted(m for m in sys.modules if m.startswith('simple_icd')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_slips_planted_in_the_files_with_hashes_refreshed_are_each_reported(package):
    """End to end, as a curator would meet them: edited CSV files, hashes refreshed, the JSON report."""
    import json

    from rules_support import set_cells

    set_cells(package, "case_characteristics", "cc-diagnosis", icd10cm_code="C83.308")
    set_cells(package, "toxicity_grades", "tg-icans", icd10cm_code="G92.03")
    set_cells(package, "analytes", "ferritin", loinc_code="2276-5")
    set_cells(package, "drugs", "dasatinib", atc_level="4")
    events = package.read_rows("clinical_events")
    package.write_rows("clinical_events", events + [{**events[0], "event_id": events[0]["event_id"] + "-again"}])
    package.refresh_hashes()
    result = package.run_main("--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert {(f["rule"], f["resource"], f["field"]) for f in report["findings"]} == {
        ("icd10cm-code", "case_characteristics", "icd10cm_code"), ("graded-code", "toxicity_grades", "icd10cm_code"),
        ("loinc-check-digit", "analytes", "loinc_code"), ("atc-level", "drugs", "atc_level"),
        ("duplicate-fact", "clinical_events", "event_id")}
    for rule_id in ("icd10cm-code", "graded-code", "loinc-check-digit", "atc-level", "duplicate-fact"):
        assert report["rules"][rule_id]["failed"] == 1, rule_id
