"""Every constraint and key declared in schemas/ is enforced: break each one and see its finding.

The cases are generated from the Table Schemas themselves, so a constraint added
to a schema is tested without anyone writing a new test.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from validator_checks import findings_of

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
RESOURCES = {path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
             for path in sorted(SCHEMAS.glob("*.schema.json"))}
CONSTRAINT_KINDS = ("enum", "required", "pattern", "minimum", "maximum")
NOT_MATCHING = ["Not A Valid Value ~!", "x", "0"]


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


def constraint_cases():
    for resource, schema in RESOURCES.items():
        for kind in CONSTRAINT_KINDS:
            fields = [f for f in schema["fields"] if kind in f.get("constraints", {})]
            if fields:
                yield pytest.param(resource, kind, fields, id=f"{resource}-{kind}")


def plant_in_first_row(package, resource: str, values: dict[str, str]) -> None:
    rows = package.read_rows(resource)
    rows[0].update(values)
    package.write_rows(resource, rows)
    package.refresh_hashes()


def data_row_for(kind: str, index: int, row_count: int) -> int:
    """CSV row (header is 1) to plant the index-th field's violation in.

    Blanking every required field of a table whose fields are all required would
    make a blank row, a different error, so required fields alternate between two rows.
    """
    return 2 + index % min(2, row_count) if kind == "required" else 2


@pytest.mark.parametrize("resource, kind, fields", list(constraint_cases()))
def test_each_declared_constraint_is_enforced(package, resource, kind, fields):
    rows = package.read_rows(resource)
    for index, field in enumerate(fields):
        rows[data_row_for(kind, index, len(rows)) - 2][field["name"]] = violating_value(field, kind)
    package.write_rows(resource, rows)
    package.refresh_hashes()
    fired = {(f.resource, f.row, f.field) for f in findings_of(package, "frictionless/constraint-error")
             if f.expected and f'"{kind}"' in f.expected}
    missing = [f["name"] for i, f in enumerate(fields) if (resource, data_row_for(kind, i, len(rows)), f["name"]) not in fired]
    assert not missing, f"no {kind} finding for {resource}.{missing}"


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_duplicate_primary_key_is_rejected(package, resource):
    rows = package.read_rows(resource)
    package.append_row(resource, rows[0])
    duplicates = findings_of(package, "frictionless/primary-key")
    assert [(f.resource, f.row) for f in duplicates] == [(resource, len(rows) + 2)]


def foreign_key_cases():
    for resource, schema in RESOURCES.items():
        for key in schema.get("foreignKeys", []):
            yield pytest.param(resource, key["fields"], key["reference"]["resource"],
                               id=f"{resource}.{key['fields']}->{key['reference']['resource']}")


@pytest.mark.parametrize("resource, field, target", list(foreign_key_cases()))
def test_each_foreign_key_is_enforced(package, resource, field, target):
    plant_in_first_row(package, resource, {field: "no-such-row-anywhere"})
    fired = [f for f in findings_of(package, "frictionless/foreign-key") if f.resource == resource]
    assert [(f.row, f.field, f.observed) for f in fired] == [(2, field, "no-such-row-anywhere")]
    assert target in fired[0].message


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
