"""Treatments as data (issue 19): a treatment not given (treatment_decisions), a dose in words
(drug_schedules.dose_description) and one administration of several drugs (combinations).

Each check plants its error in the real package (typed in-memory tables) or in the fixture case that
holds the fact (the combined package of tests/test_fixture_cases.py), and asserts the rule and field."""
from __future__ import annotations

import pytest
from rules_support import errors
from test_fixture_cases import (  # noqa: F401 (all_texts, combined and typed are fixtures)
    all_texts, case_id, combined, error_lines, needs_texts, planted, run_rules_on, typed)

TCRL = "tcell-rich-dlbcl-hlh-case1"
BLOOD = "blood-2022-csf-hemophagocytosis"
DECISION = "tcrl-td-etoposide"
COMBINATION = "blood-comb-intrathecal-day-13"


def hits(findings, rule_id, slug=None):
    return [(f.resource, f.field) for f in errors(findings)
            if f.rule == rule_id and (slug is None or f.case_id == case_id(slug))]


def run_planted(combined, typed, resource, key, row_key, texts=None, **values):
    tables, descriptor = typed
    return run_rules_on(combined.root, planted(tables, resource, key, row_key, **values), descriptor, texts)


def test_the_fixtures_hold_each_treatment_fact_as_data(combined):
    decisions = {row["decision_id"]: row for row in combined.read_rows("treatment_decisions")}
    assert decisions[DECISION]["drug_id"] == "etoposide" and decisions[DECISION]["decision"] == "not_considered"
    assert decisions[DECISION]["reason_event_id"] == "tcrl-ev-liver-impairment"
    steps = combined.read_rows("drug_schedules")
    # A drug not given is never a schedule step, so a sum over drug_schedules cannot count it.
    assert not [row for row in steps if row["drug_id"] == "etoposide"]
    described = {row["schedule_id"]: row["dose_description"] for row in steps if row["dose_description"]}
    assert described == {"tcrl-sched-corticosteroids-1": "high_dose", "reveron-sched-levetiracetam-2": "increasing_doses",
                         "itc1-sched-dexamethasone-2": "tapering"}
    together = sorted(row["drug_id"] for row in steps if row["combination_id"] == COMBINATION)
    assert together == ["cytarabine", "hydrocortisone", "methotrexate"]


@pytest.mark.parametrize(("values", "field"), [
    ({"reason": "renal failure"}, "reason"),  # words the quote does not hold
    ({"reason": None}, "reason"),  # the quote says "due to ..." and the row keeps no reason
    ({"reason_event_id": "tcrl-ev-death"}, "reason_event_id"),  # an event whose type the reason does not write
])
def test_a_decision_whose_reason_disagrees_with_its_words_fires_decision_reason(values, field, combined, typed):
    findings = run_planted(combined, typed, "treatment_decisions", "decision_id", DECISION, **values)
    assert hits(findings, "decision-reason", TCRL) == [("treatment_decisions", field)], error_lines(findings)


def test_a_reason_event_of_another_case_fires_decision_reason(combined, typed):
    findings = run_planted(combined, typed, "treatment_decisions", "decision_id", DECISION,
                           reason_event_id="blood-ev-fever")
    assert ("treatment_decisions", "reason_event_id") in hits(findings, "decision-reason", TCRL), error_lines(findings)


@pytest.mark.parametrize(("resource", "key", "row_key", "values", "field"), [
    ("treatment_decisions", "decision_id", DECISION, {"decision": "withheld"}, "decision"),
    ("treatment_decisions", "decision_id", DECISION, {"drug_id": "anakinra"}, "drug_id"),
    ("drug_schedules", "schedule_id", "tcrl-sched-corticosteroids-1", {"dose_description": "low_dose"},
     "dose_description"),
    ("drug_schedules", "schedule_id", "tcrl-sched-anakinra-1", {"dose_description": "tapering"}, "dose_description"),
])
def test_a_treatment_code_its_words_do_not_write_fires_coded_words(resource, key, row_key, values, field,
                                                                    combined, typed):
    findings = run_planted(combined, typed, resource, key, row_key, **values)
    assert (resource, field) in hits(findings, "coded-words", TCRL), error_lines(findings)


def test_a_number_in_a_decision_quote_fires_quote_agreement(combined, typed):
    findings = run_planted(combined, typed, "treatment_decisions", "decision_id", DECISION,
                           quote="Etoposide was not considered due to severe liver function impairment on day 30")
    assert ("treatment_decisions", "quote") in hits(findings, "quote-agreement", TCRL), error_lines(findings)


@needs_texts
@pytest.mark.parametrize(("resource", "key", "row_key", "slug"), [
    ("treatment_decisions", "decision_id", DECISION, TCRL),
    ("combinations", "combination_id", COMBINATION, BLOOD),
])
def test_a_treatment_quote_missing_from_its_article_fires_source_text(resource, key, row_key, slug, combined, typed,
                                                                      all_texts):
    findings = run_planted(combined, typed, resource, key, row_key, texts=all_texts,
                           quote="words the article never wrote")
    assert (resource, "quote") in hits(findings, "source-text", slug), error_lines(findings)


