"""Assertions shared by the validator's tests."""
from __future__ import annotations

import json

from casekit.validation.pipeline import validate_package


def assert_refused_cleanly(result, before: dict, after: dict, codes=(1, 2)) -> None:
    """Exit 1 or 2, no traceback, a one-line reason when unusable, and the package untouched."""
    output = result.stdout + result.stderr
    assert result.returncode in codes, output
    assert "Traceback" not in output
    if result.returncode == 2:
        assert len(output.strip().splitlines()) == 1, output
    else:
        assert output.strip().splitlines()[-1].startswith("invalid:"), output
    assert after == before, "the validator changed files in the package"


def run_json(package, *args: str) -> dict:
    result = package.run_cli("--format", "json", *args)
    assert "Traceback" not in result.stdout + result.stderr
    return json.loads(result.stdout)


def findings_of(package, rule: str | None = None) -> list:
    report = validate_package(package.root)
    assert report.unusable is None, report.unusable
    return [f for f in report.findings if rule is None or f.rule == rule]
