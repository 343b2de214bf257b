"""The validator, not the package, decides what a valid package is: profiles, model, dialect, formats.

In-process tests (validate_package) wherever the process boundary is not the point.
"""
from __future__ import annotations

import json

import pytest

from casekit.profiles import schema_validator
from casekit.validation.pipeline import validate_package


def test_a_profile_shipped_in_the_package_cannot_loosen_the_descriptor_check(package):
    profiles = package.root / "schemas" / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "datapackage.strict.schema.json").write_text("{}", encoding="utf-8")
    descriptor = package.descriptor()
    del descriptor["licenses"]
    package.write_descriptor(descriptor)
    report = validate_package(package.root)
    assert report.exit_code() == 1
    assert any(f.rule == "descriptor-profile" and "licenses" in f.message for f in report.findings)


@pytest.mark.parametrize("reference", ["https://example.org/evil.json", "file:///etc/passwd", "../rules.yaml"])
def test_a_reference_outside_the_validators_own_schemas_is_never_resolved(reference):
    import referencing.exceptions

    validator = schema_validator({"$ref": reference})
    with pytest.raises(referencing.exceptions.Unresolvable):
        list(validator.iter_errors({}))
