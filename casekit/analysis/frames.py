"""Load each resource as a pandas DataFrame typed by its Table Schema.

The frictionless pandas plugin (5.21) loses what an analyst needs: numbers
come back as float64 with NaN, required integers as int64, enums as plain
strings, and the primary key moves into the index. Here pandas.read_csv
does the parsing with a dtype per field taken from the schema: integer ->
Int64, number -> Float64, string -> string, boolean -> boolean, every one
with <NA> for the schema's missingValues; a field with an enum constraint
becomes a Categorical whose categories are the enum, in the schema's order.

`case_id=` keeps one case: the rows of every table with a case_id column,
the case's source(s) and what hangs off a kept table by a foreign key
(locators of the source, discrepancy rows of its discrepancies); tables that
no case owns (drugs, analytes, vocabularies) stay whole. Which table refers
to which is read from the Table Schemas' foreignKeys, never listed here.
`labels=True` joins, beside each coded column, the columns of the
vocabulary it refers to (a table with a `label` column), e.g.
`event_type_label` and `event_type_category`.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from casekit.analysis.descriptor import TableResource, creation_order, table_resource, table_resources
from casekit.analysis.frame_memo import remembered_frame

DTYPES = {"integer": "Int64", "number": "Float64", "string": "string", "boolean": "boolean"}
CASE_KEY = "case_id"
# Vocabulary columns that explain a code rather than classify it (and the ways articles write it,
# which serve the validator); left out of the joined labels.
EXPLANATORY = {"definition", "source", "written_forms"}


def load_frames(root: Path | str = ".", case_id: str | None = None, labels: bool = False) -> dict[str, pd.DataFrame]:
    """Every resource of the package at root, by resource name; only one case's rows when case_id is given."""
    return frames_of(table_resources(root), case_id, labels)


def frames_of(resources: list[TableResource], case_id: str | None = None,
              labels: bool = False) -> dict[str, pd.DataFrame]:
    """load_frames() for resources already read and checked by table_resources(): a command that needs
    the resources and the frames checks the package once."""
    frames = {resource.name: read_frame(resource) for resource in resources}
    if case_id is not None:
        frames = _one_case(frames, resources, case_id)
    if labels:
        frames = {resource.name: _with_labels(frames[resource.name], resource, frames) for resource in resources}
    return frames


def load_frame(name: str, root: Path | str = ".", case_id: str | None = None, labels: bool = False) -> pd.DataFrame:
    if case_id is None and not labels:
        return read_frame(table_resource(name, root))
    frames = load_frames(root, case_id, labels)
    if name not in frames:
        raise KeyError(f"no resource named {name!r} in {Path(root) / 'datapackage.json'}")
    return frames[name]


def case_ids(root: Path | str = ".") -> list[str]:
    """The package's cases, in the order of the case table."""
    return case_ids_of(table_resources(root))


def case_ids_of(resources: list[TableResource]) -> list[str]:
    return [str(case) for case in read_frame(_case_table(resources))[CASE_KEY]]


