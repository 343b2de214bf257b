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
quote, quotes doubled, no space skipped), which is how frictionless reads them too (the
dialect is pinned: casekit.validation.descriptor.FIXED_DIALECT), in strict mode and within
the bounds of casekit.validation.limits, so a file read here is one its bounds check passes
(check_package_bounds leaves a file with plain lines to this read for that reason).

A table is read a block of BLOCK_ROWS rows at a time, column by column: a text field's column
is checked at once as frictionless's reader checks each of its cells (column_reader), the
row checks screen the block's cells together, and the row store keeps the block column by column.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from itertools import count, islice
from operator import itemgetter

from casekit.package_files import UnsafePath, open_package_binary
from casekit.validation.keys import ROW_NUMBER
from casekit.validation import limits

_CHUNK = 1024 * 1024
BLOCK_ROWS = 1024  # rows checked and kept together (RowStore.keep_rows)


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


def read_clean_table(root, resource, check, keep_rows) -> bool:
    """Keep every row of the frictionless `resource` through `keep_rows` (RowStore.keep_rows) and return True,
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
            return _read_rows(text, resource, names, fields, check, keep_rows)
    except (OSError, UnsafePath, UnicodeDecodeError, csv.Error):
        return False


def _read_rows(text, resource, names, fields, check, keep_rows) -> bool:
    previous = csv.field_size_limit()
    csv.field_size_limit(limits.MAX_CELL_CHARACTERS)
    try:
        records = csv.reader(text, delimiter=",", quotechar='"', doublequote=True, skipinitialspace=False,
                             strict=True)
        if next(records, None) != names:
            return False
        width = len(names)
        if width > limits.MAX_COLUMNS:  # the bound check_table_bounds would refuse the file for
            return False
        readers = [column_reader(field) for field in fields]
        screen = check.screen_by_position(names)
        # A row all of whose cells are missing values is blank; a required field cannot be missing.
        may_be_blank = not any(field.constraints.get("required") for field in fields)
        number = 2
        odd: list = []
        rows_of_width = _of_width(records, width, odd)
        while block := list(islice(rows_of_width, BLOCK_ROWS)):
            if odd or (number - 1 + len(block)) * width > limits.MAX_CELLS_PER_FILE:
                return False
            values = [read(column) for read, column in zip(readers, zip(*block))]
            if None in values:  # a cell with a type or constraint note
                return False
            rows = list(zip(*values))  # each row's values, in the order of the fields
            if may_be_blank and any(row.count(None) == width for row in rows):
                return False
            if not screen.passes_all(rows) and check.validate_rows(_named_rows(rows, block, number, names)):
                return False
            keep_rows(resource, rows, block, number, names)
            number += len(block)
        return not odd
    finally:
        csv.field_size_limit(previous)


def _of_width(records, width: int, odd: list):
    """The records up to the first one that has not `width` cells, which is put in `odd`: a block never holds
    a record of more cells than the header's (a file of lines of thousands of cells each, refused by
    check_table_bounds a record at a time, would otherwise fill a block of a thousand such records)."""
    for cells in records:
        if len(cells) != width:
            odd.append(len(cells))
            return
        yield cells


def _named_rows(rows, records, first: int, names) -> list[ReadRow]:
    """The rows as the row checks read a frictionless Row: by field name, with cells and number."""
    named = []
    for number, values, cells in zip(count(first), rows, records):
        row = ReadRow(zip(names, values))
        row.cells, row.row_number, row.field_names = cells, number, names
        named.append(row)
    return named


def column_reader(field):
    """A function of a column of cell texts: their values as frictionless's reader of `field` reads
    them, or None if any cell reads with a note (a type or constraint error)."""
    return _string_column_reader(field) or _cell_by_cell(field.create_cell_reader())


def _cell_by_cell(read):
    def read_column(column):
        readings = list(map(read, column))
        if any(map(_NOTES, readings)):
            return None
        return list(map(_VALUE, readings))
    return read_column


_VALUE, _NOTES = itemgetter(0), itemgetter(1)
_STRING_CONSTRAINTS = frozenset({"required", "pattern", "enum", "minLength", "maxLength"})


def _string_column_reader(field):
    """For a text field of the default format, frictionless's reading done a column at a time.

    Its reader of such a field: a cell equal to a missing value is None (a note if the field is
    required); any other cell is itself, checked against the pattern (matched as "^pattern$"),
    the enum and the lengths, each of which passes None. A cell of a CSV file is always a string.
    """
    constraints = field.constraints or {}
    if field.type != "string" or field.format not in (None, "default") or not set(constraints) <= _STRING_CONSTRAINTS:
        return None
    missing_values = field.missing_values if field.has_defined("missing_values") or not field.schema \
        else field.schema.missing_values
    missing = frozenset(missing_values)
    required = bool(constraints.get("required"))
    pattern = re.compile(f"^{constraints['pattern']}$") if "pattern" in constraints else None
    allowed = frozenset(value for value in constraints["enum"] if isinstance(value, str)) \
        if "enum" in constraints else None
    shortest, longest = constraints.get("minLength"), constraints.get("maxLength")

    def read_column(column):
        if missing.isdisjoint(column):
            values = present = list(column)
        elif required:
            return None
        else:
            values = [None if cell in missing else cell for cell in column]
            present = [cell for cell in values if cell is not None]
        if pattern is not None and not all(map(pattern.match, present)):
            return None
        if allowed is not None and not allowed.issuperset(present):
            return None
        if shortest is not None and present and min(map(len, present)) < shortest:
            return None
        if longest is not None and present and max(map(len, present)) > longest:
            return None
        return values
    return read_column


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
    except Exception:  # noqa: BLE001
        # frictionless fails on such a descriptor (a hash that is a number): it fails again, as it did
        # before the clean read, only after the files left to the clean read have had their bounds checked.
        return set()
    keep_rows = getattr(into, "keep_rows", None) or _keep_whole(into)
    forget = getattr(into, "forget", None) or into.pop
    check = row_checks(keys)
    clean = set()
    for resource in package.resources:
        check.connect(resource)
        if read_clean_table(root, resource, check, keep_rows):
            clean.add(resource.name)
        else:
            forget(resource.name, None)
    return clean


def _keep_whole(into: dict):
    def keep_rows(resource, rows, records, first, field_names):
        table = into.setdefault(resource.name, [])
        for number, row in enumerate(rows, start=first):
            values = dict(zip(field_names, row))
            values[ROW_NUMBER] = number
            table.append(values)
    return keep_rows
