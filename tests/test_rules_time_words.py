"""Times and relations mean what their words say (time-words, relation-words, narrative-bounds, relative-timing
through chains), each class planted in several rows of the real package."""
from __future__ import annotations

import pytest

from rules_support import set_day, validate


def fired(tables, rule_id: str) -> list:
    findings = [finding for finding in validate(tables) if finding.rule == rule_id]
    assert findings, f"{rule_id} did not fire"
    return findings


def fields_of(findings) -> set:
    return {(finding.resource, finding.field) for finding in findings}


def drop_relation(tables, relation_id: str) -> None:
    rows = tables.read_rows("relative_timings")
    tables.write_rows("relative_timings", [row for row in rows if row["relation_id"] != relation_id])


def test_the_real_package_has_no_time_finding(typed_tables):
    rules = {"time-words", "relation-words", "narrative-bounds", "relative-timing"}
    assert [finding for finding in validate(typed_tables) if finding.rule in rules] == []


@pytest.mark.parametrize("resource,row_id,unit", [
    ("drug_schedules", "sched-immunoglobulin-1", "mo"),  # "for up to 2 years", implied
    ("clinical_events", "ev-severe-neutropenia", "a"),  # "for the first 6 months", implied
    ("drug_schedules", "sched-g-csf-1", "wk"),  # "for the first 6 months", implied
])
def test_a_time_unit_the_words_do_not_write_is_rejected(typed_tables, resource, row_id, unit):
    typed_tables.set_cell(resource, row_id, "time_unit", unit)
    assert (resource, "time_unit") in fields_of(fired(typed_tables, "time-words"))


def test_an_offset_unit_the_words_do_not_write_is_rejected_by_quote_agreement(typed_tables):
    # A relative timing's offset is stated in its quote, so its unit is quote-agreement's to check.
    typed_tables.set_cell("relative_timings", "rt-temperature-normal-after-dasatinib", "offset_unit", "d")
    assert ("relative_timings", "offset_unit") in fields_of(fired(typed_tables, "quote-agreement"))


def test_a_stated_time_unit_the_words_do_not_write_is_rejected_by_quote_agreement(typed_tables):
    typed_tables.set_cell("clinical_events", "ev-ongoing-remission", "time_unit", "mo")  # "more than 2 years"
    assert ("clinical_events", "time_unit") in fields_of(fired(typed_tables, "quote-agreement"))


@pytest.mark.parametrize("resource,row_id,basis", [
    ("clinical_events", "ev-icu-transfer", "narrative"),  # "on day 3"
    ("observations", "obs-ferritin-max", "implied"),
    ("drug_schedules", "sched-siltuximab-1", "narrative"),
])
def test_a_row_whose_words_state_its_days_is_stated(typed_tables, resource, row_id, basis):
    typed_tables.set_cell(resource, row_id, "timing_basis", basis)
    assert (resource, "timing_basis") in fields_of(fired(typed_tables, "time-words"))


@pytest.mark.parametrize("resource,row_id,column", [
    ("clinical_events", "ev-ongoing-remission", "time_latest"),  # "more than 2 years"
    ("clinical_events", "ev-car-t-decline", "time_latest"),  # "thereafter"
])
def test_open_ended_words_leave_the_last_bound_open(typed_tables, resource, row_id, column):
    typed_tables.set_cell(resource, row_id, column, "20")
    assert (resource, column) in fields_of(fired(typed_tables, "time-words"))


@pytest.mark.parametrize("relation_id,event", [
    ("rt-temperature-normal-after-dasatinib", "ev-temperature-normal"),
    ("rt-crrt-stop-after-start", "ev-crrt-stop"),
    ("rt-improvement-after-dasatinib", "ev-clinical-improvement"),
])
def test_a_row_timed_relative_without_its_relative_timing_is_rejected(typed_tables, relation_id, event):
    drop_relation(typed_tables, relation_id)
    findings = fired(typed_tables, "time-words")
    assert any(f.field == "timing_basis" and event in f.message for f in findings)


