"""Validation is offline: no socket is ever opened, even for a descriptor that names a remote profile."""
from __future__ import annotations

import socket

import pytest

from casekit.validation.pipeline import validate_package


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network access attempted to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


def test_validating_the_real_package_opens_no_connection(package, no_network):
    report = validate_package(package.root)
    assert report.unusable is None and report.exit_code() == 0, report.findings
    assert no_network == []


def test_remote_profile_urls_are_refused_not_fetched(package, no_network):
    descriptor = package.descriptor()
    descriptor["resources"][0]["$schema"] = "https://example.org/profiles/evil.json"
    package.write_descriptor(descriptor)
    report = validate_package(package.root)
    assert report.exit_code() == 2 and "official" in report.unusable
    assert no_network == []


def test_remote_data_path_is_refused_not_fetched(package, no_network):
    descriptor = package.descriptor()
    descriptor["resources"][0]["path"] = "https://example.org/sources.csv"
    package.write_descriptor(descriptor)
    assert validate_package(package.root).exit_code() == 2
    assert no_network == []
