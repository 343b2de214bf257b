"""The validator's own checks of each row, run inside the frictionless pass as one check.

frictionless calls a check once per row; one check that does everything costs
one call per row instead of one per concern. Per row it judges:

- number-overflow: NaN, INF and numbers too large for a float or a 64-bit
  integer (frictionless accepts them; pandas, DuckDB and JSON readers do not);
- identifier-form: identifiers and codes match their pattern as a whole string
  (frictionless anchors with `$`, which also matches before a final newline)
  and hold printable ASCII only;
- control-character: free text holds no control character;
- spreadsheet-formula: no text cell starts like a formula a spreadsheet runs;
- blank-text: a required text cell holds more than spaces, invisible and format characters;
- calendar-date: a date written YYYY-MM-DD is a day of the calendar (no 2022-02-30);

and it keeps the row for the cross-table rules and the key checks
(casekit.validation.tables.RowStore, casekit.validation.keys).
"""
from __future__ import annotations

import math
import re
import sys
from itertools import chain
from datetime import date
from decimal import Decimal

from casekit.validation.keys import ROW_NUMBER, Keys
from casekit.validation.tables import items_getter

OVERFLOW_RULE = "number-overflow"
IDENTIFIER_RULE = "identifier-form"
CONTROL_RULE = "control-character"
FORMULA_RULE = "spreadsheet-formula"
BLANK_RULE = "blank-text"
DATE_RULE = "calendar-date"
OWN_CELL_RULES = (OVERFLOW_RULE, IDENTIFIER_RULE, CONTROL_RULE, FORMULA_RULE, BLANK_RULE, DATE_RULE)

# (rule, title, what the cell does, description) of each error the row checks report.
CELL_ERRORS = (
    (OVERFLOW_RULE, "Number Overflow", "overflows",
     "A number is infinite, not a number, or too large to be read as a float or 64-bit integer."),
    (IDENTIFIER_RULE, "Identifier Form", "is not a valid identifier",
     "An identifier or code is not its pattern matched as a whole string, or not printable ASCII."),
    (CONTROL_RULE, "Control Character", "holds a control character",
     "A text cell holds a control character (tab, line break, escape ...)."),
    (FORMULA_RULE, "Spreadsheet Formula", "starts like a formula",
     "A text cell starts like a formula that a spreadsheet would run."),
    (BLANK_RULE, "Blank Text", "is blank",
     "A required text cell holds only spaces, invisible or format characters."),
    (DATE_RULE, "Calendar Date", "is not a calendar date",
     "A date written YYYY-MM-DD names a day that does not exist."),
)

