"""Unit conversion between UCUM codes, done by the ucumvert/pint registry, never by a hand-written table.

The registry takes about a second to build, so it is built once, on the
first conversion between two different units; equal units never need it.
Curly-brace annotations (`{cells}`, `{score}`) are UCUM's way of saying
"a count of"; they carry no dimension, so `{cells}/uL` converts like `/uL`.
"""
from __future__ import annotations

import re
from functools import lru_cache

ANNOTATION = re.compile(r"\{[^{}]*\}")
# The UCUM parser's time grows fast with the length of a code (11 s for 16,000 characters); real codes,
# annotations aside, are a few characters long ("10*9/L", "mg/m2/d"), so a longer one is refused unparsed.
MAX_CODE_CHARACTERS = 100


class UnitError(ValueError):
    """A unit the UCUM library cannot read, or two units that do not convert into each other."""


def convert(value: float, unit: str, target: str) -> float:
    """`value` in `unit` expressed in `target`; UnitError when the two are not commensurable."""
    if unit == target:
        return value
    registry = _registry()
    source, goal = _quantity(unit), _quantity(target)
    try:
        converted = registry.Quantity(value * source.magnitude, source.units).to(goal.units)
    except Exception as error:  # pint raises DimensionalityError and OffsetUnitCalculusError, both ValueErrors
        raise UnitError(f"cannot convert {unit!r} to {target!r}: {error}") from None
    return float(converted.magnitude / goal.magnitude)


def commensurable(unit: str, other: str) -> bool:
    if unit == other:
        return True
    return _quantity(unit).dimensionality == _quantity(other).dimensionality


def dimensionality(unit: str) -> str:
    """A stable text for the physical dimension of a unit (for grouping values that share an axis)."""
    return str(_quantity(unit).dimensionality)


@lru_cache(maxsize=None)
def _quantity(unit: str):
    code = ANNOTATION.sub("1", unit)
    if len(code) > MAX_CODE_CHARACTERS:
        raise UnitError(f"{unit[:40]!r}... is longer than {MAX_CODE_CHARACTERS} characters (annotations aside);"
                        " no UCUM unit is, so it is not parsed")
    registry = _registry()
    try:
        quantity = registry.from_ucum(code)
    except Exception as error:  # the parser raises lark errors or InvalidUcumError
        raise UnitError(f"{unit!r} is not a UCUM unit the library can read: {str(error).splitlines()[0]}") from None
    if not hasattr(quantity, "dimensionality"):  # a bare number such as "1" comes back as a parser token
        quantity = registry.Quantity(float(str(quantity)), "")
    return quantity


@lru_cache(maxsize=1)
def _registry():
    try:
        from ucumvert import PintUcumRegistry
    except ImportError as error:
        raise UnitError("converting units needs the ucumvert package: pip install -r requirements-dev.txt") from error
    return PintUcumRegistry()
