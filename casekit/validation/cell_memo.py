"""Read each distinct cell text of a column once per run.

frictionless reads every cell through its field's cell reader: the missing-value test, the
type's value reader, then every constraint (an enum is a list scanned from its start, a
pattern a regular expression). The reading depends only on the field and the cell's text, and
most columns repeat a few texts (codes, units, bases, days), so a column's reader remembers
what each text read as. Only readings without notes are remembered: frictionless takes its
notes apart as it reports them. Only types whose values cannot be changed in place are
remembered (a list or dict read from a cell would be shared by every row that repeats it).

A column whose texts rarely repeat (free text, ids) costs a lookup and saves nothing: after
its first PROBE cells, a reader that found fewer than one in four in its memory reads every
later cell directly. The memory holds at most KEPT texts per column.

`remember_cell_readings()` installs this on frictionless's Field class; it is idempotent.
"""
from __future__ import annotations

# The types frictionless reads into immutable values (str, int, Decimal, float, bool, date, time).
REMEMBERED_TYPES = frozenset({"string", "integer", "number", "boolean", "date", "datetime", "time", "year"})
PROBE = 2048
KEPT = 4096

_installed: list = []


def remembering(read):
    """`read` (a frictionless cell reader) with a memory of the readings without notes, by cell text."""
    memory: dict = {}
    looked = found = 0
    direct = False

    def cell_reader(cell):
        nonlocal looked, found, direct
        if direct or cell.__class__ is not str:
            return read(cell)
        reading = memory.get(cell)
        if reading is not None:
            found += 1
            return reading
        looked += 1
        if looked + found == PROBE and found * 4 < PROBE:
            direct = True
            memory.clear()
        reading = read(cell)
        if reading[1] is None and len(memory) < KEPT:
            memory[cell] = reading
        return reading

    return cell_reader


def remember_cell_readings() -> None:
    from frictionless.schema.field import Field

    if _installed:
        return
    create = Field.create_cell_reader

    def create_cell_reader(self):
        read = create(self)
        return remembering(read) if self.type in REMEMBERED_TYPES else read

    Field.create_cell_reader = create_cell_reader
    _installed.append(True)
