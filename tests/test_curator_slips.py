"""Curator slips that passed a review of issues 16, 17 and 20, planted in the real package's typed tables:
each asserts the rule meant for it fires on the field it names."""
from __future__ import annotations

import pytest

from rules_support import validate


def fired(tables, rule_id: str) -> set:
    """(resource, field) of each finding of rule_id; the rule must fire."""
    found = {(finding.resource, finding.field) for finding in validate(tables) if finding.rule == rule_id}
    assert found, f"{rule_id} did not fire"
    return found


@pytest.mark.parametrize("resource,row_id,basis,column", [
    ("clinical_events", "ev-fever", "not_stated", "time_earliest"),  # day 0 kept under "not stated"
    ("drug_schedules", "sched-siltuximab-1", "not_stated", "start_earliest"),
    ("observations", "obs-ferritin-max", "relative", "time_earliest"),
])
def test_a_basis_that_holds_no_time_with_time_bounds_left_behind_is_rejected(typed_tables, resource, row_id, basis,
                                                                             column):
    typed_tables.set_cell(resource, row_id, "timing_basis", basis)
    assert (resource, column) in fired(typed_tables, "time-words")


@pytest.mark.parametrize("resource,row_id,value", [
    ("observations", "obs-crp-baseline", "0"),  # "before therapy" closed to day 0 .. 0
    ("observations", "obs-ferritin-baseline", "-10"),
    ("case_characteristics", "cc-car-hematotox", "-3"),  # "prior to CAR T-cell infusion"
])
def test_an_earliest_day_the_implied_words_leave_open_is_rejected(typed_tables, resource, row_id, value):
    typed_tables.set_cell(resource, row_id, "time_earliest", value)
    assert (resource, "time_earliest") in fired(typed_tables, "time-words")


@pytest.mark.parametrize("relation_id,point", [
    ("rt-extubation-after-dasatinib", "end"),  # "1 day after the start of dasatinib treatment"
    ("rt-no-rebound-after-dasatinib", "start"),  # "after discontinuation of dasatinib"
    ("rt-no-re-expansion-after-dasatinib", "start"),
])
def test_an_anchor_point_the_words_do_not_name_is_rejected(typed_tables, relation_id, point):
    typed_tables.set_cell("relative_timings", relation_id, "anchor_point", point)
    assert ("relative_timings", "anchor_point") in fired(typed_tables, "relation-words")


@pytest.mark.parametrize("relation_id", ["rt-agitation-after-extubation", "rt-lacosamide-after-extubation",
                                         "rt-improvement-after-dasatinib"])
def test_after_stored_as_at_most_zero_days_after_is_rejected(typed_tables, relation_id):
    typed_tables.set_cell("relative_timings", relation_id, "comparator", "<=")
    assert ("relative_timings", "comparator") in fired(typed_tables, "relation-words")


# ---------------------------------------------------------------------------------------------
# source-coverage: a fact row deleted whose numbers another row quotes is found by its coded words.

def coverage_findings(tables):
    from casekit.validation.rules import load_rulebook, run_rules
    from rules_support import REPO, real_descriptor
    from test_rules_quotes import ARTICLE_FOLDER

    rulebook = [rule for rule in load_rulebook() if rule.id == "source-coverage"]
    return [finding for finding in run_rules(REPO, tables, real_descriptor(), rulebook=rulebook,
                                             options={"source_text": ARTICLE_FOLDER, "coverage": []})]


def without_rows(resource: str, row_id: str):
    """The real package's tables without one fact row and the relative timings that name it."""
    import dataclasses

    from rules_support import real_tables

    tables = real_tables()
    rows = dict(tables.rows)
    key = tables.keys[resource]
    rows[resource] = [row for row in rows[resource] if row[key] != row_id]
    rows["relative_timings"] = [row for row in rows["relative_timings"]
                                if row_id not in (row["subject_id"], row["anchor_id"])]
    return dataclasses.replace(tables, rows=rows)


@pytest.mark.parametrize("resource,row_id,words", [
    ("clinical_events", "ev-seizure", "seizure"),  # "On day 7, he suffered a generalized seizure requiring ..."
    ("clinical_events", "ev-intubation", "intubation"),
    ("clinical_events", "ev-icu-transfer", "intensive care unit"),
    ("toxicity_grades", "tg-crs-day-0", "CRS"),  # "(CRS grade 2)", quoted by a relation too
])
def test_a_deleted_fact_whose_numbers_another_row_quotes_is_found_by_its_coded_words(resource, row_id, words):
    from test_rules_quotes import needs_article  # noqa: F401  (skips without the article text)

    findings = coverage_findings(without_rows(resource, row_id))
    hits = [(finding.resource, finding.field, finding.observed) for finding in findings]
    assert ("locators", "covers", words) in hits, [finding.message for finding in findings]


