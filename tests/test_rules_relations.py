"""Relation slips that passed before issue 17's second round, each planted in several rows of the real package
and of the fixture cases (relation-rows, relation-words, relative-words, time-words)."""
from __future__ import annotations

import dataclasses

import pytest

from rules_support import validate
from test_fixture_cases import (  # noqa: F401 (combined and typed are fixtures)
    combined, error_lines, planted, run_rules_on, typed, without_row)


def fired(findings, rule_id: str, field: str, row_key: str) -> list:
    """The findings of rule_id on `field` that name row_key; at least one."""
    hits = [finding for finding in findings if finding.rule == rule_id and finding.field == field
            and row_key in finding.message]
    assert hits, "\n".join(f"{f.rule} {f.resource}.{f.field}: {f.message}" for f in findings)
    return hits


def in_fixtures(combined, typed, resource, key, row_key, **values):  # noqa: F811
    tables, descriptor = typed
    return run_rules_on(combined.root, planted(tables, resource, key, row_key, **values), descriptor)


def with_relation(tables, **row):
    """The combined tables with one more relative timing."""
    rows = dict(tables.rows)
    template = dict(rows["relative_timings"][0])
    template.update({"note": None, **row})
    rows["relative_timings"] = [*rows["relative_timings"], template]
    return dataclasses.replace(tables, rows=rows)


def planted_relation(typed_tables, **row):
    base = dict(relation_id="rt-planted", case_id="baur-2022-jitc-1", subject_point="time", comparator=">=",
                offset_value="0", offset_unit="d", counting_convention="exclusive", locator_id="main-p10")
    typed_tables.append_row("relative_timings", {**base, **row})


def test_the_real_package_and_the_fixture_cases_have_no_relation_finding(typed_tables, combined, typed):  # noqa: F811
    rules = {"relation-rows", "relation-words", "relative-words", "time-words"}
    assert [f for f in validate(typed_tables) if f.rule in rules] == []
    tables, descriptor = typed
    findings = [f for f in run_rules_on(combined.root, tables, descriptor) if f.rule in rules]
    assert not findings, error_lines(findings)


# ---------------------------------------------------------------------------------------------
# The anchor or subject moved to another row the words also name (a sibling: same drug or event type).

@pytest.mark.parametrize("relation_id,side,moved_to", [
    ("rt-tocilizumab-after-fever", "subject", "sched-tocilizumab-2"),  # the first dose, "immediately administered"
])
def test_a_side_moved_to_a_sibling_row_in_the_real_package_is_rejected(typed_tables, relation_id, side, moved_to):
    typed_tables.set_cell("relative_timings", relation_id, f"{side}_id", moved_to)
    fired(validate(typed_tables), "relation-rows", f"{side}_id", relation_id)


@pytest.mark.parametrize("anchor,point,quote,meant", [
    # The words state the days of the first step.
    ("sched-dexamethasone-3", "start", "continuous treatment with dexamethasone intravenously (40mg/day, days 3–4",
     "sched-dexamethasone-1"),
    # Initiation is the drug's first step; the last dose its last step.
    ("sched-dexamethasone-2", "start", "after initiation of dexamethasone", "sched-dexamethasone-1"),
    ("sched-dexamethasone-1", "end", "after the last dose of dexamethasone", "sched-dexamethasone-8"),
    ("sched-tocilizumab-1", "start", "after the second dose of tocilizumab", "sched-tocilizumab-2"),
])
def test_an_anchor_the_words_single_out_among_the_steps_of_one_drug(typed_tables, anchor, point, quote, meant):
    planted_relation(typed_tables, subject_resource="clinical_events", subject_id="ev-clinical-improvement",
                     anchor_resource="drug_schedules", anchor_id=anchor, anchor_point=point,
                     quote=f"significant clinical improvement {quote}")
    [finding] = fired(validate(typed_tables), "relation-rows", "anchor_id", "rt-planted")
    assert finding.expected == meant and finding.observed == anchor


