"""Parse JSON bytes strictly: UTF-8 only, no NaN/Infinity, no number that overflows a float."""
from __future__ import annotations

import json
import math

from casekit.validation.unusable import Unusable


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} overflows")
    return value


def _refuse_duplicate_keys(pairs: list) -> dict:
    # json.loads would keep the last of two equal keys silently: a safe `path` could hide an unsafe one.
    document = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"the key {key[:40]!r} appears twice in one object")
        document[key] = value
    return document


def parse_json_bytes(data: bytes, label: str) -> object:
    """Return the parsed document or raise Unusable with a one-line reason naming `label`."""
    if not data.strip():
        raise Unusable(f"{label} is empty")
    try:
        # utf-8-sig: editors on Windows prepend a BOM; it carries no meaning, so accept it.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unusable(f"{label} is not valid UTF-8 (bad byte at offset {error.start})") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float,
                          object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        raise Unusable(f"{label} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except ValueError as error:
        # Raised by our hooks and by int() for integers longer than Python's digit limit.
        raise Unusable(f"{label} cannot be read: {str(error).splitlines()[0][:120]}") from None
    except RecursionError:
        raise Unusable(f"{label} is nested too deeply to read") from None
