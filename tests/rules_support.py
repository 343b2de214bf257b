"""Run validation on a package copy, or the rules on typed in-memory tables, and say which rules fired.

Two ways to plant an error:

- `PlantedTables` (fixture `typed_tables`, or `fresh_tables()` inside a hypothesis
  example): a deep copy of the real package's typed tables, read through
  frictionless once per test session. `set_cell` types the new value with the
  column's Table Schema field exactly as frictionless types a CSV cell, and
  `run_rules()` first checks what the frictionless pass would check on the changed
  tables (types, constraints, primary keys, unique fields, foreign keys), so a plant
  that frictionless would reject fails the test instead of reaching the rules.
  Milliseconds per test. Use it for every cross-table rule test.
- `PackageCopy` (fixture `package`, alias `package_copy`): the package's files in a
  temporary folder. Use it where files are what is tested: frictionless itself,
  hashes, the CLI, bad or hostile input, rules that read files (release-integrity).
"""
from __future__ import annotations

import functools
import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import frictionless
import yaml

from casekit.validation.findings import ERROR, Finding
from casekit.validation.rules import columns_needed, run_rules, texts_needed
from casekit.validation.rules._common import PRIMARY_KEYS
from casekit.validation.tables import ROW_NUMBER, Tables, read_tables

from package_under_test import PACKAGE, REPO  # noqa: F401  (REPO: tests import it from here)


@functools.cache
def _real_package() -> tuple[Tables, dict, dict[str, frictionless.Schema]]:
    """The real package's typed tables, descriptor and Table Schemas, read once per process. Never mutate."""
    package = frictionless.Package(str(PACKAGE / "datapackage.json"))
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    tables = read_tables(package)
    kinds = {type(value) for rows in tables.rows.values() for row in rows for value in row.values()}
    assert kinds <= IMMUTABLE_VALUES, f"{kinds - IMMUTABLE_VALUES}: PlantedTables would share them between copies"
    return tables, descriptor, {resource.name: resource.schema for resource in package.resources}


# The types of the values typed tables hold: a copy of each row (not of each value) is a private copy.
IMMUTABLE_VALUES = frozenset({str, int, float, bool, Decimal, date, datetime, time, type(None)})


def private_copy(tables: Tables) -> Tables:
    """Tables with their own rows, as copy.deepcopy gives them, without copying each value (all are immutable)."""
    assert not tables.stores and not tables.deferred, "typed tables read from files keep every column"
    return Tables(rows={resource: [dict(row) for row in rows] for resource, rows in tables.rows.items()},
                  paths=dict(tables.paths), keys=dict(tables.keys), case_links=dict(tables.case_links),
                  root=tables.root)


def real_descriptor() -> dict:
    """The real package's descriptor (shared: do not change it)."""
    return _real_package()[1]


def real_schemas() -> dict[str, frictionless.Schema]:
    """The real package's Table Schemas by resource name (shared: do not change them)."""
    return _real_package()[2]


def real_tables() -> Tables:
    """The real package's typed tables (shared: copy before changing anything, or use fresh_tables())."""
    return _real_package()[0]


class SchemaError(AssertionError):
    """A planted value that the frictionless pass would reject before any rule ran."""