def test_the_step_the_words_single_out_is_accepted(typed_tables):
    planted_relation(typed_tables, subject_resource="clinical_events", subject_id="ev-clinical-improvement",
                     anchor_resource="drug_schedules", anchor_id="sched-dexamethasone-8", anchor_point="end",
                     quote="significant clinical improvement after the last dose of dexamethasone")
    assert "relation-rows" not in {finding.rule for finding in validate(typed_tables)}


@pytest.mark.parametrize("relation_id,side,moved_to", [
    ("tcrl-rt-fever-during-lymphodepletion", "anchor", "tcrl-sched-cyclophosphamide-2"),  # the purpose named
    ("tcrl-rt-neutropenia-during-lymphodepletion", "anchor", "tcrl-sched-cyclophosphamide-2"),
    ("tcrl-rt-partial-response-after-tocilizumab", "anchor", "tcrl-sched-tocilizumab-2"),  # the first step
    ("tcrl-rt-antimicrobials-after-fever", "anchor", "tcrl-ev-high-grade-fever"),  # the row's own words
    ("tcrl-rt-fever-during-lymphodepletion", "subject", "tcrl-ev-high-grade-fever"),
    ("itc1-rt-tocilizumab-after-grades", "anchor", "itc1-tg-crs-day-5"),  # the day stated: "day +2"
    ("itc1-rt-dexamethasone-after-grades", "anchor", "itc1-tg-crs-day-5"),
    ("koike-rt-progression-after-first-csf", "anchor", "koike-ev-csf-abnormal"),
])
def test_a_side_moved_to_a_sibling_row_in_a_fixture_case_is_rejected(combined, typed, relation_id, side,  # noqa: F811
                                                                     moved_to):
    findings = in_fixtures(combined, typed, "relative_timings", "relation_id", relation_id, **{f"{side}_id": moved_to})
    [finding] = fired(findings, "relation-rows", f"{side}_id", relation_id)
    assert finding.observed == moved_to


def test_words_that_leave_two_siblings_alike_are_rejected(combined, typed):  # noqa: F811
    # Both fevers of the case, and words that quote neither: the relation does not say which it times.
    tables, descriptor = typed
    tables = with_relation(tables, relation_id="tcrl-rt-planted", case_id="tcrl-car-t-hlh-mas-series-1",
                           subject_resource="clinical_events", subject_id="tcrl-ev-hlh-suspected",
                           subject_point="time", anchor_resource="clinical_events",
                           anchor_id="tcrl-ev-high-grade-fever", anchor_point="time", comparator=">=",
                           offset_value=0, offset_unit="d", counting_convention="exclusive",
                           quote="HLH/MAS was suspected after the fever", locator_id="tcrl-p3")
    [finding] = fired(run_rules_on(combined.root, tables, descriptor), "relation-rows", "anchor_id", "tcrl-rt-planted")
    assert "alike" in finding.message


# ---------------------------------------------------------------------------------------------
# The subject moved to a row the words do not name at all.

@pytest.mark.parametrize("relation_id,moved_to", [
    ("rt-lacosamide-after-extubation", "sched-dexamethasone-3"),
    ("rt-hypotension-after-fluid-bolus", "ev-fever"),
    ("rt-respiratory-deterioration-after-fluid-bolus", "ev-clinical-improvement"),
])
def test_a_subject_its_words_do_not_name_in_the_real_package_is_rejected(typed_tables, relation_id, moved_to):
    resource = "drug_schedules" if moved_to.startswith("sched-") else "clinical_events"
    typed_tables.set_cell("relative_timings", relation_id, "subject_resource", resource)
    typed_tables.set_cell("relative_timings", relation_id, "subject_id", moved_to)
    [finding] = fired(validate(typed_tables), "relation-rows", "subject_id", relation_id)
    assert finding.observed == moved_to


