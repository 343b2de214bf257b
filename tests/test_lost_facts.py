"""Facts that were once lost to free text, now held as data (issue 19): each new field agrees with its
words and with the other rows, planted in the real package's typed tables."""
from __future__ import annotations

from decimal import Decimal

import pytest

from casekit.timing import implied_interval, point_interval, resolve_relative_times
from rules_support import validate


def findings_of(tables, rule_id: str) -> set:
    """(resource, field) of each finding of rule_id."""
    return {(finding.resource, finding.field) for finding in validate(tables) if finding.rule == rule_id}


# ---------------------------------------------------------------------------------------------
# "during X": anchor_point during puts the subject within the anchor's whole interval.

SCHEDULE = {"schedule_id": "s1", "case_id": "c1", "time_unit": "d", "start_earliest": Decimal(7),
            "start_latest": Decimal(7), "end_earliest": Decimal(12), "end_latest": Decimal(13)}
DURING = {"case_id": "c1", "subject_resource": "clinical_events", "subject_id": "e1", "subject_point": "time",
          "anchor_resource": "drug_schedules", "anchor_id": "s1", "anchor_point": "during", "comparator": "=",
          "offset_value": 0, "offset_unit": "d", "counting_convention": "exclusive"}


def test_during_spans_a_schedule_from_its_earliest_start_to_its_latest_end():
    assert point_interval(SCHEDULE, "during") == (7, 13)
    assert implied_interval(point_interval(SCHEDULE, "during"), DURING) == (7, 13)


def test_during_of_an_event_is_its_time():
    event = {"event_id": "e2", "time_unit": "d", "time_earliest": Decimal(2), "time_latest": Decimal(4)}
    assert point_interval(event, "during") == (2, 4)


def test_a_row_known_only_during_another_is_placed_within_it():
    event = {"event_id": "e1", "case_id": "c1", "time_unit": "d", "time_earliest": None, "time_latest": None}
    known = resolve_relative_times({"drug_schedules": [SCHEDULE], "clinical_events": [event]}, [DURING],
                                   {"drug_schedules": "schedule_id", "clinical_events": "event_id"})
    assert known == {("clinical_events", "e1", "time"): (7, 13)}


def _during_dasatinib(typed_tables, subject: str, quote: str = "transferred during dasatinib treatment", **values):
    relation = {"relation_id": "rt-planted-during", "case_id": "baur-2022-jitc-1",
                "subject_resource": "clinical_events", "subject_id": subject, "subject_point": "time",
                "anchor_resource": "drug_schedules", "anchor_id": "sched-dasatinib-1", "anchor_point": "during",
                "comparator": "=", "offset_value": "0", "offset_unit": "d", "counting_convention": "exclusive",
                "quote": quote, "locator_id": "main-p13"}
    typed_tables.append_row("relative_timings", {**relation, **values})


def test_a_row_within_the_interval_its_relation_names_passes(typed_tables):
    _during_dasatinib(typed_tables, "ev-ward-transfer")  # day 13, the last day of dasatinib (days 7 to 13)
    assert not findings_of(typed_tables, "relative-timing") and not findings_of(typed_tables, "relation-words")


def test_a_row_outside_the_interval_its_relation_names_fires_relative_timing(typed_tables):
    _during_dasatinib(typed_tables, "ev-icu-transfer")  # day 3, before dasatinib started on day 7
    assert findings_of(typed_tables, "relative-timing") == {("relative_timings", "offset_value")}


@pytest.mark.parametrize("field,value", [("comparator", ">="), ("comparator", "<="), ("offset_value", "2")])
def test_during_with_another_comparator_or_an_offset_fires_relative_timing(typed_tables, field, value):
    _during_dasatinib(typed_tables, "ev-ward-transfer", **{field: value})
    assert ("relative_timings", field) in findings_of(typed_tables, "relative-timing")


