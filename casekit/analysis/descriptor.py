"""The package's resources with their Table Schemas, read offline from the package root."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from casekit.safety import check_relative_path


@dataclass(frozen=True)
class TableResource:
    name: str
    path: Path
    descriptor: dict
    schema: dict

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
    return json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))


def table_resources(root: Path | str = ".") -> list[TableResource]:
    """Every resource in descriptor order; paths go through the safety check so nothing outside root is read."""
    root = Path(root)
    resources = []
    for resource in read_descriptor(root)["resources"]:
        schema = resource["schema"]
        if isinstance(schema, str):
            schema = json.loads(check_relative_path(root, schema).read_text(encoding="utf-8"))
        resources.append(TableResource(resource["name"], check_relative_path(root, resource["path"]), resource, schema))
    return resources


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