@pytest.mark.parametrize("resource,row_id,column,value", [
    ("case_characteristics", "cc-car-hematotox", "time_latest", "1"),  # "prior to CAR T-cell infusion"
    ("observations", "obs-crp-baseline", "time_latest", "2"),  # "before therapy"
    ("clinical_events", "ev-fever", "time_latest", "1"),  # "On the same day of CAR T-cell infusion"
    ("drug_schedules", "sched-g-csf-1", "start_earliest", "-1"),  # "for the first 6 months"
])
def test_an_implied_time_outside_its_phrase_window_is_rejected(typed_tables, resource, row_id, column, value):
    typed_tables.set_cell(resource, row_id, column, value)
    assert (resource, column) in fields_of(fired(typed_tables, "time-words"))


@pytest.mark.parametrize("relation_id,event", [
    ("rt-thrombocytopenia-at-seizure", "ev-thrombocytopenia"),
    ("rt-dic-at-seizure", "ev-dic"),
])
def test_an_implied_time_resting_on_nothing_is_rejected(typed_tables, relation_id, event):
    drop_relation(typed_tables, relation_id)
    findings = fired(typed_tables, "time-words")
    assert any(f.field == "timing_basis" and event in f.message for f in findings)


@pytest.mark.parametrize("row_id", ["cc-status-at-lymphodepletion", "cc-marrow-at-lymphodepletion"])
def test_at_the_start_of_lymphodepletion_recorded_as_day_4_is_rejected(typed_tables, row_id):
    set_day(typed_tables, "case_characteristics", row_id, 4)
    [finding] = fired(typed_tables, "relative-timing")
    assert finding.field == "offset_value" and finding.expected == "day -4"


@pytest.mark.parametrize("relation_id", ["rt-temperature-normal-after-dasatinib", "rt-extubation-after-dasatinib",
                                         "rt-no-rebound-after-dasatinib"])
def test_a_relation_anchored_on_a_row_its_words_do_not_name_is_rejected(typed_tables, relation_id):
    typed_tables.set_cell("relative_timings", relation_id, "anchor_id", "sched-dexamethasone-1")
    [finding] = fired(typed_tables, "relation-words")
    assert finding.field == "anchor_id" and finding.observed == "sched-dexamethasone-1"


@pytest.mark.parametrize("relation_id,comparator", [
    ("rt-temperature-normal-after-dasatinib", ">="),  # "within 48h hours after"
    ("rt-crrt-start-with-dasatinib", ">="),  # "on the same day"
    ("rt-crrt-stop-after-start", "<="),  # "4 days later"
])
def test_a_comparator_the_words_do_not_allow_is_rejected(typed_tables, relation_id, comparator):
    typed_tables.set_cell("relative_timings", relation_id, "comparator", comparator)
    [finding] = fired(typed_tables, "relation-words")
    assert finding.field == "comparator"


@pytest.mark.parametrize("relation_id", ["rt-crrt-stop-after-start", "rt-extubation-after-dasatinib"])
def test_a_counting_convention_neither_stated_nor_recorded_is_rejected(typed_tables, relation_id):
    typed_tables.set_cell("relative_timings", relation_id, "counting_convention", "inclusive")
    findings = fired(typed_tables, "relation-words")
    assert {finding.field for finding in findings} == {"counting_convention"}


def test_a_counting_convention_a_discrepancy_records_is_accepted(typed_tables):
    assert typed_tables.row("relative_timings", "rt-ward-transfer-after-dasatinib")["counting_convention"] == "inclusive"
    assert "relation-words" not in {finding.rule for finding in validate(typed_tables)}


def test_a_day_on_a_row_reached_only_through_a_chain_is_checked(typed_tables):
    # ev-crrt-start has no day of its own: it is day 7 through dasatinib, so "4 days later" is day 11.
    for column, value in (("time_unit", "d"), ("time_earliest", "9"), ("time_latest", "9")):
        typed_tables.set_cell("clinical_events", "ev-crrt-stop", column, value)
    [finding] = fired(typed_tables, "relative-timing")
    assert finding.field == "offset_value" and finding.expected == "day 11"


