"""Read datapackage.json and make it safe to hand to frictionless.

Everything the descriptor names is checked here before any library opens it:
paths must stay inside the package root, and profile URLs must be the
official ones that frictionless ships offline, so validation never reads
outside the package and never touches the network.
"""
from __future__ import annotations

import copy
from pathlib import Path

from casekit.package_files import read_package_file
from casekit.safety import UnsafePath, check_relative_path
from casekit.validation.findings import ERROR, Finding
from casekit.validation.jsonfile import parse_json_bytes
from casekit.validation.unusable import Unusable

DESCRIPTOR = "datapackage.json"
_PROFILES_2_0 = "https://datapackage.org/profiles/2.0/"
OFFICIAL_PROFILES = frozenset(
    [_PROFILES_2_0 + name for name in ("datapackage.json", "dataresource.json", "tableschema.json", "tabledialect.json")]
    # Data Package 1.0 named profiles: frictionless resolves these from its own bundle.
    + ["data-package", "tabular-data-package", "data-resource", "tabular-data-resource", "table-schema"]
)


def read_descriptor(root: Path) -> dict:
    """Parse root/datapackage.json; raise Unusable when it cannot be read as a JSON object."""
    try:
        data = read_package_file(root, DESCRIPTOR)
    except FileNotFoundError:
        raise Unusable(f"no {DESCRIPTOR} in {root}; run the validator from the package folder or pass --package") from None
    except UnsafePath as error:
        raise Unusable(str(error)) from None
    descriptor = parse_json_bytes(data, DESCRIPTOR)
    if not isinstance(descriptor, dict):
        raise Unusable(f"{DESCRIPTOR} must be a JSON object, found a JSON {type(descriptor).__name__}")
    return descriptor


def _check_profiles(where: str, node: dict) -> None:
    for key in ("$schema", "profile"):
        value = node.get(key)
        if value is not None and (not isinstance(value, str) or value not in OFFICIAL_PROFILES):
            raise Unusable(
                f"{where}.{key} is {str(value)[:80]!r}; only the official Data Package profiles are accepted,"
                " because any other would have to be fetched or read from elsewhere"
            )


# Keys with which frictionless would fetch over a protocol or open archives and extra files.
REMOTE_OR_ARCHIVE_KEYS = ("compression", "innerpath", "extrapaths")


def _check_local_file_keys(where: str, resource: dict) -> None:
    scheme = resource.get("scheme")
    if scheme is not None and scheme != "file":
        raise Unusable(f"{where}.scheme is {str(scheme)[:40]!r}; only local files ('file') are read")
    for key in REMOTE_OR_ARCHIVE_KEYS:
        if key in resource:
            raise Unusable(f"{where}.{key} is not supported; data files must be plain files in the package")


def _safe(root: Path, where: str, value: object) -> Path:
    try:
        return check_relative_path(root, value)
    except UnsafePath as error:
        raise Unusable(f"{where}: {error}") from None


def _load_side_file(root: Path, where: str, value: object) -> dict:
    try:
        data = read_package_file(root, value)
    except FileNotFoundError:
        raise Unusable(f"{where}: {value} does not exist") from None
    except UnsafePath as error:
        raise Unusable(f"{where}: {error}") from None
    loaded = parse_json_bytes(data, str(value))
    if not isinstance(loaded, dict):
        raise Unusable(f"{value} must be a JSON object")
    _check_profiles(str(value), loaded)
    return loaded


def prepare_for_frictionless(root: Path, descriptor: dict) -> dict:
    """Return a copy with schema/dialect files inlined, after refusing anything unsafe (Unusable).

    Inlining means frictionless resolves no paths of its own except the data
    files, each of which has been checked here.
    """
    _check_profiles("datapackage.json", descriptor)
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise Unusable("datapackage.json has no list of resources")
    prepared = copy.deepcopy(descriptor)
    for index, resource in enumerate(prepared["resources"]):
        where = f"resources[{index}]"
        if not isinstance(resource, dict):
            raise Unusable(f"{where} must be a JSON object")
        _check_profiles(where, resource)
        _check_local_file_keys(where, resource)
        paths = resource.get("path")
        for part in paths if isinstance(paths, list) else [paths]:
            if part is None and "data" in resource:
                continue
            _safe(root, f"{where}.path", part)
        for key in ("schema", "dialect"):
            value = resource.get(key)
            if isinstance(value, str):
                resource[key] = _load_side_file(root, f"{where}.{key}", value)
            elif isinstance(value, dict):
                _check_profiles(f"{where}.{key}", value)
    return prepared


def missing_file_findings(root: Path, descriptor: dict) -> list[Finding]:
    """One error per resource whose data file is absent (only call after prepare_for_frictionless)."""
    findings = []
    for resource in descriptor["resources"]:
        paths = resource.get("path")
        for part in paths if isinstance(paths, list) else [paths]:
            if isinstance(part, str) and not (root / part).is_file():
                state = "is not a regular file" if (root / part).exists() else "does not exist"
                findings.append(Finding(
                    rule="missing-file", severity=ERROR, resource=resource.get("name"), path=part,
                    message=f"the data file {part} named by resource {resource.get('name')!r} {state}",
                ))
    return findings
