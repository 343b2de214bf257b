"""The clinical-course figure is drawn from the tables: change a table, the drawn data follows.

The facts asserted are the published case's (PUBLISHED_CASE), drawn from the package under test.
"""
from __future__ import annotations

import functools

from casekit.analysis.course import course_layers
from casekit.analysis.figure import file_stem, save
from casekit.analysis.frames import case_ids
from conftest import PACKAGE, PUBLISHED_CASE, REPO


def _published(root=None):
    """The published case's layers: of the unchanged package (drawn once, read only) or of a changed copy."""
    return _unchanged() if root is None else course_layers(root, PUBLISHED_CASE)


@functools.cache
def _unchanged():
    return course_layers(PACKAGE, PUBLISHED_CASE)


def _bars(layers, lane):
    return [(bar.start, bar.end, bar.label, bar.exact) for bar in layers.drug_bars if bar.lane == lane]


def _event(layers, event_id):
    return next(event for event in layers.events if event.event_id == event_id)


def test_drug_lanes_follow_the_schedules():
    layers = _published()
    assert _bars(layers, "Dasatinib") == [(7, 13, "100 mg/d", True)]
    assert _bars(layers, "Siltuximab") == [(6, 6, "dose not stated", True)]
    assert _bars(layers, "Fludarabine") == [(-4, -2, "25 mg/m2", True)]
    assert _bars(layers, "Bendamustine") == [(-4, -3, "90 mg/m2", True)]


def test_a_start_without_an_end_is_an_open_bar_not_a_dropped_row():
    assert _bars(_published(), "Levetiracetam") == [(7, None, "from day 7, end not stated", False)]


def test_undated_tocilizumab_doses_are_one_interval_bar_not_guessed_days():
    assert _bars(_published(), "Tocilizumab") == [
        (0, 0, "700 mg", True), (1, 4, "4 doses, days not stated", False)]


def _taper(layers):
    panel = next(panel for panel in layers.dose_steps if panel.label == "Dexamethasone")
    return panel.steps


def test_dexamethasone_taper_is_drawn_as_steps_at_their_dose_levels():
    layers = _published()
    assert [panel.label for panel in layers.dose_steps] == ["Dexamethasone"]
    assert "Dexamethasone" not in layers.lanes()
    taper = [(step.start, step.end, step.dose) for step in _taper(layers)]
    assert taper[0] == (3, 4, 40) and taper[1] == (5, 8, 80) and taper[-1] == (20, 23, 1)
    assert sum(dose * (end - start + 1) for start, end, dose in taper) == 602


def test_changing_a_dose_in_the_table_changes_the_drawn_step(package):
    package.set_cell("drug_schedules", "sched-dexamethasone-2", "dose_value", "60")
    taper = {(step.start, step.end): step.dose for step in _taper(_published(package.root))}
    assert taper[(5, 8)] == 60


def test_moving_dasatinib_moves_its_bar_and_the_events_timed_relative_to_it(package):
    for column in ("start_earliest", "start_latest"):
        package.set_cell("drug_schedules", "sched-dasatinib-1", column, "8")
    layers = _published(package.root)
    assert _bars(layers, "Dasatinib") == [(8, 13, "100 mg/d", True)]
    assert (_event(layers, "ev-extubation").earliest, _event(layers, "ev-extubation").latest) == (9, 9)
    assert (_event(layers, "ev-crrt-stop").earliest, _event(layers, "ev-crrt-stop").latest) == (12, 12)


def test_relative_events_are_resolved_at_analysis_time_and_marked_so():
    layers = _published()
    extubation = _event(layers, "ev-extubation")
    assert (extubation.earliest, extubation.latest, extubation.from_relative_timing) == (8, 8, True)
    assert _event(layers, "ev-seizure").from_relative_timing is False


def test_events_known_only_as_a_window_are_drawn_as_intervals():
    layers = _published()
    neurological = _event(layers, "ev-neurological-symptoms")
    assert neurological.is_interval and (neurological.earliest, neurological.latest) == (0, 7)
    temperature = _event(layers, "ev-temperature-normal")
    assert temperature.is_interval and (temperature.earliest, temperature.latest) == (7, 9)
    assert not _event(layers, "ev-seizure").is_interval


