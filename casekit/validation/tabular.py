"""The frictionless pass: types, constraints, keys, hash and bytes, each error made a Finding."""
from __future__ import annotations

import math
import re
import sys
from decimal import Decimal
from pathlib import Path

from casekit.validation.findings import ERROR, Finding
from casekit.validation.limits import ERROR_LIMIT
from casekit.validation.unusable import Unusable

# Past these bounds a value no longer survives a round trip through float/int64,
# which is how pandas, duckdb and JSON consumers will read it.
FLOAT_LIMIT = Decimal(sys.float_info.max)
INTEGER_LIMIT = 2**63 - 1
OVERFLOW_RULE = "number-overflow"
CELL_SHOWN = 200


def _shorten(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= CELL_SHOWN else text[:CELL_SHOWN] + f"... ({len(text)} characters)"


def _overflows(value: object) -> bool:
    if isinstance(value, Decimal):
        return not value.is_finite() or abs(value) > FLOAT_LIMIT
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) > INTEGER_LIMIT
    return False


def _overflow_check():
    """Build the check lazily so importing this module does not import frictionless."""
    from frictionless import Check, errors

    class NumberOverflowError(errors.CellError):
        type = OVERFLOW_RULE
        title = "Number Overflow"
        description = "A number is infinite, not a number, or too large to be read as a float or 64-bit integer."
        template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" overflows: {note}'

    numeric: dict[str, list[str]] = {}

    class number_overflow(Check):
        # frictionless accepts NaN, INF and 1e999 as numbers; a dose or a lab value never is one.
        type = OVERFLOW_RULE
        Errors = [NumberOverflowError]

        def validate_row(self, row):
            names = numeric.get(self.resource.name)
            if names is None:  # the same for every row of a resource: found once
                names = numeric[self.resource.name] = [f.name for f in row.fields if f.type in ("number", "integer")]
            for name in names:
                value = row[name]
                if value is not None and _overflows(value):
                    yield NumberOverflowError.from_row(row, note="not a finite, representable number", field_name=name)

    return number_overflow()


IDENTIFIER_RULE = "identifier-form"
CONTROL_RULE = "control-character"
FORMULA_RULE = "spreadsheet-formula"
OWN_CELL_RULES = (OVERFLOW_RULE, IDENTIFIER_RULE, CONTROL_RULE, FORMULA_RULE)
# Printable ASCII: what an identifier or code may hold (a space is allowed only if its pattern allows it).
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")
# Unicode category Cc: C0 (tab, line feed and carriage return included), DEL and C1. A cell is one line of text.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A spreadsheet runs a cell as a formula when it starts with = or @, or with + or - unless it is a number.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_start(text: str) -> bool:
    """True if a spreadsheet would read text as a formula: '=SUM(A1)', '@cmd', '+A1', '-2+3' are; '-4', '=', '-' are not.

    A lone sign is not a formula (a spreadsheet keeps '=' or '-' as text), nor is a
    signed number such as '-4' or '+1.5e3'.
    """
    return (len(text) > 1 and text[0] in "=+-@"
            and not (text[0] in "+-" and _PLAIN_NUMBER.fullmatch(text)))


def _identifier_fields(schema) -> set[str]:
    """Fields holding identifiers or codes: those with a pattern or enum, and primary and foreign key columns."""
    names = set(schema.primary_key or [])
    for key in schema.foreign_keys or []:
        names.update(key.get("fields") or [])
    for field in schema.fields:
        constraints = field.constraints or {}
        if "pattern" in constraints or "enum" in constraints:
            names.add(field.name)
    return names


