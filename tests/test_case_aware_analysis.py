"""With two cases in one package, frames, resolved times and figures keep each case to itself.

The second case is a clone of the published case under new ids (tests/case_clone.py), so every
expected count is the published case's own count, read from the data (the package under test
may hold more cases: see tests/package_under_test.py).
"""
from __future__ import annotations

import sys

import pytest

from case_clone import clone_case
from casekit.analysis import figure
from casekit.analysis.course import course_layers
from casekit.analysis.descriptor import table_resources
from casekit.analysis.frames import CASE_KEY, case_ids, case_scoped, load_frame, load_frames, records
from casekit.analysis.relative import relative_times
from conftest import PACKAGE, PUBLISHED_CASE, REPO, copy_package

TWIN = "twin-2024-case-1"
SUFFIX = "-twin"


@pytest.fixture(scope="module")
def first_case() -> str:
    return PUBLISHED_CASE


@pytest.fixture
def two_cases(tmp_path, first_case):
    """A package with a second case, to change."""
    package = copy_package(tmp_path)
    clone_case(package, first_case, TWIN, SUFFIX)
    return package


@pytest.fixture(scope="module")
def shared_two_cases(tmp_path_factory, first_case):
    """The same, built once for the tests that only read it."""
    package = copy_package(tmp_path_factory.mktemp("two-cases"))
    clone_case(package, first_case, TWIN, SUFFIX)
    return package


def test_case_ids_lists_every_case(shared_two_cases, first_case):
    assert case_ids(shared_two_cases.root) == [*case_ids(PACKAGE), TWIN] and first_case in case_ids(PACKAGE)


def test_frames_filtered_by_case_hold_only_that_cases_rows(shared_two_cases, first_case):
    alone = load_frames(PACKAGE, case_id=first_case)
    before = load_frames(PACKAGE)
    both = load_frames(shared_two_cases.root)
    scoped = case_scoped(table_resources(shared_two_cases.root))
    for case_id in (first_case, TWIN):
        frames = load_frames(shared_two_cases.root, case_id=case_id)
        for name, frame in frames.items():
            if name in scoped:
                assert len(frame) == len(alone[name]), name
                assert len(both[name]) == len(before[name]) + len(alone[name]), name
            else:
                assert len(frame) == len(both[name]), f"{name} is shared and stays whole"
            if CASE_KEY in frame.columns:
                assert set(frame[CASE_KEY]) <= {case_id}, name
    twin = load_frames(shared_two_cases.root, case_id=TWIN)
    assert all(str(locator).endswith(SUFFIX) for locator in twin["locators"]["locator_id"])
    assert all(str(row_id).endswith(SUFFIX) for row_id in twin["discrepancy_rows"]["discrepancy_id"])


def test_load_frame_takes_the_same_case_filter(shared_two_cases):
    events = load_frame("clinical_events", shared_two_cases.root, case_id=TWIN)
    assert len(events) and set(events[CASE_KEY]) == {TWIN}


def test_an_unknown_case_is_refused_with_the_known_ones(shared_two_cases, first_case):
    with pytest.raises(KeyError, match=first_case):
        load_frames(shared_two_cases.root, case_id="no-such-case")


def test_relative_times_carry_their_case_and_filter_by_it(shared_two_cases, first_case):
    alone = relative_times(PACKAGE, case_id=first_case)
    both = relative_times(shared_two_cases.root)
    assert len(alone) and len(both) == len(relative_times(PACKAGE)) + len(alone)
    twin = relative_times(shared_two_cases.root, case_id=TWIN)
    assert set(twin[CASE_KEY]) == {TWIN} and all(row_id.endswith(SUFFIX) for row_id in twin["row_id"])
    first = relative_times(shared_two_cases.root, case_id=first_case)
    columns = ["resource", "row_id", "point", "earliest_day", "latest_day"]
    assert first[columns].equals(alone[columns])


def test_a_relative_timing_anchored_in_another_case_does_not_resolve(two_cases, first_case):
    relation = next(row for row in two_cases.read_rows("relative_timings") if row[CASE_KEY] == TWIN)
    anchor = relation["anchor_id"].removesuffix(SUFFIX)  # the same row, but the first case's copy
    two_cases.set_cell("relative_timings", relation["relation_id"], "anchor_id", anchor)
    resolved = relative_times(two_cases.root)
    subject = (relation["subject_resource"], relation["subject_id"], relation["subject_point"])
    assert subject not in set(zip(resolved["resource"], resolved["row_id"], resolved["point"]))
    assert len(resolved[resolved[CASE_KEY] == first_case]) == len(relative_times(PACKAGE, case_id=first_case))


