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


@settings(max_examples=examples(40), deadline=None)
@given(records=st.lists(st.lists(CELL, min_size=6, max_size=6), max_size=40), block_rows=st.integers(1, 7),
       split=st.integers(0, 40), where=st.sampled_from([[0, 1], [1, 0], [0], [1]]))
def test_rows_added_in_blocks_come_back_in_order_as_added_one_by_one(records, block_rows, split, where):
    """add_rows() fills the blocks as add() does, and texts_in_order() gives what block() slicing gives."""
    one, many = TextStore(["quote", "note"], [4, 1]), TextStore(["quote", "note"], [4, 1])
    one.block_rows = many.block_rows = block_rows
    split = min(split, len(records))
    for number, record in enumerate(records, start=2):
        one.add(number, record)
    many.add_rows(range(2, 2 + split), records[:split])
    many.add_rows(range(2 + split, 2 + len(records)), records[split:])
    one.finish()
    many.finish()
    assert len(one) == len(many) == len(records)
    expected = []
    for number in range(2, 2 + len(records)):
        block, offset = divmod(one.place(number), block_rows)
        cells = one.block(block)[offset * 2:offset * 2 + 2]
        expected.append(tuple(cells[position] for position in where))
    assert list(many.texts_in_order(where)) == list(one.texts_in_order(where)) == expected


def test_a_whole_table_reads_the_same_words_as_its_rows_one_by_one(package):
    from types import SimpleNamespace

    from casekit.validation.descriptor import prepare_for_frictionless, read_descriptor
    from casekit.validation.keys import declared_keys
    from casekit.validation.rules import columns_needed, texts_needed
    from casekit.validation.tables import RowStore
    from casekit.validation.tabular import frictionless_pass

    prepared = prepare_for_frictionless(package.root, read_descriptor(package.root))
    kept = RowStore(columns_needed(), declared_keys(prepared), texts_needed())
    assert frictionless_pass(package.root, prepared, kept)[1] == []
    listing = SimpleNamespace(resources=[SimpleNamespace(name=resource["name"], path=resource["path"])
                                         for resource in prepared["resources"]])
    tables = kept.tables(listing, package.root)
    assert tables.stores
    for name, store in tables.stores.items():
        rows = tables.rows[name]
        for columns in (store.columns, tuple(reversed(store.columns)), store.columns[:1]):
            assert list(tables.texts(name, rows, columns)) == list(tables.texts(name, list(rows), columns))