def test_the_coded_words_of_a_schedules_own_purpose_need_no_other_row():
    # "seizure" inside the levetiracetam row's words is what it is given for; the seizure row covers it.
    assert coverage_findings(without_rows("clinical_events", "ev-dic")) == []


@pytest.mark.parametrize("drug,code", [("siltuximab", "L04AC07"), ("lacosamide", "N03AX14")])
def test_a_level_5_atc_code_copied_to_another_drug_is_rejected(typed_tables, drug, code):
    typed_tables.set_cell("drugs", drug, "atc_code", code)  # tocilizumab's, levetiracetam's
    assert ("drugs", "atc_code") in fired(typed_tables, "atc-level")


@pytest.mark.parametrize("analyte,code", [("crp", "2276-4"), ("il-6", "1988-5")])
def test_a_loinc_code_copied_to_another_analyte_is_rejected(typed_tables, analyte, code):
    typed_tables.set_cell("analytes", analyte, "loinc_code", code)  # ferritin's, CRP's
    assert ("analytes", "loinc_code") in fired(typed_tables, "loinc-check-digit")


@pytest.mark.parametrize("schedule", ["sched-dexamethasone-1", "sched-dexamethasone-2", "sched-dasatinib-1"])
def test_a_route_left_empty_while_the_words_write_it_is_rejected(typed_tables, schedule):
    typed_tables.set_cell("drug_schedules", schedule, "route", None)  # "intravenously", "via a nasogastric tube"
    assert ("drug_schedules", "route") in fired(typed_tables, "coded-words")


def set_aside(tables, quote: str, locator: str, reason: str) -> None:
    tables.append_row("set_asides", {"set_aside_id": "sa-planted", "case_id": "baur-2022-jitc-1", "quote": quote,
                                     "locator_id": locator, "reason": reason, "note": "planted"})


def test_a_restated_set_aside_of_numbers_no_fact_row_states_is_rejected(typed_tables):
    rows = typed_tables.read_rows("stated_summaries")
    typed_tables.write_rows("stated_summaries", [row for row in rows if row["summary_id"] != "ss-dexamethasone-cumulative"])
    set_aside(typed_tables, "cumulative dose of 602 mg dexamethasone", "main-p13", "restated")
    assert ("set_asides", "reason") in fired(typed_tables, "set-aside-reason")


def test_a_fact_deleted_and_set_aside_as_restated_is_rejected(typed_tables):
    # The siltuximab dose and its summaries deleted, its words set aside as said again: 6 and "one" are numbers of
    # many rows of the case, but no row left states them with siltuximab.
    for resource, key, deleted in (("drug_schedules", "schedule_id", {"sched-siltuximab-1"}),
                                   ("stated_summaries", "summary_id", {"ss-siltuximab-count", "ss-siltuximab-day"}),
                                   ("field_sources", "field_source_id", {"fs-siltuximab-purpose"})):
        rows = typed_tables.read_rows(resource)
        typed_tables.write_rows(resource, [row for row in rows if row[key] not in deleted])
    set_aside(typed_tables, "On day 6, one dose of siltuximab", "main-p08", "restated")
    [finding] = [f for f in validate(typed_tables) if f.rule == "set-aside-reason"]
    assert (finding.resource, finding.field, finding.observed) == ("set_asides", "reason", "6")
    assert "'siltuximab' (drugs)" in finding.message


def test_a_fact_set_aside_as_restated_while_its_row_states_it_is_accepted(typed_tables):
    set_aside(typed_tables, "On day 6, one dose of siltuximab", "main-p08", "restated")
    assert [f for f in validate(typed_tables) if f.rule == "set-aside-reason"] == []


def test_a_figure_set_aside_on_the_running_text_is_rejected(typed_tables):
    set_aside(typed_tables, "a patient in their late 60s", "main-p07", "figure_only")
    assert ("set_asides", "reason") in fired(typed_tables, "set-aside-reason")


def test_the_real_set_asides_agree_with_their_reasons(typed_tables):
    assert [f for f in validate(typed_tables) if f.rule == "set-aside-reason"] == []
