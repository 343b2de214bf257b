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
# The UCUM parser's time grows faster than the code's length (16,000 characters took 11 s); no unit
# a case report uses is longer than a few dozen characters, so a longer code is refused unread.
MAX_UNIT_CHARACTERS = 64


class UnitError(ValueError):
    """A unit the UCUM library cannot read, or two units that do not convert into each other."""


def check_length(unit: str) -> None:
    """Raise UnitError for a code too long to be handed to the UCUM parser."""
    if len(unit) > MAX_UNIT_CHARACTERS:
        raise UnitError(f"{unit[:20]!r}... is {len(unit)} characters long; a UCUM code here has at most"
                        f" {MAX_UNIT_CHARACTERS}")


def convert(value: float, unit: str, target: str) -> float:
    """`value` in `unit` expressed in `target`; UnitError when the two are not commensurable."""
    if unit == target:
        return value
    check_length(unit), check_length(target)  # before the registry, which takes a second to build
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


@lru_cache(maxsize=1024)
def _quantity(unit: str):
    check_length(unit)
    registry = _registry()
    code = ANNOTATION.sub("1", unit)
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