def observations_in_canonical_units(root: Path | str = ".", case_id: str | None = None) -> pd.DataFrame:
    """Observations with `canonical_value`, `canonical_unit` (the analyte's unit) and the reference limits
    converted to it by the UCUM library; the tables keep the value in the unit the article states."""
    from casekit.ucum import convert

    frames = load_frames(root, case_id)
    observations = frames["observations"].copy()
    canonical = dict(zip(frames["analytes"]["analyte_id"], frames["analytes"]["unit"]))
    observations["canonical_unit"] = pd.array([canonical.get(analyte) for analyte in observations["analyte_id"]],
                                              dtype="string")
    for column in ("value", "reference_low", "reference_high"):
        if column not in observations:
            continue
        converted = []
        for row in records(observations):
            number = row[column]
            if number is None or row["canonical_unit"] is None:
                converted.append(None)
                continue
            try:
                converted.append(convert(float(number), row["unit"], row["canonical_unit"]))
            except ValueError as error:
                raise ValueError(f"observations {row['observation_id']}: {error}; run `python validate.py`") from None
        observations[f"canonical_{column}"] = pd.array(converted, dtype="Float64")
    return observations


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python dicts with None for missing values, for code that does not speak pandas."""
    plain = frame.astype(object)
    return plain.where(plain.notna(), None).to_dict("records")


def _case_table(resources: list[TableResource]) -> TableResource:
    for resource in resources:
        if resource.primary_key == [CASE_KEY]:
            return resource
    raise KeyError(f"no resource has the primary key {CASE_KEY!r}")


def case_scoped(resources: list[TableResource]) -> list[str]:
    """Names of the resources whose rows belong to a case; the others (drugs, vocabularies) are shared.

    A resource belongs to a case when it has a case_id column, is the case's
    origin (a table the case table refers to that refers to nothing itself:
    the source), or refers by a foreign key to a resource that belongs to a case.
    """
    cases = _case_table(resources)
    by_name = {resource.name: resource for resource in resources}
    scoped = [resource.name for resource in resources if CASE_KEY in [field["name"] for field in resource.fields]]
    scoped += [parent for parent in _origins(cases, by_name) if parent not in scoped]
    for resource in creation_order(resources):
        if resource.name not in scoped and any(parent in scoped and parent != resource.name
                                               for _, parent, _ in resource.foreign_keys):
            scoped.append(resource.name)
    return [resource.name for resource in resources if resource.name in scoped]


def _one_case(frames: dict[str, pd.DataFrame], resources: list[TableResource], case_id: str) -> dict[str, pd.DataFrame]:
    cases = _case_table(resources)
    known = frames[cases.name][CASE_KEY].tolist()
    if case_id not in known:
        raise KeyError(f"no case {case_id!r} in {cases.name}; the package has {', '.join(map(str, known))}")
    scoped = case_scoped(resources)
    kept = {}
    for resource in resources:
        frame = frames[resource.name]
        if CASE_KEY in frame.columns:
            kept[resource.name] = frame[(frame[CASE_KEY] == case_id).fillna(False)].reset_index(drop=True)
    origins = _origins(cases, {resource.name: resource for resource in resources})
    for fields, parent, parent_fields in cases.foreign_keys:
        if parent in origins and parent not in kept:
            kept[parent] = _referenced(frames[parent], parent_fields, kept[cases.name], fields)
    for resource in creation_order(resources):
        if resource.name in kept:
            continue
        frame = frames[resource.name]
        if resource.name in scoped:
            for fields, parent, parent_fields in resource.foreign_keys:
                if parent in kept and parent in scoped and parent != resource.name:
                    frame = _referring(frame, fields, kept[parent], parent_fields)
        kept[resource.name] = frame.reset_index(drop=True)
    return {resource.name: kept[resource.name] for resource in resources}


def _origins(cases: TableResource, by_name: dict[str, TableResource]) -> list[str]:
    """The tables the case table refers to that refer to nothing themselves (the case's source)."""
    return [parent for _, parent, _ in cases.foreign_keys
            if parent != cases.name and not [key for key in by_name[parent].foreign_keys if key[1] != parent]]


def _referenced(parent: pd.DataFrame, parent_fields: list[str], child: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    wanted = set(zip(*(child[field] for field in fields)))
    mask = [key in wanted for key in zip(*(parent[field] for field in parent_fields))]
    return parent[mask].reset_index(drop=True)


def _referring(child: pd.DataFrame, fields: list[str], parent: pd.DataFrame, parent_fields: list[str]) -> pd.DataFrame:
    present = set(zip(*(parent[field] for field in parent_fields)))
    # A row whose reference is empty points nowhere, so no other case claims it.
    mask = [any(pd.isna(value) for value in key) or key in present for key in zip(*(child[field] for field in fields))]
    return child[mask]


def _with_labels(frame: pd.DataFrame, resource: TableResource, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = frame.copy()
    for fields, parent, parent_fields in resource.foreign_keys:
        vocabulary = frames.get(parent)
        if len(fields) != 1 or parent == resource.name or vocabulary is None or "label" not in vocabulary.columns:
            continue
        field, key = fields[0], parent_fields[0]
        position = frame.columns.get_loc(field) + 1
        for column in vocabulary.columns:
            name = f"{field}_{column}"
            if column == key or column in EXPLANATORY or name in frame.columns:
                continue
            lookup = dict(zip(vocabulary[key], vocabulary[column]))
            values = pd.Series([lookup.get(code, pd.NA) if not pd.isna(code) else pd.NA for code in frame[field]],
                               index=frame.index)
            frame.insert(position, name, values.astype(vocabulary[column].dtype))
            position += 1
    return frame


def read_frame(resource: TableResource) -> pd.DataFrame:
    """One resource, already checked by table_resources(), as a DataFrame typed by its Table Schema."""
    data = resource.read_bytes()
    return remembered_frame(resource.fields, resource.missing_values, data, lambda: _parse_frame(resource, data))


def _parse_frame(resource: TableResource, data: bytes) -> pd.DataFrame:
    dtypes = {field["name"]: _dtype(resource, field) for field in resource.fields}
    frame = pd.read_csv(
        io.StringIO(data.decode("utf-8-sig"), newline=""),
        dtype={name: dtype for name, dtype in dtypes.items()},
        keep_default_na=False,
        na_values=resource.missing_values,
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
    dtype = pd.CategoricalDtype(categories=categories)
    return column.astype(dtype)
