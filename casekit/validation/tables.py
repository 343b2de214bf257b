"""Typed rows of every resource, for the cross-table rules, indexed once per run.

Rows are read through frictionless, so values carry the types their Table
Schema declares (integers, numbers, None for missing). Each row also carries
`_row`, its row number in the CSV file as frictionless counts it (the header
is row 1, the first data row is row 2).

A row is a mapping (`row.get(column)`, `row[column]`). The validator keeps
rows compact (`RowStore`): only the columns some rule reads, with repeated
values (codes, units, numbers) shared, in dicts that share one key table per
resource (CPython's split dicts: a third of an ordinary dict's memory, read at
full dict speed). A cell that names another row (a foreign key, or a row named by
resource and id) holds that row's own key string, so a reference costs no string
of its own. The tests run the rules on `Tables.compacted()`, whose rows
raise ColumnNotKept when a rule reads a column it did not declare, so a missing
declaration fails a test instead of reading as a silent None.

Every lookup a rule needs is built once per run and then costs one dict
access: rows by case, rows by primary key (built while the rows are read, as the
references need it then), and the readings that recorded discrepancies set aside.
No rule needs to scan another case's rows.
"""
from __future__ import annotations

import csv
import keyword
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from casekit.package_files import open_package_text

from casekit.validation.keys import ROW_NUMBER, Keys, referenced_columns
from casekit.validation.text_store import TextStore

# Primary keys of the resources, for tables built without their schemas (tests, hand-built tables).
PRIMARY_KEYS = {
    "sources": "source_id", "cases": "case_id", "locators": "locator_id", "drugs": "drug_id",
    "analytes": "analyte_id", "case_characteristics": "characteristic_id", "drug_schedules": "schedule_id",
    "clinical_events": "event_id", "toxicity_grades": "grade_id", "observations": "observation_id",
    "stated_summaries": "summary_id", "relative_timings": "relation_id", "discrepancies": "discrepancy_id",
    "set_asides": "set_aside_id",
    "field_sources": "field_source_id", "combinations": "combination_id", "treatment_decisions": "decision_id",
    "calendar_dates": "date_id",
}
# How a resource without a case_id column reaches its case: (its column, the resource that column names).
CASE_LINKS = {"discrepancy_rows": ("discrepancy_id", "discrepancies")}
MEMO_LIMIT = 20_000  # distinct values of a column past which new ones are no longer shared
_UNSEEN = object()


class ColumnNotKept(LookupError):
    """A rule read a column it did not declare in COLUMNS, so the validator did not keep it."""

    def __init__(self, resource: str, column: str, deferred: bool = False):
        how = ("is read only through Tables.texts() (the rule declares it in TEXTS)"
               if deferred else "was not kept for the rules; declare it in the rule's COLUMNS")
        super().__init__(f"{resource}.{column} {how}")


class CompactRow(tuple):
    """One row's kept values; reads like a dict. Subclassed once per resource with its columns."""

    __slots__ = ()
    resource = ""
    positions: dict = {}
    dropped: frozenset = frozenset()
    deferred: frozenset = frozenset()  # free text a rule reads only through Tables.texts()

    def get(self, column, default=None):
        if column in self.deferred:
            raise ColumnNotKept(self.resource, column, deferred=True)
        position = self.positions.get(column)
        if position is None:
            if column in self.dropped:
                raise ColumnNotKept(self.resource, column)
            return default
        return tuple.__getitem__(self, position)

    def __getitem__(self, column):
        if isinstance(column, str):
            if column in self.deferred:
                raise ColumnNotKept(self.resource, column, deferred=True)
            position = self.positions.get(column)
            if position is None:
                if column in self.dropped:
                    raise ColumnNotKept(self.resource, column)
                raise KeyError(column)
            return tuple.__getitem__(self, position)
        return tuple.__getitem__(self, column)

    def text(self, column):
        """A deferred column's value (what Tables.texts() reads)."""
        position = self.positions.get(column)
        return None if position is None else tuple.__getitem__(self, position)

    def __iter__(self):
        return iter(self.positions)

    def __contains__(self, column):
        return column in self.positions

    def keys(self):
        return self.positions.keys()

    def values(self):
        return tuple(tuple.__iter__(self))

    def items(self):
        return zip(self.positions, tuple.__iter__(self))

    def to_dict(self) -> dict:
        return dict(self.items())

    def __eq__(self, other):
        if isinstance(other, dict):
            return self.to_dict() == other
        return tuple.__eq__(self, other)

    __hash__ = tuple.__hash__

    def __repr__(self):
        return f"{self.resource}{self.to_dict()!r}"