@pytest.mark.parametrize("relation_id,moved_to", [
    ("reveron-rt-discharge-after-response-scan", "reveron-ev-neuroimaging-normal"),
    ("tcrl-rt-partial-response-after-tocilizumab", "tcrl-ev-pet-ct"),
    ("koike-rt-hydrocephalus-after-progression", "koike-ev-death"),
])
def test_a_subject_its_words_do_not_name_in_a_fixture_case_is_rejected(combined, typed, relation_id,  # noqa: F811
                                                                       moved_to):
    findings = in_fixtures(combined, typed, "relative_timings", "relation_id", relation_id, subject_id=moved_to)
    fired(findings, "relation-rows", "subject_id", relation_id)


# ---------------------------------------------------------------------------------------------
# A comparator the direction of the words does not allow.

@pytest.mark.parametrize("relation_id,comparator", [
    ("rt-agitation-after-extubation", "="),  # "after", no number: at or after (>=)
    ("rt-no-rebound-after-dasatinib", "="),
    ("rt-ward-transfer-after-dasatinib", ">="),  # "7 days after": that time after (=)
    ("rt-extubation-after-dasatinib", "<="),
    ("rt-crrt-start-after-oliguria", "="),  # no time words: the story's order (>=)
])
def test_a_comparator_against_the_words_direction_in_the_real_package_is_rejected(typed_tables, relation_id,
                                                                                   comparator):
    typed_tables.set_cell("relative_timings", relation_id, "comparator", comparator)
    [finding] = fired(validate(typed_tables), "relation-words", "comparator", relation_id)
    assert finding.observed == comparator


@pytest.mark.parametrize("relation_id,comparator", [
    ("koike-rt-relapse-after-transplant", ">="),  # "22 months after"
    ("koike-rt-hydrocephalus-after-progression", "<="),  # story order only
    ("tcrl-rt-necropsy-after-death", "="),
    ("tcrl-rt-high-grade-fever-after-partial-response", "="),  # "followed"
    ("itc1-rt-tocilizumab-after-grades", "<="),
    ("reveron-rt-pembrolizumab-after-progression", "<="),  # "continued through"
])
def test_a_comparator_against_the_words_direction_in_a_fixture_case_is_rejected(combined, typed, relation_id,  # noqa: F811
                                                                                 comparator):
    findings = in_fixtures(combined, typed, "relative_timings", "relation_id", relation_id, comparator=comparator)
    fired(findings, "relation-words", "comparator", relation_id)


# ---------------------------------------------------------------------------------------------
# End relations: "until", "continued through" time the end of the row named before them; an end
# subject_point needs words about an end.

@pytest.mark.parametrize("relation_id", ["rt-lacosamide-after-extubation", "rt-quetiapine-after-extubation",
                                         "rt-tocilizumab-after-fever"])
def test_an_end_subject_point_without_end_words_in_the_real_package_is_rejected(typed_tables, relation_id):
    typed_tables.set_cell("relative_timings", relation_id, "subject_point", "end")
    [finding] = fired(validate(typed_tables), "relation-words", "subject_point", relation_id)
    assert finding.expected == "start"


@pytest.mark.parametrize("relation_id", ["itc1-rt-tocilizumab-after-grades", "itc1-rt-dexamethasone-after-grades",
                                         "tcrl-rt-antimicrobials-after-fever", "koike-rt-prednisolone-after-symptoms"])
def test_an_end_subject_point_without_end_words_in_a_fixture_case_is_rejected(combined, typed, relation_id):  # noqa: F811
    findings = in_fixtures(combined, typed, "relative_timings", "relation_id", relation_id, subject_point="end")
    fired(findings, "relation-words", "subject_point", relation_id)


@pytest.mark.parametrize("quote", ["dasatinib was continued until the ward transfer",
                                   "dasatinib continued through the ward transfer"])
def test_until_stored_as_a_start_relation_is_rejected(typed_tables, quote):
    planted_relation(typed_tables, subject_resource="drug_schedules", subject_id="sched-dasatinib-1",
                     subject_point="start", anchor_resource="clinical_events", anchor_id="ev-ward-transfer",
                     anchor_point="time", comparator="=", quote=quote, locator_id="main-p13")
    [finding] = fired(validate(typed_tables), "relation-words", "subject_point", "rt-planted")
    assert finding.expected == "end"


