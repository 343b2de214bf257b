"""grading-scale and duplicate-fact on the real package, and a fact moved to the other case of a two-case package.

Why a moved fact passed before duplicate-fact: tests/case_clone.py gives the second case its own
source and locators (the same article under new ids). A row whose case_id alone is changed still
cites a passage of the first case's source, which case-scope rejects; but a row moved with its
locator re-pointed to the second case's copy of that passage cites the right source, and its quote
is in that passage's text, so nothing fired. The second case then states that fact twice: its own
row and the moved one, which is what duplicate-fact rejects.
"""
from __future__ import annotations

import pytest

from rules_support import validate


def found(findings, rule_id) -> set[tuple[str, str]]:
    return {(f.resource, f.field) for f in findings if f.rule == rule_id}


# ---------------------------------------------------------------------------------------------
# grading-scale

@pytest.mark.parametrize("row_id, scale", [("tg-icans", "lee-2014")])
def test_icans_graded_on_a_scale_that_grades_only_crs_is_rejected(typed_tables, row_id, scale):
    typed_tables.set_cell("toxicity_grades", row_id, "grading_system", scale)
    findings = validate(typed_tables)
    [finding] = [f for f in findings if f.rule == "grading-scale"]
    assert (finding.resource, finding.field, finding.observed) == ("toxicity_grades", "grading_system", scale)
    assert "does not grade icans" in finding.message


def test_a_scale_that_does_not_grade_the_syndrome_is_accepted_when_a_discrepancy_names_the_row(typed_tables):
    """The article names the scale for this grade although the scale lacks the syndrome: a discrepancy keeps both."""
    typed_tables.set_cell("toxicity_grades", "tg-icans", "grading_system", "lee-2014")
    discrepancy = typed_tables.read_rows("discrepancies")[0]["discrepancy_id"]
    typed_tables.append_row("discrepancy_rows", {"discrepancy_id": discrepancy, "resource": "toxicity_grades",
                                                 "row_id": "tg-icans", "role": "affected"})
    assert found(validate(typed_tables), "grading-scale") == set()


def test_a_discrepancy_on_another_row_does_not_excuse_a_scale_without_the_syndrome(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-icans", "grading_system", "lee-2014")
    discrepancy = typed_tables.read_rows("discrepancies")[0]["discrepancy_id"]
    typed_tables.append_row("discrepancy_rows", {"discrepancy_id": discrepancy, "resource": "toxicity_grades",
                                                 "row_id": "tg-crs-day-0", "role": "affected"})
    [finding] = [f for f in validate(typed_tables) if f.rule == "grading-scale"]
    assert (finding.field, finding.message.split(":")[0]) == ("grading_system", "tg-icans")


def test_crs_graded_on_a_scale_that_grades_only_icans_is_rejected(typed_tables):
    typed_tables.append_row("grading_systems", {"grading_system": "icans-only", "min_grade": "1", "max_grade": "4",
                                                "syndromes": "icans", "label": "x", "definition": "x.", "source": "x"})
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-0", "grading_system", "icans-only")
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "grading_system", "icans-only")
    findings = [f for f in validate(typed_tables) if f.rule == "grading-scale"]
    assert {(f.field, f.message.split(":")[0]) for f in findings} == {
        ("grading_system", "tg-crs-day-0"), ("grading_system", "tg-crs-day-3")}


@pytest.mark.parametrize("row_id, scale", [("tg-crs-day-3", "lee-2014"), ("tg-crs-day-0", "ctcae-v5.0"),
                                           ("tg-crs-day-3", "not_stated")])
def test_two_crs_rows_of_one_case_on_different_scales_are_rejected(typed_tables, row_id, scale):
    typed_tables.set_cell("toxicity_grades", row_id, "grading_system", scale)
    findings = [f for f in validate(typed_tables) if f.rule == "grading-scale"]
    assert [(f.resource, f.field, f.observed) for f in findings] == [("toxicity_grades", "grading_system", scale)]
    assert "graded on" in findings[0].message


def test_a_second_scale_is_accepted_when_the_rows_note_names_the_other_scale(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "grading_system", "lee-2014")
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "note",
                          "The article grades this day with Lee 2014, its other CRS grades with astct-2019.")
    assert found(validate(typed_tables), "grading-scale") == set()


def test_a_second_scale_is_accepted_when_a_discrepancy_names_the_row(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "grading_system", "lee-2014")
    discrepancy = typed_tables.read_rows("discrepancies")[0]["discrepancy_id"]
    typed_tables.append_row("discrepancy_rows", {"discrepancy_id": discrepancy, "resource": "toxicity_grades",
                                                 "row_id": "tg-crs-day-3", "role": "affected"})
    assert found(validate(typed_tables), "grading-scale") == set()


# ---------------------------------------------------------------------------------------------
# duplicate-fact

def copy_of(tables, resource: str, row_id: str, new_id: str, **changes) -> dict:
    from casekit.validation.rules._common import PRIMARY_KEYS

    row = {key: value for key, value in tables.row(resource, row_id).items() if key != "_row"}
    row[PRIMARY_KEYS[resource]] = new_id
    row.update(changes)
    return tables.append_row(resource, row)


