"""Every constraint and key declared in schemas/ is enforced: break each one and see its finding.

The cases are generated from the Table Schemas themselves, so a constraint added
to a schema is tested without anyone writing a new test.

What is tested here is the frictionless pass, so each case breaks a copy of the
package's files and runs the whole in-process validation. To keep that affordable,
cases that write different cells share one copy ("layer"): each layer is validated
once, and each case still has its own test, which looks only at the findings on the
cells it broke. A case that rewrites a key other tables point to gets a layer of its
own wherever another case's assertion could see the side effects.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from typing import Callable

import pytest

from conftest import PACKAGE, copy_package
from validator_checks import findings_of

# One worker computes a layer once and runs all of its cases.
pytestmark = pytest.mark.xdist_group("tabular-constraints")

SCHEMAS = PACKAGE / "schemas"
RESOURCES = {path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
             for path in sorted(SCHEMAS.glob("*.schema.json"))}
REAL_ROWS = {name: list(csv.DictReader((SCHEMAS.parent / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()))
             for name in RESOURCES}
SEED_ID = "seed-row"


def seed_row(resource: str) -> dict:
    """A row that keeps every constraint and key of an empty table, built from its schema: a foreign key takes
    the first key of the table it names, an identifier SEED_ID, any other required cell "x" (or 1)."""
    schema = RESOURCES[resource]
    targets = {key["fields"]: key["reference"] for key in schema.get("foreignKeys", [])
               if isinstance(key["fields"], str)}
    row = {}
    for field in schema["fields"]:
        name, constraints = field["name"], field.get("constraints", {})
        target = targets.get(name)
        if target and REAL_ROWS[target["resource"]]:
            row[name] = REAL_ROWS[target["resource"]][0][target["fields"]]
        elif "enum" in constraints:
            row[name] = str(constraints["enum"][0])
        elif "pattern" in constraints:
            row[name] = next(candidate for candidate in (SEED_ID, "2019", "x", "1")
                             if re.fullmatch(constraints["pattern"], candidate))
        elif constraints.get("required"):
            row[name] = "1" if field["type"] in ("integer", "number") else "x"
        else:
            row[name] = ""
    return row


def seed_rows(resource: str) -> list[dict]:
    """Two seed rows with their own primary keys (required cells are blanked in two rows, see data_row_for)."""
    first = seed_row(resource)
    key = RESOURCES[resource].get("primaryKey", [])
    second = {name: f"{value}-2" if name in key else value for name, value in first.items()}
    return [first, second]


# A table the published case leaves empty (a kind of fact it does not state) gets seed rows in each
# copy, so that its constraints and keys are broken and seen like any other table's.
SEEDED = {name: seed_rows(name) for name, rows in REAL_ROWS.items() if not rows}
REAL_ROWS.update(SEEDED)
FILLED = [name for name in RESOURCES if REAL_ROWS[name]]
CONSTRAINT_KINDS = ("enum", "required", "pattern", "minimum", "maximum")
NOT_MATCHING = ["Not A Valid Value ~!", "x", "0"]
NO_ROW = "no-such-row-anywhere"


def violating_value(field: dict, kind: str) -> str:
    constraint = field["constraints"][kind]
    if kind == "enum":
        return "not-one-of-the-allowed-values"
    if kind == "required":
        return ""
    if kind == "pattern":
        return next(value for value in NOT_MATCHING if not re.fullmatch(constraint, value))
    step = 1 if field["type"] == "integer" else 0.5
    return str(constraint - step if kind == "minimum" else constraint + step).removesuffix(".0")


# Each kind of constraint breaks its own rows where the table has enough, so several kinds of one
# table can share a copy without two plants writing the same cell.
FIRST_ROW = {"enum": 0, "pattern": 1, "minimum": 2, "maximum": 3, "required": 4}


def data_row_for(kind: str, index: int, row_count: int) -> int:
    """CSV row (header is 1) to plant the index-th field's violation in.

    Blanking every required field of a table whose fields are all required would
    make a blank row, a different error, so required fields alternate between two rows.
    """
    step = index % min(2, row_count) if kind == "required" else 0
    return 2 + (FIRST_ROW[kind] + step) % row_count


def primary_key(resource: str) -> list[str]:
    key = RESOURCES[resource].get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


@dataclass(frozen=True, eq=False)
class Case:
    """One broken promise: which table it breaks, how, and which cells it writes.

    cells: (row index, field) pairs the plant writes; None when it changes the table as a
    whole (adds a row). alone: the plant changes a key other tables point to, so it gets
    a copy of its own.
    """
    group: str
    resource: str
    plant: Callable[[list[dict]], None]
    cells: frozenset | None = None
    alone: bool = False

    def can_share_with(self, other: "Case") -> bool:
        if self.alone or other.alone:
            return False
        if self.resource != other.resource:
            return True
        return self.cells is not None and other.cells is not None and not self.cells & other.cells


class Layers:
    """Cases of one group packed into as few package copies as possible; no two write the same cell."""

    def __init__(self, folder_factory):
        self.folder_factory = folder_factory
        self.layer_of: dict[int, list[Case]] = {}
        self.findings: dict[int, list] = {}

    def layer(self, case: Case, cases: list[Case]) -> list[Case]:
        if id(case) not in self.layer_of:
            layers: list[list[Case]] = []
            for candidate in cases:
                home = next((layer for layer in layers
                             if all(candidate.can_share_with(other) for other in layer)), None)
                if home is None:
                    layers.append(home := [])
                home.append(candidate)
            for layer in layers:
                for member in layer:
                    self.layer_of[id(member)] = layer
        return self.layer_of[id(case)]

    def findings_for(self, case: Case, cases: list[Case]) -> list:
        layer = self.layer(case, cases)
        if id(layer) not in self.findings:
            package = copy_package(self.folder_factory(case.group))
            for name, rows in SEEDED.items():
                package.write_rows(name, [dict(row) for row in rows])
            for member in layer:
                rows = package.read_rows(member.resource)
                member.plant(rows)
                package.write_rows(member.resource, rows)
            package.refresh_hashes()
            self.findings[id(layer)] = findings_of(package)
        return self.findings[id(layer)]


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    return Layers(lambda name: tmp_path_factory.mktemp(name))


def constraint_case(resource: str, kind: str, fields: list[dict]) -> Case:
    count = len(REAL_ROWS[resource])
    cells = {(data_row_for(kind, index, count) - 2, field["name"]): violating_value(field, kind)
             for index, field in enumerate(fields)}

    def plant(rows):
        for (row, name), value in cells.items():
            rows[row][name] = value
    return Case("constraints", resource, plant, cells=frozenset(cells))


def constraint_params():
    for resource in FILLED:
        schema = RESOURCES[resource]
        for kind in CONSTRAINT_KINDS:
            fields = [f for f in schema["fields"] if kind in f.get("constraints", {})]
            if fields:
                yield pytest.param(resource, kind, fields, constraint_case(resource, kind, fields),
                                   id=f"{resource}-{kind}")


CONSTRAINT_PARAMS = list(constraint_params())
CONSTRAINT_CASES = [param.values[-1] for param in CONSTRAINT_PARAMS]


@pytest.mark.parametrize("resource, kind, fields, case", CONSTRAINT_PARAMS)
def test_each_declared_constraint_is_enforced(layers, resource, kind, fields, case):
    row_count = len(REAL_ROWS[resource])
    fired = {(f.resource, f.row, f.field) for f in layers.findings_for(case, CONSTRAINT_CASES)
             if f.rule == "frictionless/constraint-error" and f.expected and f'"{kind}"' in f.expected}
    missing = [f["name"] for i, f in enumerate(fields) if (resource, data_row_for(kind, i, row_count), f["name"]) not in fired]
    assert not missing, f"no {kind} finding for {resource}.{missing}"


def duplicate_key_case(resource: str) -> Case:
    return Case("primary-keys", resource, lambda rows: rows.append(dict(rows[0])))


PRIMARY_KEY_PARAMS = [pytest.param(resource, duplicate_key_case(resource), id=resource) for resource in sorted(FILLED)]
PRIMARY_KEY_CASES = [param.values[-1] for param in PRIMARY_KEY_PARAMS]


@pytest.mark.parametrize("resource, case", PRIMARY_KEY_PARAMS)
def test_duplicate_primary_key_is_rejected(layers, resource, case):
    duplicates = [f for f in layers.findings_for(case, PRIMARY_KEY_CASES)
                  if f.rule == "primary-key" and f.resource == resource]
    assert [(f.resource, f.row) for f in duplicates] == [(resource, len(REAL_ROWS[resource]) + 2)]


def foreign_key_row(resource: str, field: str) -> int:
    """Row index a foreign key's break goes in: the n-th key of a table breaks its n-th row, where there is one."""
    fields = [key["fields"] for key in RESOURCES[resource].get("foreignKeys", [])]
    return fields.index(field) % len(REAL_ROWS[resource])


