"""Add a second case to a package copy by cloning an existing case's rows under new ids.

Which tables hold a case's rows comes from the Table Schemas (casekit.analysis.frames.case_scoped),
so the clone follows the model when tables are added. Every id of a cloned row gets `suffix`; every
cell of a cloned row that names a cloned id (foreign keys, relative-timing subjects and anchors,
discrepancy rows) is renamed the same way, so the clone refers only to itself.
"""
from __future__ import annotations

from casekit.analysis.descriptor import table_resources
from casekit.analysis.frames import CASE_KEY, case_scoped, load_frames, records


def clone_case(package, case_id: str, new_case_id: str, suffix: str = "-twin") -> dict[str, str]:
    """Append a copy of case_id's rows as new_case_id; return the id mapping {old: new}."""
    resources = {resource.name: resource for resource in table_resources(package.root)}
    scoped = case_scoped(list(resources.values()))
    frames = load_frames(package.root, case_id)
    mapping = {case_id: new_case_id}
    for name in scoped:
        key = resources[name].primary_key
        if len(key) == 1 and key[0] != CASE_KEY:
            mapping.update({row_id: f"{row_id}{suffix}" for row_id in frames[name][key[0]]})
    for name in scoped:
        keys = resources[name].foreign_keys
        own = {field for fields, parent, _ in keys if parent in scoped for field in fields}
        shared = {field for fields, parent, _ in keys if parent not in scoped for field in fields}
        # Ids without a declared key (relative-timing subjects and anchors, discrepancy rows) are renamed too.
        renamed = own | {column for column in frames[name].columns if column.endswith("id") and column not in shared}
        copies = []
        for row in records(frames[name]):
            copies.append({column: _rename(value, mapping) if column in renamed else _text(value)
                           for column, value in row.items()})
        rows = package.read_rows(name)
        rows.extend({column: copy.get(column, "") for column in rows[0]} for copy in copies)
        package.write_rows(name, rows)
    package.refresh_hashes()
    return mapping


def _rename(value, mapping: dict[str, str]) -> str:
    text = _text(value)
    return mapping.get(text, text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
