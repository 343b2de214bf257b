"""What the clinical-course figure of one case shows, computed from the tables alone.

`course_layers` turns one case of the package into plain data (bars, steps,
markers, points) in days from the CAR T-cell infusion;
`casekit.analysis.figure` only draws it. Keeping the two apart lets the
tests change a dose or a day in a copy of the package and see the drawn
data follow, without reading pixels.

Everything comes from the data: the title from the case's source, the lanes
from its schedules, the labels from the vocabularies (or the codes when a
table has no vocabulary), the window from the days the rows state. Timing
rules: a time known only as a window [earliest, latest] stays a window (an
interval on the plot, never its midpoint); a bound the article leaves open
stays None (the figure draws an arrow to the edge); a time given only
relative to another row of the same case is resolved here with
casekit.timing.resolve_relative_times and never written back.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from casekit.analysis.descriptor import table_resources
from casekit.analysis.frames import CASE_KEY, case_ids_of, frames_of, records
from casekit.analysis.relative import primary_keys_of
from casekit.timing import point_interval, resolve_relative_times

DAY = "d"
PER_DAY = "/d"
# Days of margin around the stated days: one before the first, three after the last for the labels.
MARGIN = (1, 3)
LABEL_ROOM = 0.1
# Frequencies that add nothing beside a dose: one administration, or the article does not say.
SILENT_FREQUENCIES = (None, "single", "not_stated", "unknown")
# An event the article only suspects or explicitly denies says so beside its label.
UNCERTAIN_CERTAINTY = ("suspected", "negated")
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class DrugBar:
    lane: str
    start: float | None  # None: the start is not stated (drawn as an arrow from the left edge)
    end: float | None  # None: the end is not stated (drawn as an arrow to the right edge)
    label: str
    exact: bool  # False: the doses fall somewhere in [start, end], days not stated
    from_relative_timing: bool = False


@dataclass(frozen=True)
class DoseStep:
    start: float
    end: float
    dose: float
    unit: str


@dataclass(frozen=True)
class DoseSteps:
    """A drug given in steps of stated daily doses (a taper or an escalation)."""
    label: str
    unit: str
    steps: list[DoseStep]


@dataclass(frozen=True)
class EventMark:
    event_id: str
    label: str
    earliest: float | None
    latest: float | None
    from_relative_timing: bool

    @property
    def is_interval(self) -> bool:
        return self.earliest != self.latest


@dataclass(frozen=True)
class GradeSpan:
    syndrome: str  # the syndrome's code
    row: str  # the row label: syndrome and grading system
    grade: int
    earliest: float | None
    latest: float | None

    @property
    def is_interval(self) -> bool:
        return self.earliest != self.latest


@dataclass(frozen=True)
class Measurement:
    analyte_id: str
    label: str
    unit: str  # the analyte's canonical unit, which `value` is in
    value: float
    earliest: float | None  # None: before `latest`, by how much not stated
    latest: float | None  # None: after `earliest`, by how much not stated
    timing_as_stated: str
    panel: str  # analytes whose units share a dimension share a panel
    certainty: str = ""  # value_certainty: "" as stated, else approximate or estimated


@dataclass
class CourseLayers:
    case_id: str = ""
    title: str = ""
    subtitle: str = ""
    relative_example: str = ""
    drug_bars: list[DrugBar] = field(default_factory=list)
    dose_steps: list[DoseSteps] = field(default_factory=list)
    events: list[EventMark] = field(default_factory=list)
    grades: list[GradeSpan] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)  # drugs and events of the case with no day to draw
    window: tuple[float, float] = (-1, 1)

    def lanes(self) -> list[str]:
        return list(dict.fromkeys(bar.lane for bar in self.drug_bars))

    def grade_rows(self) -> list[str]:
        return list(dict.fromkeys(grade.row for grade in self.grades))

    def panels(self) -> list[str]:
        return list(dict.fromkeys(point.panel for point in self.measurements))


def course_layers(root: Path | str = ".", case_id: str | None = None) -> CourseLayers:
    """Everything the figure of one case draws; case_id may be omitted when the package holds one case."""
    resources = table_resources(root)  # the package checked once, for the cases, frames and keys
    if case_id is None:
        cases = case_ids_of(resources)
        if len(cases) != 1:
            raise ValueError(f"the package holds {len(cases)} cases ({', '.join(cases)}); name one")
        case_id = cases[0]
    frames = frames_of(resources, case_id, labels=True)
    rows = {name: records(frame) for name, frame in frames.items()}
    id_columns = primary_keys_of(resources)
    resolved = resolve_relative_times(rows, rows["relative_timings"], id_columns)
    timing = _Timing(resolved, id_columns)
    layers = CourseLayers(case_id=case_id)
    layers.title, layers.subtitle = _titles(rows, case_id)
    layers.relative_example = _relative_example(rows, resolved)
    layers.dose_steps, stepped = _dose_steps(rows)
    layers.drug_bars = _drug_bars(rows, timing, exclude=stepped, undated=layers.undated)
    layers.events = _events(rows, timing, undated=layers.undated)
    layers.grades = _grades(rows, timing)
    layers.measurements = _measurements(rows, undated=layers.undated)
    layers.window = _window(layers)
    return layers


class _Timing:
    """A row's [earliest, latest] day of a point, from its own columns or else from its relative timings."""

    def __init__(self, resolved: dict, id_columns: dict):
        self.resolved, self.id_columns = resolved, id_columns

    def __call__(self, resource: str, row: dict, point: str) -> tuple[float | None, float | None, bool]:
        earliest, latest = point_interval(row, point)
        relative = (earliest, latest) == (None, None)
        if relative:
            earliest, latest = self.resolved.get((resource, row[self.id_columns[resource]], point), (None, None))
        return _float(earliest), _float(latest), relative and (earliest, latest) != (None, None)