def test_icans_grade_4_is_an_interval_and_crs_grades_are_single_days():
    grades = {(grade.syndrome.upper(), grade.grade): grade for grade in _published().grades}
    assert grades[("ICANS", 4)].is_interval and (grades[("ICANS", 4)].earliest, grades[("ICANS", 4)].latest) == (0, 7)
    assert (grades[("CRS", 2)].earliest, grades[("CRS", 3)].earliest) == (0, 3)
    assert not grades[("CRS", 3)].is_interval


def test_changing_an_event_day_moves_its_marker(package):
    package.set_cell("clinical_events", "ev-ward-transfer", "time_earliest", "14")
    package.set_cell("clinical_events", "ev-ward-transfer", "time_latest", "14")
    assert _event(_published(package.root), "ev-ward-transfer").earliest == 14


def test_measurements_are_the_stated_day_based_values_only(package):
    observations = [row for row in package.read_rows("observations") if row["case_id"] == PUBLISHED_CASE]
    in_days = {(row["analyte_id"], float(row["time_latest"])) for row in observations if row["time_unit"] == "d"}
    points = {(point.analyte_id, point.latest): point for point in _published().measurements}
    assert set(points) == in_days and ("car-t-cells", 9) in points
    assert points[("ferritin", 5)].value == 77945 and points[("car-t-cells", 9)].value == 1064
    assert points[("ferritin", 0)].earliest is None  # "before therapy": no lower bound


def test_analytes_whose_units_share_a_dimension_share_a_panel():
    panels = {point.analyte_id: point.panel for point in _published().measurements}
    assert panels["ferritin"] == panels["il-6"] != panels["car-t-cells"]


def test_a_value_stated_in_another_unit_is_drawn_in_the_analytes_unit(package):
    package.set_cell("observations", "obs-ferritin-max", "value", "77.945")
    package.set_cell("observations", "obs-ferritin-max", "unit", "mg/L")
    points = {(point.analyte_id, point.latest): point for point in _published(package.root).measurements}
    assert (points[("ferritin", 5)].value, points[("ferritin", 5)].unit) == (77945, "ug/L")


def test_title_and_window_come_from_the_data(package):
    layers = _published()
    case = next(row for row in package.read_rows("cases") if row["case_id"] == PUBLISHED_CASE)
    source = next(row for row in package.read_rows("sources") if row["source_id"] == case["source_id"])
    assert case["case_id"] in layers.title
    assert source["citation"].split(",")[0] in layers.subtitle
    assert source["citation"].rsplit(" ", 1)[-1] in layers.subtitle
    days = [int(row[column]) for row in package.read_rows("drug_schedules")
            if row["time_unit"] == "d" and row["case_id"] == PUBLISHED_CASE
            for column in ("start_earliest", "end_latest") if row[column]]
    assert layers.window[0] == min(days) - 1 and max(days) < layers.window[1] <= max(days) + 0.2 * (max(days) - min(days))
    package.set_cell("clinical_events", "ev-ward-transfer", "time_earliest", "40")
    package.set_cell("clinical_events", "ev-ward-transfer", "time_latest", "40")
    wider = _published(package.root).window
    assert wider[0] == layers.window[0] and 40 < wider[1] <= 40 + 0.2 * (40 - min(days))


def test_changing_a_measured_value_changes_the_drawn_point(package):
    package.set_cell("observations", "obs-il-6-max", "value", "12000")
    points = {(point.analyte_id, point.latest): point.value for point in _published(package.root).measurements}
    assert points[("il-6", 5)] == 12000


def test_checked_in_figures_are_up_to_date_and_their_svg_reproducible(tmp_path):
    for case_id in case_ids(REPO):
        layers = course_layers(REPO, case_id)
        png, svg = save(layers, tmp_path)
        assert (png.name, svg.name) == (f"{file_stem(case_id)}.png", f"{file_stem(case_id)}.svg")
        checked_in = REPO / "figures" / svg.name
        assert svg.read_bytes() == checked_in.read_bytes(), (
            "figures/ is stale; regenerate with `python scripts/draw_clinical_course.py`")


def test_a_dose_per_administration_says_how_often(package):
    package.set_cell("drug_schedules", "sched-tocilizumab-1", "frequency", "daily")
    label = _bars(_published(package.root), "Tocilizumab")[0][2]
    assert label.startswith("700 mg, ") and "daily" in label
