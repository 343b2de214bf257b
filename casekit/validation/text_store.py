"""The free text of one resource that no rule keeps as a column, held compressed for the run.

Rules read a row's quote and timing words through Tables.texts(). Reading them again from the
data file cost a CSV parse of every record (every column) for each rule that asked, about a
fifth of the rules' time; keeping them as Python strings would cost several times their size.
So the row store gives each row's deferred cells, as the file has them, to a TextStore while
frictionless reads the table: the cells of BLOCK_ROWS rows are joined, encoded as UTF-8 and
compressed together (zlib, fastest level), with where each cell starts (in characters) beside
them. A rule's read decompresses each block it needs once and slices the cells out.

Cells are judged as texts() always gave them: an empty cell, or one past the end of a short
record, reads as None.
"""
from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from itertools import accumulate, chain, islice
from operator import itemgetter

BLOCK_ROWS = 256
_LEVEL = 1  # the fastest: the store is rebuilt on every run


class TextStore:
    """The deferred cells of one resource's rows (`positions`: their indexes in a record), by row number."""

    def __init__(self, columns: list[str], positions: list[int]):
        self.columns = tuple(columns)
        self.width = len(positions)
        self.block_rows = BLOCK_ROWS  # rows per block: a row's block is its place divided by this
        self._positions = tuple(positions)
        self._last = max(positions)
        self._getter = itemgetter(*positions) if len(positions) > 1 else None
        self._pending: list = []
        self._blocks: list[tuple[bytes, array]] = []  # (compressed text, offset of each cell in it)
        self._numbers = array("q")
        self._first = None

    def add(self, number: int, cells) -> None:
        """Keep the deferred cells of the row numbered `number` (rows come in file order)."""
        if len(cells) > self._last:
            if self._getter is not None:
                self._pending.extend(self._getter(cells))
            else:
                self._pending.append(cells[self._positions[0]])
        else:
            self._pending.extend(cells[position] if position < len(cells) else None for position in self._positions)
        self._numbers.append(number)
        if len(self._pending) >= self.block_rows * self.width:
            self._seal()

    def add_rows(self, numbers, records) -> None:
        """add() of each full record (one cell per column of the table) with its number, in file order."""
        take = self._getter or itemgetter(self._positions[0])
        full = self.block_rows * self.width
        start = 0
        while start < len(records):
            # As many rows as the open block still holds, so that each block holds block_rows rows.
            room = (full - len(self._pending)) // self.width
            part = records[start:start + room]
            if self._getter is not None:
                self._pending.extend(chain.from_iterable(map(take, part)))
            else:
                self._pending.extend(map(take, part))
            self._numbers.extend(numbers[start:start + len(part)])
            start += room
            if len(self._pending) >= full:
                self._seal()

    def _seal(self) -> None:
        if not self._pending:
            return
        texts = [cell if cell.__class__ is str else ("" if cell is None else str(cell)) for cell in self._pending]
        offsets = array("q", accumulate(map(len, texts), initial=0))  # where each cell starts, and the end
        text = "".join(texts).encode("utf-8", "surrogatepass")
        self._blocks.append((zlib.compress(text, _LEVEL), offsets))
        self._pending = []

    def finish(self) -> None:
        """Seal the last rows; afterwards rows are looked up."""
        self._seal()
        numbers = self._numbers
        # Rows numbered one after another (as every valid table is): a row's place is its number minus the first.
        self._first = numbers[0] if numbers and numbers[-1] - numbers[0] + 1 == len(numbers) else None

    def place(self, number) -> int | None:
        """The position of the row numbered `number` among the stored rows, or None."""
        numbers = self._numbers
        if self._first is not None:
            place = number - self._first
            return place if 0 <= place < len(numbers) else None
        place = bisect_left(numbers, number)
        return place if place < len(numbers) and numbers[place] == number else None

    def block(self, index: int) -> list:
        """Every deferred cell of block `index`, row after row (None for an empty cell)."""
        blob, offsets = self._blocks[index]
        text = zlib.decompress(blob).decode("utf-8", "surrogatepass")
        return [text[start:end] or None for start, end in zip(offsets, islice(offsets, 1, None))]

    def __len__(self) -> int:
        return len(self._numbers)

    def texts_in_order(self, where: list[int]):
        """The cells at positions `where` of every stored row, row after row, as tuples (after finish())."""
        width = self.width
        pick = itemgetter(*where) if len(where) > 1 else None
        for index in range(len(self._blocks)):
            records = zip(*[iter(self.block(index))] * width)  # the block's rows, each a tuple of its cells
            if where == list(range(width)):
                yield from records
            elif pick is not None:
                yield from map(pick, records)
            else:
                yield from zip(map(itemgetter(where[0]), records))

    def stored_bytes(self) -> int:
        return sum(len(blob) + offsets.itemsize * len(offsets) for blob, offsets in self._blocks) \
            + self._numbers.itemsize * len(self._numbers)
