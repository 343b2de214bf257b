"""Judge each distinct field descriptor once per process.

frictionless checks a field's descriptor against its profile every time it builds the field:
while reading the package, and again on each copy it makes of a resource while validating it,
about six times per field and run. The verdict depends only on the field class, the descriptor
and the Data Package version imposed by its ancestors, so it is computed once for each
distinct (class, descriptor, version) and given back, as the same error objects, to every
later call. A quarter of a one-case run's time went to these repeats.

`remember_field_verdicts()` installs this on frictionless's Field class; it is idempotent.
"""
from __future__ import annotations

import json

_installed: list = []
# Bounded: a package has at most a few hundred distinct fields; past this many the cache is cleared.
MAX_REMEMBERED = 4096


def _key(cls, descriptor, context) -> tuple | None:
    try:
        text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):  # something no JSON file holds: judge it afresh
        return None
    return cls, text, getattr(context, "datapackage_version", None)


def remember_field_verdicts() -> None:
    from frictionless.schema.field import Field

    if _installed:
        return
    judge = Field.metadata_validate.__func__
    verdicts: dict = {}

    def metadata_validate(cls, descriptor, *, context=None):
        key = _key(cls, descriptor, context)
        if key is None:
            yield from judge(cls, descriptor, context=context)
            return
        errors = verdicts.get(key)
        if errors is None:
            if len(verdicts) >= MAX_REMEMBERED:
                verdicts.clear()
            errors = verdicts[key] = tuple(judge(cls, descriptor, context=context))
        yield from errors

    Field.metadata_validate = classmethod(metadata_validate)
    _installed.append(True)
