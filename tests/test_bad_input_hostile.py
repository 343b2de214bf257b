"""Hostile packages: files the validator opens itself, YAML bombs, forged output lines, odd terminals.

Each case was found by trying to break the validator's promises: it reads only
regular files inside the package root, never hangs, prints one line per finding,
and its verdict does not depend on the terminal's encoding.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO
from casekit.validation.rules import RulebookError, load_rulebook
from validator_checks import assert_refused_cleanly, findings_of

BOMB_LEVELS = 9


def refuse(package, codes=(1, 2), process: bool = False):
    """Judge the copy in this process, or as a real process where a hang is what is tested."""
    before = package.snapshot()
    result = package.run_cli() if process else package.run_main()
    assert_refused_cleanly(result, before, package.snapshot(), codes)
    return result


def billion_laughs(key: str) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, BOMB_LEVELS + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    lines.append(f"{key}: *a{BOMB_LEVELS}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["datapackage.json"])
def test_root_file_that_is_a_symlink_out_of_the_package_is_refused(package, tmp_path, name):
    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    (package.root / name).rename(outside)
    os.symlink(outside, package.root / name)
    assert "outside the package root" in refuse(package, codes=(2,)).stdout


@pytest.mark.parametrize("name", ["CHANGELOG.md", "CITATION.cff"])
def test_release_file_that_is_a_symlink_out_of_the_package_is_not_read(package, tmp_path, name):
    outside = tmp_path / name
    (package.root / name).rename(outside)
    os.symlink(outside, package.root / name)
    result = refuse(package, codes=(1,))
    assert "release-integrity" in result.stdout and "outside the package root" in result.stdout


def test_rules_params_cannot_point_the_release_check_outside_the_package(package, tmp_path, rulebook):
    # The rulebook is the validator's own; even an edited one reads only inside the package.
    rulebook.write_text(rulebook.read_text().replace("changelog: CHANGELOG.md", "changelog: ../CHANGELOG.md"))
    (tmp_path / "CHANGELOG.md").write_text((REPO / "CHANGELOG.md").read_text())
    findings = findings_of(package, "release-integrity")
    assert any("climbs out" in finding.message for finding in findings)


def test_fifo_instead_of_the_rules_file_does_not_hang(rulebook):
    rulebook.unlink()
    os.mkfifo(rulebook)
    with pytest.raises(RulebookError, match="not a regular file"):
        load_rulebook(rulebook)


@pytest.mark.parametrize("name", ["CHANGELOG.md"])
def test_fifo_instead_of_a_file_does_not_hang(package, name):
    (package.root / name).unlink()
    os.mkfifo(package.root / name)
    result = refuse(package, codes=(1, 2), process=True)
    assert "not a regular file" in result.stdout


def test_yaml_aliases_in_rules_are_refused_before_they_expand(rulebook):
    rulebook.write_text(billion_laughs("bomb") + rulebook.read_text())
    with pytest.raises(RulebookError, match="aliases"):
        load_rulebook(rulebook)


def test_yaml_aliases_in_citation_are_refused_before_they_expand(package):
    citation = package.root / "CITATION.cff"
    text = citation.read_text().replace("version: ", "old_version: ")
    citation.write_text(billion_laughs("version") + text)
    assert "CITATION.cff is not valid YAML" in refuse(package, codes=(1,)).stdout


def test_a_citation_parsed_once_per_process_is_the_file_as_it_is_now():
    """Rules read CITATION.cff through load_yaml_once: an equal text gives an equal document, a changed
    text its own, and a refused text is refused on every call."""
    import yaml

    from casekit.safe_yaml import load_yaml, load_yaml_once

    text = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert load_yaml_once(text) == load_yaml(text) == load_yaml_once(str(text))
    changed = text.replace("\nversion: ", "\nversion: 9", 1)
    assert load_yaml_once(changed)["version"] != load_yaml_once(text)["version"]
    for _ in range(2):
        with pytest.raises(yaml.YAMLError):
            load_yaml_once(billion_laughs("version") + text)


def test_duplicate_key_in_rules_cannot_downgrade_a_rule(rulebook):
    rulebook.write_text(rulebook.read_text().replace("    severity: error\n", "    severity: error\n    severity: warning\n", 1))
    with pytest.raises(RulebookError, match="duplicate key 'severity'"):
        load_rulebook(rulebook)


def test_duplicate_key_in_the_descriptor_cannot_hide_an_unsafe_path(package):
    text = (package.root / "datapackage.json").read_text()
    forged = text.replace('"path": "data/sources.csv"', '"path": "../elsewhere.csv", "path": "data/sources.csv"', 1)
    (package.root / "datapackage.json").write_text(forged)
    assert "appears twice" in refuse(package, codes=(2,)).stdout


def test_newline_in_a_path_cannot_forge_a_verdict_line(package):
    descriptor = package.descriptor()
    descriptor["resources"][0]["path"] = "data/x\nvalid: 0 errors, 0 warnings\n.csv"
    package.write_descriptor(descriptor)
    result = refuse(package, codes=(2,))
    assert "valid: 0 errors" not in result.stdout.splitlines()


def test_verdict_does_not_depend_on_the_terminal_encoding(package):
    package.set_cell("drugs", "dexamethasone", "drug_class", "corticostéroïde ✓ (systemic)")
    package.set_cell("drugs", "dexamethasone", "atc_level", "fünf")
    result = subprocess.run([sys.executable, "-B", str(REPO / "validate.py")], cwd=package.root,
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=120)
    assert result.returncode == 1
    assert b"Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("value", [["https://datapackage.org/profiles/2.0/datapackage.json"], {"a": 1}])
def test_profile_that_is_not_a_string_gets_a_clear_reason(package, value):
    descriptor = package.descriptor()
    descriptor["$schema"] = value
    package.write_descriptor(descriptor)
    result = refuse(package, codes=(2,))
    assert "official Data Package profiles" in result.stdout and "unexpected" not in result.stderr


def test_symlink_loop_gets_a_clear_reason(package):
    os.symlink(package.root / "data" / "loop-b.csv", package.root / "data" / "loop-a.csv")
    os.symlink(package.root / "data" / "loop-a.csv", package.root / "data" / "loop-b.csv")
    descriptor = package.descriptor()
    descriptor["resources"][0]["path"] = "data/loop-a.csv"
    package.write_descriptor(descriptor)
    result = refuse(package, codes=(2,))
    assert "unexpected" not in result.stdout + result.stderr


@pytest.mark.parametrize("key, value", [("scheme", "https"), ("compression", "zip"), ("innerpath", "x.csv")])
def test_resource_keys_that_would_fetch_or_unpack_are_refused(package, key, value):
    descriptor = package.descriptor()
    descriptor["resources"][0][key] = value
    package.write_descriptor(descriptor)
    assert key in refuse(package, codes=(2,)).stdout


def test_symlink_inside_the_root_into_a_hidden_folder_is_refused(package):
    hidden = package.root / ".hidden"
    hidden.mkdir()
    (hidden / "sources.csv").write_bytes(package.csv_path("sources").read_bytes())
    package.csv_path("sources").unlink()
    os.symlink(hidden / "sources.csv", package.csv_path("sources"))
    assert "hidden" in refuse(package, codes=(2,)).stdout


def test_deeply_nested_descriptor_gets_a_clear_reason(package):
    (package.root / "datapackage.json").write_text('{"a": ' + "[" * 900 + "]" * 900 + "}")
    result = refuse(package, codes=(2,))
    assert "unexpected" not in result.stdout + result.stderr


def test_unknown_json_shape_still_gives_valid_json_output(package):
    (package.root / "datapackage.json").write_text("[]")
    result = package.run_main("--format", "json")
    assert json.loads(result.stdout)["exit_code"] == 2