def test_during_that_its_words_do_not_say_fires_relation_words(typed_tables):
    typed_tables.set_cell("relative_timings", "rt-ward-transfer-after-dasatinib", "anchor_point", "during")
    typed_tables.set_cell("relative_timings", "rt-ward-transfer-after-dasatinib", "offset_value", "0")
    assert ("relative_timings", "anchor_point") in findings_of(typed_tables, "relation-words")


def test_during_written_as_at_or_after_a_start_fires_relation_words(typed_tables):
    """The old way to write "during X" (>= 0 days after X's start) loses X's end; the words "during" allow
    only the comparator =."""
    _during_dasatinib(typed_tables, "ev-ward-transfer", anchor_point="start", comparator=">=")
    assert ("relative_timings", "comparator") in findings_of(typed_tables, "relation-words")


# ---------------------------------------------------------------------------------------------
# Approximate and estimated values: value_certainty agrees with the words (coded-words).

@pytest.mark.parametrize("resource,row_id,quote", [
    ("observations", "obs-crp-baseline", "CRP was approximately 19.5 mg/L (normal range <10 mg/L) ... before therapy"),
    ("observations", "obs-ferritin-baseline", "ferritin was ~2598 μg/L (normal range 30–300 μg/L) before therapy"),
    ("case_characteristics", "cc-age", "a patient in their late 60s, approximately"),
])
def test_a_hedged_value_held_as_exact_fires_coded_words(typed_tables, resource, row_id, quote):
    typed_tables.set_cell(resource, row_id, "quote", quote)
    assert (resource, "value_certainty") in findings_of(typed_tables, "coded-words")


@pytest.mark.parametrize("resource,row_id,certainty", [
    ("observations", "obs-crp-baseline", "approximate"),
    ("observations", "obs-ferritin-max", "estimated"),
    ("case_characteristics", "cc-age", "approximate"),
])
def test_a_certainty_its_words_do_not_say_fires_coded_words(typed_tables, resource, row_id, certainty):
    typed_tables.set_cell(resource, row_id, "value_certainty", certainty)
    assert findings_of(typed_tables, "coded-words") == {(resource, "value_certainty")}


def test_a_certainty_its_words_say_passes(typed_tables):
    typed_tables.set_cell("observations", "obs-crp-baseline", "quote",
                          "CRP was approximately 19.5 mg/L (normal range <10 mg/L) ... before therapy")
    typed_tables.set_cell("observations", "obs-crp-baseline", "value_certainty", "approximate")
    assert not findings_of(typed_tables, "coded-words") and not findings_of(typed_tables, "quote-agreement")


def test_two_rows_that_differ_only_in_certainty_are_two_facts(typed_tables):
    from casekit.validation.keys import ROW_NUMBER

    row = typed_tables.row("observations", "obs-crp-baseline")
    copy = {key: value for key, value in row.items() if key != ROW_NUMBER}
    typed_tables.append_row("observations", {**copy, "observation_id": "obs-crp-baseline-again"})
    assert findings_of(typed_tables, "duplicate-fact") == {("observations", "observation_id")}
    typed_tables.set_cell("observations", "obs-crp-baseline-again", "value_certainty", "approximate")
    assert not findings_of(typed_tables, "duplicate-fact")


# ---------------------------------------------------------------------------------------------
# Calendar dates: a year, month or day the article gives a row's point (calendar-dates).

def _date(typed_tables, date_id: str, row_id: str, date: str, quote: str, resource: str = "drug_schedules",
          point: str = "start"):
    typed_tables.append_row("calendar_dates", {"date_id": date_id, "case_id": "baur-2022-jitc-1",
                                               "resource": resource, "row_id": row_id, "point": point,
                                               "date": date, "quote": quote, "locator_id": "main-p13"})


def test_dates_that_agree_with_their_rows_days_pass(typed_tables):
    _date(typed_tables, "cd-dasatinib", "sched-dasatinib-1", "2021-03-14", "dasatinib on 14 March 2021")  # day 7
    _date(typed_tables, "cd-ward", "ev-ward-transfer", "2021-03", "transferred to the normal ward in March 2021", "clinical_events",
          "time")  # day 13
    _date(typed_tables, "cd-year", "ev-icu-transfer", "2021", "to the intensive care unit in 2021", "clinical_events",
          "time")
    assert not findings_of(typed_tables, "calendar-dates")