@pytest.mark.parametrize("row_id,column,value,expected", [
    ("ev-hypotension", "time_latest", "4", "3"),
    ("ev-inflammatory-markers-rising", "time_earliest", "2", "3"),
    ("ev-neurological-symptoms", "time_latest", "8", "7"),
    ("ev-oliguria", "time_latest", "6", "7"),
])
def test_a_narrative_window_wider_or_elsewhere_than_its_rows_is_rejected(typed_tables, row_id, column, value,
                                                                         expected):
    typed_tables.set_cell("clinical_events", row_id, column, value)
    [finding] = fired(typed_tables, "narrative-bounds")
    assert (finding.field, finding.expected) == (column, expected)


@pytest.mark.parametrize("resource,row_id,column,expected", [
    ("clinical_events", "ev-hypotension", "time_earliest", "0"),
    ("clinical_events", "ev-neurological-symptoms", "time_latest", "7"),
    ("clinical_events", "ev-oliguria", "time_latest", "7"),
    ("toxicity_grades", "tg-icans", "time_earliest", "0"),
])
def test_a_narrative_bound_left_empty_where_its_relations_give_one_is_rejected(typed_tables, resource, row_id, column,
                                                                               expected):
    # An empty bound is a window open on that side: wider than the story puts it.
    typed_tables.set_cell(resource, row_id, column, "")
    [finding] = fired(typed_tables, "narrative-bounds")
    assert (finding.resource, finding.field, finding.expected, finding.observed) == (resource, column, expected, "empty")


@pytest.mark.parametrize("resource,row_id,column,held", [
    ("drug_schedules", "sched-dasatinib-1", "start_earliest", "7"),  # "(days 7–13)": started on or before day 7?
    ("drug_schedules", "sched-fludarabine-1", "end_latest", "-2"),  # "day -4 to day -2"
    ("drug_schedules", "sched-siltuximab-1", "end_latest", "6"),  # "On day 6"
    ("toxicity_grades", "tg-crs-day-3", "time_latest", "3"),  # "on day 3"
])
def test_a_stated_day_with_one_bound_dropped_is_rejected(typed_tables, resource, row_id, column, held):
    # The other bound still holds the day the words state, so quote-agreement sees nothing missing.
    typed_tables.set_cell(resource, row_id, column, "")
    [finding] = fired(typed_tables, "time-words")
    assert (finding.resource, finding.field, finding.expected, finding.observed) == (resource, column, held, "empty")


def test_a_stated_time_whose_words_leave_a_side_open_keeps_it_empty(typed_tables):
    # "more than 2 years after CAR T-cell infusion": no latest bound (ev-ongoing-remission holds none).
    assert typed_tables.row("clinical_events", "ev-ongoing-remission")["time_latest"] is None
    assert [finding for finding in validate(typed_tables) if finding.rule == "time-words"] == []


def test_a_narrative_bound_without_a_relative_timing_is_rejected(typed_tables):
    drop_relation(typed_tables, "rt-icu-transfer-after-hypotension")
    [finding] = fired(typed_tables, "narrative-bounds")
    assert finding.field == "time_latest" and "ev-hypotension" in finding.message


@pytest.mark.parametrize("relation_id,resource,row_id", [
    ("rt-hypotension-after-fluid-bolus", "clinical_events", "ev-hypotension"),
    ("rt-respiratory-deterioration-after-fluid-bolus", "clinical_events", "ev-respiratory-deterioration"),
    ("rt-neurological-symptoms-after-crs-management", "clinical_events", "ev-neurological-symptoms"),
    ("rt-icans-grade-after-crs-management", "toxicity_grades", "tg-icans"),
])
def test_a_narrative_bound_on_day_0_without_its_relative_timing_is_rejected(typed_tables, relation_id, resource,
                                                                            row_id):
    # A day-0 earliest bound is no exception: the relation that puts the row after a day-0 row backs it.
    assert typed_tables.row(resource, row_id)["time_earliest"] == 0
    drop_relation(typed_tables, relation_id)
    [finding] = fired(typed_tables, "narrative-bounds")
    assert (finding.resource, finding.field) == (resource, "time_earliest") and row_id in finding.message


