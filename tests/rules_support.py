"""Run validation on a package copy and say which rules fired."""
from __future__ import annotations

import json
from pathlib import Path

import frictionless

from casekit.validation.findings import ERROR, Finding
from casekit.validation.rules import run_rules
from casekit.validation.tables import read_tables


def rules_only(root: Path) -> list[Finding]:
    """The cross-table rules alone, skipping the frictionless pass (for plants that pass would stop first)."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return run_rules(root, read_tables(frictionless.Package(str(root / "datapackage.json"))), descriptor)


def validate(root: Path) -> list[Finding]:
    """Every finding of a full in-process validation, as `python validate.py` would report them."""
    from casekit.validation.pipeline import validate_package

    report = validate_package(root)
    assert report.unusable is None, report.unusable
    return report.findings


def fired(findings: list[Finding]) -> set[str]:
    return {finding.rule for finding in findings}


def assert_only_rule_fires(package, rule_id: str, *, check=validate) -> list[Finding]:
    """Exactly one rule, rule_id, reports anything; return its findings for further assertions."""
    findings = check(package.root)
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
