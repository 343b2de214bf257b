"""A column's remembered cell readings are the readings frictionless gives, cell by cell."""
from __future__ import annotations

import random

import pytest

from casekit.validation import cell_memo
from casekit.validation.cell_memo import remembering
from casekit.validation.plain_numbers import register

FIELDS = [
    {"name": "day", "type": "integer", "constraints": {"minimum": -30, "maximum": 800}},
    {"name": "dose", "type": "number", "constraints": {"minimum": 0}},
    {"name": "unit", "type": "string", "constraints": {"enum": ["mg", "mg/kg", "d"], "required": True}},
    {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z][0-9]{2}(\\.[0-9]{1,4})?"}},
    {"name": "seen", "type": "date"},
    {"name": "flag", "type": "boolean"},
]
CELLS = ["", "0", "7", "-4", "900", "7.5", "1e3", "NaN", "sNaN", "５", "0_5", " 7", "mg", "mg/kg", "MG", "d",
         "C83.398", "c83", "D89.832", "2022-02-28", "2022-02-30", "true", "false", "yes", "ab\"c", "\u00a0"]


def _reader(descriptor):
    from frictionless import Field

    register()
    return Field.from_descriptor(dict(descriptor)).create_cell_reader()


@pytest.mark.parametrize("descriptor", FIELDS, ids=[field["name"] for field in FIELDS])
def test_remembered_readings_are_frictionless_readings_in_any_order(descriptor):
    plain, remembered = _reader(descriptor), remembering(_reader(descriptor))
    cells = CELLS * 40
    random.Random(descriptor["name"]).shuffle(cells)
    for cell in cells:
        value, notes = remembered(cell)
        expected_value, expected_notes = plain(cell)
        assert (repr(value), type(value), notes) == (repr(expected_value), type(expected_value), expected_notes), cell


def test_a_reading_with_notes_is_read_afresh_each_time():
    calls = []

    def read(cell):
        calls.append(cell)
        return None, {"type": "bad"}

    remembered = remembering(read)
    for _ in range(3):
        value, notes = remembered("x")
        notes.pop("type")  # frictionless takes the notes apart: the next row must get its own
    assert calls == ["x", "x", "x"]


def test_the_memory_of_a_column_is_bounded(monkeypatch):
    monkeypatch.setattr(cell_memo, "KEPT", 16)
    calls = []
    remembered = remembering(lambda cell: calls.append(cell) or (cell, None))
    for number in range(40):
        remembered(f"quote {number}")
    remembered("quote 3")  # remembered: among the first 16
    remembered("quote 30")  # read again: the memory was full
    assert (calls.count("quote 3"), calls.count("quote 30")) == (1, 2)
    assert remembered.__self__.__len__() == 16


def test_a_column_of_repeated_texts_reads_each_text_once():
    calls = []
    remembered = remembering(lambda cell: calls.append(cell) or (cell, None))
    for number in range(5000):
        remembered(f"unit {number % 7}")
    assert sorted(calls) == sorted(f"unit {number}" for number in range(7))


def test_lists_and_objects_are_not_remembered():
    assert not {"array", "object", "any", "geojson"} & cell_memo.REMEMBERED_TYPES


def test_long_texts_are_not_remembered():
    # Free text rarely repeats: remembering it would hold up to KEPT long cells per column for the whole read.
    calls = []
    remembered = remembering(lambda cell: calls.append(cell) or (cell, None))
    long_text = "x" * (cell_memo.KEPT_CHARACTERS + 1)
    for _ in range(3):
        remembered(long_text)
        remembered("mg")
        remembered(None)
    assert (calls.count(long_text), calls.count("mg"), calls.count(None)) == (3, 1, 1)
    assert long_text not in remembered.__self__
