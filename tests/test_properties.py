"""Property-based: any single change to a value the article constrains is rejected by the rule that guards it."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from rules_support import errors, fresh_tables, set_day, validate

DEXAMETHASONE_DOSES = {1: 40, 2: 80, 3: 40, 4: 10, 5: 8, 6: 4, 7: 2, 8: 1}
# Each example plants its change in a fresh copy of the typed in-memory tables and runs every rule
# (about 40 ms): 25 examples per property in a thorough run, half of them every day (tests/hypothesis_budget.py),
# with the suite's 60 s in mind.
SETTINGS = settings(max_examples=examples(25), deadline=None)


def rules_fired(tables) -> set[str]:
    return {finding.rule for finding in errors(validate(tables))}


@SETTINGS
@given(step=st.sampled_from(sorted(DEXAMETHASONE_DOSES)),
       change=st.integers(min_value=-40, max_value=200).filter(lambda change: change != 0))
def test_any_changed_dexamethasone_dose_breaks_the_stated_cumulative_dose(step, change):
    new_dose = max(0, DEXAMETHASONE_DOSES[step] + change)
    if new_dose == DEXAMETHASONE_DOSES[step]:
        return
    tables = fresh_tables()
    tables.set_cell("drug_schedules", f"sched-dexamethasone-{step}", "dose_value", str(new_dose))
    assert "cumulative-dose" in rules_fired(tables)


@SETTINGS
@given(shift=st.integers(min_value=-13, max_value=60).filter(lambda shift: shift != 0))
def test_any_shift_of_the_ward_transfer_breaks_seven_days_after_dasatinib(shift):
    tables = fresh_tables()
    set_day(tables, "clinical_events", "ev-ward-transfer", 13 + shift)
    assert "relative-timing" in rules_fired(tables)


@SETTINGS
@given(syndrome_row=st.sampled_from([("tg-crs-day-3", 3), ("tg-icans", 4)]), grade=st.integers(1, 5))
def test_any_changed_maximum_grade_breaks_the_stated_maximum(syndrome_row, grade):
    row_id, stated = syndrome_row
    if grade == stated:
        return
    tables = fresh_tables()
    tables.set_cell("toxicity_grades", row_id, "grade", str(grade))
    assert "max-grade" in rules_fired(tables)


@SETTINGS
@given(dose=st.integers(min_value=801, max_value=100000))
def test_any_tocilizumab_dose_above_800_mg_breaks_the_dose_limits(dose):
    tables = fresh_tables()
    tables.set_cell("drug_schedules", "sched-tocilizumab-1", "dose_value", str(dose))
    assert "dose-limits" in rules_fired(tables)


@SETTINGS
@given(shift=st.integers(min_value=-6, max_value=30).filter(lambda shift: shift != 0))
def test_any_shift_of_the_last_dasatinib_day_breaks_the_stated_duration(shift):
    tables = fresh_tables()
    set_day(tables, "drug_schedules", "sched-dasatinib-1", 13 + shift, "end")
    assert "stated-duration" in rules_fired(tables)
