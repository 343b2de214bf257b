"""The package's resources with their Table Schemas, read offline from the package root.

Every command reads the package through here, with the validator's own readers and checks
(casekit.package_files, casekit.validation.descriptor and .limits): datapackage.json, the
Table Schemas and the data files are opened only as regular files inside the root (never a
FIFO, a device or a symlink out of it), each within the validator's size limits, and a data
file is read only after the validator's streaming bounds on its lines, cells and columns.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from casekit.package_files import check_package_file, read_package_file


@dataclass(frozen=True)
class TableResource:
    name: str
    path: Path
    descriptor: dict
    schema: dict
    root: Path = Path(".")

    def read_bytes(self) -> bytes:
        """The data file's bytes, read as the validator reads it (regular file, inside the root, bounded)."""
        from casekit.validation.limits import MAX_DATA_FILE_BYTES

        return read_package_file(self.root, self.descriptor["path"], max_bytes=MAX_DATA_FILE_BYTES)

    def text(self) -> io.StringIO:
        """The data file as text to hand to csv or pandas (a byte-order mark is dropped)."""
        return io.StringIO(self.read_bytes().decode("utf-8-sig"), newline="")

    @property
    def fields(self) -> list[dict]:
        return self.schema["fields"]

    @property
    def primary_key(self) -> list[str]:
        return _as_list(self.schema.get("primaryKey"))

    @property
    def foreign_keys(self) -> list[tuple[list[str], str, list[str]]]:
        """(fields, referenced resource, referenced fields); an empty resource name means this table."""
        keys = []
        for key in self.schema.get("foreignKeys", []):
            reference = key["reference"]
            keys.append((_as_list(key["fields"]), reference.get("resource") or self.name, _as_list(reference["fields"])))
        return keys

    @property
    def missing_values(self) -> list[str]:
        return self.schema.get("missingValues", [""])


def read_descriptor(root: Path | str = ".") -> dict:
    """datapackage.json, read and parsed as the validator reads it (no duplicate keys, bounded size)."""
    from casekit.hashes import read_descriptor_for_update

    return read_descriptor_for_update(Path(root))


def table_resources(root: Path | str = ".") -> list[TableResource]:
    """Every resource in descriptor order, after the validator's checks of paths, schemas and sizes.

    A path out of the root, a schema that is not a regular file, a data file over the validator's
    limits: each raises Unusable (one line) before any table is parsed.
    """
    from casekit.validation.descriptor import prepare_for_frictionless
    from casekit.validation.limits import check_package_bounds

    root = Path(root)
    descriptor = read_descriptor(root)
    prepared = prepare_for_frictionless(root, descriptor, check_lock=False)
    for resource in prepared["resources"]:
        check_package_file(root, resource["path"])  # a FIFO or device, refused before the bounds open it by name
    check_package_bounds(root, prepared)
    return [TableResource(resource["name"], (root / resource["path"]).resolve(), original, resource.get("schema"),
                          root)
            for original, resource in zip(descriptor["resources"], prepared["resources"])]


def table_resource(name: str, root: Path | str = ".") -> TableResource:
    for resource in table_resources(root):
        if resource.name == name:
            return resource
    raise KeyError(f"no resource named {name!r} in {Path(root) / 'datapackage.json'}")


def creation_order(resources: list[TableResource]) -> list[TableResource]:
    """Referenced tables before the tables that refer to them; descriptor order otherwise."""
    by_name = {resource.name: resource for resource in resources}
    ordered: list[TableResource] = []
    visiting: set[str] = set()

    def visit(resource: TableResource) -> None:
        if resource in ordered:
            return
        if resource.name in visiting:
            raise ValueError(f"foreign keys form a cycle through {resource.name}")
        visiting.add(resource.name)
        for _, parent, _ in resource.foreign_keys:
            if parent != resource.name:
                visit(by_name[parent])
        visiting.discard(resource.name)
        ordered.append(resource)

    for resource in resources:
        visit(resource)
    return ordered


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