def test_each_case_draws_only_its_own_rows(shared_two_cases, first_case):
    alone = course_layers(PACKAGE, first_case)
    twin = course_layers(shared_two_cases.root, TWIN)
    assert twin.case_id == TWIN and TWIN in twin.title
    assert [event.event_id for event in twin.events] == [event.event_id + SUFFIX for event in alone.events]
    assert twin.drug_bars == alone.drug_bars and twin.grades == alone.grades and twin.window == alone.window
    with pytest.raises(ValueError, match=f"{len(case_ids(PACKAGE)) + 1} cases"):
        course_layers(shared_two_cases.root)


def test_open_intervals_are_kept_open_not_dropped(two_cases):
    grade = next(row for row in two_cases.read_rows("toxicity_grades") if row[CASE_KEY] == TWIN)
    two_cases.set_cell("toxicity_grades", grade["grade_id"], "time_latest", "")
    event = next(row for row in two_cases.read_rows("clinical_events")
                 if row[CASE_KEY] == TWIN and row["time_unit"] == "d" and row["time_latest"])
    two_cases.set_cell("clinical_events", event["event_id"], "time_latest", "")
    layers = course_layers(two_cases.root, TWIN)
    assert [span.latest for span in layers.grades if span.earliest == float(grade["time_earliest"])
            and span.grade == int(grade["grade"])] == [None]
    assert next(mark for mark in layers.events if mark.event_id == event["event_id"]).latest is None


def test_a_figure_with_open_intervals_is_drawn_and_named_after_its_case(two_cases, tmp_path):
    """The one render of this module: the twin's first grade has an open upper day, some events too."""
    from casekit.analysis.figure import save

    grade = next(row for row in two_cases.read_rows("toxicity_grades") if row[CASE_KEY] == TWIN)
    two_cases.set_cell("toxicity_grades", grade["grade_id"], "time_latest", "")
    layers = course_layers(two_cases.root, TWIN)
    assert any(span.latest is None for span in layers.grades)
    paths = save(layers, tmp_path / "figures")
    assert [path.name for path in paths] == [f"clinical-course-{TWIN}.png", f"clinical-course-{TWIN}.svg"]
    assert all(path.stat().st_size > 10_000 for path in paths)


def test_draw_script_draws_every_case_without_case_and_refuses_an_unknown_one(shared_two_cases, first_case,
                                                                              monkeypatch, tmp_path):
    script = _draw_script()
    drawn = []
    monkeypatch.setattr(figure, "save", lambda layers, output_dir, root=".": drawn.append(layers.case_id) or [])
    assert script.main(["--root", str(shared_two_cases.root), "--output-dir", str(tmp_path)]) == 0
    assert drawn == [*case_ids(PACKAGE), TWIN]
    assert script.main(["--root", str(shared_two_cases.root), "--case", "no-such-case",
                        "--output-dir", str(tmp_path / "none")]) == 2
    assert drawn == [*case_ids(PACKAGE), TWIN] and not (tmp_path / "none").exists()