def test_until_stored_as_within_is_rejected(typed_tables):
    planted_relation(typed_tables, subject_resource="drug_schedules", subject_id="sched-dasatinib-1",
                     subject_point="end", anchor_resource="clinical_events", anchor_id="ev-ward-transfer",
                     anchor_point="time", comparator="<=", quote="dasatinib was continued until the ward transfer",
                     locator_id="main-p13")
    fired(validate(typed_tables), "relation-words", "comparator", "rt-planted")


# ---------------------------------------------------------------------------------------------
# One relation deleted while another still names its row: the row's own time words lose their relation.

@pytest.mark.parametrize("relation_id,row_id", [
    ("rt-extubation-after-dasatinib", "ev-extubation"),  # still the anchor of three later rows
    ("rt-agitation-after-extubation", "ev-agitation-psychosis"),  # still the anchor of the lacosamide switch
    ("rt-lacosamide-after-extubation", "sched-lacosamide-1"),  # its other relation names agitation, not extubation
])
def test_a_deleted_relation_whose_row_keeps_another_in_the_real_package_is_rejected(typed_tables, relation_id,
                                                                                    row_id):
    rows = typed_tables.read_rows("relative_timings")
    typed_tables.write_rows("relative_timings", [row for row in rows if row["relation_id"] != relation_id])
    fired(validate(typed_tables), "relative-words", "timing_as_stated", row_id)
    assert "time-words" not in {f.rule for f in validate(typed_tables)}  # the row is still named by a relation


@pytest.mark.parametrize("relation_id,row_id", [
    ("reveron-rt-discharge-after-response-scan", "reveron-ev-complete-response"),
    ("reveron-rt-discharge-after-deauville", "reveron-obs-deauville"),
    ("tcrl-rt-fever-during-lymphodepletion", "tcrl-ev-fever-lymphodepletion"),
    # Rows whose timing_as_stated was empty (their relations' words were checked by nothing):
    ("tcrl-rt-partial-response-after-tocilizumab", "tcrl-ev-crs-partial-response"),  # still the fever's anchor
    ("reveron-rt-progression-after-response-scan", "reveron-ev-progression"),  # still pembrolizumab's anchor
])
def test_a_deleted_relation_whose_row_keeps_another_in_a_fixture_case_is_rejected(combined, typed,  # noqa: F811
                                                                                  relation_id, row_id):
    tables, descriptor = typed
    findings = run_rules_on(combined.root, without_row(tables, "relative_timings", "relation_id", relation_id),
                            descriptor)
    fired(findings, "relative-words", "timing_as_stated", row_id)


# ---------------------------------------------------------------------------------------------
# "from day N": an open end stored closed.

@pytest.mark.parametrize("row_id,latest", [("koike-ev-neurological-progression", 65),
                                           ("koike-ev-neurological-progression", 77),
                                           ("koike-ev-cytopenia", 30)])
def test_from_day_closed_is_rejected(combined, typed, row_id, latest):  # noqa: F811
    findings = in_fixtures(combined, typed, "clinical_events", "event_id", row_id, time_latest=latest)
    fired(findings, "time-words", "time_latest", row_id)


def test_from_day_to_day_is_a_closed_interval(typed_tables):
    # sched-dexamethasone-2 holds days 5 to 8: "to day" closes what "from day" opens.
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-2", "timing_as_stated", "from day 5 to day 8")
    assert "time-words" not in {finding.rule for finding in validate(typed_tables)}
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-2", "timing_as_stated", "from day 5")
    fired(validate(typed_tables), "time-words", "end_latest", "sched-dexamethasone-2")


# ---------------------------------------------------------------------------------------------
# Subject and anchor swapped: "X after Y" makes Y the anchor; "X, followed by Y" makes Y the subject.

def swap_sides(row: dict) -> dict:
    return {"subject_resource": row["anchor_resource"], "subject_id": row["anchor_id"],
            "subject_point": row["anchor_point"], "anchor_resource": row["subject_resource"],
            "anchor_id": row["subject_id"], "anchor_point": row["subject_point"]}