@pytest.mark.parametrize("resource, row_id", [
    ("observations", "obs-crp-baseline"),
    ("observations", "obs-ferritin-max"),
    ("clinical_events", "ev-fever"),
    ("drug_schedules", "sched-dexamethasone-3"),
    ("toxicity_grades", "tg-icans"),
    ("stated_summaries", "ss-dexamethasone-cumulative"),
    ("case_characteristics", "cc-diagnosis"),
])
def test_a_fact_recorded_twice_under_a_new_id_is_rejected(typed_tables, resource, row_id):
    copy_of(typed_tables, resource, row_id, f"{row_id}-again")
    findings = [f for f in validate(typed_tables) if f.rule == "duplicate-fact"]
    assert [(f.resource, f.observed) for f in findings] == [(resource, f"{row_id}-again")]
    from casekit.validation.rules._common import PRIMARY_KEYS

    assert findings[0].field == PRIMARY_KEYS[resource] and row_id in findings[0].message


def test_a_copy_with_another_note_is_still_the_same_fact(typed_tables):
    copy_of(typed_tables, "clinical_events", "ev-fever", "ev-fever-again", note="Recorded again.")
    assert found(validate(typed_tables), "duplicate-fact") == {("clinical_events", "event_id")}


@pytest.mark.parametrize("change", [{"quote": "developed fever"}, {"certainty": "suspected"}])
def test_rows_that_differ_in_their_words_or_a_field_read_again_are_two_facts(typed_tables, change):
    row = typed_tables.row("clinical_events", "ev-fever")
    if "quote" in change and row["quote"] == change["quote"]:
        change = {"quote": "fever"}
    copy_of(typed_tables, "clinical_events", "ev-fever", "ev-fever-other", **change)
    assert found(validate(typed_tables), "duplicate-fact") == set()


# ---------------------------------------------------------------------------------------------
# A fact moved to the other case of a two-case package.

TWIN = "twin-2024-case-1"


@pytest.fixture(scope="module")
def two_cases(tmp_path_factory):
    """The real package and a clone of its case (tests/case_clone.py), as typed tables."""
    import frictionless

    from case_clone import clone_case
    from casekit.analysis.frames import case_ids
    from casekit.validation.tables import read_tables
    from conftest import copy_package

    package = copy_package(tmp_path_factory.mktemp("two-cases"))
    mapping = clone_case(package, case_ids(package.root)[0], TWIN)
    tables = read_tables(frictionless.Package(str(package.root / "datapackage.json")))
    return package, tables, mapping


def moved(two_cases, resource: str, row_id: str, relocate: bool):
    import dataclasses

    from casekit.validation.rules._common import PRIMARY_KEYS

    package, tables, mapping = two_cases
    rows = {name: list(table) for name, table in tables.rows.items()}
    key = PRIMARY_KEYS[resource]
    [index] = [i for i, row in enumerate(rows[resource]) if row[key] == row_id]
    row = dict(rows[resource][index], case_id=TWIN)
    if relocate:
        row["locator_id"] = mapping[row["locator_id"]]
    rows[resource][index] = row
    return package, dataclasses.replace(tables, rows=rows)


def rules_on(package, tables):
    from casekit.validation.rules import run_rules

    return list(run_rules(package.root, tables, package.descriptor()))


def test_the_two_case_package_is_valid(two_cases):
    package, tables, _ = two_cases
    assert rules_on(package, tables) == []


@pytest.mark.parametrize("resource, row_id", [("observations", "obs-crp-baseline"), ("clinical_events", "ev-fever"),
                                              ("drug_schedules", "sched-dexamethasone-1")])
def test_a_fact_moved_to_the_other_case_with_its_passage_is_rejected(two_cases, resource, row_id):
    findings = rules_on(*moved(two_cases, resource, row_id, relocate=True))
    hits = [f for f in findings if f.rule == "duplicate-fact"]
    assert [(f.resource, f.case_id) for f in hits] == [(resource, TWIN)], findings


def test_a_fact_moved_to_the_other_case_citing_the_first_cases_passage_is_rejected(two_cases):
    findings = rules_on(*moved(two_cases, "observations", "obs-crp-baseline", relocate=False))
    hits = [f for f in findings if f.rule == "case-scope"]
    assert [(f.resource, f.field, f.case_id) for f in hits] == [("observations", "locator_id", TWIN)]


def test_the_summary_counts_each_case_of_the_two_case_package(two_cases):
    from casekit.validation.rule_summary import RuleSummary
    from casekit.validation.rules import run_rules

    package, tables, _ = two_cases
    summary = RuleSummary()
    assert run_rules(package.root, tables, package.descriptor(), summary=summary) == []
    graded = summary.as_dict()["graded-code"]
    first, twin = summary.case_ids[0], summary.case_ids[-1]
    assert twin == TWIN and graded["cases"][first] == graded["cases"][TWIN]
    assert graded["checked"] == sum(counts["checked"] for counts in graded["cases"].values()) > 0
    findings = rules_on(*moved(two_cases, "clinical_events", "ev-fever", relocate=True))
    # The twin now states the fever twice; the published case may also miss it where a relation names it.
    assert [f.rule for f in findings if f.case_id == TWIN] == ["duplicate-fact"]
