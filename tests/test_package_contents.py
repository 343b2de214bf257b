"""The package holds what issue 2 asks for, modelled the way the README promises.

The facts of the published case are asserted on its own rows (PUBLISHED_CASE), whatever other
cases the package under test holds.
"""
from __future__ import annotations

import csv
import functools
import json

import pytest
from ucumvert import get_ucum_parser

from conftest import PACKAGE, PUBLISHED_CASE

DESCRIPTOR = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {resource["name"]: resource for resource in DESCRIPTOR["resources"]}
REFERENCE_TABLES = {"sources", "time_phrases", "drugs", "analytes", "units", "routes", "frequencies", "purposes", "event_types", "syndromes",
                    "grading_systems", "sections", "attributes", "dose_limits", "set_aside_reasons",
                    "dose_descriptions", "decisions", "value_certainties", "devices"}
LINK_TABLES = {"discrepancy_rows"}


def schema_of(name: str) -> dict:
    return json.loads((PACKAGE / RESOURCES[name]["schema"]).read_text(encoding="utf-8"))


def rows_of(name: str) -> list[dict]:
    with (PACKAGE / RESOURCES[name]["path"]).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def published_rows(name: str) -> list[dict]:
    return [row for row in rows_of(name) if row["case_id"] == PUBLISHED_CASE]


def column(name: str, field: str) -> set[str]:
    """The values of a fact table's column in the published case's rows."""
    return {row[field] for row in published_rows(name)}


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_schema_is_a_json_file_in_schemas_referenced_by_path(name):
    path = RESOURCES[name]["schema"]
    assert isinstance(path, str) and path == f"schemas/{name}.schema.json"
    assert (PACKAGE / path).is_file()


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_field_has_a_title_and_a_description(name):
    for field in schema_of(name)["fields"]:
        assert field.get("title") and field.get("description"), field["name"]


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_numeric_field_names_its_unit(name):
    fields = {field["name"]: field for field in schema_of(name)["fields"]}
    for field in fields.values():
        if field["type"] in ("number", "integer"):
            assert "unit" in field or field.get("unitField") in fields, field["name"]


@pytest.mark.parametrize("name", sorted(set(RESOURCES) - REFERENCE_TABLES - LINK_TABLES - {"locators"}))
def test_every_fact_table_has_a_case_and_a_locator_key(name):
    schema = schema_of(name)
    names = [field["name"] for field in schema["fields"]]
    assert "case_id" in names
    references = {tuple([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]): fk["reference"]["resource"]
                  for fk in schema.get("foreignKeys", [])}
    assert references.get(("case_id",)) == "cases" or name == "cases"
    locator_fields = [n for n in names if n.startswith("locator")]
    assert locator_fields, "no locator column"
    for field in locator_fields:
        assert references.get((field,)) == "locators", field


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_primary_key_is_declared_inside_the_schema(name):
    assert "primaryKey" not in RESOURCES[name]
    assert schema_of(name)["primaryKey"]


def _units():
    found = set()
    for name in RESOURCES:
        fields = schema_of(name)["fields"]
        unit_columns = {f.get("unitField") for f in fields} | {"unit"}
        for field in fields:
            if "unit" in field:
                found.add(field["unit"])
        for row in rows_of(name):
            for unit_column in unit_columns:
                if unit_column and row.get(unit_column):
                    found.add(row[unit_column])
    return sorted(found)


@pytest.mark.parametrize("unit", _units())
def test_every_unit_is_a_valid_ucum_code(unit):
    _ucum_parser().parse(unit)


@functools.cache
def _ucum_parser():
    """One parser for every unit: building the UCUM grammar costs a fifth of a second, parsing a unit nothing."""
    return get_ucum_parser()


def test_every_drug_has_an_atc_code_or_says_why_not():
    for drug in rows_of("drugs"):
        assert drug["atc_code"] or drug["code_note"], drug["drug_id"]
        if drug["atc_code"]:
            assert len(drug["atc_code"]) == {1: 1, 2: 3, 3: 4, 4: 5, 5: 7}[int(drug["atc_level"])]


def test_every_analyte_has_a_loinc_code_or_says_why_not():
    for analyte in rows_of("analytes"):
        assert analyte["loinc_code"] or analyte["code_note"], analyte["analyte_id"]


def test_patient_and_disease_facts_are_present():
    attributes = column("case_characteristics", "attribute")
    assert {"age", "sex", "diagnosis", "cell_of_origin", "stage", "cns_involvement", "bone_marrow_involvement",
            "disease_status", "car_hematotox_score", "infection_status"} <= attributes


def test_car_t_product_facts_are_present():
    attributes = column("case_characteristics", "attribute")
    assert {"transgene_copies_per_cell", "cell_viability", "car_positive_viable_cells"} <= attributes
    infusion = [row for row in published_rows("drug_schedules") if row["drug_id"] == "tisagenlecleucel"]
    assert infusion and infusion[0]["start_earliest"] == "0" and infusion[0]["dose_value"]


def test_every_drug_schedule_named_in_the_article_is_present():
    assert {"fludarabine", "bendamustine", "tisagenlecleucel", "tocilizumab", "siltuximab", "dexamethasone",
            "dasatinib", "levetiracetam", "lacosamide", "quetiapine", "g-csf", "immunoglobulin", "platelets",
            "red-cells"} <= column("drug_schedules", "drug_id")


def test_dexamethasone_taper_has_its_eight_steps():
    steps = [row for row in published_rows("drug_schedules") if row["drug_id"] == "dexamethasone"]
    assert [row["dose_value"] for row in steps] == ["40", "80", "40", "10", "8", "4", "2", "1"]


def test_clinical_course_events_are_present():
    assert {"fever", "fluid_bolus", "icu_transfer", "seizure", "intubation", "extubation", "renal_replacement_start",
            "renal_replacement_stop", "temperature_normalised", "ward_transfer", "neurological_symptoms",
            "disseminated_intravascular_coagulation", "thrombocytopenia", "oliguria", "complete_remission",
            "b_cell_aplasia"} <= column("clinical_events", "event_type")


def test_stated_summaries_cover_totals_durations_counts_and_maxima():
    assert {"cumulative_dose", "duration", "administration_count", "peak_day", "max_grade"} <= column(
        "stated_summaries", "kind")


def test_at_least_two_discrepancies_set_text_against_a_figure_legend():
    sections = {row["locator_id"]: row["section"] for row in rows_of("locators")}
    text_vs_legend = [row for row in published_rows("discrepancies")
                      if {sections[row["locator_a"]], sections[row["locator_b"]]} & {"figure_legend"}
                      and "main_text" in {sections[row["locator_a"]], sections[row["locator_b"]]}]
    assert len(text_vs_legend) >= 2


def test_long_term_car_t_counts_stay_in_their_stated_units():
    counts = [row for row in published_rows("observations") if row["analyte_id"] == "car-t-cells" and row["time_unit"] != "d"]
    assert {(row["time_unit"], row["time_earliest"]) for row in counts} == {("mo", "3"), ("mo", "6"), ("mo", "9"), ("a", "2")}
