"""Rules skip what they cannot check: a missing value anywhere never crashes a rule."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import frictionless
import pytest

from casekit.validation.rules import run_rules
from casekit.validation.tables import ROW_NUMBER, read_tables

REPO = Path(__file__).resolve().parent.parent
RESOURCES = ["drug_schedules", "stated_summaries", "relative_timings", "observations", "toxicity_grades",
             "clinical_events", "case_characteristics", "discrepancy_rows", "analytes"]


@pytest.fixture(scope="module")
def real_tables():
    return read_tables(frictionless.Package(str(REPO / "datapackage.json")))


@pytest.mark.parametrize("resource", RESOURCES)
def test_blanking_any_single_value_never_crashes_a_rule(real_tables, resource):
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    for index, row in enumerate(real_tables[resource]):
        for field in row:
            if field == ROW_NUMBER or row[field] is None:
                continue
            tables = copy.deepcopy(real_tables)
            tables.rows[resource][index][field] = None
            crashed = [f.message for f in run_rules(REPO, tables, descriptor) if f.message.startswith("internal error")]
            assert crashed == [], f"{resource} row {row[ROW_NUMBER]} {field} = None: {crashed}"
