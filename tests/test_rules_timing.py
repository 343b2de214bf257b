"""Days: relative timings, interval order, step overlap, lymphodepletion, follow-up."""
from __future__ import annotations

from rules_support import assert_only_rule_fires, set_day, validate


def test_ward_transfer_on_day_13_agrees_with_seven_days_after_dasatinib_counted_inclusive(typed_tables):
    assert validate(typed_tables) == []


def test_ward_transfer_moved_away_from_seven_days_after_dasatinib_is_rejected(typed_tables):
    set_day(typed_tables, "clinical_events", "ev-ward-transfer", 15)
    [finding] = assert_only_rule_fires(typed_tables, "relative-timing")
    assert (finding.expected, finding.observed) == ("day 13", "day 15")
    assert finding.resource == "relative_timings" and finding.locator == "main-p13"


def test_counting_the_ward_transfer_delay_exclusive_contradicts_day_13(typed_tables):
    typed_tables.set_cell("relative_timings", "rt-ward-transfer-after-dasatinib", "counting_convention", "exclusive")
    [finding] = assert_only_rule_fires(typed_tables, "relative-timing")
    assert finding.expected == "day 14"


def test_relative_timing_to_a_row_that_does_not_exist_is_rejected(typed_tables):
    typed_tables.set_cell("relative_timings", "rt-extubation-after-dasatinib", "anchor_id", "sched-dasatinib-9")
    [finding] = assert_only_rule_fires(typed_tables, "relative-timing")
    assert "anchor sched-dasatinib-9 does not exist in drug_schedules" in finding.message


def test_event_whose_earliest_day_is_after_its_latest_day_is_rejected(typed_tables):
    typed_tables.set_cell("clinical_events", "ev-severe-neutropenia", "time_earliest", "7")
    [finding] = assert_only_rule_fires(typed_tables, "schedule-order")
    assert finding.field == "time_latest" and finding.path == "data/clinical_events.csv"


def test_schedule_step_that_ends_before_it_starts_is_rejected(typed_tables):
    set_day(typed_tables, "drug_schedules", "sched-siltuximab-1", 5, "end")
    [finding] = assert_only_rule_fires(typed_tables, "schedule-order")
    assert "sched-siltuximab-1" in finding.message


def test_taper_steps_sharing_a_day_are_rejected(typed_tables):
    set_day(typed_tables, "drug_schedules", "sched-dexamethasone-6", 15, "start")
    set_day(typed_tables, "drug_schedules", "sched-dexamethasone-6", 15, "end")
    [finding] = assert_only_rule_fires(typed_tables, "schedule-steps-no-overlap")
    assert "step 6 (sched-dexamethasone-6) starts on day 15" in finding.message


def test_two_steps_with_the_same_number_are_rejected(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-2", "step", "1")
    [finding] = assert_only_rule_fires(typed_tables, "schedule-steps-no-overlap")
    assert "two steps numbered 1" in finding.message


def test_lymphodepletion_that_reaches_the_infusion_day_is_rejected(typed_tables):
    set_day(typed_tables, "drug_schedules", "sched-fludarabine-1", 0, "end")
    [finding] = assert_only_rule_fires(typed_tables, "lymphodepletion-before-infusion")
    assert finding.locator == "main-p07"


def test_fact_after_the_stated_follow_up_is_rejected(typed_tables):
    set_day(typed_tables, "observations", "obs-car-t-2-years", 3)
    [finding] = assert_only_rule_fires(typed_tables, "within-follow-up")
    assert "after the end of follow-up (2 a, cc-follow-up)" in finding.message


def test_clinical_event_before_the_infusion_is_rejected(typed_tables):
    set_day(typed_tables, "clinical_events", "ev-deterioration-day-6", -1)
    [finding] = assert_only_rule_fires(typed_tables, "within-follow-up")
    assert "only lymphodepletion and baseline facts" in finding.message


def test_lymphodepletion_more_than_30_days_before_the_infusion_is_rejected(typed_tables):
    set_day(typed_tables, "drug_schedules", "sched-bendamustine-1", -40, "start")
    [finding] = assert_only_rule_fires(typed_tables, "within-follow-up")
    assert finding.field == "start_earliest"


def _dispute_only(tables, resource: str, row_id: str, fields: str) -> None:
    """Record a discrepancy (of the row's own case) whose reading not adopted is just `fields` of one row."""
    case_id = tables.row(resource, row_id)["case_id"]
    tables.append_row("discrepancies", dict(
        discrepancy_id="disc-planted", case_id=case_id, topic="Planted", reading_a="A", locator_a="main-p13",
        reading_b="B", locator_b="main-p13", adopted_reading="a", rationale="Planted by a test."))
    tables.append_row("discrepancy_rows", dict(discrepancy_id="disc-planted", resource=resource, row_id=row_id,
                                               role="reading_b", fields=fields))


def test_relation_whose_anchor_id_is_disputed_is_not_judged_rather_than_reported_missing(typed_tables):
    _dispute_only(typed_tables, "relative_timings", "rt-ward-transfer-after-dasatinib", "anchor_id")
    set_day(typed_tables, "clinical_events", "ev-ward-transfer", 15)  # would contradict the relation if judged
    assert "relative-timing" not in {finding.rule for finding in validate(typed_tables)}


def test_relation_whose_subject_id_is_disputed_is_not_judged(typed_tables):
    _dispute_only(typed_tables, "relative_timings", "rt-ward-transfer-after-dasatinib", "subject_id")
    assert "relative-timing" not in {finding.rule for finding in validate(typed_tables)}


def test_relation_whose_offset_is_disputed_still_needs_its_rows_to_exist(typed_tables):
    _dispute_only(typed_tables, "relative_timings", "rt-extubation-after-dasatinib", "offset_value")
    typed_tables.set_cell("relative_timings", "rt-extubation-after-dasatinib", "anchor_id", "sched-dasatinib-9")
    [finding] = assert_only_rule_fires(typed_tables, "relative-timing")
    assert "anchor sched-dasatinib-9 does not exist" in finding.message