def _titles(rows: dict, case_id: str) -> tuple[str, str]:
    case = next(row for row in rows["cases"] if row[CASE_KEY] == case_id)
    sources = {row["source_id"]: row for row in rows["sources"]}
    source = sources.get(case.get("source_id"), {})
    title = f"Clinical course of case {case_id} after CAR T-cell infusion, redrawn from the tables"
    return title, _short_citation(source.get("citation") or "")


def _short_citation(citation: str) -> str:
    """The citation with its author list cut to the first author when it names more than three.

    A citation that opens with its title (no authors) is shown as it is: its first sentence is
    taken for an author list only when every comma-separated part of it reads as a name.
    """
    authors, _, rest = citation.partition(". ")
    names = [name.strip() for name in authors.split(",")]
    if len(names) > 3 and all(_is_author(name) for name in names):
        text = f"{names[0]} et al. {rest}" if rest else f"{names[0]} et al."
    else:
        text = citation
    return text if len(text) <= 160 else text[:157].rstrip() + "..."


def _is_author(name: str) -> bool:
    """'Smith J', 'Finley Caulfield A', 'van der Berg JC', 'Lee T et al': a surname, then initials."""
    words = name.removesuffix(" et al").split()
    return (len(words) >= 2 and 1 <= len(words[-1]) <= 3 and words[-1].isalpha() and words[-1].isupper()
            and any(word[:1].isupper() for word in words[:-1]))


def _relative_example(rows: dict, resolved: dict) -> str:
    for relation in rows["relative_timings"]:
        key = (relation["subject_resource"], relation["subject_id"], relation["subject_point"])
        if key in resolved and relation.get("quote"):
            return relation["quote"]
    return ""


def _label(row: dict, column: str) -> str:
    """The vocabulary label of a coded column, or the code made readable when there is no vocabulary."""
    text = str(row.get(f"{column}_label") or str(row.get(column) or "").replace("_", " "))
    return text[:1].upper() + text[1:]


def _drug_names(rows: dict) -> dict:
    return {drug["drug_id"]: str(drug.get("name") or drug["drug_id"]) for drug in rows["drugs"]}


def _lane(drug_id: str, names: dict) -> str:
    name = names.get(drug_id, drug_id)
    return name[:1].upper() + name[1:]


