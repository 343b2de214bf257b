"""Render the data dictionary (docs/data-dictionary.md) from datapackage.json and the Table Schemas."""
from __future__ import annotations

from pathlib import Path

from casekit.analysis.descriptor import TableResource, read_descriptor, table_resources
from casekit.analysis.frames import read_frame, records

REGENERATE = "python scripts/build_data_dictionary.py"


def render(root: Path | str = ".") -> str:
    root = Path(root)
    descriptor = read_descriptor(root)
    resources = table_resources(root)
    lines = [
        f"# Data dictionary: {descriptor.get('title', descriptor.get('name', ''))}",
        "",
        f"Generated from `datapackage.json` (version {descriptor.get('version', 'unversioned')}) and the Table Schemas "
        f"in `schemas/`; do not edit by hand. Regenerate with `{REGENERATE}`.",
        "",
        "Units are UCUM codes. A unit written *see X* means the field's unit is given row by row in field X.",
        "",
        "## Resources",
        "",
    ]
    lines += [f"- [{resource.name}](#{resource.name.replace('_', '-')}): {resource.descriptor.get('title', '')}"
              for resource in resources]
    for resource in resources:
        lines += [""] + _resource_section(resource, root)
    return "\n".join(lines) + "\n"


def _resource_section(resource: TableResource, root: Path) -> list[str]:
    frame = read_frame(resource)  # checked with the others by table_resources()
    rows = len(frame)
    lines = [
        f"## {resource.name}",
        "",
        f"**{_cell(resource.descriptor.get('title', resource.name))}.** {_cell(resource.descriptor.get('description', ''))}",
        "",
        f"- Path: `{resource.descriptor['path']}`",
        f"- Rows: {rows}",
        f"- Primary key: {', '.join(f'`{name}`' for name in resource.primary_key) or 'none'}",
    ]
    foreign = [f"`{', '.join(fields)}` → `{parent}.{', '.join(parent_fields)}`"
               for fields, parent, parent_fields in resource.foreign_keys]
    lines.append(f"- Foreign keys: {'; '.join(foreign) if foreign else 'none'}")
    lines += ["", "| Field | Title | Type | Unit | Constraints | Description |", "|---|---|---|---|---|---|"]
    for field in resource.fields:
        lines.append("| " + " | ".join([
            f"`{field['name']}`", _cell(field.get("title", "")), field.get("type", "string"),
            _unit(field), _constraints(field), _cell(field.get("description", "")),
        ]) + " |")
    if _is_vocabulary(resource):
        lines += _codes(resource, records(frame))
    return lines


def _is_vocabulary(resource: TableResource) -> bool:
    """A table of codes: one key column and a label for each code (the units, routes, event types...)."""
    return len(resource.primary_key) == 1 and "label" in [field["name"] for field in resource.fields]


def _codes(resource: TableResource, rows: list[dict]) -> list[str]:
    key = resource.primary_key[0]
    names = [field["name"] for field in resource.fields]
    shown = [key, "label"] + [name for name in names if name not in (key, "label")]
    lines = ["", f"Codes ({len(rows)}):", "", "| " + " | ".join(f"`{name}`" for name in shown) + " |",
             "|" + "---|" * len(shown)]
    for row in rows:
        # Written forms may hold markup such as m<sup>2</sup>; show it as typed, not rendered.
        cells = [f"`{_cell(str(row[key]))}`"] + [_cell(_text(row[name])).replace("<", "&lt;") for name in shown[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _text(value) -> str:
    if value is None:
        return ""
    return _number(value) if isinstance(value, float) else str(value)


def _unit(field: dict) -> str:
    if "unit" in field:
        return f"`{field['unit']}`"
    if "unitField" in field:
        return f"see `{field['unitField']}`"
    return ""


def _constraints(field: dict) -> str:
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append("required")
    if constraints.get("unique"):
        parts.append("unique")
    if "enum" in constraints:
        parts.append("one of " + ", ".join(f"`{_cell(str(value))}`" for value in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"pattern `{_cell(constraints['pattern'])}`")
    if "minimum" in constraints:
        parts.append(f"minimum {_number(constraints['minimum'])}")
    if "maximum" in constraints:
        parts.append(f"maximum {_number(constraints['maximum'])}")
    if "format" in field:
        parts.append(f"format {field['format']}")
    return "; ".join(parts)


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(text: str) -> str:
    # A pipe would end the table cell early; a newline would end the row.
    return text.replace("|", "\\|").replace("\n", " ")
