"""near-duplicate-forms and near-duplicate-labels: one vocabulary never holds one meaning under two codes."""
from __future__ import annotations

import pytest

from casekit.validation.findings import ERROR, WARNING
from rules_support import assert_only_rule_fires, validate


def _forms(tables, resource: str, code: str) -> str:
    key = tables.tables.keys[resource]
    return next(row["written_forms"] for row in tables.read_rows(resource) if row[key] == code)


@pytest.mark.parametrize("resource, code, borrowed, other", [
    ("event_types", "hospital_discharge", "died", "death"),  # the same form
    ("event_types", "hospital_discharge", "Fever", "fever"),  # a form that matches in any case
    ("purposes", "salvage_therapy", "Crs", "crs_treatment"),  # ... meets an abbreviation of its letters
    ("drugs", "prednisolone", "dexamethasone", "dexamethasone"),
    ("units", "wk", "Hours", "h"),  # a unit form made of letters matches in any case
    ("routes", "oral", "i.v.", "intravenous"),
])
def test_a_written_form_of_two_codes_is_an_error(typed_tables, resource, code, borrowed, other):
    typed_tables.set_cell(resource, code, "written_forms", f"{_forms(typed_tables, resource, code)}|{borrowed}")
    [finding] = assert_only_rule_fires(typed_tables, "near-duplicate-forms")
    assert (finding.severity, finding.resource, finding.field, finding.observed) == (
        ERROR, resource, "written_forms", borrowed)
    # The later row of the two gets the finding and names the earlier.
    assert finding.message.startswith(f"{code}: ") or finding.message.startswith(f"{other}: ")
    assert {code, other} <= set(finding.message.replace("'", " ").replace(":", " ").split())


def test_the_same_form_in_another_vocabulary_or_in_one_code_is_no_duplicate(typed_tables):
    # "CRS" is a syndrome's and a purpose's form; "mL|ml" are one unit's two forms.
    assert "CRS" in _forms(typed_tables, "syndromes", "crs") and "CRS" in _forms(typed_tables, "purposes",
                                                                                 "crs_treatment")
    typed_tables.set_cell("units", "mL", "written_forms", "mL|ml|ML")
    assert [f for f in validate(typed_tables) if f.rule.startswith("near-duplicate")] == []


@pytest.mark.parametrize("first, second", [
    ("ABC", "AbC"),  # two abbreviations match only as written
])
def test_abbreviations_that_differ_in_case_are_two_forms(typed_tables, first, second):
    typed_tables.set_cell("event_types", "fever", "written_forms", f"fever|febrile|{first}")
    typed_tables.set_cell("event_types", "death", "written_forms", f"died|death|{second}")
    assert [f for f in validate(typed_tables) if f.rule == "near-duplicate-forms"] == []


def test_unit_forms_with_a_symbol_match_only_as_written(typed_tables):
    # The published units hold "g/L" (grams per litre) and "G/L" (10^9 per litre, as some articles write it).
    assert "G/L" in _forms(typed_tables, "units", "10*9/L") and "g/L" in _forms(typed_tables, "units", "g/L")
    assert [f for f in validate(typed_tables) if f.rule == "near-duplicate-forms"] == []


@pytest.mark.parametrize("resource, code, column, label, other", [
    ("event_types", "hospital_discharge", "label", "  Fever ", "fever"),
    ("attributes", "clinical_trial", "label", "AGE", "age"),
    ("drugs", "prednisolone", "name", "Dexamethasone", "dexamethasone"),
    ("units", "Hz", "label", "hour", "h"),
])
def test_a_label_of_two_codes_is_a_warning(typed_tables, resource, code, column, label, other):
    typed_tables.set_cell(resource, code, column, label)
    [finding] = assert_only_rule_fires(typed_tables, "near-duplicate-labels")
    assert (finding.severity, finding.resource, finding.field, finding.observed) == (WARNING, resource, column, label)
    assert other in finding.message and code in finding.message


def test_a_duplicate_code_added_under_a_new_name_is_found(typed_tables):
    """The drift the rule is for: a second curator re-creates a published code under another name."""
    typed_tables.append_row("event_types", {"event_type": "discharge", "category": "clinical_course",
                                            "written_forms": "discharged", "label": "Discharge from hospital",
                                            "definition": "The patient leaves the hospital.", "source": "this dataset"})
    findings = [f for f in validate(typed_tables) if f.rule.startswith("near-duplicate")]
    assert sorted((f.rule, f.field, f.observed) for f in findings) == [
        ("near-duplicate-forms", "written_forms", "discharged"),
        ("near-duplicate-labels", "label", "Discharge from hospital")]
    assert all("hospital_discharge" in f.message for f in findings)
