"""Bounds on the work one run may do, checked in linear time before frictionless reads a table.

Every limit is far above what a package of this model needs (the real package has
14 resources, 20 columns, 531-character lines and 256-character cells) and low enough
that no input can make frictionless's per-cell and per-error work explode: a row of
15,000 cells, a header of 4,000 labels or a cell of megabytes are refused with one
line (exit 2) before frictionless sees them. Patterns need no bound here: they come
only from the Table Schemas fixed by the model lock.
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from casekit.validation.findings import ERROR, Finding
from casekit.validation.unusable import Unusable

MAX_DESCRIPTOR_BYTES = 1024 * 1024
MAX_SCHEMA_BYTES = 1024 * 1024
MAX_RESOURCES = 64
MAX_DATA_FILE_BYTES = 256 * 1024 * 1024
MAX_PACKAGE_BYTES = 1024 * 1024 * 1024
MAX_LINE_CHARACTERS = 64 * 1024
MAX_CELL_CHARACTERS = 16 * 1024
MAX_COLUMNS = 64
MAX_CELLS_PER_FILE = 32 * 1024 * 1024
# frictionless stops reading a table at this many errors; the summary then says so (Report.truncated).
ERROR_LIMIT = 1000
_CHUNK_BYTES = 1024 * 1024
QUOTING_RULE = "csv-quoting"
BOM_RULE = "byte-order-mark"
# What Python's csv module in strict mode says of quoting that RFC 4180 does not allow, in plain words.
_QUOTING_ERRORS = {
    "expected after": "text follows the closing quote of a quoted cell (write the whole cell inside the quotes,"
                      " doubling any quote in it: \"a \"\"b\"\" c\")",
    "unexpected end of data": "a quoted cell is never closed",
}


def _megabytes(count: int) -> str:
    return f"{count // (1024 * 1024)} MB"


def _bounded_lines(handle, label: str, line_ends: "_LineEnds"):
    """The file's lines, refusing any longer than MAX_LINE_CHARACTERS (readline stops there, so memory stays bounded)."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE_CHARACTERS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARACTERS and line[-1] not in "\r\n":
            raise Unusable(f"{label} line {number} is longer than {MAX_LINE_CHARACTERS} characters")
        line_ends.see(number, line)
        yield line


class _LineEnds:
    """The first line whose end differs from the file's first line end, or is a lone CR.

    Python's csv module, pandas and R read LF, CRLF and CR alike, even mixed in one file, but DuckDB
    cannot sniff a file that mixes them: one kind throughout, LF or CRLF, is what every reader reads.
    """

    def __init__(self):
        self.first = self.odd = None

    def see(self, number: int, line: str) -> None:
        end = "\r\n" if line.endswith("\r\n") else line[-1] if line[-1] in "\r\n" else None
        if end is None or self.odd is not None:
            return
        self.first = self.first or end
        if end == "\r" or end != self.first:
            self.odd = (number, end)

    def finding(self, label: str) -> Finding | None:
        if self.odd is None:
            return None
        number, end = self.odd
        what = "a lone carriage return (CR)" if end == "\r" else f"{_END_NAMES[end]}, line 1 ends in {_END_NAMES[self.first]}"
        return Finding(rule=QUOTING_RULE, severity=ERROR, path=label, message=(
            f"line {number} ends in {what}; end every line with LF or every line with CRLF"
            " (DuckDB cannot read a file that mixes them)"))


_END_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}


def _byte_order_mark(label: str, header: list[str] | None) -> Finding:
    """pandas, DuckDB and R's readr drop a leading U+FEFF, but R's read.csv outside a UTF-8 locale
    and JavaScript readers keep it in the first column's name: the readers disagree on the header."""
    first = header[0] if header else None
    return Finding(rule=BOM_RULE, severity=ERROR, path=label, row=1, field=first or None, message=(
        "line 1 starts with a UTF-8 byte order mark (bytes EF BB BF), which some readers keep in the"
        " first column's name; save the file as UTF-8 without a byte order mark"))


def _check_size(path: Path, label: str) -> None:
    if path.stat().st_size > MAX_DATA_FILE_BYTES:
        raise Unusable(f"{label} is larger than {_megabytes(MAX_DATA_FILE_BYTES)}")


