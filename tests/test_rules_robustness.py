"""Rules skip what they cannot check: a missing value anywhere the tables allow one never crashes a rule.

A value the Table Schema requires is never missing when the rules run: the frictionless pass
reports the blank and the validator stops before the cross-table rules (casekit/validation/pipeline.py).
So only the optional values are blanked here, each once per rule that can see it; that the
frictionless pass does reject each required blank is asserted beside it.
"""
from __future__ import annotations

import dataclasses
import functools

import pytest

from casekit.validation.rules import columns_needed, load_rulebook, run_rules, texts_needed
from casekit.validation.tables import ROW_NUMBER, Tables
from rules_support import PACKAGE, real_descriptor, real_schemas, real_tables

# The tables with optional values a rule reads (of relative_timings, rules read only required fields).
RESOURCES = ["drug_schedules", "stated_summaries", "observations", "toxicity_grades",
             "clinical_events", "case_characteristics", "discrepancy_rows", "analytes"]


@functools.cache  # once per process; not a module fixture, so xdist spreads the resources over its workers
def tables_per_rule() -> list[tuple[object, Tables]]:
    """Each rule with the real tables as the validator would keep them for that rule alone.

    Rules run independently of each other, so blanking a value can only crash a rule that
    is handed that value. Each rule gets only the columns it declares (plus the keys and
    what the engine itself reads), so it is run once per value it can see, and a rule that
    reads a column it did not declare fails here (ColumnNotKept) instead of being spared.
    """
    tables = real_tables()
    return [(rule, tables.compacted(columns_needed([rule]), texts_needed([rule]))) for rule in load_rulebook()]


def value(row, name: str):
    """A kept value, or a deferred free-text one (read by rules only through Tables.texts())."""
    return row.text(name) if name in row.deferred else row.get(name)


def with_value_blanked(tables: Tables, resource: str, index: int, field: str) -> Tables:
    """The tables with one value blanked; only the changed row is copied, the others are shared, unchanged."""
    rows = dict(tables.rows)
    rows[resource] = list(rows[resource])
    row = rows[resource][index]
    rows[resource][index] = type(row)(None if name == field else value(row, name) for name in row)
    return dataclasses.replace(tables, rows=rows)


def required_fields(resource: str) -> set[str]:
    """The fields whose blank the frictionless pass itself rejects, so no rule is ever handed one."""
    schema = real_schemas()[resource]
    required = {field.name for field in schema.fields if field.constraints.get("required")}
    for name in required:
        _, notes = schema.get_field(name).read_cell("")
        assert notes, f"{resource}.{name} is marked required but frictionless accepts it blank"
    return required


@pytest.mark.parametrize("resource", RESOURCES)
def test_blanking_any_single_value_never_crashes_a_rule(resource):
    required = required_fields(resource)
    blanked = 0
    for rule, kept in tables_per_rule():
        for index, row in enumerate(kept[resource]):
            for field in row:
                if field == ROW_NUMBER or field in required or value(row, field) is None:
                    continue
                blanked_tables = with_value_blanked(kept, resource, index, field)
                assert value(blanked_tables[resource][index], field) is None
                findings = run_rules(PACKAGE, blanked_tables, real_descriptor(), rulebook=[rule])
                crashed = [f.message for f in findings if f.message.startswith("internal error")]
                assert crashed == [], f"{rule.id}: {resource} row {row[ROW_NUMBER]} {field} = None: {crashed}"
                blanked += 1
    assert blanked > 0, f"{resource} has no value to blank"


def test_no_rule_reads_a_value_of_relative_timings_that_may_be_missing():
    """Left out of RESOURCES above for that reason alone: once a rule reads an optional field, blank it there too."""
    required = required_fields("relative_timings")
    for rule, kept in tables_per_rule():
        seen = {field for row in kept["relative_timings"] for field in row if field != ROW_NUMBER}
        assert seen <= required, f"{rule.id} reads {sorted(seen - required)} of relative_timings"
