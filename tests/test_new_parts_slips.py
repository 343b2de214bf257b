"""A curator's slips in the new parts of issue 19 (treatments not given, combinations, doses in words,
"during"), planted in fixture cases added to a copy of the real package: each is refused by its rule,
naming the field."""
from __future__ import annotations

import pytest

from test_fixture_cases import all_texts, needs_texts, package_with, planted, run_rules_on  # noqa: F401 (fixture)

TCRL = "tcell-rich-dlbcl-hlh-case1"
BLOOD = "blood-2022-csf-hemophagocytosis"


@pytest.fixture(scope="module")
def typed_cases(tmp_path_factory):
    import frictionless

    from casekit.validation.tables import read_tables

    package = package_with(tmp_path_factory.mktemp("slips"), [TCRL, BLOOD])
    tables = read_tables(frictionless.Package(str(package.root / "datapackage.json")))
    return package, tables, package.descriptor()


def findings(typed_cases, tables, rule_id: str) -> set:
    package, _, descriptor = typed_cases
    return {(f.resource, f.field) for f in run_rules_on(package.root, tables, descriptor) if f.rule == rule_id}


def test_the_cases_as_written_pass_both_rules(typed_cases):
    _, tables, _ = typed_cases
    assert not findings(typed_cases, tables, "decision-reason")
    assert not findings(typed_cases, tables, "combination-rows")


@pytest.mark.parametrize("event", [None, "tcrl-ev-liver-function"])
def test_a_reason_event_dropped_or_moved_to_another_event_of_its_type_is_refused(typed_cases, event):
    # "severe liver function impairment" is the quote of tcrl-ev-liver-impairment; tcrl-ev-liver-function
    # ("altered liver function") is another liver_dysfunction event of the case.
    _, tables, _ = typed_cases
    slipped = planted(tables, "treatment_decisions", "decision_id", "tcrl-td-etoposide", reason_event_id=event)
    assert findings(typed_cases, slipped, "decision-reason") == {("treatment_decisions", "reason_event_id")}


def test_a_step_left_out_of_its_combination_is_refused(typed_cases):
    _, tables, _ = typed_cases
    slipped = planted(tables, "drug_schedules", "schedule_id", "blood-sched-cytarabine-1", combination_id=None)
    assert findings(typed_cases, slipped, "combination-rows") == {("combinations", "combination_id")}


@pytest.mark.parametrize("name", ["hydrocortisone+methotrexate (intrathecal)", "   "])
def test_a_combination_name_that_does_not_write_its_drugs_is_refused(typed_cases, name):
    _, tables, _ = typed_cases
    slipped = planted(tables, "combinations", "combination_id", "blood-comb-intrathecal-day-13", name=name)
    assert findings(typed_cases, slipped, "combination-rows") == {("combinations", "name")}


def test_through_the_validator_a_combination_name_is_read_beside_its_quote(tmp_path):
    """The name is a column another rule keeps while the quote is read again from the file: both reach the
    rule (before, the name came back empty, so every combination's name was refused)."""
    from test_fixture_cases import validate

    package = package_with(tmp_path, [BLOOD])
    assert not [f for f in validate(package.root).findings if f.rule == "combination-rows"]
    package.set_cell("combinations", "blood-comb-intrathecal-day-13", "name", "hydrocortisone+methotrexate")
    found = {(f.rule, f.resource, f.field) for f in validate(package.root).findings if f.severity == "error"}
    assert found == {("combination-rows", "combinations", "name")}


@pytest.mark.parametrize("point", ["start", "end"])
def test_during_words_timed_to_one_point_of_the_anchor_are_refused(typed_cases, point):
    # "During lymphodepletion with cyclophosphamide and fludarabine, persistent fever": the fever lies
    # within the lymphodepletion, not on its first or last day.
    _, tables, _ = typed_cases
    slipped = planted(tables, "relative_timings", "relation_id", "tcrl-rt-fever-during-lymphodepletion",
                      anchor_point=point)
    assert ("relative_timings", "anchor_point") in findings(typed_cases, slipped, "relation-words")


@pytest.mark.parametrize("row_key, values", [
    ("tcrl-sched-corticosteroids-1", {"dose_description": None}),  # "high dose corticosteroids" left empty
    ("tcrl-sched-siltuximab-1", {"dose_description": "high_dose"}),  # the corticosteroids' high dose, moved
])
def test_a_dose_in_words_belongs_to_the_drug_it_qualifies(typed_cases, row_key, values):
    _, tables, _ = typed_cases
    slipped = planted(tables, "drug_schedules", "schedule_id", row_key, **values)
    assert findings(typed_cases, slipped, "coded-words") == {("drug_schedules", "dose_description")}


@pytest.mark.parametrize("values", [
    {"row_id": "tcrl-sched-tocilizumab-1"},  # a drug the quote "underwent Tisa-Cel therapy in 2019" does not name
    {"resource": "clinical_events", "row_id": "tcrl-ev-death", "point": "time"},  # day 36 may well be in 2019 too
])
def test_a_date_moved_to_a_row_its_quote_does_not_name_is_refused(typed_cases, values):
    import dataclasses

    _, tables, _ = typed_cases
    rows = [dict(row, **values) if row.get("date_id") == "tcrl-cd-tisagenlecleucel-year" else row
            for row in tables.rows["calendar_dates"]]  # planted() takes `resource` as its own argument
    slipped = dataclasses.replace(tables, rows={**tables.rows, "calendar_dates": rows})
    assert findings(typed_cases, slipped, "calendar-dates") == {("calendar_dates", "row_id")}


@pytest.mark.parametrize("reason", ["   ", "\u00a0\u200b"])
def test_a_reason_of_spaces_or_invisible_characters_is_refused_as_the_reason(typed_cases, reason):
    _, tables, _ = typed_cases
    slipped = planted(tables, "treatment_decisions", "decision_id", "tcrl-td-etoposide", reason=reason)
    assert findings(typed_cases, slipped, "decision-reason") == {("treatment_decisions", "reason")}


@needs_texts
@pytest.mark.parametrize("set_aside_id, reason, fired", [
    ("sa-homolog-1", "text_cut_off", True),  # words in the middle of the published article's passage
    ("itc1-sa-text-cut-off", "text_cut_off", False),  # "and 12" [text ends]: the stored text breaks off there
])
def test_words_set_aside_as_cut_off_must_end_their_passage(tmp_path, all_texts, set_aside_id, reason, fired):
    import frictionless

    from casekit.validation.tables import read_tables

    package = package_with(tmp_path, ["two-dlbcl-it-chemo-case1"])
    tables = read_tables(frictionless.Package(str(package.root / "datapackage.json")))
    slipped = planted(tables, "set_asides", "set_aside_id", set_aside_id, reason=reason)
    found = {(f.resource, f.field) for f in run_rules_on(package.root, slipped, package.descriptor(), all_texts)
             if f.rule == "source-text"}
    assert found == ({("set_asides", "reason")} if fired else set())