# Past these bounds a value no longer survives a round trip through float/int64,
# which is how pandas, duckdb and JSON consumers will read it.
FLOAT_LIMIT = Decimal(sys.float_info.max)
INTEGER_LIMIT = 2**63 - 1
# Printable ASCII: what an identifier or code may hold (a space is allowed only if its pattern allows it).
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")
# Unicode category Cc: C0 (tab, line feed and carriage return included), DEL and C1. A cell is one line of text.
# C0 and C1 controls, and the Unicode line and paragraph separators: Python's splitlines(), editors and
# JavaScript source break a line at U+2028/U+2029 as at a line feed.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A spreadsheet runs a cell as a formula when it starts with = or @, or with + or - unless it is a number.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FORMULA_LINE = re.compile(r"\n[=+\-@]")  # in cells joined after a line break each: a cell starting like a formula
# What a reader sees as nothing: whitespace (\s: every Unicode space, line and paragraph separator, C0
# blank), format characters (zero-width, joiners, bidi marks and isolates, word joiner, BOM, tags, soft
# hyphen, Mongolian and Arabic marks), variation selectors and the Hangul and Braille blank letters.
_BLANK_CLASS = ("[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]")
_BLANK = re.compile(_BLANK_CLASS + "+")
_BLANK_LINE = re.compile("\n" + _BLANK_CLASS + "+(?=\n|\\Z)")  # in cells joined after a line break each
# Field patterns of a date written YYYY-MM-DD, whose cells must also be days of the calendar.
DATE_PATTERNS = frozenset({"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "^\\d{4}-\\d{2}-\\d{2}$"})
_DATE_FORM = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")


def overflows(value: object) -> bool:
    if isinstance(value, Decimal):
        return not value.is_finite() or abs(value) > FLOAT_LIMIT
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) > INTEGER_LIMIT
    return False


def formula_start(text: str) -> bool:
    """True if a spreadsheet would read text as a formula: '=SUM(A1)', '@cmd', '+A1', '-2+3' are; '-4', '=', '-' are not.

    A lone sign is not a formula (a spreadsheet keeps '=' or '-' as text), nor is a
    signed number such as '-4' or '+1.5e3'.
    """
    return (len(text) > 1 and text[0] in "=+-@"
            and not (text[0] in "+-" and _PLAIN_NUMBER.fullmatch(text)))


def blank(text: str) -> bool:
    """True if `text` is not empty but shows nothing: only spaces, invisible or format characters."""
    return bool(text) and (text.isspace() or (not text.isascii() and _BLANK.fullmatch(text) is not None))


def calendar_date(text: str) -> bool:
    """False only for text of the form YYYY-MM-DD that names no day (2022-02-30); the form is the pattern's job."""
    if not _DATE_FORM.fullmatch(text):
        return True
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def required_text_fields(schema) -> list[str]:
    """Required text fields that no pattern or enum pins down (those already refuse a blank cell)."""
    return [field.name for field in schema.fields
            if field.type == "string" and (field.constraints or {}).get("required")
            and not {"pattern", "enum"} & set(field.constraints)]


def date_fields(schema) -> list[str]:
    return [field.name for field in schema.fields
            if field.type == "string" and (field.constraints or {}).get("pattern") in DATE_PATTERNS]


def identifier_fields(schema, keys: Keys | None) -> set[str]:
    """Fields holding identifiers or codes: those with a pattern or enum, and primary and foreign key columns."""
    names = set(keys.columns) if keys is not None else set()
    names.update(schema.primary_key or [])
    for key in schema.foreign_keys or []:
        fields = key.get("fields") or []
        names.update([fields] if isinstance(fields, str) else fields)
    for field in schema.fields:
        constraints = field.constraints or {}
        if "pattern" in constraints or "enum" in constraints:
            names.add(field.name)
    return names


def _cell_plan(schema, keys: Keys | None) -> list[tuple]:
    """Per text field: (name, is an identifier, (whole, frictionless-anchored) pattern or None, vouched for)."""
    identifiers = identifier_fields(schema, keys)
    plan = []
    for field in schema.fields:
        if field.type != "string":
            continue
        constraints = field.constraints or {}
        pattern = constraints.get("pattern")
        # A cell the schema pins to a pattern or an enum is judged by it, not by the formula test too.
        vouched = field.name in identifiers and ("pattern" in constraints or "enum" in constraints)
        # Only where frictionless's own check ("^pattern$" with re.match) passes, so a cell gets one error.
        anchored = (re.compile(pattern), re.compile(f"^{pattern}$")) if pattern else None
        plan.append((field.name, field.name in identifiers, anchored, vouched))
    return plan


class _Screen:
    """A check of a whole row at once that passes only rows the per-cell checks would pass too.

    Most rows hold no error; judging each cell in Python cost more than frictionless's own
    reading of it. A row the screen passes cannot hold any of the four errors:
    - number-overflow: the largest absolute number is within the 64-bit integer range
      (within the float range too); a NaN, infinity or float fails the screen;
    - identifier-form: the identifiers, joined, are printable ASCII, so none holds a line
      break; then "^pattern$" matched from the start (frictionless's check) and the pattern
      matched as a whole string agree, unless the pattern has a "|" at its top level (any "|":
      such a field is judged cell by cell, as before);
    - control-character: the free text, joined, holds none (joining adds no character);
    - spreadsheet-formula: no cell starts with =, +, - or @ (the cells are joined, each after a line break);
    - blank-text: no cell judged for formulas (the required texts among them: no pattern or enum
      vouches for one) shows nothing: one search of those cells, joined after a line break each;
    - calendar-date: each date cell is a day of the calendar (only tables with a date field pay for it).
    A row the screen does not pass is judged cell by cell, so findings never depend on it.
    """

    def __init__(self, numeric: list[str], plan: list[tuple], float_fields: bool,
                 required: list[str] = (), dates: list[str] = ()):
        self.numbers = items_getter(numeric)
        self.has_numbers = bool(numeric)
        self.any_float = float_fields
        self.identifiers = items_getter([name for name, identifier, _, _ in plan if identifier])
        self.free = items_getter([name for name, identifier, _, _ in plan if not identifier])
        self.unvouched = items_getter([name for name, _, _, vouched in plan if not vouched])
        self.alternatives = [(name, pattern) for name, identifier, pattern, _ in plan
                             if identifier and pattern is not None and "|" in pattern[0].pattern]
        self.required = bool(required)  # required text is never vouched for, so it is among the unvouched cells
        self.dates = list(dates)

    def passes(self, row) -> bool:
        return self.passes_all((row,))

    def passes_all(self, rows) -> bool:
        """passes() of every one of `rows` at once: the same checks over the cells of all the rows
        joined (each check looks at single characters, or at cells each after a line break)."""
        try:
            if self.has_numbers:
                if self.any_float:
                    return False
                if max(map(abs, filter(None, chain.from_iterable(map(self.numbers, rows)))), default=0) > INTEGER_LIMIT:
                    return False
            identifiers = "".join(filter(None, chain.from_iterable(map(self.identifiers, rows))))
            free = "".join(filter(None, chain.from_iterable(map(self.free, rows))))
            unvouched = "\n" + "\n".join(filter(None, chain.from_iterable(map(self.unvouched, rows))))
        except (ArithmeticError, TypeError):  # a NaN compared, a signalling NaN, a cell that is not text
            return False
        if not (identifiers.isascii() and identifiers.isprintable()):
            return False
        for name, pattern in self.alternatives:
            if not all(pattern[0].fullmatch(text) for row in rows if (text := row[name])):
                return False
        if not free.isprintable() and _CONTROL_CHARACTER.search(free):  # control characters are not printable
            return False
        # A cell that shows nothing (required or not) starts with a space or a character outside ASCII.
        if self.required and ("\n " in unvouched or not unvouched.isascii()) and _BLANK_LINE.search(unvouched):
            return False
        for name in self.dates:
            if not all(calendar_date(text) for row in rows if (text := row[name])):
                return False
        return not _FORMULA_LINE.search(unvouched)


def row_checks(keys: dict[str, Keys] | None = None, into=None, complete: set[str] | None = None):
    """The one frictionless Check of the validator's own row checks (built lazily: importing this
    module does not import frictionless).

    `into` receives each row: a RowStore keeps what the rules and key checks read; a plain
    dict gets every row whole, by resource name. `complete` gets the name of each
    resource read to its end.
    """
    from frictionless import Check, errors

    def cell_error(kind: str, title: str, says: str, description: str):
        template = f'The cell "{{cell}}" in row "{{rowNumber}}" and field "{{fieldName}}" {says}: {{note}}'
        return type(title.replace(" ", "") + "Error", (errors.CellError,),
                    {"type": kind, "title": title, "description": description, "template": template})

    made = {entry[0]: cell_error(*entry) for entry in CELL_ERRORS}
    overflow, identifier_form, control, formula, blank_text, not_a_date = (made[kind] for kind in OWN_CELL_RULES)

    keep = getattr(into, "keep", None)

    def keep_whole(resource, row):
        values = row.to_dict()
        values[ROW_NUMBER] = row.row_number
        into.setdefault(resource.name, []).append(values)

    class validator_row_checks(Check):
        type = "validator-row-checks"
        Errors = list(made.values())

        def connect(self, resource):
            super().connect(resource)
            schema = resource.schema
            self.numeric = [field.name for field in schema.fields if field.type in ("number", "integer")]
            self.plan = _cell_plan(schema, (keys or {}).get(resource.name))
            self.required = required_text_fields(schema)
            self.dates = date_fields(schema)
            self.any_float = any(field.type == "number" and getattr(field, "float_number", False)
                                 for field in schema.fields)
            self.screen = _Screen(self.numeric, self.plan, self.any_float, self.required, self.dates)
            self.keep = keep if keep is not None else (keep_whole if into is not None else None)

        def screen_by_position(self, field_names: list[str]) -> _Screen:
            """The screen of rows given as tuples of values in the order of `field_names`."""
            at = {name: index for index, name in enumerate(field_names)}.__getitem__
            return _Screen(list(map(at, self.numeric)),
                           [(at(name), identifier, pattern, vouched) for name, identifier, pattern, vouched in self.plan],
                           self.any_float, self.required, list(map(at, self.dates)))

        def validate_row(self, row):
            found = () if self.screen.passes(row) else self.judge_cells(row)
            if self.keep is not None:
                self.keep(self.resource, row)
            return found

        def validate_rows(self, rows) -> list:
            """The errors of many rows, without keeping them: the screen judges them all at once."""
            if self.screen.passes_all(rows):
                return []
            return [error for row in rows if not self.screen.passes(row) for error in self.judge_cells(row)]

        def judge_cells(self, row):
            found = []
            for name in self.numeric:
                value = row[name]
                if value is not None and overflows(value):
                    found.append(overflow.from_row(row, note="not a finite, representable number", field_name=name))
            for name, identifier, pattern, vouched in self.plan:
                text = row[name]
                if not text or not isinstance(text, str):
                    continue
                if identifier:
                    if pattern is not None and not pattern[0].fullmatch(text):
                        if pattern[1].match(text):
                            found.append(identifier_form.from_row(row, field_name=name, note="pattern"))
                    elif _NOT_PRINTABLE_ASCII.search(text):
                        found.append(identifier_form.from_row(row, field_name=name, note="not printable ASCII"))
                elif _CONTROL_CHARACTER.search(text):
                    found.append(control.from_row(row, field_name=name, note="control character"))
                if not vouched and formula_start(text):
                    found.append(formula.from_row(row, field_name=name, note="formula"))
            for name in self.required:
                text = row[name]
                if isinstance(text, str) and blank(text):
                    found.append(blank_text.from_row(row, field_name=name, note="blank"))
            for name in self.dates:
                text = row[name]
                if isinstance(text, str) and text and not calendar_date(text):
                    found.append(not_a_date.from_row(row, field_name=name, note="no such day"))
            return found

        def validate_end(self):
            # frictionless calls this only for a table it read to the end (not stopped at the error limit).
            if complete is not None:
                complete.add(self.resource.name)
            return ()

    return validator_row_checks()
