"""Validation is offline: opening any socket fails the test, for the real package and for hostile ones.

socket.socket itself is replaced, so not only connect() but the creation of any
socket (a DNS lookup through getaddrinfo aside, which is refused too) fails the test.
"""
from __future__ import annotations

import socket

import pytest

from casekit.validation.pipeline import validate_package


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            attempts.append(("socket", args))
            raise AssertionError("the validator tried to open a socket")

    def refuse(name):
        def refused(*args, **kwargs):
            attempts.append((name, args))
            raise AssertionError(f"the validator called socket.{name}")
        return refused

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_validating_the_real_package_opens_no_socket(package, no_network):
    report = validate_package(package.root)
    assert report.unusable is None and report.exit_code() == 0, report.findings
    assert no_network == []


def set_on_first_resource(package, **changes):
    descriptor = package.descriptor()
    descriptor["resources"][3].update(changes)
    package.write_descriptor(descriptor)


@pytest.mark.parametrize("changes", [
    {"$schema": "https://example.org/profiles/evil.json"},
    {"path": "https://example.org/drugs.csv"},
    {"format": "gsheets", "path": "https://docs.google.com/spreadsheets/d/x/edit"},
    {"format": "gsheets"},
    {"scheme": "https"},
    {"scheme": "s3"},
    {"path": "data/drugs.zip"},
    {"dialect": {"$schema": "https://example.org/dialect.json"}},
    {"schema": "https://example.org/drugs.schema.json"},
])
def test_a_hostile_package_is_refused_without_opening_a_socket(package, no_network, changes):
    set_on_first_resource(package, **changes)
    report = validate_package(package.root)
    assert report.exit_code() == 2, report.findings
    assert no_network == []


def test_a_remote_ref_in_a_table_schema_is_refused_without_opening_a_socket(package, no_network):
    path = package.root / "schemas" / "drugs.schema.json"
    path.write_text('{"$ref": "https://example.org/x.json", "fields": []}', encoding="utf-8")
    report = validate_package(package.root)
    assert report.exit_code() == 1 and [f.rule for f in report.findings] == ["model-lock"]
    assert no_network == []


def test_the_guard_catches_a_library_that_does_go_online(no_network):
    # Without the validator's refusals, frictionless would fetch this: the guard must see it.
    from frictionless import Resource

    with pytest.raises(Exception):
        Resource(path="https://example.org/drugs.csv").read_rows()
    assert no_network != []
