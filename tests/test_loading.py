"""The loaders hand analysts the types the Table Schemas declare, and the SQLite build keeps the keys."""
from __future__ import annotations

import csv
import json
import sqlite3

import pandas as pd
import pytest

from casekit.analysis.frames import load_frame, load_frames
from casekit.analysis.sqlite import BuildFailed, UnsafeOutput, build_database
from conftest import PACKAGE, REPO, run_script


def test_every_resource_loads_with_its_row_count():
    frames = load_frames(PACKAGE)
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert set(frames) == {resource["name"] for resource in descriptor["resources"]}
    for resource in descriptor["resources"]:
        with (PACKAGE / resource["path"]).open(newline="", encoding="utf-8") as handle:
            assert len(frames[resource["name"]]) == sum(1 for _ in csv.DictReader(handle)), resource["name"]


def test_integers_stay_integers_and_numbers_are_floats_with_missing_as_na():
    schedules = load_frame("drug_schedules", PACKAGE).set_index("schedule_id")
    assert schedules["step"].dtype == "Int64"
    assert schedules["start_earliest"].dtype == "Int64"
    assert schedules["dose_value"].dtype == "Float64"
    assert schedules.loc["sched-dexamethasone-2", "dose_value"] == 80
    assert schedules.loc["sched-dexamethasone-2", "start_earliest"] == 5
    assert pd.isna(schedules.loc["sched-siltuximab-1", "dose_value"])
    assert schedules.loc["sched-siltuximab-1", "dose_value"] is pd.NA


def test_empty_strings_are_missing_not_empty_text():
    events = load_frame("clinical_events", PACKAGE).set_index("event_id")
    assert events["note"].dtype == "string"
    assert events.loc["ev-seizure", "note"] is pd.NA


def test_enum_fields_are_categoricals_with_the_schema_categories():
    certainty = load_frame("clinical_events", PACKAGE)["certainty"]
    assert isinstance(certainty.dtype, pd.CategoricalDtype)
    assert list(certainty.cat.categories) == ["asserted", "suspected", "negated"]


def test_value_outside_enum_is_refused_not_turned_into_missing(package):
    package.set_cell("toxicity_grades", "tg-icans", "timing_basis", "HLH")
    with pytest.raises(ValueError, match="HLH"):
        load_frame("toxicity_grades", package.root)


def test_sqlite_declares_primary_and_foreign_keys(tmp_path):
    database = build_database(PACKAGE, tmp_path / "case.sqlite")
    connection = sqlite3.connect(database)
    keys = connection.execute("PRAGMA foreign_key_list(drug_schedules)").fetchall()
    assert {(row[2], row[3], row[4]) for row in keys} == {
        ("cases", "case_id", "case_id"), ("locators", "locator_id", "locator_id"), ("drugs", "drug_id", "drug_id"),
        ("purposes", "purpose", "purpose"), ("frequencies", "frequency", "frequency"), ("routes", "route", "route"),
        ("units", "dose_unit", "unit"), ("units", "dose_per_body_unit", "unit"), ("units", "time_unit", "unit"),
        ("dose_descriptions", "dose_description", "dose_description"), ("combinations", "combination_id", "combination_id")}
    primary = [row[1] for row in connection.execute("PRAGMA table_info(discrepancy_rows)") if row[5]]
    assert primary == ["discrepancy_id", "resource", "row_id"]
    types = {row[1]: row[2] for row in connection.execute("PRAGMA table_info(drug_schedules)")}
    assert (types["step"], types["dose_value"], types["drug_id"]) == ("INTEGER", "REAL", "TEXT")
    assert connection.execute("SELECT typeof(step), typeof(dose_value) FROM drug_schedules "
                              "WHERE schedule_id = 'sched-dasatinib-1'").fetchone() == ("integer", "real")


def test_sqlite_build_fails_on_a_dangling_foreign_key(package, tmp_path):
    package.set_cell("drug_schedules", "sched-dasatinib-1", "drug_id", "imatinib")
    with pytest.raises(BuildFailed, match="drug_schedules"):
        build_database(package.root, tmp_path / "case.sqlite")
    assert list(tmp_path.glob("case.sqlite*")) == []


def test_sqlite_build_refuses_to_write_into_data(package):
    before = package.snapshot()
    with pytest.raises(UnsafeOutput):
        build_database(package.root, package.root / "data" / "case.sqlite")
    assert package.snapshot() == before


def test_build_script_writes_under_build_by_default(package):
    result = run_script(REPO / "scripts" / "build_sqlite.py", cwd=package.root)
    assert result.returncode == 0, result.stderr
    assert (package.root / "build" / "case.sqlite").is_file()
