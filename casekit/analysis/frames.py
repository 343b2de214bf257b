"""Load each resource as a pandas DataFrame typed by its Table Schema.

The frictionless pandas plugin (5.21) loses what an analyst needs: numbers
come back as float64 with NaN, required integers as int64, enums as plain
strings, and the primary key moves into the index. Here pandas.read_csv
does the parsing with a dtype per field taken from the schema: integer ->
Int64, number -> Float64, string -> string, boolean -> boolean, every one
with <NA> for the schema's missingValues; a field with an enum constraint
becomes a Categorical whose categories are the enum, in the schema's order.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from casekit.analysis.descriptor import TableResource, table_resource, table_resources

DTYPES = {"integer": "Int64", "number": "Float64", "string": "string", "boolean": "boolean"}
# Only these enums list their values in a meaningful order (smallest time unit first).
ORDERED_ENUMS = {"time_unit", "offset_unit"}


def load_frames(root: Path | str = ".") -> dict[str, pd.DataFrame]:
    """Every resource of the package at root, by resource name."""
    return {resource.name: _read(resource) for resource in table_resources(root)}


def load_frame(name: str, root: Path | str = ".") -> pd.DataFrame:
    return _read(table_resource(name, root))


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python dicts with None for missing values, for code that does not speak pandas."""
    plain = frame.astype(object)
    return plain.where(plain.notna(), None).to_dict("records")


def _read(resource: TableResource) -> pd.DataFrame:
    dtypes = {field["name"]: _dtype(resource, field) for field in resource.fields}
    frame = pd.read_csv(
        resource.path,
        dtype={name: dtype for name, dtype in dtypes.items()},
        keep_default_na=False,
        na_values=resource.missing_values,
        encoding=resource.descriptor.get("encoding", "utf-8"),
    )
    for field in resource.fields:
        if "enum" in field.get("constraints", {}):
            frame[field["name"]] = _categorical(resource, field, frame[field["name"]])
    return frame[[field["name"] for field in resource.fields]]


def _dtype(resource: TableResource, field: dict) -> str:
    try:
        return DTYPES[field.get("type", "string")]
    except KeyError:
        raise ValueError(
            f"{resource.name}.{field['name']}: Table Schema type {field['type']!r} has no pandas mapping yet; "
            f"add it to casekit/analysis/frames.py DTYPES"
        ) from None


def _categorical(resource: TableResource, field: dict, column: pd.Series) -> pd.Series:
    categories = field["constraints"]["enum"]
    outside = sorted(set(column.dropna()) - set(categories))
    # A Categorical silently turns values outside its categories into <NA>; refuse instead of losing data.
    if outside:
        raise ValueError(
            f"{resource.path.name}: {field['name']} has values outside its enum {categories}: {outside}; "
            f"run `python validate.py` to see the rows"
        )
    dtype = pd.CategoricalDtype(categories=categories, ordered=field["name"] in ORDERED_ENUMS)
    return column.astype(dtype)