@pytest.mark.parametrize(("row_key", "values", "field"), [
    ("blood-sched-methotrexate-1", {"route": "intravenous"}, "route"),
    ("blood-sched-cytarabine-1", {"start_earliest": 12, "start_latest": 12}, "start_earliest"),
    ("blood-sched-cytarabine-1", {"time_unit": "h"}, "time_unit"),
    ("blood-sched-cytarabine-1", {"drug_id": "dexamethasone"}, "drug_id"),  # not written in the combination's quote
    ("blood-sched-hydrocortisone-1", {"combination_id": COMBINATION}, "drug_id"),  # hydrocortisone twice
])
def test_a_combination_whose_steps_differ_fires_combination_rows(row_key, values, field, combined, typed):
    findings = run_planted(combined, typed, "drug_schedules", "schedule_id", row_key, **values)
    assert ("drug_schedules", field) in hits(findings, "combination-rows", BLOOD), error_lines(findings)


def test_a_combination_of_one_drug_fires_combination_rows(combined, typed):
    import dataclasses

    tables, descriptor = typed
    rows = [dict(row, combination_id=None) if row.get("schedule_id") in ("blood-sched-methotrexate-1",
                                                                           "blood-sched-cytarabine-1") else row
            for row in tables.rows["drug_schedules"]]
    changed = dataclasses.replace(tables, rows={**tables.rows, "drug_schedules": rows})
    findings = run_rules_on(combined.root, changed, descriptor)
    assert hits(findings, "combination-rows", BLOOD) == [("combinations", "combination_id")], error_lines(findings)


def test_a_combination_planted_in_the_real_package_must_share_its_days(typed_tables):
    """Fludarabine and bendamustine of the published case's lymphodepletion end on different days: as one
    combined administration they are refused, on the step whose end differs."""
    typed_tables.append_row("combinations", {
        "combination_id": "comb-lymphodepletion", "case_id": "baur-2022-jitc-1", "name": "fludarabine+bendamustine",
        "quote": "lymphodepleting chemotherapy with fludarabine 25 mg/m2 (day -4 to day -2) and bendamustine",
        "locator_id": "main-p07"})
    for step in ("sched-fludarabine-1", "sched-bendamustine-1"):
        typed_tables.set_cell("drug_schedules", step, "combination_id", "comb-lymphodepletion")
    findings = typed_tables.run_rules()
    assert hits(findings, "combination-rows") == [("drug_schedules", "end_earliest")], error_lines(findings)


def test_a_dose_in_words_planted_in_the_real_package_fires_coded_words(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dasatinib-1", "dose_description", "high_dose")
    findings = typed_tables.run_rules()
    assert hits(findings, "coded-words") == [("drug_schedules", "dose_description")], error_lines(findings)


def test_a_decision_planted_in_the_real_package_is_checked(typed_tables):
    """A decision row added to the published case: its words must write its drug, its decision and its reason."""
    typed_tables.append_row("treatment_decisions", {
        "decision_id": "td-dasatinib", "case_id": "baur-2022-jitc-1", "drug_id": "dasatinib", "decision": "declined",
        "reason": "severe thrombocytopenia", "quote": "At this time, we decided to add dasatinib",
        "locator_id": "main-p10"})
    findings = typed_tables.run_rules()
    assert sorted(hits(findings, "coded-words") + hits(findings, "decision-reason")) == [
        ("treatment_decisions", "decision"), ("treatment_decisions", "reason")], error_lines(findings)


@pytest.mark.parametrize(("resource", "key", "row_key", "new_key"), [
    ("treatment_decisions", "decision_id", DECISION, "tcrl-td-etoposide-again"),
    ("combinations", "combination_id", COMBINATION, "blood-comb-intrathecal-day-13-again"),
])
def test_a_treatment_row_stated_twice_fires_duplicate_fact(resource, key, row_key, new_key, combined, typed):
    import dataclasses

    tables, descriptor = typed
    rows = list(tables.rows[resource])
    original = next(row for row in rows if row.get(key) == row_key)
    rows.append({**original, key: new_key, "_row": max(row["_row"] for row in rows) + 1})
    changed = dataclasses.replace(tables, rows={**tables.rows, resource: rows})
    findings = run_rules_on(combined.root, changed, descriptor)
    assert (resource, key) in hits(findings, "duplicate-fact"), error_lines(findings)


def test_the_loaders_read_the_treatment_tables(combined, tmp_path):
    """pandas with labels joins the dose in words and the decision's labels, never a combination's words as if
    it were a vocabulary; SQLite keeps a decision's reason event as a foreign key."""
    import sqlite3
    from contextlib import closing

    from casekit.analysis.frames import load_frames
    from casekit.analysis.sqlite import build_database

    frames = load_frames(combined.root, case_id(TCRL), labels=True)
    steps = frames["drug_schedules"].set_index("schedule_id")
    assert steps.loc["tcrl-sched-corticosteroids-1", "dose_description_label"] == "high dose"
    assert not [column for column in steps.columns if column.startswith("combination_id_")]
    assert frames["treatment_decisions"]["decision_label"].tolist() == ["not considered"]
    with closing(sqlite3.connect(build_database(combined.root, tmp_path / "cases.sqlite"))) as connection:
        keys = {(row[2], row[3]) for row in connection.execute("PRAGMA foreign_key_list(treatment_decisions)")}
        together = connection.execute("SELECT count(*) FROM drug_schedules WHERE combination_id = ?",
                                      (COMBINATION,)).fetchone()
    assert ("clinical_events", "reason_event_id") in keys and ("decisions", "decision") in keys
    assert together == (3,)