def _daily_dose(schedule: dict) -> tuple[float, str] | None:
    """The stated dose per day: a rate converted to per day, or a dose times a fixed number a day."""
    value, unit = schedule.get("dose_value"), schedule.get("dose_unit")
    if value is None or not unit:
        return None
    if unit.endswith(PER_DAY):
        return float(value), unit
    per_day = schedule.get("frequency_administrations_per_day")
    if per_day is not None and "/" not in unit:
        return float(value) * float(per_day), unit + PER_DAY
    if "/" in unit:
        from casekit.ucum import UnitError, convert

        target = unit.split("/")[0] + PER_DAY
        try:
            return convert(float(value), unit, target), target
        except UnitError:
            return None
    return None


def _exact_days(schedule: dict) -> tuple[float, float] | None:
    start, start_latest = point_interval(schedule, "start")
    end_earliest, end = point_interval(schedule, "end")
    if None in (start, start_latest, end_earliest, end) or start != start_latest or end != end_earliest:
        return None
    return float(start), float(end)


def _dose_steps(rows: dict) -> tuple[list[DoseSteps], set]:
    """Drugs given in two or more steps, each with a daily dose on stated days; their schedule ids."""
    names = _drug_names(rows)
    by_drug: dict[str, list[dict]] = {}
    for schedule in rows["drug_schedules"]:
        by_drug.setdefault(schedule["drug_id"], []).append(schedule)
    panels, stepped = [], set()
    for drug_id, schedules in by_drug.items():
        steps = []
        for schedule in schedules:
            dose, days = _daily_dose(schedule), _exact_days(schedule)
            if dose is None or days is None:
                break
            steps.append(DoseStep(days[0], days[1], dose[0], dose[1]))
        if len(steps) < 2 or len(steps) != len(schedules) or len({step.unit for step in steps}) != 1:
            continue
        steps.sort(key=lambda step: step.start)
        panels.append(DoseSteps(_lane(drug_id, names), steps[0].unit, steps))
        stepped.update(schedule["schedule_id"] for schedule in schedules)
    return panels, stepped


def _drug_bars(rows: dict, timing: _Timing, exclude: set, undated: list[str]) -> list[DrugBar]:
    names = _drug_names(rows)
    bars = []
    for schedule in rows["drug_schedules"]:
        if schedule["schedule_id"] in exclude:
            continue
        start_earliest, start_latest, start_relative = timing("drug_schedules", schedule, "start")
        end_earliest, end_latest, end_relative = timing("drug_schedules", schedule, "end")
        # The bar spans every day the schedule may cover; an unknown outer bound leaves that side open.
        start, end = start_earliest, end_latest
        if start is None and end is None:
            _note_once(undated, _lane(schedule["drug_id"], names))
            continue
        exact = start is not None and start == start_latest and end is not None and end == end_earliest
        label = _dose_label(schedule) if start is not None and end is not None else _open_label(
            start_earliest, start_latest, end_earliest, end_latest)
        if not exact and start is not None and end is not None and schedule.get("administrations"):
            label = f"{schedule['administrations']} doses, days not stated"
        bars.append(DrugBar(_lane(schedule["drug_id"], names), start, end, label, exact,
                            start_relative or end_relative))
    return bars


def _open_label(start_earliest, start_latest, end_earliest, end_latest) -> str:
    if end_latest is None:
        if start_earliest == start_latest:
            return f"from day {_day(start_earliest)}, end not stated"
        return f"from day {_day(start_earliest)} or later, end not stated"
    if end_earliest == end_latest:
        return f"until day {_day(end_latest)}, start not stated"
    return f"until day {_day(end_latest)} or earlier, start not stated"


def _day(value: float) -> str:
    """A day as a label: whole days as they are, a day converted from weeks or months to one decimal."""
    return f"{round(value, 1):g}"


def _dose_label(schedule: dict) -> str:
    if schedule.get("dose_value") is not None:
        value, unit = schedule["dose_value"], schedule.get("dose_unit") or ""
        if unit.startswith("{") and unit.endswith("}"):
            return f"{_scientific(value)} {unit[1:-1]}"
        text = f"{value:g} {unit}"
        # A dose per administration says how often ("10 mg, every 6 hours"); a rate (mg/d) already does.
        if "/" not in unit and schedule.get("frequency") not in SILENT_FREQUENCIES:
            text += f", {_label(schedule, 'frequency').lower()}"
        return text
    if schedule.get("dose_per_body_value") is not None:
        return f"{schedule['dose_per_body_value']:g} {schedule['dose_per_body_unit']}"
    return "dose not stated"


