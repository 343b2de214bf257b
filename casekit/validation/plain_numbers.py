"""Number and integer cells read only in the form every documented reader reads alike.

Python's int() and Decimal() accept far more than a CSV reader should: full-width and
Arabic-Indic digits ("５", "١٩.٥"), digit separators ("0_5") and signalling NaNs with
payloads ("sNaN", "NaN12"). pandas, DuckDB and R refuse them, and a signalling NaN makes
frictionless's own bound check raise. The validator therefore gives frictionless
number and integer fields whose cells must be ASCII: an optional sign, the digits 0-9,
an optional decimal point and exponent (numbers only), or a quiet NaN or infinity,
which the number-overflow row check then reports. Any other cell is a type error.

The fields are frictionless's own with one value reader replaced, chosen through
frictionless's plugin interface; the cost per cell is one anchored pattern match.
"""
from __future__ import annotations

import re
from decimal import Decimal

PLUGIN_NAME = "casekit-plain-numbers"
_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:nan|inf|infinity))")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_classes: dict = {}
_registered: list = []


def _text_reader(pattern: re.Pattern, cast, inner):
    """A value reader: text cells must match `pattern` as a whole (after frictionless's strip)."""
    fullmatch = pattern.fullmatch

    def value_reader(cell):
        if isinstance(cell, str):
            cell = cell.strip()
            return cast(cell) if fullmatch(cell) else None
        return inner(cell)

    return value_reader


def _field_classes() -> dict:
    if _classes:
        return _classes
    from frictionless import fields

    class PlainNumberField(fields.NumberField):
        def create_value_reader(self):
            inner = super().create_value_reader()
            if {"group_char", "decimal_char", "bare_number"} & set(self.list_defined()):
                return inner  # a declared dialect of numbers keeps frictionless's reading
            return _text_reader(_NUMBER, float if self.float_number else Decimal, inner)

    class PlainIntegerField(fields.IntegerField):
        def create_value_reader(self):
            inner = super().create_value_reader()
            if not self.bare_number:
                return inner
            return _text_reader(_INTEGER, int, inner)

    _classes.update(number=PlainNumberField, integer=PlainIntegerField)
    return _classes


def register() -> None:
    """Make frictionless build number and integer fields that read only plain ASCII numbers (idempotent)."""
    from frictionless import Plugin, system

    if _registered:
        return

    class PlainNumbers(Plugin):
        def select_field_class(self, type=None):
            return _field_classes().get(type)

    # Not `PLUGIN_NAME in system.plugins`: reading that caches the plugin list before ours is in it.
    system.register(PLUGIN_NAME, PlainNumbers())
    for cached in ("plugins", "methods"):  # register() forgets them only if both were computed
        system.__dict__.pop(cached, None)
    _registered.append(PLUGIN_NAME)