def _draw_script():
    """The script module; it imports casekit.analysis.figure.save when run, so tests replace it there."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import draw_clinical_course
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return draw_clinical_course


def test_case_option_draws_only_that_case(shared_two_cases, monkeypatch):
    script = _draw_script()
    drawn = []
    monkeypatch.setattr(figure, "save", lambda layers, output_dir, root=".": drawn.append(layers.case_id) or [])
    assert script.main(["--root", str(shared_two_cases.root), "--case", TWIN]) == 0
    assert drawn == [TWIN]


def test_observations_convert_to_the_analytes_unit_and_tables_keep_the_stated_one(package):
    row = next(row for row in package.read_rows("observations") if row["unit"] == "ug/L")
    package.set_cell("observations", row["observation_id"], "value", str(float(row["value"]) / 1000))
    package.set_cell("observations", row["observation_id"], "unit", "mg/L")
    from casekit.analysis.frames import observations_in_canonical_units

    converted = {item["observation_id"]: item for item in records(observations_in_canonical_units(package.root))}
    assert converted[row["observation_id"]]["unit"] == "mg/L"
    assert converted[row["observation_id"]]["canonical_unit"] == "ug/L"
    assert converted[row["observation_id"]]["canonical_value"] == pytest.approx(float(row["value"]))
    assert next(item for item in package.read_rows("observations")
                if item["observation_id"] == row["observation_id"])["unit"] == "mg/L"


def test_labels_join_the_vocabulary_beside_each_coded_column(package):
    """Any table with a label column is a vocabulary; here drugs is made one in a copy of the package."""
    import json

    path = package.root / "schemas" / "drugs.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"] += [{"name": "label", "type": "string"}, {"name": "definition", "type": "string"}]
    path.write_text(json.dumps(schema), encoding="utf-8")
    drugs = package.read_rows("drugs")
    for drug in drugs:
        drug["label"], drug["definition"] = drug["name"].upper(), "explains, so not joined"
    package.write_rows("drugs", drugs, list(drugs[0]))
    schedules = load_frame("drug_schedules", package.root, labels=True)
    columns = list(schedules.columns)
    assert columns[columns.index("drug_id") + 1:columns.index("drug_id") + 3] == ["drug_id_name", "drug_id_drug_class"]
    assert "drug_id_label" in columns and "drug_id_definition" not in columns
    labels = {drug["drug_id"]: drug["label"] for drug in drugs}
    assert list(schedules["drug_id_label"]) == [labels[drug_id] for drug_id in schedules["drug_id"]]
    plain = list(load_frame("drug_schedules", package.root).columns)
    assert [column for column in columns if column in plain] == plain


def test_offsets_in_weeks_and_months_are_converted_to_days():
    from decimal import Decimal

    from casekit.timing import offset_in_days

    relation = {"offset_value": "2", "counting_convention": "exclusive"}
    assert offset_in_days(relation | {"offset_unit": "wk"}) == 14
    assert offset_in_days(relation | {"offset_unit": "h"}) == Decimal(2) / 24
    assert offset_in_days(relation | {"offset_unit": "mo"}) == Decimal("60.875")  # UCUM's mean Julian month


def test_sqlite_build_of_one_case_holds_only_its_rows_and_keeps_the_keys(shared_two_cases, tmp_path):
    import sqlite3

    from casekit.analysis.sqlite import build_database

    expected = {name: len(frame) for name, frame in load_frames(shared_two_cases.root, case_id=TWIN).items()}
    connection = sqlite3.connect(build_database(shared_two_cases.root, tmp_path / "twin.sqlite", case_id=TWIN))
    try:
        counts = {name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in expected}
        assert connection.execute("SELECT DISTINCT case_id FROM clinical_events").fetchall() == [(TWIN,)]
    finally:
        connection.close()
    assert counts == expected


def test_event_categories_come_from_the_event_types_vocabulary(package):
    events = load_frame("clinical_events", package.root, labels=True)
    vocabulary = {row["event_type"]: row for row in package.read_rows("event_types")}
    assert list(events["event_type_category"].astype(str)) == [
        vocabulary[code]["category"] for code in events["event_type"]]
    assert list(events["event_type_label"]) == [vocabulary[code]["label"] for code in events["event_type"]]
    assert "event_type_definition" not in events.columns


def test_frames_remembered_per_file_equal_frames_read_afresh(two_cases, monkeypatch):
    """The suite turns casekit.analysis.frame_memo on (tests/conftest.py): frames from the memo, cold or warm,
    equal frames parsed afresh; a changed file is parsed again; changing a frame changes no later one."""
    import pandas as pd

    from casekit.analysis import frame_memo

    def all_frames():
        return [load_frames(two_cases.root), load_frames(two_cases.root, TWIN, labels=True)]

    monkeypatch.setattr(frame_memo, "enabled", False)
    fresh = all_frames()
    monkeypatch.setattr(frame_memo, "enabled", True)
    frame_memo.clear()
    for remembered in (all_frames(), all_frames()):
        for frames, expected in zip(remembered, fresh):
            assert list(frames) == list(expected)
            for name, frame in frames.items():
                pd.testing.assert_frame_equal(frame, expected[name])
    assert len(frame_memo._memo) > 0
    drugs = load_frames(two_cases.root)["drugs"]
    drugs.loc[0, "drug_id"] = "changed-in-place"
    pd.testing.assert_frame_equal(load_frames(two_cases.root)["drugs"], fresh[0]["drugs"])
    events = two_cases.read_rows("clinical_events")
    two_cases.write_rows("clinical_events", events[:-1])
    two_cases.refresh_hashes()
    assert len(load_frames(two_cases.root)["clinical_events"]) == len(fresh[0]["clinical_events"]) - 1
