"""Our stricter descriptor rules (casekit/validation/profiles/datapackage.strict.schema.json) as findings."""
from __future__ import annotations

from casekit.profiles import load_profile, schema_validator
from casekit.validation.findings import ERROR, Finding

PROFILE = "datapackage.strict.schema.json"
RULE = "descriptor-profile"


def _json_path(parts) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _plain(error) -> str:
    kind, instance, expected = error.validator, error.instance, error.validator_value
    if kind == "const":
        return f"must be {expected!r}, found {str(instance)[:80]!r}"
    if kind == "pattern" and error.absolute_path and error.absolute_path[-1] == "version":
        return f"{str(instance)[:80]!r} is not a Semantic Version (MAJOR.MINOR.PATCH, e.g. 1.2.0)"
    if kind == "pattern":
        return f"{str(instance)[:80]!r} does not have the expected form {expected}"
    if kind == "contains":
        return "no entry has a path that is a DOI link (https://doi.org/10....)"
    if kind == "type":
        return f"must be of JSON type {expected}, found {type(instance).__name__}"
    return error.message.splitlines()[0][:200]


def _created_findings(descriptor: dict, findings: list[Finding]) -> list[Finding]:
    """`created` of the right form must also be a moment that exists (no 2026-02-30T25:61:61Z)."""
    from datetime import datetime

    created = descriptor.get("created")
    if not isinstance(created, str) or any(finding.field == "$.created" for finding in findings):
        return []
    try:
        datetime.fromisoformat(created)
    except ValueError:
        return [Finding(rule=RULE, severity=ERROR, path="datapackage.json", field="$.created", observed=created[:200],
                        message=f"$.created {created[:80]!r} is not a real date and time"
                                " (a day of the calendar, hours 00-23, minutes and seconds 00-59)")]
    return []


# The descriptor's texts a reader is promised (minLength 1 in the profile): none may show nothing.
_TEXTS = (("id",), ("title",), ("description",), ("keywords", "*"), ("contributors", "*", "title"),
          ("sources", "*", "title"), ("licenses", "*", "name"))


def _texts_at(value, path: tuple, where: str):
    if not path:
        yield where, value
    elif path[0] == "*":
        for index, item in enumerate(value if isinstance(value, list) else []):
            yield from _texts_at(item, path[1:], f"{where}[{index}]")
    elif isinstance(value, dict) and path[0] in value:
        yield from _texts_at(value[path[0]], path[1:], f"{where}.{path[0]}")


def _blank_findings(descriptor: dict) -> list[Finding]:
    """A required descriptor text of only spaces, invisible or format characters (" ", a zero-width space)."""
    from casekit.validation.row_checks import blank

    return [Finding(rule=RULE, severity=ERROR, path="datapackage.json", field=where, observed=text[:200],
                    message=f"{where} {text[:80]!r} holds only spaces, invisible or format characters")
            for path in _TEXTS for where, text in _texts_at(descriptor, path, "$")
            if isinstance(text, str) and blank(text)]


def profile_findings(descriptor: dict) -> list[Finding]:
    import semver  # deferred: only this stage needs it

    validator = schema_validator(load_profile(PROFILE))
    findings = []
    for error in sorted(validator.iter_errors(descriptor), key=lambda e: list(map(str, e.absolute_path))):
        parts = list(error.absolute_path)
        resource = None
        if len(parts) >= 2 and parts[0] == "resources" and isinstance(parts[1], int):
            entry = descriptor["resources"][parts[1]]
            resource = entry.get("name") if isinstance(entry, dict) else None
        where = _json_path(parts)
        findings.append(Finding(
            rule=RULE, severity=ERROR, resource=resource, path="datapackage.json", field=where,
            message=f"{where} {_plain(error)}", observed=None if isinstance(error.instance, (dict, list)) else str(error.instance)[:200],
        ))
    findings += _created_findings(descriptor, findings)
    findings += _blank_findings(descriptor)
    version = descriptor.get("version")
    already_flagged = any(finding.field == "$.version" for finding in findings)
    if isinstance(version, str) and not already_flagged and not semver.Version.is_valid(version):
        findings.append(Finding(
            rule="descriptor-version", severity=ERROR, path="datapackage.json", field="$.version", observed=version,
            message=f"version {version!r} is not a Semantic Version (MAJOR.MINOR.PATCH)",
        ))
    return findings