@pytest.mark.parametrize("discrepancy", ["disc-tocilizumab-timing", "disc-ward-transfer-count",
                                         "disc-inflammatory-day-5"])
def test_switching_the_adopted_reading_without_changing_its_rows_is_rejected(typed_tables, discrepancy):
    typed_tables.set_cell("discrepancies", discrepancy, "adopted_reading", "b")
    findings = fired(typed_tables, "adopted-reading")
    assert {(finding.resource, finding.field) for finding in findings} == {("discrepancies", "adopted_reading")}
    assert all(finding.message.startswith(discrepancy) for finding in findings)


def test_switching_the_dexamethasone_duration_reading_is_rejected_by_the_duration_it_contradicts(typed_tables):
    typed_tables.set_cell("discrepancies", "disc-dexamethasone-duration", "adopted_reading", "b")
    [finding] = fired(typed_tables, "stated-duration")
    assert finding.field == "value" and finding.observed == "21 d"


def test_a_relation_that_rests_on_a_time_set_aside_is_rejected(typed_tables):
    # ev-inflammatory-markers-decreasing records the reading not adopted: no relation may place a row through it.
    typed_tables.append_row("relative_timings", dict(
        relation_id="rt-planted", case_id="baur-2022-jitc-1", subject_resource="clinical_events",
        subject_id="ev-clinical-improvement", subject_point="time", anchor_resource="clinical_events",
        anchor_id="ev-inflammatory-markers-decreasing", anchor_point="time", comparator=">=", offset_value="0",
        offset_unit="d", counting_convention="exclusive",
        quote="the inflammatory parameters such as ferritin and IL-6 already decreased", locator_id="main-p14"))
    [finding] = fired(typed_tables, "adopted-reading")
    assert finding.field == "adopted_reading" and "rt-planted" in finding.message


def test_an_anchor_named_only_by_a_written_form_is_accepted_once_its_vocabulary_lists_it(typed_tables):
    typed_tables.append_row("relative_timings", dict(
        relation_id="rt-planted", case_id="baur-2022-jitc-1", subject_resource="clinical_events",
        subject_id="ev-icu-transfer", subject_point="time", anchor_resource="clinical_events",
        anchor_id="ev-hypotension", anchor_point="time", comparator=">=", offset_value="0", offset_unit="d",
        counting_convention="exclusive", quote="he stayed hypotensive", locator_id="main-p08"))
    for row in typed_tables.read_rows("event_types"):  # a vocabulary that knows only the noun
        if row["event_type"] == "hypotension":
            row["written_forms"] = "hypotension"
    [finding] = fired(typed_tables, "relation-words")
    assert finding.field == "anchor_id" and "hypotension" in finding.expected
    # The event types' written forms (a column the vocabularies may list) name it as the article writes it.
    for row in typed_tables.read_rows("event_types"):
        row["written_forms"] = "hypotension|hypotensive" if row["event_type"] == "hypotension" else None
    assert "relation-words" not in {finding.rule for finding in typed_tables.run_rules(schema_checked=False)}


@pytest.mark.parametrize("column,value,expected", [("start_earliest", "0", "1"), ("end_latest", "5", "4"),
                                                   ("start_latest", "3", "4")])
def test_the_legend_window_of_the_further_tocilizumab_doses_widened_or_moved_is_rejected(typed_tables, column,
                                                                                         value, expected):
    # The four further doses take the figure legend's "between days 1 and 4" (disc-tocilizumab-timing).
    typed_tables.set_cell("drug_schedules", "sched-tocilizumab-2", column, value)
    [finding] = fired(typed_tables, "narrative-bounds")
    assert (finding.field, finding.expected) == (column, expected)


@pytest.mark.parametrize("column", ["start_earliest", "end_latest"])
def test_the_infusion_that_defines_day_0_moved_off_it_is_rejected(typed_tables, column):
    typed_tables.set_cell("drug_schedules", "sched-tisagenlecleucel-1", column, "1" if column == "end_latest" else "-1")
    findings = fired(typed_tables, "time-words")
    assert ("drug_schedules", column) in fields_of(findings)


