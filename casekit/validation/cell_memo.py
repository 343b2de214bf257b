"""Read each distinct cell text of a column once per run.

frictionless reads every cell through its field's cell reader: the missing-value test, the
type's value reader, then every constraint (an enum is a list scanned from its start, a
pattern a regular expression). The reading depends only on the field and the cell's text, and
most columns repeat a few texts (codes, units, bases, days), so a column's reader remembers
what each text read as. Only readings without notes are remembered: frictionless takes its
notes apart as it reports them. Only types whose values cannot be changed in place are
remembered (a list or dict read from a cell would be shared by every row that repeats it).

A text found in the memory costs one dict lookup in C; a column whose texts rarely repeat (free
text, ids) costs a failed lookup more per cell than before. The memory holds at most KEPT texts
per column, each of at most KEPT_CHARACTERS characters: the texts that repeat are short (codes, units,
days), and remembering long ones (free text that never repeats) would hold up to KEPT of them, tens of
megabytes per column, where frictionless alone holds one row. frictionless reads CSV cells, which are strings (or None for a missing last cell),
so every cell can be looked up; only those are remembered (1, 1.0 and True would be one key).

`remember_cell_readings()` installs this on frictionless's Field class; it is idempotent.
"""
from __future__ import annotations

# The types frictionless reads into immutable values (str, int, Decimal, float, bool, date, time).
REMEMBERED_TYPES = frozenset({"string", "integer", "number", "boolean", "date", "datetime", "time", "year"})
KEPT = 4096
KEPT_CHARACTERS = 256

_installed: list = []


class _Readings(dict):
    """cell text -> (value, None): a lookup that finds a text costs no Python call at all; a text
    not found is read by the field's reader, and remembered when its reading has no notes."""

    __slots__ = ("read",)

    def __missing__(self, cell):
        reading = self.read(cell)
        if reading[1] is None and len(self) < KEPT and (cell is None or (cell.__class__ is str and len(cell) <= KEPT_CHARACTERS)):
            self[cell] = reading
        return reading


def remembering(read):
    """`read` (a frictionless cell reader) with a memory of the readings without notes, by cell text."""
    readings = _Readings()
    readings.read = read
    return readings.__getitem__


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
