"""The text store gives back every deferred cell as the record held it (an empty or absent cell as None)."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from casekit.validation.text_store import TextStore

CELL = st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["", "CRS grade 3 on day +6", "ﬁve µg/L", "\ud800"]))


def _expected(cells, positions):
    return [tuple((cells[position] or None) if position < len(cells) else None for position in positions)]


@settings(max_examples=examples(60), deadline=None)
@given(records=st.lists(st.lists(CELL, max_size=6), max_size=40), block_rows=st.integers(1, 7),
       gaps=st.lists(st.integers(1, 3), min_size=40, max_size=40))
def test_every_cell_comes_back_as_it_was_given(records, block_rows, gaps):
    positions = [4, 1]
    store = TextStore(["quote", "note"], positions)
    store.block_rows = block_rows
    numbers, number = [], 1
    for record, gap in zip(records, gaps):
        number += gap  # numbers one after another, or with gaps (the looked-up path)
        numbers.append(number)
        store.add(number, record)
    store.finish()
    for number, record in zip(numbers, records):
        block, offset = divmod(store.place(number), block_rows)
        cells = store.block(block)
        assert [tuple(cells[offset * 2:offset * 2 + 2])] == _expected(record, positions)
    assert store.place(number + 1) is None and store.place(0) is None


def test_rows_numbered_one_after_another_are_placed_without_a_search():
    store = TextStore(["quote"], [0])
    for number in range(2, 1002):
        store.add(number, [f"quote {number}"])
    store.finish()
    assert store._first == 2 and store.place(2) == 0 and store.place(1001) == 999 and store.place(1002) is None
    block, offset = divmod(store.place(700), store.block_rows)
    assert store.block(block)[offset] == "quote 700"


def test_the_store_holds_the_words_compressed():
    store = TextStore(["quote"], [0])
    words = ["On day 6, one dose of siltuximab was given because CRS worsened"] * 5000
    for number, quote in enumerate(words, start=2):
        store.add(number, [quote + str(random.Random(number).random())])
    store.finish()
    assert store.stored_bytes() < sum(map(len, words)) / 2


@pytest.mark.parametrize("cells", [[], ["only"], ["a", None, "c"]])
def test_a_short_record_reads_as_empty_cells(cells):
    store = TextStore(["x", "y"], [2, 0])
    store.add(2, cells)
    store.finish()
    assert store.block(0) == [cells[2] if len(cells) > 2 else None, cells[0] if cells else None]
