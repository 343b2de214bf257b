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


def schema_validator(schema: dict):
    """A Draft 2020-12 validator for `schema` whose `$ref`s resolve only locally.

    jsonschema's default registry would fetch an unknown http(s) `$ref` with urllib;
    this one raises ForeignReference instead (wrapped by jsonschema as Unresolvable).
    """
    import jsonschema

    return jsonschema.Draft202012Validator(schema, registry=_registry())
