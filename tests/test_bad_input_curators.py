"""Curator commands obey the validator's safety rules (shared code), write atomically, and never over package files."""
from __future__ import annotations

import importlib.util
import json
import os
import stat

import pytest

from conftest import REPO


def script(name: str):
    spec = importlib.util.spec_from_file_location(f"script_{name}", REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def refresh_hashes():
    return script("refresh_hashes")


@pytest.fixture(scope="module")
def set_version():
    return script("set_version")


@pytest.fixture(scope="module")
def build_sqlite():
    return script("build_sqlite")


def one_line_refusal(capsys, code: int, words: str) -> None:
    captured = capsys.readouterr()
    assert code == 2
    assert len(captured.err.strip().splitlines()) == 1 and words in captured.err, captured.err
    assert "Traceback" not in captured.err


def test_refresh_hashes_refuses_a_fifo_without_waiting_on_it(package, refresh_hashes, capsys):
    package.csv_path("drugs").unlink()
    os.mkfifo(package.csv_path("drugs"))
    before = package.snapshot()
    one_line_refusal(capsys, refresh_hashes.main([str(package.root)]), "not a regular file")
    assert package.snapshot() == before


def test_refresh_hashes_refuses_a_descriptor_the_validator_refuses(package, refresh_hashes, capsys):
    text = (package.root / "datapackage.json").read_text(encoding="utf-8")
    (package.root / "datapackage.json").write_text(
        text.replace('"path": "data/sources.csv"', '"path": "../x.csv", "path": "data/sources.csv"', 1), encoding="utf-8")
    package.set_cell("drugs", "dasatinib", "drug_class", "edited", refresh_hashes=False)
    before = package.snapshot()
    one_line_refusal(capsys, refresh_hashes.main([str(package.root)]), "appears twice")
    assert package.snapshot() == before


def test_refresh_hashes_refuses_a_symlink_out_of_the_package(package, refresh_hashes, capsys, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_bytes(package.csv_path("drugs").read_bytes())
    package.csv_path("drugs").unlink()
    os.symlink(outside, package.csv_path("drugs"))
    one_line_refusal(capsys, refresh_hashes.main([str(package.root)]), "outside the package root")


def test_refresh_hashes_replaces_the_descriptor_atomically_keeping_its_mode(package, refresh_hashes):
    descriptor = package.root / "datapackage.json"
    os.chmod(descriptor, 0o640)
    package.set_cell("drugs", "dasatinib", "drug_class", "edited", refresh_hashes=False)
    assert refresh_hashes.main([str(package.root)]) == 0
    assert stat.S_IMODE(descriptor.stat().st_mode) == 0o640
    assert sorted(p.name for p in package.root.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("broken", ["CITATION.cff", "pyproject.toml"])
def test_set_version_checks_every_file_before_changing_any(package, set_version, capsys, broken):
    (package.root / "pyproject.toml").write_text('[project]\nversion = "1.1.1"\n', encoding="utf-8")
    path = package.root / broken
    path.write_text(path.read_text(encoding="utf-8").replace("version", "edition"), encoding="utf-8")
    before = package.snapshot()
    one_line_refusal(capsys, set_version.main(["9.0.0", "--root", str(package.root)]), f"{broken}: no line matching")
    assert package.snapshot() == before


def test_set_version_refuses_a_descriptor_with_duplicate_keys(package, set_version, capsys):
    descriptor = package.root / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"version": ', '"version": "9.9.9", "version": ', 1),
                          encoding="utf-8")
    before = package.snapshot()
    one_line_refusal(capsys, set_version.main(["10.0.0", "--root", str(package.root)]), "appears twice")
    assert package.snapshot() == before


def test_set_version_refuses_a_fifo_for_citation(package, set_version, capsys):
    (package.root / "CITATION.cff").unlink()
    os.mkfifo(package.root / "CITATION.cff")
    before = json.loads((package.root / "datapackage.json").read_text(encoding="utf-8"))
    one_line_refusal(capsys, set_version.main(["9.0.0", "--root", str(package.root)]), "not a regular file")
    assert json.loads((package.root / "datapackage.json").read_text(encoding="utf-8")) == before


@pytest.mark.parametrize("output, words", [
    ("datapackage.json", "the package's own datapackage.json"),
    ("CHANGELOG.md", "the package's own CHANGELOG.md"),
    ("data/drugs.csv", "inside the package's data/ folder"),
    ("schemas/new.sqlite", "inside the package's schemas/ folder"),
    ("data", "the package's own data"),
    ("notes.txt", "not a file this command wrote"),
])
def test_build_sqlite_never_writes_over_a_package_file(package, build_sqlite, capsys, output, words):
    (package.root / "notes.txt").write_text("my notes\n", encoding="utf-8")
    before = package.snapshot()
    code = build_sqlite.main(["--root", str(package.root), "--output", str(package.root / output)])
    one_line_refusal(capsys, code, words)
    assert package.snapshot() == before


@pytest.mark.parametrize("name, argv, words", [
    ("build_data_dictionary", ["--output", "datapackage.json"], "the package's own datapackage.json"),
    ("build_data_dictionary", ["--output", "schemas/drugs.schema.json"], "inside the package's schemas/ folder"),
    ("draw_clinical_course", ["--output-dir", "data"], "inside the package's data/ folder"),
])
def test_build_commands_never_write_into_the_package(package, capsys, monkeypatch, name, argv, words):
    monkeypatch.chdir(package.root)
    before = package.snapshot()
    code = script(name).main(["--root", str(package.root), *argv])
    one_line_refusal(capsys, code, words)
    assert package.snapshot() == before
