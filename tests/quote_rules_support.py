"""Run one rule kind on hand-made typed rows, without a package on disk."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from casekit.validation.rules.context import Rule, RuleContext
from casekit.validation.tables import Tables

UNITS = [
    {"unit": "mg", "kind": "dose", "written_forms": "mg"}, {"unit": "g", "kind": "dose", "written_forms": "g"},
    {"unit": "mg/d", "kind": "dose_rate", "written_forms": "mg/day|mg/d"},
    {"unit": "mg/h", "kind": "dose_rate", "written_forms": "mg/h"},
    {"unit": "mg/kg", "kind": "dose_per_body", "written_forms": "mg/kg"},
    {"unit": "mg/m2", "kind": "dose_per_body", "written_forms": "mg/m2|mg/m²"},
    {"unit": "mg/L", "written_forms": "mg/L"}, {"unit": "ug/L", "written_forms": "μg/L|µg/L|ug/L"},
    {"unit": "d", "written_forms": "day|days"}, {"unit": "mo", "written_forms": "month|months"},
    {"unit": "a", "written_forms": "year|years"}, {"unit": "h", "written_forms": "h|hour|hours"},
    {"unit": "{cells}/uL", "written_forms": "cells/μL"}, {"unit": "1", "written_forms": None},
    {"unit": "{doses}", "written_forms": "doses|dose"},
]


def run_rule(module, rows: dict[str, list[dict]], params: dict | None = None, options: dict | None = None):
    """The findings of module's check on these rows (a package-scope run)."""
    rule = Rule(id=module.KIND, kind=module.KIND, severity="error", statement="", locator=None,
                params=params or {})
    tables = Tables(rows={"units": UNITS, **{name: [_typed(row, number) for number, row in enumerate(found, 2)]
                                             for name, found in rows.items()}})
    context = RuleContext(rule=rule, tables=tables, root=Path("."), descriptor={}, case_id=None,
                          rulebook=[rule], options=options or {})
    return list(module.check(context))


def _typed(row: dict, number: int) -> dict:
    typed = {key: Decimal(str(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
             for key, value in row.items()}
    typed["_row"] = number
    return typed