@pytest.mark.parametrize("relation_id", ["rt-agitation-after-extubation", "rt-quetiapine-after-extubation",
                                         "rt-improvement-after-dasatinib", "rt-no-re-expansion-after-dasatinib",
                                         "rt-temperature-normal-after-dasatinib"])
def test_subject_and_anchor_swapped_in_the_real_package_are_rejected(typed_tables, relation_id):
    row = dict(typed_tables.row("relative_timings", relation_id))
    for field, value in swap_sides(row).items():
        typed_tables.set_cell("relative_timings", relation_id, field, value)
    [finding] = fired(validate(typed_tables), "relation-rows", "anchor_id", relation_id)
    assert finding.expected == row["anchor_id"] and "swapped" in finding.message


def test_subject_and_anchor_swapped_in_a_fixture_case_are_rejected(combined, typed):  # noqa: F811
    tables, _ = typed
    [row] = [row for row in tables.rows["relative_timings"] if row["relation_id"] == "itc1-rt-r-gemox-after-r-chop"]
    findings = in_fixtures(combined, typed, "relative_timings", "relation_id", row["relation_id"], **swap_sides(row))
    [finding] = fired(findings, "relation-rows", "subject_id", row["relation_id"])
    assert finding.expected == "itc1-sched-r-gemox-1"


# ---------------------------------------------------------------------------------------------
# A row timed relative whose timing_as_stated is empty: its relations' words could not be checked.

@pytest.mark.parametrize("resource,row_id", [
    ("clinical_events", "ev-crrt-stop"), ("clinical_events", "ev-no-rebound"), ("drug_schedules", "sched-lacosamide-1"),
])
def test_a_relative_row_without_its_time_words_in_the_real_package_is_rejected(typed_tables, resource, row_id):
    typed_tables.set_cell(resource, row_id, "timing_as_stated", None)
    [finding] = fired(validate(typed_tables), "relative-words", "timing_as_stated", row_id)
    assert finding.resource == resource and finding.observed == "empty"


def test_a_deleted_relation_whose_row_keeps_one_of_the_other_direction_is_rejected(combined, typed):  # noqa: F811
    # "followed by R-GemOx": R-GemOx comes after R-CHOP; the relation left stores it before the infusion.
    tables, descriptor = typed
    findings = run_rules_on(combined.root, without_row(tables, "relative_timings", "relation_id",
                                                       "itc1-rt-r-gemox-after-r-chop"), descriptor)
    [finding] = fired(findings, "relative-words", "subject_id", "itc1-sched-r-gemox-1")
    assert finding.observed == "itc1-sched-axicabtagene-ciloleucel-1"


@pytest.mark.parametrize("resource,key,row_key", [
    ("clinical_events", "event_id", "reveron-ev-progression"),
    ("clinical_events", "event_id", "tcrl-ev-necropsy"),
    ("drug_schedules", "schedule_id", "itc1-sched-r-gemox-1"),
    ("case_characteristics", "characteristic_id", "koike-cc-disease-setting"),
])
def test_a_relative_row_without_its_time_words_in_a_fixture_case_is_rejected(combined, typed,  # noqa: F811
                                                                             resource, key, row_key):
    findings = in_fixtures(combined, typed, resource, key, row_key, timing_as_stated=None)
    [finding] = fired(findings, "relative-words", "timing_as_stated", row_key)
    assert finding.resource == resource



# ---------------------------------------------------------------------------------------------
# Subject and anchor swapped where the relation's own quote names both rows in no telling order: the
# relative row's words ("4 days later", "just prior to discharge") or a phrase that names the later row
# next ("switched to", "treated with", "continued through") say which side is which.

