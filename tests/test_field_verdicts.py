"""Remembered field verdicts give the same answer as judging afresh, descriptor by descriptor."""
from __future__ import annotations

import pytest

from casekit.validation.field_verdicts import remember_field_verdicts


@pytest.fixture(scope="module")
def field_class():
    from frictionless import Field

    remember_field_verdicts()
    return Field


def _notes(field_class, descriptor) -> list[str]:
    typed = field_class.metadata_select_class(descriptor["type"])
    return [error.note for error in typed.metadata_validate(dict(descriptor))]


@pytest.mark.parametrize("repeat", [1, 2, 3])
def test_a_bad_field_is_bad_every_time_it_is_judged(field_class, repeat):
    bad = {"name": "dose_value", "type": "number", "constraints": {"pattern": "[0-9]+"}}
    good = {"name": "dose_value", "type": "number", "constraints": {"minimum": 0}}
    for _ in range(repeat):
        assert _notes(field_class, good) == []
        assert any("pattern" in note for note in _notes(field_class, bad))


def test_descriptors_that_differ_only_in_one_value_are_judged_apart(field_class):
    assert _notes(field_class, {"name": "x", "type": "integer", "constraints": {"minimum": 1}}) == []
    assert _notes(field_class, {"name": "x", "type": "integer", "constraints": {"maxLength": 1}})


def test_a_repeat_is_not_judged_again(field_class, monkeypatch):
    import jsonschema

    descriptor = {"name": "remembered_once", "type": "string"}
    _notes(field_class, descriptor)
    calls = []
    original = jsonschema.validators.validator_for
    monkeypatch.setattr(jsonschema.validators, "validator_for", lambda *a, **k: calls.append(1) or original(*a, **k))
    monkeypatch.setattr(jsonschema, "validate", lambda *a, **k: calls.append(1))
    for _ in range(3):
        assert _notes(field_class, descriptor) == []
    assert calls == []