class MaskedRow:
    """A row whose disputed fields read as missing: the rest of the row is still checked."""

    __slots__ = ("row", "masked")

    def __init__(self, row, masked: frozenset):
        self.row, self.masked = row, masked

    def get(self, column, default=None):
        return None if column in self.masked else self.row.get(column, default)

    def __getitem__(self, column):
        return None if column in self.masked else self.row[column]

    def __iter__(self):
        return iter(self.row)

    def __contains__(self, column):
        return column in self.row

    def keys(self):
        return self.row.keys()

    def items(self):
        return ((column, self.get(column)) for column in self.row.keys())

    def text(self, column):
        return _text(self.row, column)


def _text(row, column):
    """A row's free-text value, whether the row keeps it as a column or as a deferred one."""
    text = getattr(row, "text", None)
    return text(column) if text is not None else row.get(column)


class TablesChanged(RuntimeError):
    """A data file no longer holds the rows the frictionless pass read from it."""


@dataclass
class Tables:
    rows: dict[str, list] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=lambda: dict(PRIMARY_KEYS))
    case_links: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(CASE_LINKS))
    # Resources whose deferred free text (RowStore) texts() reads from `stores`, or else again from their file:
    # each deferred column with its position in the row, as frictionless paired it.
    deferred: dict[str, dict[str, int]] = field(default_factory=dict)
    root: Path | None = None
    # The deferred cells as the frictionless pass read them (casekit.validation.text_store), by resource:
    # texts() reads them there instead of parsing the data file again.
    stores: dict = field(default_factory=dict, repr=False)
    # Indexes by primary key built while the rows were read (RowStore): resource -> ({key: row},
    # the rows they index, how many there were); used while the table is that same, unchanged list.
    built_indexes: dict[str, tuple[dict, list, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._by_key: dict[str, dict] = {}
        self._primary: dict[str, dict] = {}
        for resource, (rows_by_key, rows, count) in self.built_indexes.items():
            if self.rows.get(resource) is rows and len(rows) == count:
                self._primary[resource] = self._by_key[f"{resource}\0{self.keys.get(resource)}"] = rows_by_key
        self._by_case: dict[str, dict] = {}
        self._checked: dict[str, dict] = {}
        self._set_aside = None
        self._shared: dict = {}

    def __getitem__(self, resource: str) -> list:
        return self.rows.get(resource, [])

    def reset_indexes(self) -> None:
        """Forget every index (rows may have changed since the last run); they are rebuilt on first use."""
        self.__post_init__()

    def compacted(self, needed: dict[str, set[str]] | None, texts: dict[str, set[str]] | None = None) -> "Tables":
        """These tables as the validator keeps them: compact rows with only the columns rules read;
        the free text `texts` names (and `needed` does not) readable only through texts()."""
        rows = {}
        for resource, records in self.rows.items():
            if not records:
                rows[resource] = []
                continue
            names = [name for name in records[0] if name != ROW_NUMBER]
            key = self.keys.get(resource)
            deferred: set[str] = set()
            if needed is not None:
                wanted = set(needed.get(resource, ())) | set(needed.get("*", ())) | set(RowStore.ALWAYS)
                wanted.update(RowStore.ENGINE.get(resource, ()))
                wanted.update(name for name in names if name == key or name.endswith("_id"))
                deferred = set((texts or {}).get(resource, ())) - wanted
                names = [name for name in names if name in wanted or name in deferred]
            kind = _row_kind(resource, names, records[0].keys(), deferred)
            rows[resource] = [kind([record.get(name) for name in names] + [record.get(ROW_NUMBER)])
                              for record in records]
        return Tables(rows=rows, paths=dict(self.paths), keys=dict(self.keys), case_links=dict(self.case_links))

    def texts(self, resource: str, rows, columns: tuple[str, ...]):
        """Each of `rows` (in file order, as a package-scope rule gets them) with its values of the
        free-text `columns`, as (row, values). Text the validator did not keep as a column comes from the
        compressed TextStore the frictionless pass filled (the cells as frictionless read them, whatever
        happens to the file since); without one (tables built elsewhere) it is read again from the data
        file, one row at a time."""
        if resource not in self.deferred:
            for row in rows:
                yield row, tuple(_text(row, column) for column in columns)
            return
        store = self.stores.get(resource)
        if store is not None:
            where = [store.columns.index(column) if column in store.columns else None for column in columns]
            if rows is self.rows.get(resource) and len(rows) == len(store) and None not in where:
                # The whole table, as a package-scope rule reads it: the store holds its rows in the same
                # order, so each block's rows are sliced out at once.
                yield from zip(rows, store.texts_in_order(where))
                return
            yield from _stored_texts(store, resource, rows, columns)
            return
        if self.root is None:
            raise TablesChanged(f"{resource}: its free text was not kept and no package root was given to read it")
        with open_package_text(self.root, self.paths[resource]) as handle:
            reader = csv.reader(handle)
            next(reader, None)  # the header: columns are taken by position, as frictionless took them
            where = [self.deferred[resource].get(column) for column in columns]
            # Every column at a known position and the record long enough: one C-level read of them.
            whole = items_getter(where) if where and None not in where else None
            length = max(where) if whole is not None else 0
            number, record = 1, None
            for row in rows:
                wanted = row.get(ROW_NUMBER)
                if wanted < number:
                    raise ValueError(f"Tables.texts({resource!r}) needs its rows in file order")
                while number < wanted:
                    record = next(reader, None)
                    number += 1
                    if record is None:
                        raise TablesChanged(f"{self.paths[resource]} has fewer rows than when it was validated")
                if whole is not None and len(record) > length:
                    values = whole(record)
                    yield row, values if all(values) else tuple(value or None for value in values)
                else:  # a column the rows keep (another rule reads it as a column) comes from the row
                    yield row, tuple(((record[index] or None) if index < len(record) else None)
                                     if index is not None else _text(row, column)
                                     for index, column in zip(where, columns))

    def shared(self, key, build):
        """What `build()` returns, built once for every rule that asks by the same key (rules of one run
        that need the same derived data, such as a case's resolved relative timings). The engine runs
        every case rule on one case before the next and then forgets it: key it by the case."""
        if key not in self._shared:
            self._shared[key] = build()
        return self._shared[key]

    def forget_shared(self) -> None:
        """Drop what shared() built (the engine calls this after each case, whose work it was)."""
        self._shared.clear()

    def index(self, resource: str, key: str | None = None) -> dict:
        """Rows of a resource by a unique column (its primary key by default), built once."""
        key = key or self.keys.get(resource)
        cache_key = f"{resource}\0{key}"
        found = self._by_key.get(cache_key)
        if found is None:
            found = self._by_key[cache_key] = {row.get(key): row for row in self[resource]}
        return found

    def row(self, resource: str, row_id):
        """The row of a resource whose primary key is row_id, or None."""
        found = self._primary.get(resource)
        if found is None:
            found = self._primary[resource] = self.index(resource)
        return found.get(row_id)

    def case_of(self, resource: str, row) -> str | None:
        """The case a row belongs to: its case_id, or the case of the row its case link names."""
        if resource in self.case_links:
            column, parent = self.case_links[resource]
            parent_row = self.row(parent, row.get(column))
            return None if parent_row is None else parent_row.get("case_id")
        return row.get("case_id")

    def for_case(self, resource: str, case_id: str) -> list:
        """Every row of one case, those recording a reading not adopted included."""
        grouped = self._by_case.get(resource)
        if grouped is None:
            grouped = self._by_case[resource] = {}
            if resource in self.case_links:
                for row in self[resource]:
                    grouped.setdefault(self.case_of(resource, row), []).append(row)
            else:
                for row in self[resource]:
                    grouped.setdefault(row.get("case_id"), []).append(row)
        return grouped.get(case_id, [])

    def checked_rows(self, resource: str, case_id: str) -> list:
        """One case's rows as the rules check them: a reading the tables do not adopt is set aside,
        whole when its discrepancy names no fields, else only the fields it disputes."""
        grouped = self._checked.get(resource, _UNSEEN)
        if grouped is _UNSEEN:
            set_aside = self.set_aside()
            key = self.keys.get(resource)
            if not key or not any(entry[0] == resource for entry in set_aside):
                grouped = self._checked[resource] = None  # nothing set aside: the case's rows as they are
            else:
                grouped = self._checked[resource] = {}
                for row in self[resource]:
                    disputed = set_aside.get((resource, row.get(key)), ())
                    if disputed is None:
                        continue
                    if disputed:
                        row = MaskedRow(row, disputed)
                    grouped.setdefault(self.case_of(resource, row), []).append(row)
        if grouped is None:
            return self.for_case(resource, case_id)
        return grouped.get(case_id, [])

    def set_aside(self) -> dict[tuple[str, str], frozenset | None]:
        """(resource, row id) -> the disputed fields (None: the whole row) of every row recording the
        reading of a discrepancy that the tables do not adopt. Computed once."""
        if self._set_aside is None:
            adopted = {row.get("discrepancy_id"): row.get("adopted_reading") for row in self["discrepancies"]}
            found: dict = {}
            for row in self["discrepancy_rows"]:
                role = row.get("role")
                if role not in ("reading_a", "reading_b") or role == f"reading_{adopted.get(row.get('discrepancy_id'))}":
                    continue
                fields = frozenset((row.get("fields") or "").split()) if "fields" in row else frozenset()
                target = (row.get("resource"), row.get("row_id"))
                if not fields or found.get(target, ()) is None:
                    found[target] = None
                else:
                    found[target] = found.get(target, frozenset()) | fields
            self._set_aside = found
        return self._set_aside

    def case_ids(self) -> list[str]:
        return [row["case_id"] for row in self["cases"]]


def _stored_texts(store, resource: str, rows, columns: tuple[str, ...]):
    """texts() from a TextStore: each row's deferred cells from its block, the other columns from the row."""
    where = [store.columns.index(column) if column in store.columns else None for column in columns]
    width, place, block_rows = store.width, store.place, store.block_rows
    index, cells = -1, None
    whole = None not in where
    for row in rows:
        at = place(row.get(ROW_NUMBER))
        if at is None:
            raise TablesChanged(f"{resource}: row {row.get(ROW_NUMBER)} was not read by the frictionless pass")
        block, offset = divmod(at, block_rows)
        if block != index:
            index, cells = block, store.block(block)
        base = offset * width
        if whole:
            yield row, tuple([cells[base + column] for column in where])
        else:
            yield row, tuple(cells[base + column] if column is not None else _text(row, name)
                             for column, name in zip(where, columns))


class RowStore(dict):
    """Collects typed rows during the frictionless pass, keeping only what the rules read.

    `needed` maps a resource (or "*" for every resource) to the columns some rule
    reads; None keeps every column. Primary and foreign keys, case_id and the row
    number are always kept, so the indexes can be built.
    """

    ALWAYS = ("case_id", "locator_id", ROW_NUMBER)
    # What the engine itself reads to set aside the readings a discrepancy does not adopt.
    ENGINE = {"discrepancies": ("adopted_reading",), "discrepancy_rows": ("resource", "row_id", "role", "fields")}

    def __init__(self, needed: dict[str, set[str]] | None, keys: dict,
                 texts: dict[str, set[str]] | None = None):
        super().__init__()
        self.needed = needed
        # Free text rules read only through Tables.texts(): not kept as columns, held compressed by a TextStore.
        self.texts = texts or {}
        self.deferred: dict[str, dict[str, int]] = {}  # resource -> deferred column -> its position
        self.stores: dict[str, TextStore] = {}  # resource -> its deferred cells, as read
        # The model's keys (casekit.validation.keys.declared_keys): frictionless reads the tables
        # with schemas that declare none, so they cannot be taken from the resource.
        self.declared = keys
        self.referenced = referenced_columns(keys)
        self.links: dict[str, tuple[str, str]] = {}
        self._layouts: dict[str, tuple] = {}
        self._kept_columns: dict[str, list[str]] = {}  # resource -> the columns its layout keeps, in order
        self._positions: dict = {}  # resource -> getter of the kept columns from a tuple of the file's values
        # Each table with a one-column primary key: ({key: row}, its rows), filled as rows are kept.
        # References to earlier tables take their key objects from it, and Tables uses it as the
        # index by primary key that the rules build anyway.
        self.primary_index: dict[str, tuple[dict, list]] = {}
        # Every table numbers its rows from 2: one int object per row number, shared by all tables,
        # instead of one per row (28 bytes each, 37 MB at 1.3 million rows).
        self._row_numbers: list[int] = []

    def keep(self, resource, row) -> None:
        layout = self._layouts.get(resource.name)
        if layout is None:
            layout = self._layouts[resource.name] = self._layout(resource, row.field_names)
        kind, getter, shared, by_text, pointers, named, index, store = layout
        values = list(getter(row))
        # A cell naming another row holds that row's own key object: a reference costs no string.
        for position, (rows_by_key, key) in pointers:
            value = values[position]
            target = rows_by_key.get(value)
            if target is not None and target[key].__class__ is value.__class__:
                values[position] = target[key]
        for position, by in named:
            values[position] = self._named_key(values[position], values[by])
        # Repeated values (codes, units, days) are stored once: equal strings are one object.
        for position, memo in shared:
            value = values[position]
            if value is not None:
                values[position] = memo.setdefault(value, value)
        if by_text:
            # Numbers are shared by the cell's text, so 7 and 7.0 stay as written.
            cells = row.cells
            for position, cell, memo in by_text:
                if values[position] is not None and cell < len(cells):
                    values[position] = memo.setdefault(cells[cell], values[position])
        number = row.row_number
        if store is not None:
            store.add(number, row.cells)
        numbers = self._row_numbers
        if number >= len(numbers):
            numbers.extend(range(len(numbers), number + 1 + 4096))
        rows = self[resource.name]
        kept = kind(*values, numbers[number]).__dict__
        rows.append(kept)
        if index is not None:
            index[1][values[index[0]]] = kept
        if len(rows) % 4096 == 0:
            self._stop_sharing_unique_columns(resource.name)

    def keep_rows(self, resource, rows, records, first: int, field_names) -> None:
        """keep() of each of `rows` (tuples of values in the order of `field_names`), read from `records`
        (full records of the file) numbered one after another from `first`, column by column: the same
        rows kept, with the same values shared."""
        if not rows:
            return
        layout = self._layouts.get(resource.name)
        if layout is None:
            layout = self._layouts[resource.name] = self._layout(resource, field_names)
        kind, getter, shared, by_text, pointers, named, index, store = layout
        count = len(rows)
        kept_positions = self._positions.get(resource.name)
        if kept_positions is None:
            kept_positions = self._positions[resource.name] = items_getter(
                [list(field_names).index(name) for name in self._kept_columns[resource.name]])
        columns = [list(column) for column in zip(*map(kept_positions, rows))]
        for position, (rows_by_key, key) in pointers:
            get = rows_by_key.get
            columns[position] = [target[key] if (target := get(value)) is not None
                                 and target[key].__class__ is value.__class__ else value
                                 for value in columns[position]]
        for position, by in named:
            columns[position] = [self._named_key(value, table) for value, table in zip(columns[position], columns[by])]
        for position, memo in shared:
            columns[position] = list(map(memo.setdefault, columns[position], columns[position]))
        if by_text:
            for position, cell, memo in by_text:
                columns[position] = [value if value is None else memo.setdefault(text, value)
                                     for text, value in zip(map(itemgetter(cell), records), columns[position])]
        last = first + count - 1
        if store is not None:
            store.add_rows(range(first, last + 1), records)
        numbers = self._row_numbers
        if last >= len(numbers):
            numbers.extend(range(len(numbers), last + 1 + 4096))
        table = self[resource.name]
        before = len(table)
        kept = [made.__dict__ for made in map(kind, *columns, numbers[first:last + 1])]
        table.extend(kept)
        if index is not None:
            index[1].update(zip(columns[index[0]], kept))
        if len(table) // 4096 > before // 4096:
            self._stop_sharing_unique_columns(resource.name)

    def _named_key(self, value, table):
        """The key object of the row that `value` names in `table` (a row named by resource and id), or value."""
        found = self.primary_index.get(table)
        target = None if found is None else found[0].get(value)
        if target is not None:
            shared_key = target[self.declared[table].primary[0]]
            if shared_key.__class__ is value.__class__:
                return shared_key
        return value

    def forget(self, name: str, default=None) -> None:
        """Drop every row kept of one table, and what was built while keeping them (its read was
        abandoned: frictionless reads it again). Only rows of later tables could hold its key objects."""
        self.pop(name, default)
        for built in (self._layouts, self._kept_columns, self._positions, self.primary_index, self.deferred,
                      self.stores, self.links):
            built.pop(name, None)

    def _stop_sharing_unique_columns(self, name: str) -> None:
        """A column with ever more distinct values (free text, ids) costs memory to share and saves none."""
        shared, by_text = self._layouts[name][2:4]
        shared[:] = [(position, memo) for position, memo in shared if len(memo) <= MEMO_LIMIT]
        by_text[:] = [entry for entry in by_text if len(entry[2]) <= MEMO_LIMIT]

    def _layout(self, resource, field_names):
        schema = resource.schema
        declared = self.declared.get(resource.name) or Keys((), ())
        key = list(declared.primary)
        references = set(self.referenced.get(resource.name, ())) | declared.columns
        columns = list(field_names)
        if self.needed is not None:
            wanted = set(self.needed.get(resource.name, ())) | set(self.needed.get("*", ())) | set(key) | references
            wanted.update(self.ENGINE.get(resource.name, ()))
            wanted.update(self.ALWAYS)
            # By position, as frictionless pairs the file's columns with the schema's fields.
            deferred = {name: index for index, name in enumerate(columns)
                        if name in self.texts.get(resource.name, ()) and name not in wanted}
            if deferred:
                self.deferred[resource.name] = deferred
                self.stores[resource.name] = TextStore(list(deferred), list(deferred.values()))
            columns = [name for name in columns if name in wanted]
        if "case_id" not in field_names:
            for foreign_key in declared.foreign:
                if len(foreign_key.fields) == 1:
                    self.links[resource.name] = (foreign_key.fields[0], foreign_key.resource)
                    break
        self._kept_columns[resource.name] = columns
        kind = _shared_key_row(resource.name, [*columns, ROW_NUMBER])
        types = {field.name: field.type for field in schema.fields}
        shared, by_text = [], []
        pointers, named = self._references(resource.name, columns)
        for position, name in enumerate(columns):
            if (len(key) == 1 and name == key[0]) or position in pointers or position in named:
                continue  # a key is unique per row, sharing it would only cost a lookup; references share below
            if types.get(name) == "number":
                by_text.append((position, field_names.index(name), {}))
            else:
                shared.append((position, {}))
        getter = items_getter(columns)
        self[resource.name] = []
        index = None
        if len(key) == 1 and key[0] in columns:
            index = (columns.index(key[0]), self.primary_index.setdefault(resource.name, ({}, self[resource.name]))[0])
        return (kind, getter, shared, by_text, list(pointers.items()), list(named.items()), index,
                self.stores.get(resource.name))

    def _references(self, name: str, columns: list[str]) -> tuple[dict, dict]:
        """The kept columns whose cells name a row of a table already read (positions in `columns`):
        {position: (that table's index, its key column)} for a foreign key to one table, and
        {position: position of the column naming the table} for a row named by resource and id
        (row_id with resource, <side>_id with <side>_resource)."""
        declared = self.declared.get(name) or Keys((), ())
        pointers = {}
        for key in declared.foreign:
            target = key.resource or name
            primary = (self.declared.get(target) or Keys((), ())).primary
            if len(key.fields) == 1 and key.fields[0] in columns and len(primary) == 1 and key.reference == primary \
                    and target in self.primary_index:
                pointers[columns.index(key.fields[0])] = (self.primary_index[target][0], primary[0])
        named = {}
        for position, column in enumerate(columns):
            if column.endswith("_id") and position not in pointers:
                named_by = "resource" if column == "row_id" else column[:-3] + "_resource"
                if named_by in columns:
                    named[position] = columns.index(named_by)
        return pointers, named

    def tables(self, package, root: Path | None = None) -> Tables:
        names = [resource.name for resource in package.resources]
        keys = dict(PRIMARY_KEYS)
        keys.update((name, declared.primary[0]) for name, declared in self.declared.items()
                    if len(declared.primary) == 1)
        links = {name: link for name, link in self.links.items() if link[1] in names}
        self._layouts.clear()  # the values shared while reading: the rows hold them now
        for store in self.stores.values():
            store.finish()
        built = {name: (rows_by_key, rows, len(rows)) for name, (rows_by_key, rows) in self.primary_index.items()
                 if keys.get(name) == self.declared[name].primary[0]}
        return Tables(rows={name: self.get(name, []) for name in names},
                      paths={resource.name: resource.path for resource in package.resources},
                      keys=keys, case_links=links or dict(CASE_LINKS),
                      deferred=dict(self.deferred), root=root, built_indexes=built, stores=dict(self.stores))


def _shared_key_row(resource: str, columns: list[str]):
    """A maker of one resource's row dicts: f(*values) -> object whose __dict__ is the row.

    Instance dicts of one class share a single key table, so each row stores only its
    values. Column names that are not identifiers fall back to ordinary dicts.
    """
    if not all(name.isidentifier() and not keyword.iskeyword(name) for name in columns):
        class Plain:
            def __init__(self, *values):
                self.__dict__ = dict(zip(columns, values))
        return Plain
    parameters = [f"v{index}" for index in range(len(columns))]
    body = "".join(f"    self.{name} = {parameter}\n" for name, parameter in zip(columns, parameters))
    namespace: dict = {}
    exec(f"def __init__(self, {', '.join(parameters)}):\n{body}", namespace)  # noqa: S102 - names checked above
    return type(f"{resource}_row", (), {"__init__": namespace["__init__"]})


def _row_kind(resource: str, columns: list[str], all_columns, deferred=frozenset()) -> type:
    """The CompactRow class of one resource: its kept columns, then the row number."""
    return type(f"{resource}_row", (CompactRow,), {
        "__slots__": (), "resource": resource,
        "positions": {name: index for index, name in enumerate([*columns, ROW_NUMBER])},
        "dropped": frozenset(all_columns) - set(columns) - {ROW_NUMBER},
        "deferred": frozenset(deferred),
    })


def items_getter(keys: list):
    """A function returning the items at `keys` (a dict's columns, a list's positions) as a tuple,
    even for one key or none."""
    if not keys:
        return lambda items: ()
    if len(keys) == 1:
        single = itemgetter(keys[0])
        return lambda items: (single(items),)
    return itemgetter(*keys)


def read_tables(package) -> Tables:
    """Read every resource of an already validated frictionless Package."""
    tables = Tables()
    for resource in package.resources:
        rows = []
        with resource:
            for row in resource.row_stream:
                values = row.to_dict()
                values[ROW_NUMBER] = row.row_number
                rows.append(values)
        tables.rows[resource.name] = rows
        tables.paths[resource.name] = resource.path
        key = list(resource.schema.primary_key or [])
        if len(key) == 1:
            tables.keys[resource.name] = key[0]
    return tables
