"""A release archive of the package: its files, typed Parquet copies, SHA256SUMS and Zenodo metadata.

The archive is one zip with a single top folder `<name>-<version>/`, so unpacking it never
scatters files; `sha256sum -c SHA256SUMS` run inside that folder checks every other file.
Entries carry a fixed timestamp and a fixed order, so the same package gives the same archive.
The Parquet files are typed from the Table Schemas, not guessed from the CSV: `integer` ->
int64, `number` -> float64, `boolean` -> bool, anything else -> string, and a cell in the
schema's `missingValues` -> null.

Only a package the validator accepts is archived: the validator runs first, in this process.
Every name in the archive is built from checked parts (the descriptor's `name` and `version`,
resource names, paths that stay inside the package), so no entry can leave its top folder,
and the zip is written in one step through casekit.safety.write_output, never through a link.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

from casekit.analysis.descriptor import TableResource, read_descriptor, table_resources
from casekit.package_files import read_package_file
from casekit.safe_yaml import load_yaml
from casekit.safety import UnsafePath, check_identifier, check_relative_path, write_atomically, write_output

# Files beside the tables that make the package citable and reusable on its own.
COMPANION_FILES = ("README.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff", "CHANGELOG.md",
                   "docs/data-dictionary.md")
ZENODO_FILE = ".zenodo.json"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


class UnsafeOutput(Exception):
    """An output folder that would put the archive among, or over, the package's own files."""


class PackageRejected(Exception):
    """The validator does not accept the package, so it is not archived; str() is one line."""


def check_valid(root: Path) -> None:
    """Run the validator on the package at root, in this process; PackageRejected unless it is valid."""
    from casekit.validation.pipeline import validate_package
    from casekit.validation.report import format_text

    report = validate_package(Path(root))
    if report.exit_code(strict=False) != 0:
        lines = format_text(report).strip().splitlines()
        first = f"; first: {' '.join(lines[0].split())[:300]}" if len(lines) > 1 else ""
        summary = " ".join(lines[-1].split())[:300]
        raise PackageRejected(f"the validator does not accept the package ({summary}{first}); run python validate.py"
                              " to see every finding; nothing was written")


def package_paths(root: Path) -> list[str]:
    """Every package file the archive holds, relative to root, in a stable order."""
    descriptor = read_descriptor(root)
    paths = ["datapackage.json"]
    for resource in descriptor["resources"]:
        for key in ("path", "schema"):
            value = resource.get(key)
            if isinstance(value, str) and value not in paths:
                check_relative_path(root, value)
                paths.append(value)
    paths.extend(name for name in COMPANION_FILES if name not in paths)
    return paths[:1] + sorted(paths[1:])


def release_name(root: Path) -> str:
    """<name>-<version>, each checked before it names the zip and its top folder."""
    import semver

    descriptor = read_descriptor(root)
    name = check_identifier(descriptor.get("name"), "datapackage.json name")
    version = check_identifier(descriptor.get("version"), "datapackage.json version")
    try:
        semver.Version.parse(version)
    except ValueError:
        raise UnsafePath(f"datapackage.json version {version!r} is not a Semantic Version") from None
    return f"{name}-{version}"


# --- Parquet ---------------------------------------------------------------------------------

def arrow_schema(resource: TableResource):
    import pyarrow as pa

    types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    fields = []
    for field in resource.fields:
        metadata = {key: field[key] for key in ("title", "description") if isinstance(field.get(key), str)}
        fields.append(pa.field(field["name"], types.get(field.get("type", "string"), pa.string()),
                               nullable=not field.get("constraints", {}).get("required", False),
                               metadata=metadata or None))
    return pa.schema(fields, metadata={"table_schema": json.dumps(resource.schema, sort_keys=True)})


def typed_columns(resource: TableResource) -> dict[str, list]:
    """The CSV's columns with each cell converted to its field's type; missing values become None."""
    rows = list(csv.DictReader(resource.text()))
    missing = set(resource.missing_values)
    columns = {}
    for field in resource.fields:
        convert = _CONVERTERS.get(field.get("type", "string"), str)
        name = field["name"]
        columns[name] = [None if row[name] in missing else convert(row[name]) for row in rows]
    return columns


