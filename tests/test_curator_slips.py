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
