"""Build a SQLite database from the package, keeping the keys the Table Schemas declare.

Tables are created parents first so that, with foreign keys switched on,
every insert is checked against rows that already exist; a broken key
fails the build instead of producing a database that quietly disagrees
with the package. The database is built in memory and written in one step
(casekit.safety.write_output): a full disk or Ctrl-C leaves no partial file,
and nothing is written through a symlink or over a package file.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from casekit.analysis.descriptor import TableResource, creation_order, table_resources
from casekit.analysis.frames import load_frames, records
from casekit.safety import UnsafePath, check_output_path, write_output

SQLITE_SIGNATURE = b"SQLite format 3\x00"
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "boolean": "INTEGER"}


class UnsafeOutput(Exception):
    """An output path that would write into the package's data folder."""


class BuildFailed(Exception):
    """The package's rows break a key the database enforces; the message names the table."""


def build_database(root: Path | str, output: Path | str, case_id: str | None = None) -> Path:
    """Write the package at root (only case_id's rows when given) to a fresh SQLite file at output."""
    root, output = Path(root), Path(output)
    _refuse_data_folder(root, output)
    resources = creation_order(table_resources(root))  # read the package before creating anything
    frames = load_frames(root, case_id)
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        for resource in resources:
            connection.execute(create_table_sql(resource))
            try:
                _insert(connection, resource, frames[resource.name])
            except sqlite3.IntegrityError as error:
                raise BuildFailed(f"{resource.name}: {error}; run python validate.py to see which row") from None
        connection.commit()
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise BuildFailed(f"foreign key check failed: {problems}")
        database = connection.serialize()
    finally:
        connection.close()
    # Readers never see a half-built database: the file appears complete or not at all.
    return write_output(root, output, database, signature=SQLITE_SIGNATURE)


def create_table_sql(resource: TableResource) -> str:
    lines = []
    for field in resource.fields:
        column = f"{_quote(field['name'])} {SQL_TYPES[field.get('type', 'string')]}"
        if field.get("constraints", {}).get("required"):
            column += " NOT NULL"
        lines.append(column)
    if resource.primary_key:
        lines.append(f"PRIMARY KEY ({_columns(resource.primary_key)})")
    for fields, parent, parent_fields in resource.foreign_keys:
        lines.append(f"FOREIGN KEY ({_columns(fields)}) REFERENCES {_quote(parent)} ({_columns(parent_fields)})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote(resource.name)} (\n  {body}\n)"


def _insert(connection: sqlite3.Connection, resource: TableResource, frame) -> None:
    names = [field["name"] for field in resource.fields]
    rows = [tuple(row[name] for name in names) for row in records(frame)]
    placeholders = ", ".join("?" for _ in names)
    connection.executemany(f"INSERT INTO {_quote(resource.name)} VALUES ({placeholders})", rows)


def _refuse_data_folder(root: Path, output: Path) -> None:
    # The curator commands' shared rule (casekit.safety): never over a package file, a folder or a FIFO,
    # and never over an existing file that is not an SQLite database.
    try:
        check_output_path(root, output, signature=SQLITE_SIGNATURE)
    except UnsafePath as error:
        raise UnsafeOutput(str(error)) from None


def _columns(names: list[str]) -> str:
    return ", ".join(_quote(name) for name in names)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
