"""What the frictionless pass found in each resource, remembered within one process.

A process that validates many copies of one package (the test suite plants one slip
per copy) would otherwise have frictionless read every unchanged table again. Each
resource is remembered under a key made of everything its verdict depends on: the
package's own fields and resource names, the resource's prepared descriptor (inlined
schema, dialect, declared hash and bytes), the sha256 of the file's bytes, the error
limit and the keys the row checks are given. A remembered resource is fed to the
row store again row by row, in package order, exactly as frictionless fed it, so the
rules see the same rows. The memo is bounded (entries, file size, rows) and off
unless a process turns it on (`enabled`, or validate_package(remember=True)): the
command line validates once, where a memo would only cost time and memory.
"""
from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

from casekit.package_files import UnsafePath, read_package_file
from casekit.validation.findings import Finding
from casekit.validation.keys import ROW_NUMBER, Keys

MAX_ENTRIES = 256
MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 20_000
# Values of these types are mutable (lists, dicts): rows replayed from the memo would share them.
_MUTABLE_TYPES = frozenset({"array", "object", "geojson"})


@dataclass(frozen=True)
class Remembered:
    fields: tuple[tuple[str, str], ...]  # (name, type) of each schema field, for the row store's layout
    field_names: tuple[str, ...]  # the fields frictionless paired with the file's columns
    rows: tuple  # (values by field name, cell texts, row number) of each row read
    findings: tuple[Finding, ...]
    complete: bool
    truncated: bool
    errors: int
    columns: frozenset


_memo: "OrderedDict[str, Remembered]" = OrderedDict()
enabled = False  # validate_package's default; the test suite, which validates thousands of copies, turns it on


def clear() -> None:
    _memo.clear()


def size() -> int:
    return len(_memo)


def resource_key(root, prepared: dict, resource: dict, keys: Keys | None, error_limit: int) -> str | None:
    """The memo key of one prepared resource, or None if it is not to be remembered."""
    schema = resource.get("schema")
    if not isinstance(schema, dict) or any(isinstance(field, dict) and field.get("type") in _MUTABLE_TYPES
                                           for field in schema.get("fields") or ()):
        return None
    try:
        data = read_package_file(root, resource["path"], MAX_FILE_BYTES)
    except (OSError, UnsafePath):
        return None  # too large, absent or unsafe: frictionless judges it afresh
    package = {name: value for name, value in prepared.items() if name != "resources"}
    package["resources"] = [(entry.get("name"), entry.get("path")) for entry in prepared.get("resources", [])]
    text = json.dumps({"package": package, "resource": resource, "keys": repr(keys), "limit": error_limit,
                       "sha256": hashlib.sha256(data).hexdigest()}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recall(key: str | None) -> Remembered | None:
    if key is None:
        return None
    found = _memo.get(key)
    if found is not None:
        _memo.move_to_end(key)
    return found


def remember(key: str, entry: Remembered) -> None:
    _memo[key] = entry
    _memo.move_to_end(key)
    while len(_memo) > MAX_ENTRIES:
        _memo.popitem(last=False)


class _Field:
    __slots__ = ("name", "type")

    def __init__(self, name: str, kind: str):
        self.name, self.type = name, kind


class _Schema:
    def __init__(self, fields):
        self.fields = [_Field(name, kind) for name, kind in fields]
        self.field_names = [name for name, _ in fields]


class _Resource:
    def __init__(self, name: str, fields):
        self.name, self.schema = name, _Schema(fields)


class _Row(dict):
    """A remembered row as the row store reads a frictionless Row: by field name, with its cells and number."""

    __slots__ = ("cells", "row_number", "field_names")

    def to_dict(self) -> dict:
        return dict(self)


def replay(name: str, entry: Remembered, into) -> None:
    """Feed a remembered resource's rows to `into` (a RowStore, or a dict of whole rows) as the pass did."""
    keep = getattr(into, "keep", None)
    if keep is None:
        table = into.setdefault(name, [])
        for values, _, number in entry.rows:
            whole = dict(values)
            whole[ROW_NUMBER] = number
            table.append(whole)
        return
    resource = _Resource(name, entry.fields)
    field_names = list(entry.field_names)
    for values, cells, number in entry.rows:
        row = _Row(values)
        row.cells, row.row_number, row.field_names = list(cells), number, field_names
        keep(resource, row)


class Recorder:
    """Stands between the row checks and the row store during a pass with remembered resources:
    it replays the remembered ones in package order before the next table frictionless reads,
    and records the rows of each table that may be remembered."""

    def __init__(self, into, order: list[str], remembered: dict[str, Remembered], recordable: set[str]):
        self.into, self.order, self.remembered, self.recordable = into, order, remembered, recordable
        self.forward = getattr(into, "keep", None)
        self.replayed = 0  # position in `order` up to which remembered resources were fed
        self.current = None
        self.recording: list | None = None
        self.records: dict[str, tuple] = {}  # name -> (fields, field_names, rows) or None past MAX_ROWS

    def catch_up(self, upto: str | None = None) -> None:
        """Replay the remembered resources before `upto` in package order (all if None)."""
        while self.replayed < len(self.order) and self.order[self.replayed] != upto:
            name = self.order[self.replayed]
            if name in self.remembered:
                replay(name, self.remembered[name], self.into)
            self.replayed += 1

    def keep(self, resource, row) -> None:
        name = resource.name
        if name != self.current:
            self.current = name
            self.catch_up(name)
            self.recording = None
            if name in self.recordable:
                self.recording = []
                self.records[name] = (tuple((field.name, field.type) for field in resource.schema.fields),
                                      tuple(row.field_names), self.recording)
        if self.recording is not None:
            if len(self.recording) >= MAX_ROWS:
                self.records[name] = None
                self.recording = None
            else:
                self.recording.append((row.to_dict(), tuple(row.cells), row.row_number))
        if self.forward is not None:
            self.forward(resource, row)
        else:
            values = row.to_dict()
            values[ROW_NUMBER] = row.row_number
            self.into.setdefault(name, []).append(values)
