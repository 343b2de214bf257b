"""Typed rows of every resource, for the cross-table rules.

Rows are read through frictionless, so values carry the types their Table
Schema declares (integers, numbers, None for missing). Each row also carries
`_row`, its row number in the CSV file as frictionless counts it (the header
is row 1, the first data row is row 2).
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROW_NUMBER = "_row"


@dataclass
class Tables:
    rows: dict[str, list[dict]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, resource: str) -> list[dict]:
        return self.rows.get(resource, [])

    def index(self, resource: str, key: str) -> dict[object, dict]:
        return {row[key]: row for row in self[resource]}

    def for_case(self, resource: str, case_id: str) -> list[dict]:
        return [row for row in self[resource] if row.get("case_id") == case_id]

    def case_ids(self) -> list[str]:
        return [row["case_id"] for row in self["cases"]]


def read_tables(package) -> Tables:
    """Read every resource of an already validated frictionless Package."""
    tables = Tables()
    for resource in package.resources:
        rows = []
        with resource:
            for row in resource.row_stream:
                values = row.to_dict()
                values[ROW_NUMBER] = row.row_number
                rows.append(values)
        tables.rows[resource.name] = rows
        tables.paths[resource.name] = resource.path
    return tables