def foreign_key_case(resource: str, field: str) -> Case:
    row = foreign_key_row(resource, field)

    def plant(rows):
        rows[row][field] = NO_ROW
    # A planted value in a key column changes a key that other tables may point to.
    return Case("foreign-keys", resource, plant, cells=frozenset({(row, field)}), alone=field in primary_key(resource))


def foreign_key_params():
    for resource in FILLED:
        for key in RESOURCES[resource].get("foreignKeys", []):
            yield pytest.param(resource, key["fields"], key["reference"]["resource"],
                               foreign_key_case(resource, key["fields"]),
                               id=f"{resource}.{key['fields']}->{key['reference']['resource']}")


FOREIGN_KEY_PARAMS = list(foreign_key_params())
FOREIGN_KEY_CASES = [param.values[-1] for param in FOREIGN_KEY_PARAMS]


@pytest.mark.parametrize("resource, field, target, case", FOREIGN_KEY_PARAMS)
def test_each_foreign_key_is_enforced(layers, resource, field, target, case):
    fired = [f for f in layers.findings_for(case, FOREIGN_KEY_CASES)
             if f.rule == "foreign-key" and f.resource == resource and f.field == field]
    assert [(f.row, f.observed) for f in fired] == [(foreign_key_row(resource, field) + 2, NO_ROW)]
    assert target in fired[0].message