def check_table_bounds(path: Path, label: str) -> list[Finding]:
    """Raise Unusable with one line if the CSV at path breaks a limit; read it once, streaming.

    The file is read in strict mode, so quoting that RFC 4180 does not allow (text after a closing
    quote, a quote never closed) is found here; it is returned as a finding, since DuckDB refuses
    such a file while frictionless would quietly read `"ab"c` as `abc`. A byte-order mark at the start
    of the file is a finding too (rule byte-order-mark, row 1, the first column's name).
    """
    _check_size(path, label)
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARACTERS)
    try:
        # errors="replace": a byte that is not UTF-8 is frictionless's to report (encoding-error), not a bound.
        line_ends = _LineEnds()
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            marked = handle.read(1) == "\ufeff"
            if not marked:
                handle.seek(0)
            reader = csv.reader(_bounded_lines(handle, label, line_ends), delimiter=",", quotechar='"', doublequote=True,
                                strict=True)
            header = None
            try:
                header = next(reader, None)
                widths = Counter(map(len, reader))
                if header is not None:
                    widths[len(header)] += 1
            except csv.Error as error:
                if "field larger" in str(error):
                    raise Unusable(f"{label} has a cell longer than {MAX_CELL_CHARACTERS} characters"
                                   f" (record ending on line {reader.line_num})") from None
                for words, meaning in _QUOTING_ERRORS.items():
                    if words in str(error):
                        return ([_byte_order_mark(label, header)] if marked else []) + [Finding(
                            rule=QUOTING_RULE, severity=ERROR, path=label, message=(
                                f"line {reader.line_num}: {meaning}; RFC 4180 quoting is required"
                                " (DuckDB and other strict readers cannot read this file)"))]
                raise Unusable(f"{label} cannot be read as CSV on line {reader.line_num}: {error}") from None
    finally:
        csv.field_size_limit(previous)
    if widths and max(widths) > MAX_COLUMNS:
        raise Unusable(f"{label} has a row of {max(widths)} cells; at most {MAX_COLUMNS} columns are read")
    cells = sum(width * count for width, count in widths.items())
    if cells > MAX_CELLS_PER_FILE:
        raise Unusable(f"{label} has {cells} cells; at most {MAX_CELLS_PER_FILE} are read per file")
    found = [_byte_order_mark(label, header)] if marked else []
    mixed = line_ends.finding(label)
    return found + ([] if mixed is None else [mixed])


def check_package_bounds(root: Path, prepared: dict, deferred: set[str] | None = None) -> list[Finding]:
    """Check every data file of an already prepared descriptor (paths are safe and regular files).

    Raise Unusable for a file past a bound; return the quoting findings of the files. With `deferred`,
    a file whose lines alone are within bounds (plain_lines) is not parsed here: its path is added to
    `deferred`, and whoever parses it next with the same limits (casekit.validation.clean_tables) runs
    check_table_bounds on it if that parse fails; if another file has a finding, every file is checked here.
    Either way the file past a bound that is reported is the first in the descriptor's order, as when every
    file is checked here.
    """
    total, found, plain = 0, {}, []
    for resource in prepared["resources"]:
        label = resource["path"]
        path = Path(root) / label
        try:
            total += path.stat().st_size
            if total > MAX_PACKAGE_BYTES:
                raise Unusable(f"the data files together are larger than {_megabytes(MAX_PACKAGE_BYTES)}")
            if deferred is not None and plain_lines(path):
                _check_size(path, label)
                plain.append(label)
                deferred.add(label)
            else:
                found[label] = check_table_bounds(path, label)
        except Unusable:
            # Checked in order, an earlier file's broken bound would have been the one reported.
            _check_each(root, plain)
            raise
    if plain and any(found.values()):
        found.update(_check_each(root, plain))
        deferred.clear()
    return [finding for resource in prepared["resources"] for finding in found.get(resource["path"], ())]


def _check_each(root: Path, labels: list[str]) -> dict[str, list[Finding]]:
    """check_table_bounds of each file in `labels`, in their order (the first past a bound raises)."""
    return {label: check_table_bounds(Path(root) / label, label) for label in labels}


def plain_lines(path: Path) -> bool:
    """Every line of the file is at most MAX_LINE_CHARACTERS bytes long (so characters too), and every
    line ends alike (all LF, or all CRLF): judged on the bytes a chunk at a time, without parsing."""
    carried, ends = b"", set()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            lines = (carried + chunk).split(b"\n")
            carried = lines.pop()
            if max(map(len, lines), default=0) > MAX_LINE_CHARACTERS or len(carried) > MAX_LINE_CHARACTERS:
                return False
            crlf, lf, cr = chunk.count(b"\r\n"), chunk.count(b"\n"), chunk.count(b"\r")
            if cr and (cr != crlf or lf != crlf):
                return False  # a lone CR, or CRLF and LF mixed (or a CRLF split between chunks: parse it)
            if lf:
                ends.add("crlf" if cr else "lf")
    return len(ends) <= 1 and b"\r" not in carried
