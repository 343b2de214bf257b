"""Stated totals of the article (cumulative dose, duration, dose count, first and last day) against the schedules."""
from __future__ import annotations

import pytest

from rules_support import assert_only_rule_fires, set_cells, set_day


def test_taper_that_does_not_sum_to_stated_total_is_rejected(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-3", "dose_value", "39")
    [finding] = assert_only_rule_fires(typed_tables, "cumulative-dose")
    assert finding.message.startswith(
        "dexamethasone schedule (data/drug_schedules.csv rows 8-15) sums to 598 mg; the article states 602 mg")
    assert (finding.resource, finding.field, finding.expected, finding.observed) == (
        "stated_summaries", "value", "602 mg", "598 mg")
    assert finding.path == "data/stated_summaries.csv" and finding.row == 2 and finding.locator == "main-p13"
    assert finding.case_id == "baur-2022-jitc-1"


def test_taper_step_without_a_dose_makes_the_total_unverifiable(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-4", "dose_value", "")
    [finding] = assert_only_rule_fires(typed_tables, "cumulative-dose")
    assert "step 4 (sched-dexamethasone-4) has no dose" in finding.message


def test_taper_step_with_an_uncertain_end_day_makes_the_total_unverifiable(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-5", "end_latest", "16")
    [finding] = assert_only_rule_fires(typed_tables, "cumulative-dose")
    assert "step 5" in finding.message and "no exact start and end day" in finding.message


def test_taper_step_in_another_unit_is_reported_as_mixed_units(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-8", "dose_unit", "{cells}")
    [finding] = assert_only_rule_fires(typed_tables, "cumulative-dose")
    assert "mixed units" in finding.message


def test_stated_duration_that_does_not_match_the_schedule_is_rejected(typed_tables):
    typed_tables.set_cell("stated_summaries", "ss-dexamethasone-duration", "value", "23")
    [finding] = assert_only_rule_fires(typed_tables, "stated-duration")
    assert "21 days counted inclusive; the article states 23 days" in finding.message


def test_duration_counted_exclusive_is_one_day_shorter(typed_tables):
    typed_tables.set_cell("stated_summaries", "ss-dasatinib-duration", "counting_convention", "exclusive")
    [finding] = assert_only_rule_fires(typed_tables, "stated-duration")
    assert (finding.expected, finding.observed) == ("7 d", "6 d")


def test_dose_count_that_differs_from_the_steps_is_rejected(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-tocilizumab-2", "administrations", "3")
    [finding] = assert_only_rule_fires(typed_tables, "administration-count")
    assert "steps add up to 4 administrations; the article states 5" in finding.message


def test_step_without_a_dose_count_makes_the_stated_count_unverifiable(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-tocilizumab-2", "administrations", "")
    [finding] = assert_only_rule_fires(typed_tables, "administration-count")
    assert "sched-tocilizumab-2" in finding.message and finding.field == "administrations"


def test_stated_last_day_that_differs_from_the_schedule_is_rejected(typed_tables):
    typed_tables.set_cell("stated_summaries", "ss-dasatinib-end-legend", "value", "14")
    [finding] = assert_only_rule_fires(typed_tables, "stated-start-end-day")
    assert "dasatinib ends on day 13 in the schedule; the article states day 14" in finding.message


def test_stated_first_day_that_differs_from_the_schedule_is_rejected(typed_tables):
    set_day(typed_tables, "drug_schedules", "sched-siltuximab-1", 5, "start")
    [finding] = assert_only_rule_fires(typed_tables, "stated-start-end-day")
    assert finding.locator == "fig1-legend"


def test_legend_reading_is_set_aside_while_the_text_reading_is_adopted(typed_tables):
    # The real package holds the legend's 23 days; it passes only because the text's 21 days are adopted.
    typed_tables.set_cell("discrepancies", "disc-dexamethasone-duration", "adopted_reading", "b")
    [finding] = assert_only_rule_fires(typed_tables, "stated-duration")
    assert "23" in finding.message and finding.row == 15



# stated-total-row: a total a step's own quote states ("one dose of", "for 7 days") is kept as a stated summary,
# so deleting the summary is a finding on the step, and deleting the step one on the summary.
@pytest.mark.parametrize(("summary_id", "schedule_id", "words", "kind"), [
    ("ss-siltuximab-count", "sched-siltuximab-1", "one dose", "administration_count"),
    ("ss-dasatinib-duration", "sched-dasatinib-1", "for 7 days", "duration"),
])
def test_a_total_a_step_states_without_its_stated_summary_is_rejected(typed_tables, summary_id, schedule_id, words,
                                                                     kind):
    rows = typed_tables.read_rows("stated_summaries")
    typed_tables.write_rows("stated_summaries", [row for row in rows if row["summary_id"] != summary_id])
    [finding] = assert_only_rule_fires(typed_tables, "stated-total-row")
    assert (finding.resource, finding.field, finding.observed) == ("drug_schedules", "quote", words)
    assert finding.message.startswith(f"{schedule_id}: its quote states \"{words}\"") and kind in finding.message


def test_a_count_of_doses_that_is_part_of_the_drug_is_no_stated_total(typed_tables):
    # "four further doses of tocilizumab" are 4 of the 5: no summary of 4 is needed, and deleting the
    # 5's summary leaves the step's quote stating no total.
    rows = typed_tables.read_rows("stated_summaries")
    typed_tables.write_rows("stated_summaries", [row for row in rows if row["summary_id"] != "ss-tocilizumab-count"])
    assert not [f for f in typed_tables.run_rules() if f.rule == "stated-total-row"]


def test_a_summary_whose_step_is_deleted_is_rejected(typed_tables):
    rows = typed_tables.read_rows("drug_schedules")
    typed_tables.write_rows("drug_schedules", [row for row in rows if row["schedule_id"] != "sched-siltuximab-1"])
    findings = [f for f in typed_tables.run_rules() if f.rule == "administration-count"]
    assert [(f.resource, f.field) for f in findings] == [("stated_summaries", "drug_id")]


def test_a_count_of_doses_of_another_drug_is_no_stated_total_of_the_step(typed_tables):
    # "one dose of siltuximab" in the words of a one-dose step of another drug counts siltuximab's doses.
    typed_tables.set_cell("drug_schedules", "sched-tisagenlecleucel-1", "quote",
                          "After one dose of siltuximab, Tisagenlecleucel was administered")
    assert not [f for f in typed_tables.run_rules() if f.rule == "stated-total-row"]
    typed_tables.set_cell("drug_schedules", "sched-tisagenlecleucel-1", "quote", "one dose of Tisagenlecleucel")
    [finding] = [f for f in typed_tables.run_rules() if f.rule == "stated-total-row"]
    assert finding.message.startswith("sched-tisagenlecleucel-1: its quote states \"one dose\" of tisagenlecleucel")