def _boolean(text: str) -> bool:
    if text in ("true", "True", "TRUE", "1"):
        return True
    if text in ("false", "False", "FALSE", "0"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


_CONVERTERS = {"integer": int, "number": float, "boolean": _boolean}


def parquet_bytes(resource: TableResource) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pydict(typed_columns(resource), schema=arrow_schema(resource))
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


# --- Zenodo ----------------------------------------------------------------------------------

def zenodo_metadata(root: Path) -> dict:
    """Zenodo deposit metadata from CITATION.cff (title, creators, licence, keywords) and datapackage.json."""
    root = Path(root)
    citation = load_yaml(read_package_file(root, "CITATION.cff").decode("utf-8"))
    descriptor = read_descriptor(root)
    if str(citation.get("version")) != str(descriptor["version"]):
        raise ValueError(f"CITATION.cff version {citation.get('version')} differs from datapackage.json "
                         f"version {descriptor['version']}")
    related = []
    for reference in citation.get("references", []):
        if reference.get("doi"):
            related.append({"identifier": str(reference["doi"]), "relation": "isDerivedFrom", "scheme": "doi",
                            "resource_type": "publication-article" if reference.get("type") == "article"
                            else "other"})
    metadata = {
        "upload_type": "dataset",
        "title": citation["title"],
        "version": str(descriptor["version"]),
        "publication_date": str(citation["date-released"]),
        "description": " ".join(str(citation.get("abstract") or descriptor.get("description", "")).split()),
        "creators": [_creator(author) for author in citation["authors"]],
        "license": str(citation["license"]).lower(),
        "access_right": "open",
        "keywords": list(citation.get("keywords", [])),
        "related_identifiers": related,
    }
    return metadata


def _creator(author: dict) -> dict:
    if "family-names" in author:
        name = author["family-names"]
        if author.get("given-names"):
            name = f"{name}, {author['given-names']}"
    else:
        name = author["name"]
    creator = {"name": name}
    if author.get("affiliation"):
        creator["affiliation"] = author["affiliation"]
    if author.get("orcid"):
        creator["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
    return creator


def zenodo_json(root: Path) -> str:
    return json.dumps(zenodo_metadata(root), indent=2, ensure_ascii=False) + "\n"


# --- the archive -----------------------------------------------------------------------------

def archive_members(root: Path) -> dict[str, bytes]:
    """Archive path (inside the top folder) -> bytes, SHA256SUMS last."""
    root = Path(root)
    members: dict[str, bytes] = {}
    for relative in package_paths(root):
        members[relative] = read_package_file(root, relative)
    for resource in table_resources(root):
        members[f"parquet/{check_identifier(resource.name, 'resource name')}.parquet"] = parquet_bytes(resource)
    members[ZENODO_FILE] = zenodo_json(root).encode("utf-8")
    members["SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                    for name, data in sorted(members.items())).encode("utf-8")
    return members


def check_output_folder(root: Path, output_dir: Path) -> None:
    """Refuse a folder that is the package root, or is or lies inside one of the package's files or folders."""
    root, output_dir = Path(root).resolve(), Path(output_dir).resolve()
    if output_dir == root:
        raise UnsafeOutput(f"{output_dir} is the package folder; write the archive to a folder of its own (e.g. dist)")
    for relative in [*package_paths(root), "data", "schemas", "docs"]:
        owned = (root / relative).resolve()
        if output_dir == owned or owned in output_dir.parents:
            raise UnsafeOutput(f"{output_dir} is part of the package ({relative}); choose another folder (e.g. dist)")


def build_release(root: Path | str = ".", output_dir: Path | str = "dist", validate: bool = True) -> Path:
    """Write <output_dir>/<name>-<version>.zip and return its path; nothing else is written.

    PackageRejected if the validator does not accept the package (validate=False skips that run,
    for callers that have just validated it themselves).
    """
    root, output_dir = Path(root), Path(output_dir)
    check_output_folder(root, output_dir)
    if validate:
        check_valid(root)
    top = release_name(root)
    members = archive_members(root)  # read everything before creating anything
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            entry = f"{top}/{name}"
            if ".." in entry.split("/") or entry.startswith("/"):
                raise UnsafePath(f"the archive entry {entry!r} would leave its top folder")
            info = zipfile.ZipInfo(entry, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return write_output(root, output_dir / f"{top}.zip", sink.getvalue())


def write_zenodo_json(root: Path | str = ".") -> Path:
    """Rewrite root/.zenodo.json in one step, never through a symlink; return its path."""
    target = Path(root) / ZENODO_FILE
    write_atomically(target, zenodo_json(Path(root)).encode("utf-8"))
    return target


__all__ = ["PackageRejected", "UnsafeOutput", "UnsafePath", "archive_members", "check_valid", "arrow_schema", "build_release", "package_paths",
           "release_name", "typed_columns", "write_zenodo_json", "zenodo_json", "zenodo_metadata"]
