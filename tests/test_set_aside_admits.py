"""set-aside-reason: a set-aside's words state nothing its reason declares it does not admit
(set_aside_reasons.admits), and what no check can judge is counted as not checkable.

Each slip flips the reason of one real set-aside of the published case, in memory, and asserts
the exact rule, resource, row and field of the one finding it gives.
"""
from __future__ import annotations

import pytest

from rules_support import validate

RULE = "set-aside-reason"


def findings_of(tables) -> list:
    return [finding for finding in validate(tables) if finding.rule == RULE]


@pytest.mark.parametrize("set_aside_id,reason,observed", [
    # another study's days of dasatinib set aside as a reference number, or as a fact the model cannot hold
    ("sa-mouse-days", "reference_number", "3 beside 'dasatinib' (drugs)"),
    ("sa-mouse-days", "model_limit", "3 as a time beside 'dasatinib' (drugs)"),
    # the dexamethasone doses the cumulative-dose sentence repeats: a dose is a fact, and one the schedules hold
    ("sa-taper-first-steps", "identifier", "40 with a unit: a dose"),
    ("sa-taper-first-steps", "model_limit", "40 with a unit: a dose, which the drug schedules hold"),
    ("sa-detection-beyond-2-years", "publication", "2 beside 'CAR T-cells' (analytes)"),
    ("sa-figure-1-window", "model_limit", "26 as a time beside 'CAR T-cell' (analytes)"),
])
def test_a_reason_that_does_not_admit_what_the_words_state_is_rejected(typed_tables, set_aside_id, reason, observed):
    assert findings_of(typed_tables) == []
    typed_tables.set_cell("set_asides", set_aside_id, "reason", reason)
    [finding] = findings_of(typed_tables)
    assert (finding.resource, finding.field) == ("set_asides", "reason")
    assert finding.message.startswith(f"{set_aside_id}: its reason {reason} admits")
    assert finding.observed.startswith(observed), finding.observed


@pytest.mark.parametrize("set_aside_id,reason", [
    ("sa-speculation-one", "identifier"),  # "One may speculate": a pronoun, no fact to leave out
    ("sa-licence-version", "model_limit"),  # a licence's version beside no coded word and no unit
])
def test_words_that_state_no_fact_pass_under_any_reason(typed_tables, set_aside_id, reason):
    typed_tables.set_cell("set_asides", set_aside_id, "reason", reason)
    assert findings_of(typed_tables) == []


def test_a_dose_set_aside_as_a_reference_number_is_rejected(typed_tables):
    typed_tables.append_row("set_asides", {"set_aside_id": "sa-planted", "case_id": "baur-2022-jitc-1",
                                           "quote": "Tocilizumab (8mg/kg, 700mg)", "locator_id": "main-p08",
                                           "reason": "reference_number", "note": "planted"})
    [finding] = findings_of(typed_tables)
    assert (finding.resource, finding.field, finding.observed) == ("set_asides", "reason", "8 with a unit: a dose")


def test_reasons_that_admit_any_fact_are_counted_as_not_checkable(typed_tables):
    from casekit.validation.rule_summary import RuleSummary
    from casekit.validation.rules import columns_needed, load_rulebook, run_rules, texts_needed
    from conftest import PACKAGE

    [rule] = [rule for rule in load_rulebook() if rule.id == RULE]
    checked_otherwise = {*rule.params["figure_reasons"], *rule.params["restated_reasons"]}
    admits = {row["reason"]: row["admits"] for row in typed_tables.read_rows("set_aside_reasons")}
    rows = typed_tables.read_rows("set_asides")
    unchecked = sum(1 for row in rows if admits[row["reason"]] == "any" and row["reason"] not in checked_otherwise)
    summary = RuleSummary()
    tables = typed_tables.tables.compacted(columns_needed(), texts_needed())
    run_rules(PACKAGE, tables, typed_tables.descriptor, summary=summary)
    counts = summary.as_dict()[RULE]
    assert counts["not_checkable"] == unchecked > 0
    assert counts["checked"] == len(rows) - unchecked
    assert "admits facts of any kind" in " ".join(counts["not_checkable_why"])
