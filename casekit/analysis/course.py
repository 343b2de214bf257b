"""What the clinical-course figure shows, computed from the tables alone.

`course_layers` turns the package into plain data (bars, steps, markers,
points) in days from the CAR T-cell infusion; `casekit.analysis.figure`
only draws it. Keeping the two apart lets the tests change a dose or a day
in a copy of the package and see the drawn data follow, without reading
pixels.

Timing rules: a time known only as a window [earliest, latest] stays a
window (an interval on the plot, never its midpoint); a time the article
gives only relative to another row is resolved here with
casekit.timing.resolve_relative_times and never written back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pandas as pd

from casekit.analysis.frames import load_frames, records
from casekit.timing import point_interval, resolve_relative_times

WINDOW = (-5, 26)
ID_COLUMNS = {"clinical_events": "event_id", "drug_schedules": "schedule_id", "observations": "observation_id"}
TAPERED_DRUG = "dexamethasone"
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
# Figure 1 of the article shows these events; the others in clinical_events are listed in the README.
EVENT_LABELS = {
    "fever": "Fever",
    "icu_transfer": "ICU transfer",
    "neurological_symptoms": "Neurological symptoms",
    "seizure": "Generalised seizure",
    "intubation": "Intubation",
    "renal_replacement_start": "CVVHDF started",
    "temperature_normalised": "Temperature normal",
    "extubation": "Extubation",
    "renal_replacement_stop": "CVVHDF stopped",
    "ward_transfer": "Transfer to ward",
}
ANALYTE_PANELS = {"ferritin": "inflammation", "il-6": "inflammation", "car-t-cells": "car_t"}


@dataclass(frozen=True)
class DrugBar:
    lane: str
    start: float
    end: float
    label: str
    exact: bool  # False: the doses fall somewhere in [start, end], days not stated


@dataclass(frozen=True)
class DoseStep:
    start: float
    end: float
    dose: float
    unit: str


@dataclass(frozen=True)
class EventMark:
    event_id: str
    label: str
    earliest: float
    latest: float
    from_relative_timing: bool

    @property
    def is_interval(self) -> bool:
        return self.earliest != self.latest


@dataclass(frozen=True)
class GradeSpan:
    syndrome: str
    grade: int
    earliest: float
    latest: float

    @property
    def is_interval(self) -> bool:
        return self.earliest != self.latest


@dataclass(frozen=True)
class Measurement:
    analyte_id: str
    label: str
    unit: str
    value: float
    earliest: float | None  # None: before `latest`, by how much not stated
    latest: float
    timing_as_stated: str


@dataclass
class CourseLayers:
    drug_bars: list[DrugBar] = field(default_factory=list)
    taper: list[DoseStep] = field(default_factory=list)
    taper_label: str = ""
    events: list[EventMark] = field(default_factory=list)
    grades: list[GradeSpan] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    window: tuple[float, float] = WINDOW

    def lanes(self) -> list[str]:
        return list(dict.fromkeys(bar.lane for bar in self.drug_bars))


def course_layers(tables_or_root: Mapping[str, pd.DataFrame] | Path | str = ".") -> CourseLayers:
    """Everything the figure draws, from load_frames() output or a package root."""
    tables = load_frames(tables_or_root) if isinstance(tables_or_root, (str, Path)) else tables_or_root
    rows = {name: records(frame) for name, frame in tables.items()}
    drug_names = {drug["drug_id"]: drug["name"] for drug in rows["drugs"]}
    layers = CourseLayers()
    for schedule in rows["drug_schedules"]:
        if schedule["drug_id"] == TAPERED_DRUG and schedule["dose_unit"] == "mg/d":
            layers.taper.append(_dose_step(schedule))
        else:
            bar = _drug_bar(schedule, drug_names)
            if bar is not None:
                layers.drug_bars.append(bar)
    layers.taper.sort(key=lambda step: step.start)
    layers.taper_label = drug_names.get(TAPERED_DRUG, TAPERED_DRUG).capitalize()
    layers.events = _events(rows)
    layers.grades = [_grade(row) for row in rows["toxicity_grades"] if row["time_unit"] == "d"]
    layers.measurements = _measurements(rows)
    return layers


def _drug_bar(schedule: dict, drug_names: dict) -> DrugBar | None:
    start, _ = point_interval(schedule, "start")
    _, end = point_interval(schedule, "end")
    if start is None or end is None or not _in_window(start, end):
        return None
    exact = schedule["start_earliest"] == schedule["start_latest"] and schedule["end_earliest"] == schedule["end_latest"]
    lane = _lane_name(schedule, drug_names)
    return DrugBar(lane, float(start), float(end), _dose_label(schedule, exact), exact)


def _lane_name(schedule: dict, drug_names: dict) -> str:
    name = drug_names.get(schedule["drug_id"], schedule["drug_id"]).capitalize()
    return "CAR T-cell infusion" if schedule["purpose"] == "car_t_infusion" else name


def _dose_label(schedule: dict, exact: bool) -> str:
    doses = schedule["administrations"]
    if not exact and doses:
        return f"{doses} doses, days not stated"
    if schedule["purpose"] == "car_t_infusion" and schedule["dose_value"] is not None:
        return f"{_scientific(schedule['dose_value'])} cells"
    if schedule["dose_value"] is not None:
        return f"{schedule['dose_value']:g} {schedule['dose_unit']}"
    if schedule["dose_per_body_value"] is not None:
        return f"{schedule['dose_per_body_value']:g} {schedule['dose_per_body_unit']}"
    return "dose not stated"


def _scientific(value: float) -> str:
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{float(mantissa):g} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def _dose_step(schedule: dict) -> DoseStep:
    start, _ = point_interval(schedule, "start")
    _, end = point_interval(schedule, "end")
    return DoseStep(float(start), float(end), float(schedule["dose_value"]), schedule["dose_unit"])


def _events(rows: dict) -> list[EventMark]:
    relations = rows["relative_timings"]
    resolved = resolve_relative_times(rows, relations, ID_COLUMNS)
    marks = []
    for event in rows["clinical_events"]:
        if event["event_type"] not in EVENT_LABELS:
            continue
        earliest, latest = point_interval(event, "time")
        relative = (earliest, latest) == (None, None)
        if relative:
            earliest, latest = resolved.get(("clinical_events", event["event_id"], "time"), (None, None))
        # An open-ended window ("after extubation") has no place on a bounded axis.
        if earliest is None or latest is None:
            continue
        marks.append(EventMark(event["event_id"], EVENT_LABELS[event["event_type"]],
                               float(earliest), float(latest), relative))
    return sorted(marks, key=lambda mark: (mark.earliest, mark.latest))


def _grade(row: dict) -> GradeSpan:
    return GradeSpan(row["syndrome"], int(row["grade"]), float(row["time_earliest"]), float(row["time_latest"]))


def _measurements(rows: dict) -> list[Measurement]:
    analytes = {analyte["analyte_id"]: analyte for analyte in rows["analytes"]}
    points = []
    for observation in rows["observations"]:
        if observation["analyte_id"] not in ANALYTE_PANELS or observation["time_unit"] != "d":
            continue
        earliest, latest = point_interval(observation, "time")
        if latest is None:
            continue
        analyte = analytes[observation["analyte_id"]]
        points.append(Measurement(
            observation["analyte_id"], analyte["name"], observation["unit"], float(observation["value"]),
            None if earliest is None else float(earliest), float(latest), observation["timing_as_stated"] or "",
        ))
    return points


def _in_window(start, end) -> bool:
    return float(end) >= WINDOW[0] and float(start) <= WINDOW[1]
