"""Rules skip what they cannot check: a missing value anywhere never crashes a rule."""
from __future__ import annotations

import pytest

from casekit.validation.tables import ROW_NUMBER, Tables
from rules_support import run_rules_on

RESOURCES = ["drug_schedules", "stated_summaries", "relative_timings", "observations", "toxicity_grades",
             "clinical_events", "case_characteristics", "discrepancy_rows", "analytes"]


def with_value_blanked(tables: Tables, resource: str, index: int, field: str) -> Tables:
    """The tables with one value blanked; only the changed row is copied, the others are shared, unchanged."""
    rows = dict(tables.rows)
    rows[resource] = list(rows[resource])
    rows[resource][index] = {**rows[resource][index], field: None}
    return Tables(rows=rows, paths=tables.paths)


@pytest.mark.parametrize("resource", RESOURCES)
def test_blanking_any_single_value_never_crashes_a_rule(real_tables, resource):
    blanked = 0
    for index, row in enumerate(real_tables[resource]):
        for field in row:
            if field == ROW_NUMBER or row[field] is None:
                continue
            findings = run_rules_on(with_value_blanked(real_tables, resource, index, field))
            crashed = [f.message for f in findings if f.message.startswith("internal error")]
            assert crashed == [], f"{resource} row {row[ROW_NUMBER]} {field} = None: {crashed}"
            blanked += 1
    assert blanked > 0, f"{resource} has no value to blank"
