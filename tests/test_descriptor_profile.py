"""datapackage.json meets the official Data Package 2.0 profile, frictionless, and our stricter profile."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from casekit.validation.profile import profile_findings
from conftest import PACKAGE

OFFICIAL_PROFILE = Path("/work/shared/reference/datapackage-2.0/datapackage.json")


def real_descriptor() -> dict:
    return json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))


def test_descriptor_meets_the_official_data_package_profile():
    if not OFFICIAL_PROFILE.exists():
        pytest.skip(f"official profile not available at {OFFICIAL_PROFILE}")
    profile = json.loads(OFFICIAL_PROFILE.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(profile)
    errors = [error.message for error in validator_class(profile).iter_errors(real_descriptor())]
    assert errors == []


def test_frictionless_cli_accepts_the_package(tmp_path):
    # Run on a copy: frictionless may write caches, and the repository must stay clean.
    for name in ("datapackage.json", "data", "schemas"):
        source = PACKAGE / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    executable = shutil.which("frictionless") or pytest.skip("frictionless command not on PATH")
    result = subprocess.run([executable, "validate", "datapackage.json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]


def test_descriptor_meets_our_strict_profile():
    assert profile_findings(real_descriptor()) == []


@pytest.mark.parametrize("change, field", [
    (lambda d: d.pop("contributors"), "$"),
    (lambda d: d.update(version="1.0"), "$.version"),
    (lambda d: d.update({"$schema": "https://datapackage.org/profiles/1.0/datapackage.json"}), "$.$schema"),
    (lambda d: [source.update(path="https://example.org/article") for source in d["sources"]], "$.sources"),
    (lambda d: d["resources"][2].update(hash="md5:abc"), "$.resources[2].hash"),
    (lambda d: d["resources"][2].update(bytes="2457"), "$.resources[2].bytes"),
    (lambda d: d["resources"][2].update(schema={"fields": []}), "$.resources[2].schema"),
    (lambda d: d["resources"][2].update(encoding="latin-1"), "$.resources[2].encoding"),
    (lambda d: d["resources"][2].update(format="xlsx"), "$.resources[2].format"),
])
def test_each_strict_rule_names_the_json_path(change, field):
    descriptor = real_descriptor()
    change(descriptor)
    findings = profile_findings(descriptor)
    assert [f.field for f in findings] == [field], findings
    assert findings[0].rule == "descriptor-profile"


def test_version_that_is_not_semver_is_rejected_even_if_it_looks_numeric():
    descriptor = real_descriptor()
    descriptor["version"] = "01.0.0"
    [finding] = profile_findings(descriptor)
    assert finding.field == "$.version"