@pytest.mark.parametrize("unit,latest", [("min", "2880"), ("Ms", "3")])
def test_an_implied_time_in_a_rarer_time_unit_is_still_held_to_its_phrase_window(typed_tables, unit, latest):
    # "On the same day of CAR T-cell infusion" is day 0; 2880 min or 3 Ms (34.7 days) is not, whatever the unit.
    rows = typed_tables.read_rows("units")
    rows.append({**rows[0], "unit": unit, "written_forms": unit, "label": unit})
    typed_tables.write_rows("units", rows)
    for column, value in (("time_unit", unit), ("time_earliest", "0"), ("time_latest", latest)):
        typed_tables.set_cell("clinical_events", "ev-fever", column, value)
    findings = fired(typed_tables, "time-words")
    assert any(f.field == "time_latest" and "ev-fever" in f.message for f in findings)


@pytest.mark.parametrize("column,value", [
    ("anchor_point", "time"),  # sched-dasatinib-1 starts and ends; it has no one time
    ("subject_point", "start"),  # ev-ward-transfer has a time, no start
    ("subject_point", "end"),
])
def test_a_relation_naming_a_point_its_row_does_not_have_is_rejected(typed_tables, column, value):
    # Such a relation was never checked (its point read as undated), so the package passed.
    typed_tables.set_cell("relative_timings", "rt-ward-transfer-after-dasatinib", column, value)
    findings = fired(typed_tables, "relative-timing")
    assert ("relative_timings", column) in fields_of(findings)


@pytest.mark.parametrize("row,field", [
    ({"phrase": "at that moment", "kind": "implied_time", "earliest_day": "5", "latest_day": "2"}, "latest_day"),
    ({"phrase": "whenever", "kind": "implied_time"}, "earliest_day"),
    ({"phrase": "exactly", "kind": "comparator", "comparators": "=", "earliest_day": "3"}, "earliest_day"),
    ({"phrase": "around", "kind": "comparator"}, "comparators"),
    ({"phrase": "counting from", "kind": "counting"}, "counting_convention"),
    ({"phrase": "Within", "kind": "comparator", "comparators": "<="}, "phrase"),
    ({"phrase": "within  48", "kind": "comparator", "comparators": "<="}, "phrase"),
    ({"phrase": "ever since", "kind": "open_end", "counting_convention": "inclusive"}, "counting_convention"),
])
def test_a_time_phrase_without_the_meaning_its_kind_needs_is_rejected(typed_tables, row, field):
    # Each was valid: a phrase no fact row quotes yet is still the meaning the next curator's rows get.
    typed_tables.append_row("time_phrases", {"definition": "planted", "source": "this dataset", **row})
    findings = fired(typed_tables, "time-phrase-shape")
    assert fields_of(findings) == {("time_phrases", field)}, [f.message for f in findings]


@pytest.mark.parametrize("words", [
    "from day 3 on", "From  Day 3", "fr*om* day 3", "fr_om_ day 3", "fr<i>om</i> day 3", "fro\u200bm day 3",
    "since\u00a0day 2", "more\u2009than 3 days", "at **least** 2 days", "$\\times$ from day 4", "more than 2x10 days",
    "on day 3", "day 5 onward", "thereafter", "at\nleast", "Since day 7 – ongoing", "3x10^9/L from day",
])
def test_only_words_that_cannot_say_an_open_end_skip_the_open_end_check(words):
    # time-words skips a stated row's open-end check only where found_phrases could find no open-end phrase.
    from casekit.quotes.normalise import normalise
    from casekit.quotes.phrases import found_phrases
    from casekit.validation.rules.time_words import open_end_test
    open_ends = ("onward", "since", "from ... on", "more than", "at least", "thereafter", "from day")
    may_say_open = open_end_test(open_ends)
    if found_phrases(open_ends, normalise(words), normalised=True):
        assert may_say_open(words)
    assert not may_say_open("on day 3") and not may_say_open("at day 3, less than before")
    assert open_end_test(("...", "onward"))("on day 3")  # a phrase of no words: no text can be ruled out