def _cell_content_check():
    """Identifiers matched as whole strings in printable ASCII; text free of control characters and formulas.

    frictionless anchors a pattern with `$`, which also matches before a final newline,
    so 'some-drug\\n' would pass as a second drug; here every cell of a field with a
    pattern must match it whole (re.fullmatch). One pass over the row, no second read.
    """
    from frictionless import Check, errors

    class IdentifierFormError(errors.CellError):
        type = IDENTIFIER_RULE
        title = "Identifier Form"
        description = "An identifier or code is not its pattern matched as a whole string, or not printable ASCII."
        template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" is not a valid identifier: {note}'

    class ControlCharacterError(errors.CellError):
        type = CONTROL_RULE
        title = "Control Character"
        description = "A text cell holds a control character (tab, line break, escape ...)."
        template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" holds a control character: {note}'

    class SpreadsheetFormulaError(errors.CellError):
        type = FORMULA_RULE
        title = "Spreadsheet Formula"
        description = "A text cell starts like a formula that a spreadsheet would run."
        template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" starts like a formula: {note}'

    class cell_content(Check):
        type = "cell-content"
        Errors = [IdentifierFormError, ControlCharacterError, SpreadsheetFormulaError]

        def connect(self, resource):
            super().connect(resource)
            schema = resource.schema
            identifiers = _identifier_fields(schema)
            self.plan = []
            for field in schema.fields:
                if field.type != "string":
                    continue
                constraints = field.constraints or {}
                pattern = constraints.get("pattern")
                # A cell the schema pins to a pattern or an enum is judged by it, not by the formula test too.
                vouched = field.name in identifiers and ("pattern" in constraints or "enum" in constraints)
                # Only where frictionless's own check ("^pattern$" with re.match) passes, so a cell gets one error.
                anchored = (re.compile(pattern), re.compile(f"^{pattern}$")) if pattern else None
                self.plan.append((field.name, field.name in identifiers, anchored, vouched))

        def validate_row(self, row):
            for name, identifier, pattern, vouched in self.plan:
                text = row[name]
                if not isinstance(text, str) or not text:
                    continue
                if identifier:
                    if pattern is not None and not pattern[0].fullmatch(text):
                        if pattern[1].match(text):
                            yield IdentifierFormError.from_row(row, field_name=name, note="pattern")
                    elif _NOT_PRINTABLE_ASCII.search(text):
                        yield IdentifierFormError.from_row(row, field_name=name, note="not printable ASCII")
                elif _CONTROL_CHARACTER.search(text):
                    yield ControlCharacterError.from_row(row, field_name=name, note="control character")
                if not vouched and formula_start(text):
                    yield SpreadsheetFormulaError.from_row(row, field_name=name, note="formula")

    return cell_content()


def _row_collector(into: dict[str, list[dict]]):
    """A check that keeps each typed row as frictionless validates it, so the rules need no second read."""
    from frictionless import Check

    from casekit.validation.tables import ROW_NUMBER

    keep = getattr(into, "keep", None)

    class collect_rows(Check):
        type = "collect-rows"
        Errors = []

        def validate_row(self, row):
            if keep is not None:
                keep(self.resource, row)  # only what the rules read (casekit.validation.tables.RowStore)
            else:
                values = row.to_dict()
                values[ROW_NUMBER] = row.row_number
                into.setdefault(self.resource.name, []).append(values)
            yield from []

    return collect_rows()


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
    if kind in ("primary-key", "unique-error"):
        key = "/".join(resource.schema.primary_key) if kind == "primary-key" else field
        return f"{key} repeats: this row is {error.note}; each row needs its own key"
    if kind == "foreign-key":
        values = ", ".join(map(str, error.field_cells))
        return (f"{'/'.join(error.field_names)} {values!r} has no matching row in {error.reference_name}"
                f" ({'/'.join(error.reference_field_names)})")
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
    if kind == "foreign-key":
        field = ",".join(error.field_names)
        observed = _shorten(",".join(map(str, error.field_cells)))
    elif kind == "hash-count":
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
                      truncated: list[str] | None = None):
    """Validate every resource; return (frictionless Package, findings). Raise Unusable if frictionless cannot start.

    If `rows` is given, it is filled with each resource's typed rows as read during validation.
    If `truncated` is given, it gets the path of each data file whose errors stopped at ERROR_LIMIT.
    """
    from frictionless import Checklist, FrictionlessException, Package

    checks = [_overflow_check(), _cell_content_check()] + ([_row_collector(rows)] if rows is not None else [])
    try:
        package = Package(prepared, basepath=str(root))
        report = package.validate(Checklist(checks=checks), limit_errors=ERROR_LIMIT)
    except FrictionlessException as error:
        raise Unusable(f"frictionless could not read the package: {error.error.message.splitlines()[0][:300]}") from None
    findings = [
        Finding(rule=f"frictionless/{error.type}", severity=ERROR, path="datapackage.json",
                message=error.message.splitlines()[0][:300])
        for error in report.errors
    ]
    for task in report.tasks:
        resource = package.get_resource(task.name)
        findings.extend(_finding(error, resource, task) for error in task.errors)
        if truncated is not None and any("error limit" in warning for warning in task.warnings):
            truncated.append(resource.path)
    return package, findings