@pytest.mark.parametrize("date_id,row_id,date,quote,resource,point,field", [
    ("cd-nowhere", "sched-no-such-step", "2021", "in 2021", "drug_schedules", "start", "row_id"),
    ("cd-no-point", "ev-ward-transfer", "2021", "in 2021", "clinical_events", "start", "point"),
    ("cd-no-day", "sched-dasatinib-1", "2021-02-30", "on 30 February 2021", "drug_schedules", "start", "date"),
    ("cd-no-year", "sched-dasatinib-1", "2021", "in the spring", "drug_schedules", "start", "date"),
    ("cd-other-month", "sched-dasatinib-1", "2021-03", "in April 2021", "drug_schedules", "start", "date"),
    ("cd-other-day", "sched-dasatinib-1", "2021-03-14", "on 15 March 2021", "drug_schedules", "start", "date"),
])
def test_a_date_without_its_row_point_calendar_day_or_words_fires_calendar_dates(typed_tables, date_id, row_id,
                                                                                  date, quote, resource, point,
                                                                                  field):
    _date(typed_tables, date_id, row_id, date, quote, resource, point)
    assert findings_of(typed_tables, "calendar-dates") == {("calendar_dates", field)}


def test_dates_out_of_step_with_their_rows_days_fire_calendar_dates(typed_tables):
    """Dasatinib started on day 7 and the ward transfer was on day 13: 6 days apart, not 4 days earlier."""
    _date(typed_tables, "cd-dasatinib", "sched-dasatinib-1", "2021-03-14", "dasatinib on 14 March 2021")
    _date(typed_tables, "cd-ward", "ev-ward-transfer", "2021-03-10", "transferred to the normal ward on 10 March 2021",
          "clinical_events", "time")
    findings = [finding for finding in validate(typed_tables) if finding.rule == "calendar-dates"]
    assert [(finding.field, finding.message.split(":")[0]) for finding in findings] == [("date", "cd-ward")]


def test_a_year_that_cannot_hold_the_days_of_another_date_fires_calendar_dates(typed_tables):
    """2021-01-02 on day 7 puts day 0 in December 2020; a row of day 13 cannot then be in 2022."""
    _date(typed_tables, "cd-dasatinib", "sched-dasatinib-1", "2021-01-02", "dasatinib on 2 January 2021")
    _date(typed_tables, "cd-ward", "ev-ward-transfer", "2022", "transferred to the normal ward in 2022", "clinical_events",
          "time")
    assert findings_of(typed_tables, "calendar-dates") == {("calendar_dates", "date")}


def test_a_date_with_a_row_of_another_case_fires_case_scope(typed_tables):
    typed_tables.append_row("cases", {**{key: value for key, value in typed_tables.row("cases", "baur-2022-jitc-1")
                                         .items() if key != "_row"}, "case_id": "other-case-1"})
    typed_tables.append_row("calendar_dates", {"date_id": "cd-foreign", "case_id": "other-case-1",
                                               "resource": "drug_schedules", "row_id": "sched-dasatinib-1",
                                               "point": "start", "date": "2021", "quote": "in 2021",
                                               "locator_id": "main-p13"})
    assert ("calendar_dates", "row_id") in findings_of(typed_tables, "case-scope")


# ---------------------------------------------------------------------------------------------
# Devices and the purpose of a procedure: clinical_events.device and .purpose agree with the words.

ADSORBER = {"device": "adsorber-x", "written_forms": "AdsorbX|cytokine adsorber", "label": "AdsorbX",
            "definition": "A planted cytokine adsorber.", "source": "this dataset"}


def test_a_device_its_words_do_not_name_fires_coded_words(typed_tables):
    typed_tables.append_row("devices", ADSORBER)
    typed_tables.set_cell("clinical_events", "ev-crrt-start", "device", "adsorber-x")
    assert findings_of(typed_tables, "coded-words") == {("clinical_events", "device")}


