"""Property-based: break any single value that a Table Schema constrains, in any row, and the validator says so.

Hypothesis draws a (table, field, constraint) from schemas/, a row of the real
package, and a value that breaks that constraint; the validator must report an
error on exactly that file, row and field.
"""
from __future__ import annotations

import functools
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit.validation.pipeline import validate_package
from conftest import PACKAGE, copy_package

DESCRIPTOR = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))


def has_rows(resource: dict) -> bool:
    """Whether the real package's table has a row to break (a kind of fact the case does not state has none;
    tests/test_tabular_constraints.py seeds rows into those tables)."""
    with (PACKAGE / resource["path"]).open(encoding="utf-8") as handle:
        return sum(1 for _ in zip(range(2), handle)) > 1


@functools.cache
def constrained_fields() -> list[tuple[str, str, str, object]]:
    found = []
    for resource in filter(has_rows, DESCRIPTOR["resources"]):
        schema = json.loads((PACKAGE / resource["schema"]).read_text(encoding="utf-8"))
        for field in schema["fields"]:
            for name in ("enum", "minimum", "maximum", "pattern"):
                if name in field.get("constraints", {}):
                    found.append((resource["name"], field["name"], name, field["constraints"][name]))
    return found


def breaking_value(constraint: str, limit, draw) -> str:
    if constraint == "enum":
        return draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
                    .filter(lambda value: value not in limit))
    if constraint == "minimum":
        return str(int(Decimal(str(limit))) - draw(st.integers(min_value=1, max_value=10**6)))
    if constraint == "maximum":
        return str(int(Decimal(str(limit))) + draw(st.integers(min_value=1, max_value=10**6)))
    return draw(st.text(alphabet="ABC XYZ!?", min_size=1, max_size=12).filter(lambda value: not re.fullmatch(limit, value)))


@st.composite
def planted_errors(draw, kind: str):
    resource, field, constraint, limit = draw(st.sampled_from([found for found in constrained_fields() if found[2] == kind]))
    return resource, field, constraint, breaking_value(constraint, limit, draw)


KINDS = sorted({constraint for _, _, constraint, _ in constrained_fields()})
TABLES = {kind: len({resource for resource, _, constraint, _ in constrained_fields() if constraint == kind}) for kind in KINDS}


# One test per kind of constraint, so the parallel workers can share them out. Each example breaks
# five to ten tables at once (one value each) and validates once: the frictionless pass costs the same
# for one broken value as for ten, and every one of them must be reported.
@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=2, deadline=None)
@given(data=st.data())
def test_any_value_breaking_a_declared_constraint_is_reported_where_it_is(kind, data):
    plants = data.draw(st.lists(st.tuples(planted_errors(kind), st.integers(min_value=0, max_value=10**6)),
                                min_size=min(5, TABLES[kind]), max_size=10, unique_by=lambda plant: plant[0][0]),
                      label="plants")
    with tempfile.TemporaryDirectory() as folder:
        package = copy_package(Path(folder))
        where = []
        for (resource, field, constraint, value), row_choice in plants:
            rows = package.read_rows(resource)
            index = row_choice % len(rows)
            rows[index][field] = value
            package.write_rows(resource, rows)
            where.append((f"data/{resource}.csv", index + 2, field, constraint, value))
        package.refresh_hashes()
        report = validate_package(package.root)
    assert report.unusable is None, report.unusable
    # Only a constraint or type finding counts: another plant may break a key this row points to,
    # and the foreign-key finding that follows must not stand in for the one this plant needs.
    cell_findings = {(f.path, f.row, name) for f in report.findings
                     if f.rule in ("frictionless/constraint-error", "frictionless/type-error")
                     for name in (f.field or "").split(",")}
    missed = [plant for plant in where if plant[:3] not in cell_findings]
    assert not missed, (missed, report.findings)
