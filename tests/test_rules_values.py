"""Values: maxima, doses, reference flags, units, grades."""
from __future__ import annotations

from rules_support import assert_only_rule_fires, validate


def test_value_above_the_reported_maximum_is_rejected(typed_tables):
    typed_tables.set_cell("observations", "obs-car-t-3-months", "value", "2000")
    [finding] = assert_only_rule_fires(typed_tables, "maximum-is-maximum")
    assert "car-t-cells maximum 1064 {cells}/uL (obs-car-t-peak) is below obs-car-t-3-months" in finding.message


def test_maximum_off_the_stated_peak_day_is_rejected(typed_tables):
    typed_tables.set_cell("stated_summaries", "ss-car-t-peak-day", "value", "10")
    [finding] = assert_only_rule_fires(typed_tables, "maximum-is-maximum")
    assert (finding.expected, finding.observed, finding.locator) == ("day 10", "day 9", "main-p15")


def test_stated_peak_without_a_recorded_maximum_is_rejected(typed_tables):
    typed_tables.set_cell("observations", "obs-car-t-peak", "value_kind", "single")
    [finding] = assert_only_rule_fires(typed_tables, "maximum-is-maximum")
    assert "no observation of car-t-cells is recorded as its maximum" in finding.message


def test_dose_and_dose_per_kg_implying_an_impossible_weight_is_an_error(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-tocilizumab-1", "dose_per_body_value", "1")
    [finding] = [finding for finding in validate(typed_tables) if finding.rule == "dose-limits"]
    assert finding.severity == "error" and "implies a body weight of 700 kg" in finding.message
    assert (finding.field, finding.expected, finding.observed) == ("dose_value", "25-350 kg", "700 kg")


def test_a_dose_above_its_label_maximum_per_infusion_is_rejected(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-tocilizumab-1", "dose_value", "900")
    found = [finding for finding in validate(typed_tables) if finding.rule == "dose-limits"]
    assert any(finding.severity == "error" and "above the maximum of 800 mg" in finding.message for finding in found)


def test_a_daily_dose_above_its_label_maximum_is_rejected(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dasatinib-1", "dose_value", "200")
    found = [finding for finding in validate(typed_tables) if finding.rule == "dose-limits"]
    assert [(finding.expected, finding.observed) for finding in found] == [("<= 180 mg/d", "200 mg/d")]


def test_high_value_flagged_low_is_rejected(typed_tables):
    typed_tables.set_cell("observations", "obs-il-6-max", "interpretation", "L")
    [finding] = assert_only_rule_fires(typed_tables, "reference-range-flag")
    assert (finding.field, finding.expected, finding.observed) == ("interpretation", "H", "L")


def test_value_above_the_range_flagged_normal_is_rejected(typed_tables):
    typed_tables.set_cell("observations", "obs-crp-baseline", "interpretation", "N")
    assert_only_rule_fires(typed_tables, "reference-range-flag")


def test_flags_that_agree_with_the_range_pass(typed_tables):
    typed_tables.set_cell("observations", "obs-crp-baseline", "interpretation", "H")
    typed_tables.set_cell("observations", "obs-ferritin-baseline", "interpretation", "H")
    from rules_support import validate
    assert validate(typed_tables) == []


def test_stated_maximum_grade_above_every_recorded_grade_is_rejected(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "grade", "2")
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "icd10cm_code", "D89.832")  # else graded-code fires too
    [finding] = assert_only_rule_fires(typed_tables, "max-grade")
    assert "highest recorded crs grade is 2 (tg-crs-day-0); the article states grade 3" in finding.message.lower()