def test_a_device_its_words_name_but_the_row_leaves_out_fires_coded_words(typed_tables):
    typed_tables.append_row("devices", ADSORBER)
    quote = typed_tables.row("clinical_events", "ev-crrt-start")["quote"]
    typed_tables.set_cell("clinical_events", "ev-crrt-start", "quote", f"{quote} with a cytokine adsorber")
    assert ("clinical_events", "device") in findings_of(typed_tables, "coded-words")
    typed_tables.set_cell("clinical_events", "ev-crrt-start", "device", "adsorber-x")
    assert ("clinical_events", "device") not in findings_of(typed_tables, "coded-words")


def test_a_purpose_without_words_or_a_field_source_fires_coded_words(typed_tables):
    typed_tables.set_cell("clinical_events", "ev-crrt-start", "purpose", "lymphodepletion")
    assert findings_of(typed_tables, "coded-words") == {("clinical_events", "purpose")}


def test_a_purpose_its_field_source_vouches_for_passes(typed_tables):
    typed_tables.set_cell("clinical_events", "ev-crrt-start", "purpose", "crs_icans_treatment")
    typed_tables.append_row("field_sources", {
        "field_source_id": "fs-planted-crrt-purpose", "case_id": "baur-2022-jitc-1", "resource": "clinical_events",
        "row_id": "ev-crrt-start", "field": "purpose", "value": "crs_icans_treatment", "basis": "implied",
        "quote": "on the same day that dasatinib was started", "locator_id": "main-p11",
        "note": "A planted reading, to show that a field source vouches for an event's purpose."})
    assert not findings_of(typed_tables, "coded-words")


# ---------------------------------------------------------------------------------------------
# The Table Schemas of the new tables, which the published package leaves empty (so the generated
# constraint tests of test_tabular_constraints.py have no row of theirs to break there).

def test_the_new_tables_constraints_and_keys_are_enforced(package):
    from validator_checks import findings_of as validation_findings

    dates = [{"date_id": f"cd-{index}", "case_id": "baur-2022-jitc-1", "resource": resource,
              "row_id": "sched-dasatinib-1", "point": "start", "date": date, "quote": "in 2021",
              "locator_id": "main-p13"}
             for index, (resource, date) in enumerate([("drug_schedules", "2021"), ("drug_schedules", "2021-13"),
                                                       ("drugs", "2021"), ("drug_schedules", "21")])]
    # Added after the rows the package under test holds (the fixture cases have some).
    first_date = len(package.read_rows("calendar_dates")) + 2
    package.write_rows("calendar_dates", package.read_rows("calendar_dates") + dates)
    devices = [{"device": code, "label": "an adsorber", "definition": "A planted adsorber.", "source": "this dataset"}
               for code in ("adsorber-x", "Adsorber X")]
    first_device = len(package.read_rows("devices")) + 2
    package.write_rows("devices", package.read_rows("devices") + devices)
    package.set_cell("clinical_events", "ev-crrt-start", "device", "no-such-device", refresh_hashes=False)
    package.set_cell("observations", "obs-crp-baseline", "value_certainty", "roughly", refresh_hashes=False)
    package.refresh_hashes()
    found = {(finding.rule, finding.resource, finding.row, finding.field) for finding in validation_findings(package)
             if finding.rule.startswith("frictionless/") or finding.rule in ("foreign-key", "primary-key")}
    assert found == {
        ("frictionless/constraint-error", "calendar_dates", first_date + 1, "date"),  # no month 13
        ("frictionless/constraint-error", "calendar_dates", first_date + 2, "resource"),  # dates only fact rows
        ("frictionless/constraint-error", "calendar_dates", first_date + 3, "date"),  # a year has four digits
        ("frictionless/constraint-error", "devices", first_device + 1, "device"),  # codes are lower-case ASCII
        ("foreign-key", "clinical_events", 15, "device"),
        ("foreign-key", "observations", 2, "value_certainty"),
    }, found
