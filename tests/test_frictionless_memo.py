"""The per-process memo of the frictionless pass: a resource whose inputs changed is judged again,
the others give what a fresh process would give, and the memo stays bounded."""
from __future__ import annotations

import copy
import json

import pytest

from casekit.validation import frictionless_memo
from casekit.validation.descriptor import prepare_for_frictionless, read_descriptor
from casekit.validation.keys import declared_keys
from casekit.validation.pipeline import validate_package
from casekit.validation.report import format_json
from casekit.validation.tables import RowStore
from casekit.validation.tabular import frictionless_pass
from conftest import copy_package as _copy_package


def copy_package(folder):
    folder.mkdir()
    return _copy_package(folder)


def _rules(report) -> set[tuple]:
    return {(finding.rule, finding.resource, finding.row, finding.field) for finding in report.findings}


def _first_row(package, resource: str) -> dict:
    return package.read_rows(resource)[0]


@pytest.mark.parametrize("refresh", [False, True], ids=["hash-stale", "hash-refreshed"])
def test_a_changed_file_is_judged_again(tmp_path, refresh):
    clean = copy_package(tmp_path / "clean")
    assert validate_package(clean.root).findings == []  # every resource remembered from here on
    slipped = copy_package(tmp_path / "slipped")
    row = _first_row(slipped, "observations")
    # The same number of bytes: with the hash not refreshed, only the file's own bytes tell the change.
    slipped.set_cell("observations", row["observation_id"], "value", "x" * len(row["value"]), refresh_hashes=refresh)
    found = _rules(validate_package(slipped.root))
    assert ("frictionless/type-error", "observations", 2, "value") in found
    assert (("frictionless/hash-count", "observations", None, None) in found) is not refresh
    assert _rules(validate_package(slipped.root, remember=False)) == found


def test_a_changed_schema_constraint_is_judged_again(package):
    prepared = prepare_for_frictionless(package.root, read_descriptor(package.root))
    assert frictionless_pass(package.root, prepared, remember=True)[1] == []
    tightened = copy.deepcopy(prepared)
    resource = next(entry for entry in tightened["resources"] if entry["name"] == "observations")
    field = next(entry for entry in resource["schema"]["fields"] if entry["name"] == "unit")
    field.setdefault("constraints", {})["enum"] = ["no-such-unit"]
    findings = frictionless_pass(package.root, tightened, remember=True)[1]
    assert {(finding.rule, finding.field) for finding in findings} == {("frictionless/constraint-error", "unit")}
    assert frictionless_pass(package.root, prepared, remember=True)[1] == []


def _store(package, remember: bool) -> RowStore:
    from casekit.validation.rules import columns_needed, texts_needed

    prepared = prepare_for_frictionless(package.root, read_descriptor(package.root))
    rows = RowStore(columns_needed(), declared_keys(prepared), texts_needed())
    assert frictionless_pass(package.root, prepared, rows, remember=remember)[1] == []
    return rows


def test_remembered_rows_reach_the_row_store_as_a_fresh_read_does(package):
    _store(package, remember=True)
    fresh, replayed = _store(package, remember=False), _store(package, remember=True)
    assert list(replayed) == list(fresh)  # tables in the same order
    assert replayed == fresh
    assert replayed.deferred == fresh.deferred and replayed.links == fresh.links
    assert {name: index[0] for name, index in replayed.primary_index.items()} == \
        {name: index[0] for name, index in fresh.primary_index.items()}
    # A cell naming another row holds that row's own key object, as in a fresh read.
    target = replayed.primary_index["cases"][0]
    for row in replayed["observations"]:
        assert row["case_id"] is target[row["case_id"]]["case_id"]


def _plant_type_error(package):
    row = _first_row(package, "drugs")
    package.set_cell("drugs", row["drug_id"], "drug_id", row["drug_id"] + " ")


def _plant_dangling_reference(package):
    row = _first_row(package, "observations")
    package.set_cell("observations", row["observation_id"], "analyte_id", "no-such-analyte")


def _plant_stale_hash(package):
    path = package.csv_path("cases")
    path.write_bytes(path.read_bytes() + b"\n")


@pytest.mark.parametrize("plant", [_plant_type_error, _plant_dangling_reference, _plant_stale_hash])
def test_a_warm_process_reports_what_a_fresh_process_reports(tmp_path, plant):
    validate_package(copy_package(tmp_path / "warm").root)  # the clean tables are remembered
    slipped = copy_package(tmp_path / "slipped")
    plant(slipped)
    in_process = json.loads(format_json(validate_package(slipped.root)))
    fresh = json.loads(slipped.run_cli("--format", "json").stdout)
    assert in_process["findings"], "the planted slip must be found"
    assert in_process == fresh


def test_the_memo_is_bounded(package, monkeypatch):
    frictionless_memo.clear()
    monkeypatch.setattr(frictionless_memo, "MAX_ENTRIES", 5)
    assert validate_package(package.root).findings == []
    assert frictionless_memo.size() == 5
    frictionless_memo.clear()
    monkeypatch.setattr(frictionless_memo, "MAX_ENTRIES", 256)
    monkeypatch.setattr(frictionless_memo, "MAX_FILE_BYTES", 200)  # only files of a header and a row or two
    assert validate_package(package.root).findings == []
    small = sum(1 for path in (package.root / "data").glob("*.csv") if path.stat().st_size <= 200)
    assert frictionless_memo.size() == small < len(package.descriptor()["resources"])
    frictionless_memo.clear()
    monkeypatch.setattr(frictionless_memo, "MAX_FILE_BYTES", 2_000_000)
    monkeypatch.setattr(frictionless_memo, "MAX_ROWS", 3)
    assert validate_package(package.root).findings == []
    few = sum(1 for path in (package.root / "data").glob("*.csv") if len(package.read_rows(path.stem)) <= 3)
    assert frictionless_memo.size() == few


def test_the_memo_is_off_unless_a_process_turns_it_on(package, monkeypatch):
    monkeypatch.setattr(frictionless_memo, "enabled", False)  # as in the command line's own process
    frictionless_memo.clear()
    assert package.run_main().returncode == 0
    assert frictionless_memo.size() == 0
    assert validate_package(package.root, remember=True).findings == []
    assert frictionless_memo.size() == len(package.descriptor()["resources"])