@pytest.mark.parametrize("relation_id,rule_id,field", [
    ("rt-crrt-stop-after-start", "relative-words", "subject_id"),  # "4 days later"
    ("rt-no-rebound-after-dasatinib", "relative-words", "subject_id"),  # "after discontinuation of dasatinib"
    ("rt-lacosamide-after-extubation", "relative-words", "subject_id"),  # "after extubation"
    ("rt-lacosamide-after-agitation", "relation-rows", "subject_id"),  # "was switched to lacosamide"
])
def test_a_swap_the_time_words_settle_in_the_real_package_is_rejected(typed_tables, relation_id, rule_id, field):
    row = dict(typed_tables.row("relative_timings", relation_id))
    for column, value in swap_sides(row).items():
        typed_tables.set_cell("relative_timings", relation_id, column, value)
    fired(validate(typed_tables), rule_id, field, relation_id)


@pytest.mark.parametrize("relation_id,rule_id,field", [
    ("koike-rt-relapse-after-transplant", "relative-words", "subject_id"),  # "22 months after ... transplantation"
    ("reveron-rt-discharge-after-response-scan", "relative-words", "anchor_id"),  # "just prior to discharge"
    ("tcrl-rt-high-grade-fever-after-partial-response", "relative-words", "subject_id"),  # "followed"
    ("tcrl-rt-antimicrobials-after-fever", "relation-rows", "subject_id"),  # "was treated with ... antimicrobials"
    ("itc1-rt-dexamethasone-after-grades", "relation-rows", "subject_id"),  # "treated with tocilizumab and ..."
    ("reveron-rt-pembrolizumab-after-progression", "relation-rows", "subject_id"),  # "continued through"
])
def test_a_swap_the_time_words_settle_in_a_fixture_case_is_rejected(combined, typed,  # noqa: F811
                                                                    relation_id, rule_id, field):
    tables, _ = typed
    [row] = [row for row in tables.rows["relative_timings"] if row["relation_id"] == relation_id]
    findings = in_fixtures(combined, typed, "relative_timings", "relation_id", relation_id, **swap_sides(row))
    fired(findings, rule_id, field, relation_id)


@pytest.mark.parametrize("comparator", [">=", "<="])
def test_an_interval_stored_as_at_least_or_at_most_is_rejected(combined, typed, comparator):  # noqa: F811
    # "a 3-month interval PET/CT": exactly 3 months after the response scan (time_phrases: interval).
    findings = in_fixtures(combined, typed, "relative_timings", "relation_id",
                           "reveron-rt-progression-after-response-scan", comparator=comparator)
    fired(findings, "relation-words", "comparator", "reveron-rt-progression-after-response-scan")


# "X, followed by Y" places X before Y: a row timed by those words is the earlier row (the anchor), unless its own
# name is the one right after "followed by" ("followed by R-GemOx" times R-GemOx, the later row).
def _r_chop_timed_by_followed_by(tables):
    return planted(tables, "drug_schedules", "schedule_id", "itc1-sched-r-chop-1", timing_basis="relative",
                   timing_as_stated="R-CHOP, followed by R-GemOx", quote="who was treated with R-CHOP, followed by R-GemOx")


def test_a_row_its_words_place_before_another_by_followed_by_is_the_anchor(combined, typed):  # noqa: F811
    tables, descriptor = typed
    findings = run_rules_on(combined.root, _r_chop_timed_by_followed_by(tables), descriptor)
    assert not [f for f in findings if f.rule == "relative-words"], error_lines(findings)


def test_a_row_its_words_place_before_another_stored_as_the_subject_is_rejected(combined, typed):  # noqa: F811
    tables, descriptor = typed
    tables = _r_chop_timed_by_followed_by(tables)
    [row] = [row for row in tables.rows["relative_timings"] if row["relation_id"] == "itc1-rt-r-gemox-after-r-chop"]
    tables = planted(tables, "relative_timings", "relation_id", "itc1-rt-r-gemox-after-r-chop", **swap_sides(row))
    [finding] = fired(run_rules_on(combined.root, tables, descriptor), "relative-words", "anchor_id",
                      "itc1-rt-r-gemox-after-r-chop")
    assert finding.observed == "itc1-sched-r-gemox-1"