def _scientific(value: float) -> str:
    if abs(value) < 10_000:
        return f"{value:g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{float(mantissa):g} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def _events(rows: dict, timing: _Timing, undated: list[str]) -> list[EventMark]:
    marks = []
    for event in rows["clinical_events"]:
        earliest, latest, relative = timing("clinical_events", event, "time")
        label = _label(event, "event_type")
        if event.get("certainty") in UNCERTAIN_CERTAINTY:
            label += f" ({event['certainty']})"
        if earliest is None and latest is None:
            _note_once(undated, label)
            continue
        marks.append(EventMark(event["event_id"], label, earliest, latest, relative))
    return sorted(marks, key=lambda mark: (-math.inf if mark.earliest is None else mark.earliest,
                                            math.inf if mark.latest is None else mark.latest))


def _grades(rows: dict, timing: _Timing) -> list[GradeSpan]:
    spans = []
    for row in rows["toxicity_grades"]:
        earliest, latest, _ = timing("toxicity_grades", row, "time")
        if earliest is None and latest is None:
            continue
        system = _label(row, "grading_system") if row.get("grading_system") else ""
        name = _label(row, "syndrome") if row.get("syndrome_label") else str(row["syndrome"])
        label = f"{name}\n({system})" if system else name
        spans.append(GradeSpan(str(row["syndrome"]), label, int(row["grade"]), earliest, latest))
    return spans


def _measurements(rows: dict, undated: list[str] | None = None) -> list[Measurement]:
    analytes = {analyte["analyte_id"]: analyte for analyte in rows["analytes"]}
    points = []
    for observation in rows["observations"]:
        earliest, latest = (_float(day) for day in point_interval(observation, "time"))
        if observation.get("value") is None:
            continue
        analyte = analytes.get(observation["analyte_id"], {})
        if earliest is None and latest is None:  # a value with no day: named in the footnote, not dropped unsaid
            if undated is not None:
                certainty = f"{observation.get('value_certainty')} " if observation.get("value_certainty") else ""
                _note_once(undated, f"{analyte.get('name') or observation['analyte_id']} {certainty}"
                                    f"{observation['value']:g} {pretty_unit(observation.get('unit') or '')}".rstrip())
            continue
        from casekit.ucum import UnitError, convert, dimensionality

        unit, value = observation["unit"], float(observation["value"])
        try:
            canonical = analyte.get("unit") or unit
            value, unit = convert(value, unit, canonical), canonical
            panel = dimensionality(unit)
        except UnitError:
            # The validator reports the unit; the figure still shows the value as stated, on a panel of its own.
            panel = f"unit {unit}"
        points.append(Measurement(
            observation["analyte_id"], str(analyte.get("name") or observation["analyte_id"]), unit, value,
            earliest, latest, observation.get("timing_as_stated") or "", panel,
            str(observation.get("value_certainty") or ""),
        ))
    return points


def _window(layers: CourseLayers) -> tuple[float, float]:
    days = [day for bar in layers.drug_bars for day in (bar.start, bar.end)]
    days += [day for panel in layers.dose_steps for step in panel.steps for day in (step.start, step.end)]
    days += [day for mark in layers.events + layers.grades + layers.measurements for day in (mark.earliest, mark.latest)]
    finite = [day for day in days if day is not None]
    if not finite:
        return (-MARGIN[0], MARGIN[1])
    first, last = math.floor(min(finite)), math.ceil(max(finite))
    # Room for the labels right of the last mark grows with the window, so they stay inside it.
    return (first - MARGIN[0], last + max(MARGIN[1], math.ceil((last - first) * LABEL_ROOM)))


def pretty_unit(text: str) -> str:
    """A UCUM unit as a reader writes it: no annotation braces, powers of ten, µ, m², °C."""
    text = re.sub(r"\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"10\*(\d+)", lambda power: "× 10" + power.group(1).translate(SUPERSCRIPTS), text)
    text = re.sub(r"\bu(?=[gLlm])", "µ", text)
    return text.replace("m2", "m²").replace("Cel", "°C")


def _note_once(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _float(value) -> float | None:
    return None if value is None else float(value)
