"""Primary and foreign keys, checked on the rows the validator keeps, after the frictionless pass.

frictionless checks keys row by row: it reads every key cell on its own, outside
its one pass over the row, and reads each referenced table once more per
foreign key. On a package of 1,000 cases that was 2.2 s of its 4.7 s. The model
lock fixes every table's keys, so the validator hands frictionless the Table
Schemas without `primaryKey` and `foreignKeys` and checks them here, on the key
columns it keeps anyway (casekit.validation.tables.RowStore), one set
operation per key. The verdicts are frictionless's: a primary key must be
unique and not wholly empty; a foreign key whose cells are all empty refers to
nothing; any other must name a row of the referenced table. A table that was
not read to its end (it could not be opened, or its errors reached the limit)
is not used as a reference, so an incomplete read does not make good keys look
broken.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from operator import itemgetter

from casekit.validation.findings import ERROR, Finding
from casekit.validation.limits import ERROR_LIMIT

ROW_NUMBER = "_row"
PRIMARY_RULE = "primary-key"
FOREIGN_RULE = "foreign-key"


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # the referenced resource, "" for the table itself
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Keys:
    primary: tuple[str, ...]
    foreign: tuple[ForeignKey, ...]

    @property
    def columns(self) -> set[str]:
        """Every column of this table that a key of its own reads."""
        return set(self.primary).union(*(key.fields for key in self.foreign))


def _listed(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(name for name in value or () if isinstance(name, str))


def declared_keys(prepared: dict) -> dict[str, Keys]:
    """Each resource's keys as its (inlined) Table Schema declares them."""
    declared = {}
    for resource in prepared.get("resources", []):
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
        foreign = []
        for key in schema.get("foreignKeys") or []:
            reference = key.get("reference") or {} if isinstance(key, dict) else {}
            if isinstance(key, dict) and isinstance(reference, dict):
                foreign.append(ForeignKey(_listed(key.get("fields")), str(reference.get("resource") or ""),
                                          _listed(reference.get("fields"))))
        declared[resource.get("name")] = Keys(_listed(schema.get("primaryKey")), tuple(foreign))
    return declared


def referenced_columns(keys: dict[str, Keys]) -> dict[str, set[str]]:
    """Per resource, the columns that some foreign key (its own or another table's) looks rows up by."""
    wanted: dict[str, set[str]] = {}
    for name, declared in keys.items():
        for key in declared.foreign:
            wanted.setdefault(key.resource or name, set()).update(key.reference)
    return wanted


def without_keys(prepared: dict) -> dict:
    """A copy for frictionless whose Table Schemas declare no keys (this module checks them)."""
    stripped = copy.copy(prepared)
    stripped["resources"] = []
    for resource in prepared.get("resources", []):
        resource = dict(resource)
        if isinstance(resource.get("schema"), dict):
            resource["schema"] = {name: value for name, value in resource["schema"].items()
                                  if name not in ("primaryKey", "foreignKeys")}
        stripped["resources"].append(resource)
    return stripped


def _values(columns: tuple[str, ...]):
    """row -> the key's value: the cell itself for one column, a tuple for several."""
    return itemgetter(*columns)


def _empty(value, width: int) -> bool:
    return value is None if width == 1 else all(cell is None for cell in value)


def _shown(value, width: int) -> str:
    return str(value) if width == 1 else ",".join(map(str, value))


def _primary_findings(name: str, path: str, columns: tuple[str, ...], rows: list) -> list[Finding]:
    values = list(map(_values(columns), rows))
    width = len(columns)
    if len(set(values)) == len(values) and not any(_empty(value, width) for value in values):
        return []
    found, first = [], {}
    for row, value in zip(rows, values):
        where = dict(rule=PRIMARY_RULE, severity=ERROR, resource=name, path=path, row=row[ROW_NUMBER],
                     field=",".join(columns), observed=_shown(value, width))
        if _empty(value, width):
            found.append(Finding(message=f"{'/'.join(columns)} is empty; each row needs its own key", **where))
            continue
        earlier = first.setdefault(value, row[ROW_NUMBER])
        if earlier != row[ROW_NUMBER]:
            found.append(Finding(message=f"{'/'.join(columns)} repeats: this row is the same as the row at"
                                         f" position {earlier}; each row needs its own key", **where))
    return found


def _foreign_findings(name: str, path: str, key: ForeignKey, rows: list, targets: list) -> list[Finding]:
    width = len(key.fields)
    values = list(map(_values(key.fields), rows))
    present = set(map(_values(key.reference), targets))
    missing = set(values) - present
    missing = {value for value in missing if not _empty(value, width)}
    if not missing:
        return []
    target = key.resource or name
    return [Finding(rule=FOREIGN_RULE, severity=ERROR, resource=name, path=path, row=row[ROW_NUMBER],
                    field=",".join(key.fields), observed=_shown(value, width),
                    message=(f"{'/'.join(key.fields)} {_shown(value, width)!r} has no matching row in {target}"
                             f" ({'/'.join(key.reference)})"))
            for row, value in zip(rows, values) if value in missing]


def key_findings(keys: dict[str, Keys], rows: dict[str, list], complete: set[str], columns: dict[str, set[str]],
                 paths: dict[str, str], room: dict[str, int] | None = None,
                 truncated: list[str] | None = None) -> list[Finding]:
    """Every broken primary or foreign key, at most `room` per table (ERROR_LIMIT by default:
    the frictionless pass passes what its own errors left of the limit).

    `rows` holds each table's kept rows (dicts with the key columns and ROW_NUMBER),
    `complete` the tables read to their end, `columns` the fields each table's rows
    have (a key whose columns a file lacks is the missing-label error's to report).
    """
    findings = []
    for name, declared in keys.items():
        table, path, header = rows.get(name, []), paths.get(name), columns.get(name, set())
        found = []
        if declared.primary and set(declared.primary) <= header:
            found += _primary_findings(name, path, declared.primary, table)
        for key in declared.foreign:
            target = key.resource or name
            if not set(key.fields) <= header or target not in complete or not set(key.reference) <= columns.get(target, set()):
                continue
            found += _foreign_findings(name, path, key, table, rows.get(target, []))
        limit = ERROR_LIMIT if room is None else room.get(name, ERROR_LIMIT)
        if len(found) > limit:
            found = found[:limit]
            if truncated is not None and path not in truncated:
                truncated.append(path)
        findings += found
    return findings
