"""Cross-table rules whose work grows with the rows, not with rows times rows.

Before issue 18, 2,000 stated durations of one drug with many schedule steps took 15 s:
each summary walked the case's whole schedule again. A drug's steps, span and sums are now
worked out once per case and rule.
"""
from __future__ import annotations

import time

from rules_support import run_rules_on

STEPS = 400
SUMMARIES = 2000
BUDGET = 4.0  # CPU seconds for all rules; the quadratic version needed far more on these tables


def many_steps_and_summaries(tables, kind: str, value: str, unit: str) -> None:
    template = tables.row("drug_schedules", "sched-dexamethasone-1")
    for step in range(STEPS):
        row = {name: template.get(name) for name in tables.schemas["drug_schedules"].field_names}
        day = str(30 + step)
        row.update(schedule_id=f"sched-many-{step}", step=str(1 + step % 50), start_earliest=day, start_latest=day,
                   end_earliest=day, end_latest=day, administrations=None)
        tables.append_row("drug_schedules", row)
    template = tables.row("stated_summaries", "ss-dexamethasone-duration")
    for number in range(SUMMARIES):
        row = {name: template.get(name) for name in tables.schemas["stated_summaries"].field_names}
        row.update(summary_id=f"ss-many-{number}", kind=kind, value=value, unit=unit)
        tables.append_row("stated_summaries", row)


def timed_rules(tables):
    started = time.process_time()
    findings = run_rules_on(tables)
    return findings, time.process_time() - started


def test_two_thousand_stated_durations_of_a_long_schedule_are_judged_in_linear_time(typed_tables):
    last_row = max(row["_row"] for row in typed_tables.tables.rows["stated_summaries"])
    many_steps_and_summaries(typed_tables, "duration", "21", "d")
    findings, spent = timed_rules(typed_tables)
    assert spent < BUDGET, spent
    durations = [f for f in findings if f.rule == "stated-duration" and f.row > last_row]
    # Every one of the 2,000 wrong summaries is still reported, each on its own row.
    assert len(durations) == SUMMARIES and len({f.row for f in durations}) == SUMMARIES


def test_a_step_that_cannot_be_summed_is_reported_once_however_many_summaries_repeat_it(typed_tables):
    many_steps_and_summaries(typed_tables, "cumulative_dose", "602", "mg")
    typed_tables.set_cell("drug_schedules", "sched-many-0", "dose_value", None)
    findings, spent = timed_rules(typed_tables)
    assert spent < BUDGET, spent
    about_step = [f for f in findings if f.rule == "cumulative-dose" and "has no dose" in f.message]
    assert len(about_step) == 1 and about_step[0].resource == "drug_schedules"
