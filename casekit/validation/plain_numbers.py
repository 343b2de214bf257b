"""Number and integer cells read only in the form every documented reader reads alike.

Python's int() and Decimal() accept far more than a CSV reader should: full-width and
Arabic-Indic digits ("５", "١٩.٥"), digit separators ("0_5") and signalling NaNs with
payloads ("sNaN", "NaN12"). pandas, DuckDB and R refuse them, and a signalling NaN makes
frictionless's own bound check raise. The validator therefore gives frictionless
number and integer fields whose cells must be ASCII and free of "_", which leaves what
Python reads as what every reader reads: an optional sign, the digits 0-9, a decimal point
and an exponent (numbers only), or a plain NaN or infinity, which the number-overflow row
check then reports. Any other cell (a signalling NaN, a NaN with a payload) is a type error.

The fields are frictionless's own with one value reader replaced, chosen through
frictionless's plugin interface; the cost per cell is two string tests (ASCII, no "_") before
the same Decimal(), float() or int() frictionless calls, and a look at the text of a NaN.
"""
from __future__ import annotations

from decimal import Decimal

PLUGIN_NAME = "casekit-plain-numbers"
_classes: dict = {}
_registered: list = []


def _plain(text: str) -> bool:
    """Whether Python's reading of `text` is every reader's: ASCII only, no digit separator "_"."""
    return text.isascii() and "_" not in text


def _odd_nan(text: str) -> bool:
    """A NaN other than a plain one: "sNaN", "-snan", "NaN12"."""
    word = text.lstrip("+-").lower()
    return "nan" in word and word != "nan"


def _number_reader(cast, inner):
    def value_reader(cell):
        if isinstance(cell, str):
            cell = cell.strip()
            if not _plain(cell):
                return None
            # Decimal also reads "sNaN" and NaNs with a payload ("NaN12"): only a plain NaN is a number.
            if ("n" in cell or "N" in cell) and _odd_nan(cell):
                return None
            try:
                return cast(cell)
            except (ArithmeticError, ValueError):
                return None
        return inner(cell)

    return value_reader


def _integer_reader(inner):
    def value_reader(cell):
        if isinstance(cell, str):
            cell = cell.strip()
            if not _plain(cell):
                return None
            try:
                return int(cell)
            except ValueError:
                return None
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
            return _number_reader(float if self.float_number else Decimal, inner)

    class PlainIntegerField(fields.IntegerField):
        def create_value_reader(self):
            inner = super().create_value_reader()
            if not self.bare_number:
                return inner
            return _integer_reader(inner)

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