def test_cases_that_share_a_copy_never_write_the_same_cell():
    layers = Layers(folder_factory=None)
    for cases in (CONSTRAINT_CASES, PRIMARY_KEY_CASES, FOREIGN_KEY_CASES):
        for case in cases:
            layer = layers.layer(case, cases)
            written = [(member.resource, cell) for member in layer if member.cells is not None for cell in member.cells]
            assert len(written) == len(set(written))
            assert all(member.cells is not None for member in layer if member.resource == case.resource) \
                or [member for member in layer if member.resource == case.resource] == [case]
            assert not case.alone or layer == [case]


def test_a_seeded_copy_has_no_finding(tmp_path):
    """The seed rows keep every constraint and key, so what the tests above see comes from their plants."""
    package = copy_package(tmp_path)
    for name, rows in SEEDED.items():
        package.write_rows(name, rows)
    package.refresh_hashes()
    assert [f for f in findings_of(package) if f.rule.startswith("frictionless/") or f.rule.endswith("-key")] == []


def test_wrong_type_is_rejected(package):
    package.set_cell("toxicity_grades", "tg-crs-day-3", "grade", "three")
    [finding] = findings_of(package, "frictionless/type-error")
    assert (finding.resource, finding.field, finding.observed) == ("toxicity_grades", "grade", "three")
    assert finding.path == "data/toxicity_grades.csv"


def test_hash_mismatch_is_rejected(package):
    descriptor = package.descriptor()
    descriptor["resources"][3]["hash"] = "sha256:" + "0" * 64
    package.write_descriptor(descriptor)
    [finding] = findings_of(package)
    assert (finding.rule, finding.resource, finding.expected) == ("frictionless/hash-count", "drugs", "sha256:" + "0" * 64)
    assert "refresh_hashes" in finding.message


def test_bytes_mismatch_is_rejected(package):
    descriptor = package.descriptor()
    descriptor["resources"][3]["bytes"] += 1
    package.write_descriptor(descriptor)
    [finding] = findings_of(package)
    assert (finding.rule, finding.resource) == ("frictionless/byte-count", "drugs")


def test_edit_without_refreshing_hashes_is_rejected(package):
    package.set_cell("drugs", "dasatinib", "name", "dasatinib (Sprycel)", refresh_hashes=False)
    assert {f.rule for f in findings_of(package)} == {"frictionless/hash-count", "frictionless/byte-count"}
