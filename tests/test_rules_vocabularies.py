"""Rules that read the vocabularies: unit kinds, UCUM commensurability, grading scales, frequencies."""
from __future__ import annotations

import pytest

from rules_support import assert_only_rule_fires, validate


def _unit_of_kind(tables, kind: str) -> str:
    return next(row["unit"] for row in tables.read_rows("units") if row["kind"] == kind)


@pytest.mark.parametrize("resource, row_id, column, wrong_kind", [
    ("clinical_events", "ev-fever", "time_unit", "dose"),
    ("drug_schedules", "sched-dexamethasone-5", "dose_unit", "time"),
    ("drug_schedules", "sched-tocilizumab-1", "dose_per_body_unit", "dose"),
    ("relative_timings", "rt-ward-transfer-after-dasatinib", "offset_unit", "measurement"),
])
def test_a_unit_of_the_wrong_kind_is_rejected(typed_tables, resource, row_id, column, wrong_kind):
    unit = _unit_of_kind(typed_tables, wrong_kind)
    typed_tables.set_cell(resource, row_id, column, unit)
    findings = validate(typed_tables)
    assert not [f for f in findings if f.message.startswith("internal error")]
    [finding] = [f for f in findings if f.rule == "vocabulary-kind"]
    assert (finding.resource, finding.field) == (resource, column)
    assert f"{column} {unit} is a unit of kind {wrong_kind}" in finding.message


def test_a_stated_duration_in_a_dose_unit_is_rejected(typed_tables):
    typed_tables.set_cell("stated_summaries", "ss-dexamethasone-duration", "unit", "mg")
    findings = [f for f in validate(typed_tables) if f.rule == "vocabulary-kind"]
    assert [(f.field, f.observed) for f in findings] == [("unit", "mg (dose)")]


def test_an_observation_in_a_unit_that_does_not_convert_into_its_analytes_unit_is_rejected(typed_tables):
    typed_tables.set_cell("observations", "obs-crp-baseline", "unit", "{cells}/uL")
    [finding] = assert_only_rule_fires(typed_tables, "vocabulary-kind")
    assert (finding.field, finding.observed, finding.expected) == ("unit", "{cells}/uL",
                                                                   "a unit commensurable with mg/L")


def test_an_observation_in_a_commensurable_unit_is_accepted_as_stated(typed_tables):
    typed_tables.set_cell("observations", "obs-crp-baseline", "unit", "mg/dL")
    typed_tables.set_cell("observations", "obs-crp-baseline", "value", "1.95")
    assert [f for f in validate(typed_tables) if f.rule == "vocabulary-kind"] == []


def test_a_grade_below_its_scale_is_rejected(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-0", "grade", "0")
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-0", "icd10cm_code", "")  # its code names grade 2 (graded-code)
    [finding] = assert_only_rule_fires(typed_tables, "grade-in-scale")
    assert (finding.field, finding.observed, finding.expected) == ("grade", "0", "1-5")


def test_grade_zero_is_accepted_on_a_scale_that_starts_at_zero(typed_tables):
    typed_tables.append_row("grading_systems", {"grading_system": "zero-based-scale", "min_grade": "0",
                                                "max_grade": "4", "syndromes": "crs", "label": "x", "definition": "x.",
                                                "source": "x"})
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-0", "grading_system", "zero-based-scale")
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-0", "grade", "0")
    assert [f for f in validate(typed_tables) if f.rule == "grade-in-scale"] == []


def test_a_stated_maximum_grade_off_the_scale_is_rejected(typed_tables):
    typed_tables.set_cell("stated_summaries", "ss-icans-max-grade", "value", "6")
    [finding] = assert_only_rule_fires(typed_tables, "max-grade")
    assert "is not a grade of the scale its grades use (astct-2019 1-5)" in finding.message


def test_a_dose_in_another_mass_unit_is_converted_with_ucum_and_counted_by_its_frequency(typed_tables):
    # 8 mg/d on day 15 restated as 0.008 g once daily: the cumulative dose still adds up.
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-5", "dose_unit", "g")
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-5", "dose_value", "0.008")
    assert [f for f in validate(typed_tables) if f.rule == "cumulative-dose"] == []


def test_a_converted_dose_that_is_ten_times_off_breaks_the_cumulative_dose(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-5", "dose_unit", "g")
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-5", "dose_value", "0.08")
    findings = [f for f in validate(typed_tables) if f.rule == "cumulative-dose"]
    assert [(f.resource, f.field) for f in findings] == [("stated_summaries", "value")]
    assert "sums to 674 mg" in findings[0].message


@pytest.mark.parametrize("frequency, last_day, fires", [("twice_daily", 2, False), ("twice_daily", 1, True),
                                                        ("every_6_hours", 1, False), ("every_6_hours", 2, True)])
def test_administrations_are_counted_from_the_frequency_vocabulary(typed_tables, frequency, last_day, fires):
    # One dose on day 0 plus this step must make the five stated doses.
    for column, value in (("administrations", ""), ("frequency", frequency), ("start_earliest", 1),
                          ("start_latest", 1), ("end_earliest", last_day), ("end_latest", last_day)):
        typed_tables.set_cell("drug_schedules", "sched-tocilizumab-2", column, value)
    findings = [f for f in validate(typed_tables) if f.rule == "administration-count"]
    assert bool(findings) == fires, [f.message for f in findings]
