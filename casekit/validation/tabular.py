"""The frictionless pass: types, constraints, hash and bytes, the validator's row checks, then the keys.

Each error becomes a Finding. Keys are checked after the pass, on the rows kept
during it (casekit.validation.keys says why).
"""
from __future__ import annotations

import re
from pathlib import Path

from casekit.validation.findings import ERROR, Finding
from casekit.validation.keys import declared_keys, key_findings, without_keys
from casekit.validation.limits import ERROR_LIMIT, check_table_bounds
from casekit.validation.row_checks import (BLANK_RULE, CONTROL_RULE, DATE_RULE, FORMULA_RULE, IDENTIFIER_RULE,
                                           OVERFLOW_RULE, OWN_CELL_RULES, row_checks)
from casekit.validation.unusable import Unusable

CELL_SHOWN = 200


def _shorten(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= CELL_SHOWN else text[:CELL_SHOWN] + f"... ({len(text)} characters)"


_CONSTRAINT_NAME = re.compile(r'constraint "(\w+)"')


def _constraint_sentence(error, resource, field: str | None, cell: str | None) -> str:
    """Say which declared constraint the cell breaks, with the allowed values, as a curator would read it."""
    match = _CONSTRAINT_NAME.search(error.note or "")
    name = match.group(1) if match else None
    declared = {}
    if field and getattr(resource, "schema", None) and resource.schema.has_field(field):
        declared = resource.schema.get_field(field).constraints or {}
    limit = declared.get(name)
    if name == "required":
        return f"{field} is required but empty"
    if name == "enum" and limit:
        return f"{field} {cell!r} is not one of the allowed values: {', '.join(map(str, limit))}"
    if name == "pattern":
        return f"{field} {cell!r} does not match the required pattern {limit}"
    if name in ("minimum", "exclusiveMinimum"):
        return f"{field} {cell} is below the allowed minimum of {limit}"
    if name in ("maximum", "exclusiveMaximum"):
        return f"{field} {cell} is above the allowed maximum of {limit}"
    if name in ("minLength", "maxLength"):
        return f"{field} {cell!r} breaks the declared {name} of {limit}"
    return f"{cell!r} in {field} breaks the declared {error.note}"


def _message(error, resource, field_types: dict[str, str]) -> str:
    kind = error.type
    cell = _shorten(getattr(error, "cell", None))
    field = getattr(error, "field_name", None)
    if kind == "type-error" and field_types.get(field) in ("number", "integer"):
        return (f"{cell!r} is not a valid {field_types[field]} for {field}: write it with the ASCII digits 0-9,"
                " an optional sign" + (", decimal point and exponent" if field_types[field] == "number" else "")
                + " (readers such as pandas and DuckDB refuse other digits, digit separators and sNaN)")
    if kind == "type-error":
        return f"{cell!r} is not a valid {field_types.get(field, 'value')} for {field}"
    if kind == "constraint-error":
        return _constraint_sentence(error, resource, field, cell)
    if kind == OVERFLOW_RULE:
        return f"{cell!r} in {field} is infinite, not a number, or too large to store"
    if kind == IDENTIFIER_RULE and error.note == "pattern":
        pattern = resource.schema.get_field(field).constraints.get("pattern")
        return (f"{field} {cell!r} does not match the required pattern {pattern} as a whole string"
                " (a trailing newline or space counts)")
    if kind == IDENTIFIER_RULE:
        return f"{field} {cell!r} holds a character outside printable ASCII; identifiers and codes are plain ASCII"
    if kind == CONTROL_RULE:
        return (f"{field} {cell!r} holds a control character (tab, line break or similar);"
                " a text cell is one line of any Unicode text without control characters")
    if kind == FORMULA_RULE:
        return (f"{field} {cell!r} starts with {cell[0]!r}, so a spreadsheet would run it as a formula;"
                " reword it so that it does not start with =, +, - or @")
    if kind == BLANK_RULE:
        return (f"{field} is required but {cell!r} holds only spaces, invisible or format characters;"
                " give the text, or leave the row out")
    if kind == DATE_RULE:
        return f"{field} {cell!r} is not a day of the calendar (check the month's length and leap years)"
    if kind == "unique-error":
        return f"{field} repeats: this row is {error.note}; each row needs its own value"
    if kind == "hash-count":
        return (f"{resource.path} changed since its hash was recorded in datapackage.json;"
                " if the change is intended, run python scripts/refresh_hashes.py")
    if kind == "byte-count":
        return (f"{resource.path} has a different size than recorded in datapackage.json;"
                " if the change is intended, run python scripts/refresh_hashes.py")
    if kind == "extra-label":
        label = _shorten(getattr(error, "label", None) or cell)
        return f"the file has a column {label!r} that the Table Schema does not declare"
    if kind == "missing-label":
        return f"the file lacks the column {field!r} that the Table Schema declares"
    if kind in ("extra-cell", "missing-cell"):
        return f"row has {'more' if kind == 'extra-cell' else 'fewer'} cells than the header has columns"
    return error.message.splitlines()[0][:300]


def _finding(error, resource, task) -> Finding:
    kind = error.type
    field = getattr(error, "field_name", None)
    observed = _shorten(getattr(error, "cell", None))
    expected = None
    if kind == "hash-count":
        expected, observed = resource.hash, "sha256:" + str(task.stats.get("sha256"))
    elif kind == "byte-count":
        expected, observed = str(resource.bytes), str(task.stats.get("bytes"))
    elif kind == "constraint-error":
        expected = error.note
    field_types = {f.name: f.type for f in resource.schema.fields} if getattr(resource, "schema", None) else {}
    return Finding(
        rule=kind if kind in OWN_CELL_RULES else f"frictionless/{kind}",
        severity=ERROR,
        message=_message(error, resource, field_types),
        resource=resource.name,
        path=resource.path,
        row=getattr(error, "row_number", None),
        field=field,
        expected=expected,
        observed=observed,
    )


def frictionless_pass(root: Path, prepared: dict, rows: dict[str, list[dict]] | None = None,
                      truncated: list[str] | None = None, read_clean: bool = True,
                      bounds_deferred: set[str] | None = None):
    """Validate every resource; return (frictionless Package, findings). Raise Unusable if frictionless cannot start.

    If `rows` is given (a RowStore, or a plain dict for whole rows), it is filled with each
    resource's typed rows as read during validation. If `truncated` is given, it gets the
    path of each data file whose errors stopped at ERROR_LIMIT. The Package returned
    declares the keys again, as the model does. With `read_clean`, a table in which
    frictionless could find nothing is read without its row machinery
    (casekit.validation.clean_tables); frictionless reads the others and reports what they hold.
    `bounds_deferred` holds the data files whose bounds check_package_bounds left to the clean read:
    those not read clean are checked here, and their findings (a file frictionless must not read)
    are returned alone.
    """
    from frictionless import Checklist, FrictionlessException, Package, errors

    from casekit.validation.cell_memo import remember_cell_readings
    from casekit.validation.clean_tables import read_clean_tables
    from casekit.validation.field_verdicts import remember_field_verdicts
    from casekit.validation.plain_numbers import register

    register()
    remember_field_verdicts()
    remember_cell_readings()
    keys = declared_keys(prepared)
    kept = rows if rows is not None else {}
    complete: set[str] = set()
    stripped = without_keys(prepared)
    clean = read_clean_tables(root, stripped, keys, kept) if read_clean else set()
    unbounded = [resource.get("path") for resource in prepared.get("resources", [])
                 if resource.get("name") not in clean and resource.get("path") in (bounds_deferred or ())]
    refused = [finding for label in unbounded for finding in check_table_bounds(Path(root) / label, label)]
    if refused:
        return None, refused
    stripped["resources"] = [resource for resource in stripped["resources"] if resource.get("name") not in clean]
    try:
        package = Package(stripped, basepath=str(root)) if stripped["resources"] else None
    except FrictionlessException as error:
        raise Unusable(f"frictionless could not read the package: {error.error.message.splitlines()[0][:300]}") from None
    except (AttributeError, TypeError, ValueError, KeyError) as error:  # a value of a type it does not expect
        raise Unusable(f"frictionless could not read the package descriptor ({error.__class__.__name__}:"
                       f" {str(error).splitlines()[0][:200] if str(error) else ''})") from None
    try:
        report = None if package is None else package.validate(
            Checklist(checks=[row_checks(keys, kept, complete)]), limit_errors=ERROR_LIMIT)
    except FrictionlessException as error:
        raise Unusable(f"frictionless could not read the package: {error.error.message.splitlines()[0][:300]}") from None
    findings = [] if report is None else [
        Finding(rule=f"frictionless/{error.type}", severity=ERROR, path="datapackage.json",
                message=error.message.splitlines()[0][:300])
        for error in report.errors
    ]
    if findings and clean:
        # frictionless refused the descriptor before reading any table; its messages number the
        # resources of the Package it was given, so judge the whole descriptor with every table.
        for name in clean:
            (getattr(kept, "forget", None) or kept.pop)(name, None)
        return frictionless_pass(root, prepared, rows, truncated, read_clean=False)
    by_resource, columns, room, cut = {}, {}, {}, set()
    for task in [] if report is None else report.tasks:
        resource = package.get_resource(task.name)
        by_resource[resource.name] = [_finding(error, resource, task) for error in task.errors]
        if any("error limit" in warning for warning in task.warnings):
            cut.add(resource.name)
        if any(not isinstance(error, errors.DataError) for error in task.errors):
            complete.discard(resource.name)  # an encoding or source error stopped the read: rows are missing
        # The fields frictionless paired with the file's columns (by position, as its key checks do):
        # those of a kept row, or for a table without rows every field of its schema.
        table = kept.setdefault(resource.name, [])  # a table without rows is kept too, as an empty list
        columns[resource.name] = set(table[0]) if table else set(resource.schema.field_names)
        room[resource.name] = max(ERROR_LIMIT - len(task.errors), 0)
    order = []
    for resource in prepared.get("resources", []):
        name = resource.get("name")
        order.append(name)
        if name in clean:  # read whole, without a finding, by its schema's fields
            by_resource[name] = []
            complete.add(name)
            table = kept.setdefault(name, [])
            columns[name] = set(table[0]) if table else {field.get("name") for field in resource["schema"]["fields"]}
            room[name] = ERROR_LIMIT
    paths = {resource.get("name"): resource.get("path") for resource in prepared.get("resources", [])}
    for name in order:
        findings.extend(by_resource.get(name, ()))
        if truncated is not None and name in cut:
            truncated.append(paths[name])
    findings += key_findings(keys, kept, complete, columns, paths, room, truncated)
    if clean or package is None:
        return _Deferred(lambda: _declare_keys(Package(without_keys(prepared), basepath=str(root)), keys)), findings
    return _declare_keys(package, keys), findings


def _declare_keys(package, keys):
    for resource in package.resources:  # the model's keys, for whoever reads the Package next
        resource.schema.primary_key = list(keys[resource.name].primary)
        resource.schema.foreign_keys = [{"fields": list(key.fields),
                                         "reference": {"resource": key.resource, "fields": list(key.reference)}}
                                        for key in keys[resource.name].foreign]
    return package


class _Deferred:
    """The whole frictionless Package, built only when read (some tables were read clean, so no
    Package of all of them was built; the pipeline needs only names and paths)."""

    def __init__(self, build):
        self._build, self._package = build, None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._package is None:
            self._package = self._build()
        return getattr(self._package, name)
