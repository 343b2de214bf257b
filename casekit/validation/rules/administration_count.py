"""administration-count: a stated number of administrations equals the sum over the drug's steps.

Counting convention: each step contributes its `administrations`; a `single`
step without a count contributes one; a step with a fixed frequency
(frequencies.administrations_per_day) and exact days contributes that many per
day, both ends counted. A step whose count is unknown makes the
total unverifiable and is named in the finding.
"""
from __future__ import annotations

from casekit.validation.rules._common import STEP_COLUMNS, administrations, as_decimal, drug_steps, remembered, summaries
from casekit.validation.rules.context import show

KIND = "administration-count"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"stated_summaries": ("kind", "drug_id", "value"), "drug_schedules": STEP_COLUMNS,
           "frequencies": ("administrations_per_day",)}


def _count(context, steps):
    """(administrations of the steps that state or imply them, [steps that do not])."""
    total, unknown = 0, []
    for step in steps:
        count = administrations(step, context)
        if count is None:
            unknown.append(step)
        else:
            total += count
    return total, unknown


def check(context):
    stated_counts = summaries(context, "administration_count")
    context.checked(len(stated_counts))
    for stated in stated_counts:
        drug, value = stated.get("drug_id"), as_decimal(stated.get("value"))
        steps = drug_steps(context, drug)
        if not steps:
            yield context.finding(f"{drug}: the article states {show(value)} administrations, but the tables "
                                  f"hold no schedule step for {drug}",
                                  resource="stated_summaries", row=stated, field="drug_id")
            continue
        first = drug not in context.memo.setdefault("counted", set())
        context.memo["counted"].add(drug)
        total, unknown = remembered(context, drug, lambda: _count(context, steps))
        # A step without a count is reported once, not again for each summary of the same drug.
        for step in unknown if first else ():
            yield context.finding(f"{drug} administration count cannot be verified: step {step.get('step')} "
                                  f"({step.get('schedule_id')}) has no number of administrations",
                                  resource="drug_schedules", row=step, field="administrations")
        if not unknown and value is not None and total != value:
            yield context.finding(f"{drug} steps add up to {total} administrations; the article states "
                                  f"{show(value)} ({stated.get('summary_id')})",
                                  resource="stated_summaries", row=stated, field="value",
                                  expected=show(value), observed=str(total))