class PlantedTables:
    """A private copy of the real package's typed tables to plant errors in and run the rules on.

    The method names match PackageCopy's (`set_cell`, `append_row`, `read_rows`,
    `refresh_hashes`), so `set_cells`, `set_day` and `assert_only_rule_fires` below
    accept either. There is deliberately no `.root`: findings come from `run_rules()`,
    never from validating the real package's folder by mistake.
    """

    def __init__(self):
        tables, self.descriptor, self.schemas = _real_package()
        self.tables = private_copy(tables)

    def read_rows(self, resource: str) -> list[dict]:
        """The typed rows themselves (changing them changes the tables)."""
        return self.tables.rows[resource]

    def row(self, resource: str, row_id) -> dict:
        key = self.tables.keys.get(resource) or PRIMARY_KEYS[resource]  # declared keys: vocabularies too
        matches = [row for row in self.tables.rows[resource] if row[key] == row_id]
        assert matches, f"no row {row_id} in {resource}"
        return matches[0]

    def typed(self, resource: str, field: str, value) -> object:
        """value as a CSV cell (text; None or "" for blank) typed by the field's schema, as frictionless reads it."""
        text = "" if value is None else str(value)
        cell, notes = self.schemas[resource].get_field(field).read_cell(text)
        if notes:
            raise SchemaError(f"{resource}.{field} = {text!r} breaks its Table Schema ({notes}); "
                              "the frictionless pass would stop before the rules (use PackageCopy to test that)")
        return cell

    def set_cell(self, resource: str, row_id, field: str, value, refresh_hashes: bool = True) -> None:
        """Change one value of the row whose primary key is row_id, typed as frictionless would read it."""
        row = self.row(resource, row_id)
        assert field in row, f"{resource} has no field {field}"
        row[field] = self.typed(resource, field, value)

    def append_row(self, resource: str, row: dict, refresh_hashes: bool = True) -> dict:
        """Add a row (values as CSV text or already typed; missing fields blank) after the last one."""
        rows = self.tables.rows[resource]
        new = {name: self.typed(resource, name, row.get(name)) for name in self.schemas[resource].field_names}
        new[ROW_NUMBER] = max((r[ROW_NUMBER] for r in rows), default=1) + 1
        rows.append(new)
        return new

    def write_rows(self, resource: str, rows: list[dict], fieldnames=None) -> None:
        """Replace a table's rows (typed rows, e.g. some of read_rows()), as PackageCopy.write_rows does on file."""
        self.tables.rows[resource] = list(rows)

    def refresh_hashes(self) -> None:
        """Nothing to do in memory; present so helpers written for PackageCopy work unchanged."""

    def schema_problems(self) -> list[str]:
        """What the frictionless pass would report on these tables: keys, unique fields, foreign keys."""
        problems = []
        present: dict[tuple, set] = {}  # (resource, fields) -> the values that exist, built once per target
        for resource, rows in self.tables.rows.items():
            schema = self.schemas[resource]
            keys = [schema.primary_key] if schema.primary_key else []
            keys += [[field.name] for field in schema.fields if field.constraints.get("unique")]
            for key in keys:
                seen = set()
                for row in rows:
                    values = tuple(row[name] for name in key)
                    if all(value is None for value in values):
                        continue
                    if values in seen:
                        problems.append(f"{resource} row {row[ROW_NUMBER]}: duplicate {'/'.join(key)} {values}")
                    seen.add(values)
            for foreign in schema.foreign_keys:
                target = foreign["reference"]["resource"] or resource
                local, remote = _as_list(foreign["fields"]), tuple(_as_list(foreign["reference"]["fields"]))
                if (target, remote) not in present:
                    present[target, remote] = {tuple(row[name] for name in remote) for row in self.tables.rows[target]}
                existing = present[target, remote]
                for row in rows:
                    values = tuple(row[name] for name in local)
                    if values in existing or all(value is None for value in values):
                        continue
                    problems.append(f"{resource} row {row[ROW_NUMBER]}: {'/'.join(local)} {values} not in {target}")
        return problems

    def run_rules(self, *, schema_checked: bool = True) -> list[Finding]:
        """Every cross-table rule's findings on these tables, as the pipeline would run them after frictionless."""
        if schema_checked:
            problems = self.schema_problems()
            if problems:
                raise SchemaError("the frictionless pass would stop before the rules: " + "; ".join(problems))
        # As the validator keeps them: only the columns the rules declare, so a rule reading
        # an undeclared column fails here too (ColumnNotKept), not only on the real package.
        return list(run_rules(PACKAGE, self.tables.compacted(columns_needed(), texts_needed()), self.descriptor))


def _as_list(fields) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)


def fresh_tables() -> PlantedTables:
    """A new PlantedTables (for hypothesis examples, which cannot take a fresh fixture each)."""
    return PlantedTables()


def run_rules_on(tables) -> list[Finding]:
    """The rules' findings on a PlantedTables, or on a bare Tables (run as they are, with no schema check)."""
    if isinstance(tables, PlantedTables):
        return tables.run_rules()
    return list(run_rules(PACKAGE, tables, _real_package()[1]))


def rules_only(target) -> list[Finding]:
    """The cross-table rules alone, skipping the frictionless pass (for plants that pass would stop first).

    target: a PlantedTables (rules run without the schema check) or a package folder.
    """
    if isinstance(target, PlantedTables):
        return target.run_rules(schema_checked=False)
    root = Path(target)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return run_rules(root, read_tables(frictionless.Package(str(root / "datapackage.json"))), descriptor)


def validate(target) -> list[Finding]:
    """Every finding of a full validation: in-process pipeline on a folder, or schema check + rules on PlantedTables."""
    if isinstance(target, PlantedTables):
        return target.run_rules()
    from casekit.validation.pipeline import validate_package

    report = validate_package(Path(target))
    assert report.unusable is None, report.unusable
    return report.findings


def edit_rules(path: Path, edit) -> None:
    """Change a copy of the validator's rulebook (see the `rulebook` fixture) as a developer would."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document["rules"])
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def fired(findings: list[Finding]) -> set[str]:
    return {finding.rule for finding in findings}


# A value planted to break one rule no longer matches its row's quote, so quote-agreement fires
# alongside; it has its own tests (test_rules_quotes.py), and is not counted here.
ALONGSIDE = {"quote-agreement"}


def assert_only_rule_fires(package, rule_id: str, *, check=validate) -> list[Finding]:
    """Exactly one rule, rule_id, reports anything; return its findings for further assertions.

    package: a PackageCopy (its folder is checked) or a PlantedTables (its tables are).
    """
    findings = check(package if isinstance(package, PlantedTables) else package.root)
    if rule_id not in ALONGSIDE:
        findings = [finding for finding in findings if finding.rule not in ALONGSIDE]
    assert fired(findings) == {rule_id}, "\n".join(f"{f.rule}: {f.message}" for f in findings)
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == ERROR]


def set_cells(package, resource: str, row_id: str, **values) -> None:
    """Change several values of one row, refreshing the hashes once."""
    for field, value in values.items():
        package.set_cell(resource, row_id, field, str(value), refresh_hashes=False)
    package.refresh_hashes()


def set_day(package, resource: str, row_id: str, day: int, point: str = "time") -> None:
    """Put a row's start, end or time on one exact day."""
    set_cells(package, resource, row_id, **{f"{point}_earliest": day, f"{point}_latest": day})
