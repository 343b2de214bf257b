"""The validator's own JSON Schemas (casekit/validation/profiles/) and a validator that resolves nothing else.

They belong to the validator, not to the package it judges, so a package cannot
loosen the checks on itself: they ship inside the code (package data of
`casekit.validation`), never beside the data. A `$ref` is resolved only inside
the schema itself or against these files; any other reference (a URL, a path)
is refused, so checking a document never opens the network or reads a file.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

PROFILES_PACKAGE = "casekit.validation"
PROFILES_FOLDER = "profiles"


class ForeignReference(Exception):
    """A `$ref` that points outside the validator's own schemas."""


def profile_path(name: str) -> Path:
    return Path(str(files(PROFILES_PACKAGE) / PROFILES_FOLDER / name))


@lru_cache(maxsize=None)
def _profile_text(name: str) -> str:
    return profile_path(name).read_text(encoding="utf-8")


def load_profile(name: str) -> dict:
    """A fresh copy of one of the validator's schemas."""
    return json.loads(_profile_text(name))


def _own_registry():
    import referencing
    import referencing.jsonschema

    def refuse(uri: str):
        raise ForeignReference(f"$ref {uri[:80]!r} is not one of the validator's own schemas")

    own = []
    for entry in files(PROFILES_PACKAGE).joinpath(PROFILES_FOLDER).iterdir():
        if entry.name.endswith(".json"):
            contents = json.loads(entry.read_text(encoding="utf-8"))
            resource = referencing.jsonschema.DRAFT202012.create_resource(contents)
            own.append((contents.get("$id") or entry.name, resource))
    return referencing.Registry(retrieve=refuse).with_resources(own)


@lru_cache(maxsize=1)
def _registry():
    return _own_registry()


def _whole_string_pattern(validator, pattern, instance, schema):
    """`pattern` as JSON Schema means it: a final `$` is the end of the string.

    jsonschema uses Python's re.search, whose `$` also matches before a final newline,
    so `^[a-z]+$` would accept "name\n". A match that ends before the last character
    while the pattern ends with an unescaped `$` is therefore no match.
    """
    import re

    import jsonschema

    if not isinstance(instance, str):
        return
    match = re.search(pattern, instance)
    anchored = pattern.endswith("$") and not pattern.endswith("\\$")
    if match is None or (anchored and instance.endswith("\n") and not _ends_at_end(pattern, instance)):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _ends_at_end(pattern: str, instance: str) -> bool:
    """Whether `pattern` (ending in `$`) matches `instance` with `$` at the very end of the string."""
    import re

    return re.search(pattern[:-1] + r"\Z", instance) is not None


@lru_cache(maxsize=1)
def _validator_class():
    import jsonschema
    from jsonschema import validators

    base = jsonschema.Draft202012Validator
    # A JSON integer is written without a fraction: 1386.0 is a number, not a byte count.
    types = base.TYPE_CHECKER.redefine(
        "integer", lambda checker, instance: isinstance(instance, int) and not isinstance(instance, bool))
    return validators.extend(base, {"pattern": _whole_string_pattern}, type_checker=types)


def schema_validator(schema: dict):
    """A Draft 2020-12 validator for `schema` whose `$ref`s resolve only locally.

    jsonschema's default registry would fetch an unknown http(s) `$ref` with urllib;
    this one raises ForeignReference instead (wrapped by jsonschema as Unresolvable).
    Stricter than jsonschema in two ways that readers of the JSON agree on: a pattern's
    final `$` does not match before a trailing newline, and 1386.0 is not an integer.
    """
    return _validator_class()(schema, registry=_registry())
