"""Tables in which nothing can be wrong are read without frictionless's row machinery.

frictionless reads each row as a Row object: every cell through its field's reader, each
error built as an object, every check called on the row. On a package of 1,000 cases
that was most of the validator's own reading time, for rows that nearly always hold no
error. This module reads a table with the same readers (frictionless's own cell reader
of each field, remembered per text by casekit.validation.cell_memo) and the validator's
own row checks, and keeps its rows only when frictionless could find nothing in it:

- frictionless accepts the package's metadata (its check of the package checks every resource's);
- the file's bytes match the declared sha256 hash and size, and are UTF-8;
- the header is the schema's field names, in order; no field declares `unique`;
- every row has one cell per field and is not blank; every cell reads without a note
  (a type or constraint error); the validator's row checks pass every row.

The first thing that could give an error stops the read: the rows kept from the table
are forgotten and the table goes to frictionless, which reports it in its own words.
So every finding on a table comes from frictionless; this module only decides there is
none. The records are read by Python's csv module with the fixed dialect (comma, double
quote, quotes doubled, no space skipped), which is how frictionless reads them too: the
dialect is pinned (casekit.validation.descriptor.FIXED_DIALECT), and the file has passed
the strict quoting check of casekit.validation.limits.
"""
from __future__ import annotations

import csv
import hashlib
import io

from casekit.package_files import UnsafePath, open_package_binary
from casekit.validation.keys import ROW_NUMBER
from casekit.validation.limits import MAX_CELL_CHARACTERS

_CHUNK = 1024 * 1024


class ReadRow(dict):
    """A row read here, as the row store and the row checks read a frictionless Row: by field name,
    with its cells and number."""

    __slots__ = ("cells", "row_number", "field_names")

    def to_dict(self) -> dict:
        return dict(self)


def _declared_sha256(resource) -> str | None:
    declared = resource.hash
    if not isinstance(declared, str) or not declared.startswith("sha256:"):
        return None
    return declared[len("sha256:"):]


def _matches_declared_bytes(handle, resource) -> bool:
    """The file's size and sha256 are those declared (frictionless's hash-count and byte-count checks)."""
    expected = _declared_sha256(resource)
    if expected is None or not isinstance(resource.bytes, int) or isinstance(resource.bytes, bool):
        return False
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size == resource.bytes and digest.hexdigest() == expected


def read_clean_table(root, resource, check, keep) -> bool:
    """Keep every row of the frictionless `resource` through `keep(resource, row)` and return True,
    or return False as soon as frictionless could find anything in the table (rows already kept
    are then the caller's to forget). `check` is the validator's row check, connected to `resource`."""
    schema = resource.schema
    fields = schema.fields
    names = [field.name for field in fields]
    if any(field.constraints.get("unique") for field in fields):
        return False
    try:
        with open_package_binary(root, resource.path) as handle:
            if not _matches_declared_bytes(handle, resource):
                return False
            handle.seek(0)
            text = io.TextIOWrapper(handle, encoding="utf-8", errors="strict", newline="")
            return _read_rows(text, resource, names, [field.create_cell_reader() for field in fields], check, keep)
    except (OSError, UnsafePath, UnicodeDecodeError, csv.Error):
        return False


def _read_rows(text, resource, names, readers, check, keep) -> bool:
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARACTERS)
    try:
        records = csv.reader(text, delimiter=",", quotechar='"', doublequote=True, skipinitialspace=False,
                             strict=True)
        if next(records, None) != names:
            return False
        width = len(names)
        pairs = list(zip(names, readers))
        validate_row = check.validate_row
        for number, cells in enumerate(records, start=2):
            if len(cells) != width:
                return False
            row = ReadRow()
            blank = True
            for (name, read), cell in zip(pairs, cells):
                value, notes = read(cell)
                if notes:
                    return False
                if value is not None:
                    blank = False
                row[name] = value
            if blank:
                return False
            row.cells, row.row_number, row.field_names = cells, number, names
            if validate_row(row):
                return False
            keep(resource, row)
        return True
    finally:
        csv.field_size_limit(previous)


def read_clean_tables(root, stripped: dict, keys: dict, into) -> set[str]:
    """Read every table of the prepared descriptor `stripped` (without keys) that holds nothing frictionless
    could report into `into` (a RowStore, or a dict of whole rows by resource name); return their names.
    A table not read clean is left out of `into`, for frictionless to read."""
    from frictionless import FrictionlessException, Package

    from casekit.validation.row_checks import row_checks

    try:
        package = Package(stripped, basepath=str(root))
        package.to_descriptor(validate=True)
    except FrictionlessException:
        return set()  # frictionless reports the descriptor
    keep = getattr(into, "keep", None) or _keep_whole(into)
    forget = getattr(into, "forget", None) or into.pop
    check = row_checks(keys)
    clean = set()
    for resource in package.resources:
        check.connect(resource)
        if read_clean_table(root, resource, check, keep):
            clean.add(resource.name)
        else:
            forget(resource.name, None)
    return clean


def _keep_whole(into: dict):
    def keep(resource, row):
        values = row.to_dict()
        values[ROW_NUMBER] = row.row_number
        into.setdefault(resource.name, []).append(values)
    return keep
