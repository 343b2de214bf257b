"""Read datapackage.json and make it safe to hand to frictionless.

Everything the descriptor names is checked here before any library opens it:
paths must stay inside the package root, and profile URLs must be the
official ones that frictionless ships offline, so validation never reads
outside the package and never touches the network.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

from casekit.package_files import read_package_file
from casekit.safety import UnsafePath, check_relative_path
from casekit.validation.findings import ERROR, Finding
from casekit.validation.jsonfile import parse_json_bytes
from casekit.validation.limits import MAX_DESCRIPTOR_BYTES, MAX_RESOURCES, MAX_SCHEMA_BYTES
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
        data = read_package_file(root, DESCRIPTOR, max_bytes=MAX_DESCRIPTOR_BYTES)
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
# Every other key frictionless would act on (inline `data`, `control`, `layout`, ...) is refused too:
# a resource may carry only these.
RESOURCE_KEYS = frozenset([
    "name", "type", "profile", "$schema", "path", "title", "description", "homepage", "format", "mediatype",
    "encoding", "dialect", "schema", "hash", "bytes", "licenses", "sources", "scheme",
])
# The one CSV dialect every reader of the package (pandas, R, JavaScript, SQLite, DuckDB) agrees on.
# A key such as commentRows or headerRows would make frictionless skip rows that the others load.
# skipInitialSpace is pinned because frictionless would otherwise guess it from the file's first rows
# (a `, "b"` read as `b`), where pandas and DuckDB keep the space.
FIXED_DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "skipInitialSpace": False}
_DIALECT_ACCEPTS = {
    "delimiter": lambda value: value == ",",
    "quoteChar": lambda value: value == '"',
    "doubleQuote": lambda value: value is True,
    "header": lambda value: value is True,
    "headerRows": lambda value: value == [1],
    "lineTerminator": lambda value: value in ("\n", "\r\n"),
    "skipInitialSpace": lambda value: value is False,
    "$schema": lambda value: value in OFFICIAL_PROFILES,
}
DIALECT_SENTENCE = "UTF-8, comma-separated, double-quoted, one header row"


def _short(value: object) -> str:
    return repr(value)[:60]


def _check_local_file_keys(where: str, resource: dict) -> None:
    scheme = resource.get("scheme")
    if scheme is not None and scheme != "file":
        raise Unusable(f"{where}.scheme is {_short(scheme)}; only local files ('file') are read")
    for key in REMOTE_OR_ARCHIVE_KEYS:
        if key in resource:
            raise Unusable(f"{where}.{key} is not supported; data files must be plain files in the package")
    for key in resource:
        if key not in RESOURCE_KEYS:
            raise Unusable(f"{where} has the key {_short(key)}, which this validator does not read;"
                           f" allowed: {', '.join(sorted(RESOURCE_KEYS))}")
    if resource.get("type", "table") != "table":
        raise Unusable(f"{where}.type is {_short(resource.get('type'))}; every resource is a 'table'")
    fmt = resource.get("format", "csv")
    if fmt != "csv":
        raise Unusable(f"{where}.format is {_short(fmt)}; only 'csv' files are read")
    if resource.get("mediatype", "text/csv") != "text/csv":
        raise Unusable(f"{where}.mediatype is {_short(resource.get('mediatype'))}; only 'text/csv' files are read")
    encoding = resource.get("encoding", "utf-8")
    if not isinstance(encoding, str) or encoding.lower() not in ("utf-8", "utf8"):
        raise Unusable(f"{where}.encoding is {_short(encoding)}; the data files are {DIALECT_SENTENCE}")
    path = resource.get("path")
    if not isinstance(path, str):
        raise Unusable(f"{where}.path must be one file name (a string), found {_short(path)}")


def _check_dialect(where: str, dialect: object) -> None:
    if dialect is None:
        return
    if not isinstance(dialect, dict):
        raise Unusable(f"{where}.dialect must be a JSON object")
    for key, value in dialect.items():
        accepts = _DIALECT_ACCEPTS.get(key)
        if accepts is None or not accepts(value):
            raise Unusable(f"{where}.dialect.{key} = {_short(value)} is not accepted; the data files are"
                           f" {DIALECT_SENTENCE} (allowed: {json.dumps(FIXED_DIALECT)})")


def _safe(root: Path, where: str, value: object) -> Path:
    try:
        return check_relative_path(root, value)
    except UnsafePath as error:
        raise Unusable(f"{where}: {error}") from None


def _load_side_file(root: Path, where: str, value: object) -> dict:
    try:
        data = read_package_file(root, value, max_bytes=MAX_SCHEMA_BYTES)
    except FileNotFoundError:
        raise Unusable(f"{where}: {value} does not exist") from None
    except UnsafePath as error:
        raise Unusable(f"{where}: {error}") from None
    loaded = parse_json_bytes(data, str(value))
    if not isinstance(loaded, dict):
        raise Unusable(f"{value} must be a JSON object")
    _check_profiles(str(value), loaded)
    return loaded


def _check_resource_set(resources: list) -> None:
    """The package must hold exactly the model's resources, each at the model's path."""
    from casekit.validation.model_lock import LOCK_NAME, load_lock

    lock = load_lock()
    names = [resource.get("name") for resource in resources]
    bad = [name for name in names if not isinstance(name, str)]
    if bad:
        raise Unusable(f"every resource needs a name; found {_short(bad[0])}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise Unusable(f"datapackage.json lists the resource {repeated[0]!r} more than once")
    missing = [name for name in lock if name not in names]
    extra = [name for name in names if name not in lock]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"lacks the resource{'s' * (len(missing) > 1)} {', '.join(missing)}")
        if extra:
            parts.append(f"has the resource{'s' * (len(extra) > 1)} {', '.join(extra[:5])}"
                         f"{' ...' if len(extra) > 5 else ''} that the model does not know")
        raise Unusable(f"datapackage.json {' and '.join(parts)}; this validator checks exactly the resources"
                       f" of its model ({LOCK_NAME})")
    for resource in resources:
        expected = lock[resource["name"]]["path"]
        if resource["path"] != expected:
            raise Unusable(f"resource {resource['name']!r} has path {_short(resource['path'])};"
                           f" the model ({LOCK_NAME}) reads it from {expected}")


def prepare_for_frictionless(root: Path, descriptor: dict, check_lock: bool = True) -> dict:
    """Return a copy with schema files inlined and the fixed dialect set, after refusing anything unsafe (Unusable).

    Inlining means frictionless resolves no paths of its own except the data
    files, each of which has been checked here.
    """
    _check_profiles("datapackage.json", descriptor)
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise Unusable("datapackage.json has no list of resources")
    if len(resources) > MAX_RESOURCES:
        raise Unusable(f"datapackage.json lists {len(resources)} resources; at most {MAX_RESOURCES} are read")
    for index, resource in enumerate(resources):
        where = f"resources[{index}]"
        if not isinstance(resource, dict):
            raise Unusable(f"{where} must be a JSON object")
        _check_profiles(where, resource)
        _check_local_file_keys(where, resource)
        _safe(root, f"{where}.path", resource["path"])
        if not resource["path"].endswith(".csv"):
            raise Unusable(f"{where}.path {_short(resource['path'])} does not end in .csv; only plain CSV files"
                           " are read (no archives such as .zip or .gz)")
    if check_lock:
        _check_resource_set(resources)
    # Only the resources go to frictionless: no top-level key (a package-wide dialect, a basepath ...)
    # can change how it reads them. The descriptor itself is judged by the strict profile.
    prepared = {"resources": copy.deepcopy(resources)}
    for index, resource in enumerate(prepared["resources"]):
        where = f"resources[{index}]"
        for key in ("schema", "dialect"):
            value = resource.get(key)
            if isinstance(value, str):
                resource[key] = _load_side_file(root, f"{where}.{key}", value)
            elif isinstance(value, dict):
                _check_profiles(f"{where}.{key}", value)
        _check_dialect(where, resource.get("dialect"))
        # Fixed, never sniffed: frictionless reads exactly what pandas, R and SQLite read.
        resource["dialect"] = dict(FIXED_DIALECT)
        resource["encoding"] = "utf-8"
        resource["format"] = "csv"
    return prepared


def schema_lock_findings(descriptor: dict, prepared: dict) -> list[Finding]:
    """One error per Table Schema that differs from the model lock (call after prepare_for_frictionless)."""
    from casekit.validation.model_lock import LOCK_NAME, LOCK_RULE, WRITE_COMMAND, load_lock, schema_fingerprint

    lock = load_lock()
    findings = []
    for original, resource in zip((r.get("schema") for r in descriptor["resources"]), prepared["resources"]):
        schema = resource.get("schema")
        if not isinstance(schema, dict) or schema_fingerprint(schema) != lock[resource["name"]]["schema_sha256"]:
            where = original if isinstance(original, str) else "datapackage.json"
            findings.append(Finding(
                rule=LOCK_RULE, severity=ERROR, resource=resource["name"], path=where,
                message=f"the Table Schema of {resource['name']} differs from the model this validator checks"
                        f" ({LOCK_NAME}); the tables are not checked against it. A schema change needs the"
                        f" validator's model updated too: {WRITE_COMMAND}",
            ))
    return findings


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
