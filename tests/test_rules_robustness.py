"""Rules skip what they cannot check: a missing value anywhere never crashes a rule."""
from __future__ import annotations

import dataclasses

import pytest

from casekit.validation.tables import ROW_NUMBER, Tables
from rules_support import run_rules_on

RESOURCES = ["drug_schedules", "stated_summaries", "relative_timings", "observations", "toxicity_grades",
             "clinical_events", "case_characteristics", "discrepancy_rows", "analytes"]


@pytest.fixture(scope="module")
def kept_tables(real_tables) -> Tables:
    """The real tables as the validator hands them to the rules: only the columns some rule reads.

    A column the validator does not keep cannot reach a rule, blank or not, so only kept
    columns are worth blanking.
    """
    from casekit.validation.rules import columns_needed

    return real_tables.compacted(columns_needed())


def with_value_blanked(tables: Tables, resource: str, index: int, field: str) -> Tables:
    """The tables with one value blanked; only the changed row is copied, the others are shared, unchanged."""
    rows = dict(tables.rows)
    rows[resource] = list(rows[resource])
    row = rows[resource][index]
    rows[resource][index] = type(row)(None if name == field else row.get(name) for name in row)
    return dataclasses.replace(tables, rows=rows)


@pytest.mark.parametrize("resource", RESOURCES)
def test_blanking_any_single_value_never_crashes_a_rule(kept_tables, resource):
    blanked = 0
    for index, row in enumerate(kept_tables[resource]):
        for field in row:
            if field == ROW_NUMBER or row.get(field) is None:
                continue
            blanked_tables = with_value_blanked(kept_tables, resource, index, field)
            assert blanked_tables[resource][index].get(field) is None
            findings = run_rules_on(blanked_tables)
            crashed = [f.message for f in findings if f.message.startswith("internal error")]
            assert crashed == [], f"{resource} row {row[ROW_NUMBER]} {field} = None: {crashed}"
            blanked += 1
    assert blanked > 0, f"{resource} has no value to blank"
