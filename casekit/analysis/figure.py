"""Draw one case's clinical course from CourseLayers.

Nothing here reads the tables: every mark, label and the title come from
casekit.analysis.course. Panels appear only for what the case has (events,
grades, treatment lanes, stepped doses, one panel per dimension of the
measured values). Windows of uncertain timing are drawn hatched and pale so
that they cannot be mistaken for a course that lasted that long; a bound the
article leaves open is an arrow to the edge of the plot.
"""
from __future__ import annotations

import dataclasses
import io
import math
import re
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402
from matplotlib.ticker import NullFormatter  # noqa: E402

from casekit.analysis.course import CourseLayers, pretty_unit  # noqa: E402
from casekit.safety import check_identifier, write_output  # noqa: E402

HALF_DAY = 0.4
GRADE_COLOURS = {0: "#e0e0e0", 1: "#fde0a6", 2: "#f9b25a", 3: "#e8662d", 4: "#b2182b", 5: "#67000d"}
LANE_COLOURS = ["#6a51a3", "#807dba", "#238b45", "#2171b5", "#41ab5d", "#cb181d", "#e6550d", "#8c6d31"]
POINT_STYLES = [("#d95f02", "o"), ("#7570b3", "s"), ("#1b9e77", "D"), ("#e7298a", "^"), ("#66a61e", "v"),
                ("#a6761d", "P")]
UNCERTAIN = {"hatch": "////", "alpha": 0.35}
OPEN_ARROW = {"arrowstyle": "->", "linestyle": "--", "linewidth": 1.2}
# Fixed so that the SVG is byte-identical from run to run and can be checked in.
SVG_SETTINGS = {"svg.hashsalt": "clinical-course", "svg.fonttype": "path", "path.simplify": True}
SAVE_METADATA = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}
FILE_STEM = "clinical-course"
TICK_STEPS = [2, 5, 10, 20, 50, 100, 200, 500, 1000, 10_000, 100_000]
MAX_TICKS = 16
# About how many 8-point characters fit across the plot, to tell whether a label would run past its edge.
CHARACTERS_ACROSS = 125
MINOR_DAYS_UP_TO = 60
LEGEND_COLUMNS = 4
LABEL_OFFSET, WINDOW_LABEL_OFFSET = (8, 4), (4, 5)  # a value's label from its marker or its window's start, points
UNDATED_NAMED = 20  # the footnote names at most this many undated rows, then counts the rest
FOOTNOTE_LINE = 0.15  # inches per line of the footnote beyond the three the layout leaves room for


def file_stem(case_id: str) -> str:
    """The figure's file name without suffix; the case_id is checked first, so it cannot name another folder."""
    return f"{FILE_STEM}-{check_identifier(case_id, 'case_id')}"


# A figure stays readable, and its drawing bounded in time and memory, with at most this many rows
# (events, grade rows, treatment lanes), points per measurement panel and dose-step panels; what is
# left out is counted in the footnote (the tables hold every row).
MAX_ROWS = 60
MAX_POINTS = 200
MAX_STEP_PANELS = 8
MAX_LABELS_PER_LANE = 8


def bounded(layers: CourseLayers) -> tuple[CourseLayers, list[str]]:
    """The layers cut to what one figure can show, and a phrase for each kind of mark left out."""
    left_out = []

    def keep(items: list, limit: int, what: str) -> list:
        if len(items) > limit:
            left_out.append(f"{len(items) - limit} more {what}")
        return items[:limit]

    lanes = keep(layers.lanes(), MAX_ROWS, "treatment lanes")
    rows = keep(layers.grade_rows(), MAX_ROWS, "toxicity grade rows")
    points = []
    for panel in layers.panels():
        points += keep([point for point in layers.measurements if point.panel == panel], MAX_POINTS,
                       f"values ({panel})")
    shown = dataclasses.replace(
        layers,
        events=keep(layers.events, MAX_ROWS, "clinical events"),
        grades=keep([grade for grade in layers.grades if grade.row in rows], MAX_POINTS, "toxicity grades"),
        drug_bars=keep([bar for bar in layers.drug_bars if bar.lane in lanes], MAX_POINTS, "treatment bars"),
        dose_steps=keep(layers.dose_steps, MAX_STEP_PANELS, "stepped-dose panels"),
        measurements=points,
    )
    return shown, left_out


def draw(layers: CourseLayers) -> plt.Figure:
    layers, left_out = bounded(layers)
    panels = []
    if layers.events:
        panels.append((len(layers.events) * 0.42, _events_panel))
    if layers.grades:
        lines = sum(_wrap(name).count("\n") + 1 for name in layers.grade_rows())
        panels.append((max(len(layers.grade_rows()) * 0.45, lines * 0.3, 0.9), _grades_panel))
    if layers.drug_bars:
        panels.append((len(layers.lanes()) * 0.42, _drugs_panel))
    panels += [(1.5, _steps_panel(steps)) for steps in layers.dose_steps]
    panels += [(1.4, _measurements_panel(panel)) for panel in layers.panels()]
    if not panels:
        panels.append((1.0, _empty_panel))
    ratios = [ratio for ratio, _ in panels]
    footnote = textwrap.wrap(_footnote(layers, left_out), 170)
    height = sum(ratios) + 2.2 + FOOTNOTE_LINE * max(0, len(footnote) - 3)
    with plt.rc_context(SVG_SETTINGS | {"font.size": 9}):
        figure, axes = plt.subplots(len(panels), 1, sharex=True, figsize=(12, height), squeeze=False,
                                    gridspec_kw={"height_ratios": ratios, "hspace": 0.35})
        axes = axes[:, 0]
        for axis, (_, panel) in zip(axes, panels):
            panel(axis, layers)
            _day_grid(axis, layers.window)
        axes[-1].set_xlabel("Day after CAR T-cell infusion (day 0)")
        step = _tick_step(layers.window)
        axes[-1].set_xticks(range(int(layers.window[0]) + 1, int(layers.window[1]) + 1, step))
        top = 1 - 0.9 / height
        figure.suptitle(layers.title, fontsize=12, fontweight="bold", x=0.5, y=1 - 0.15 / height)
        figure.text(0.5, 1 - 0.45 / height, layers.subtitle, fontsize=9, ha="center", va="center", color="#333333")
        figure.text(0.01, 0.005, "\n".join(footnote), fontsize=8, color="#444444", va="bottom")
        figure.subplots_adjust(left=0.2, right=0.98, top=top,
                               bottom=(1.05 + FOOTNOTE_LINE * max(0, len(footnote) - 3)) / height)
        renderer = figure.canvas.get_renderer()
        for axis in axes:
            _keep_labels_apart(axis, renderer)
    return figure


def save(layers: CourseLayers, output_dir: Path | str, root: Path | str = ".") -> list[Path]:
    """Write clinical-course-<case_id>.png and .svg into output_dir; return their paths.

    Each file is drawn in memory and written in one step by casekit.safety.write_output: never
    through a symlink, never over a file of the package at root.
    """
    output_dir = Path(output_dir)
    stem = file_stem(layers.case_id)
    paths = []
    with plt.rc_context(SVG_SETTINGS):
        figure = draw(layers)
        try:
            for suffix, options in (("png", {"dpi": 110}), ("svg", {})):
                sink = io.BytesIO()
                figure.savefig(sink, format=suffix, metadata=SAVE_METADATA[suffix], **options)
                paths.append(write_output(Path(root), output_dir / f"{stem}.{suffix}", sink.getvalue()))
        finally:
            plt.close(figure)
    return paths


def _span(axis, row: float, earliest, latest, window, height: float, colour: str, style: dict,
          edgecolor: str | None = None) -> tuple[float, float]:
    """A bar over [earliest, latest]; an open side runs to the window's edge and ends in an arrow there."""
    left = window[0] if earliest is None else earliest - HALF_DAY
    right = window[1] if latest is None else latest + HALF_DAY
    axis.add_patch(Rectangle((left, row - height / 2), right - left, height, facecolor=colour,
                             edgecolor=edgecolor or colour, **style))
    if earliest is None:
        axis.annotate("", xy=(window[0], row), xytext=(window[0] + 1.2, row), arrowprops=OPEN_ARROW | {"color": colour})
    if latest is None:
        axis.annotate("", xy=(window[1], row), xytext=(window[1] - 1.2, row), arrowprops=OPEN_ARROW | {"color": colour})
    return left, right


def _events_panel(axis, layers: CourseLayers) -> None:
    rows = list(reversed(layers.events))
    for row, event in enumerate(rows):
        if event.is_interval:
            span = _span(axis, row, event.earliest, event.latest, layers.window, 0.6, "#9ecae1", UNCERTAIN, "#3182bd")
            _label_after(axis, row, span, layers.window, _window_text(event.earliest, event.latest), color="#3182bd")
        else:
            axis.plot(event.earliest, row, marker="o" if not event.from_relative_timing else "D", markersize=7,
                      color="#08519c", markerfacecolor="white" if event.from_relative_timing else "#08519c")
            axis.text(event.earliest + _room(layers.window, 0.45, 0.012), row, f"day {_day(event.earliest)}",
                      va="center", fontsize=8, color="#08519c")
    axis.set_yticks(range(len(rows)), [_wrap(event.label + (" *" if event.from_relative_timing else "")) for event in rows])
    axis.set_ylim(-0.7, len(rows) - 0.3)
    axis.set_title("Clinical events", loc="left", fontsize=10, fontweight="bold")


def _grades_panel(axis, layers: CourseLayers) -> None:
    names = layers.grade_rows()
    for grade in layers.grades:
        row = names.index(grade.row)
        colour = GRADE_COLOURS.get(grade.grade, GRADE_COLOURS[max(GRADE_COLOURS)])
        style = UNCERTAIN | {"alpha": 0.55} if grade.is_interval else {}
        span = _span(axis, row, grade.earliest, grade.latest, layers.window, 0.7, colour, style)
        text = f"grade {grade.grade}"
        if grade.is_interval:
            text += f", {_window_text(grade.earliest, grade.latest)}"
        _label_after(axis, row, span, layers.window, text)
    axis.set_yticks(range(len(names)), [_wrap(name) for name in names])
    axis.set_ylim(len(names) - 0.4, -0.6)
    axis.set_title("Toxicity grades", loc="left", fontsize=10, fontweight="bold")


def _drugs_panel(axis, layers: CourseLayers) -> None:
    lanes = layers.lanes()
    for index, lane in enumerate(lanes):
        row = len(lanes) - 1 - index
        colour = LANE_COLOURS[index % len(LANE_COLOURS)]
        bars = [bar for bar in layers.drug_bars if bar.lane == lane]
        spans = []
        for bar in bars:
            style = UNCERTAIN if not bar.exact else {"alpha": 0.9}
            spans.append(_span(axis, row, bar.start, bar.end, layers.window, 0.6, colour, style))
        # One label per lane, after its last bar, so that labels never sit on a neighbouring bar.
        texts = [pretty_unit(bar.label) for bar in bars]
        if len(bars) > 1:
            texts = [f"{_days(bar.start, bar.end)}: {text}" for bar, text in zip(bars, texts)]
        if len(texts) > MAX_LABELS_PER_LANE:
            texts = texts[:MAX_LABELS_PER_LANE] + [f"{len(texts) - MAX_LABELS_PER_LANE} more"]
        _label_after(axis, row, (min(left for left, _ in spans), max(right for _, right in spans)), layers.window,
                     "; ".join(texts))
    axis.set_yticks(range(len(lanes)), [_wrap(lane) for lane in reversed(lanes)])
    axis.set_ylim(-0.6, len(lanes) - 0.4)
    axis.set_title("Treatment", loc="left", fontsize=10, fontweight="bold")


def _steps_panel(steps):
    def panel(axis, layers: CourseLayers) -> None:
        top = max((step.dose for step in steps.steps), default=1)
        for step in steps.steps:
            axis.bar(step.start - 0.5, step.dose, width=step.end - step.start + 1, align="edge",
                     color="#fdae6b", edgecolor="#e6550d", linewidth=1)
            axis.text((step.start + step.end) / 2, step.dose + top * 0.03, f"{step.dose:g}", ha="center",
                      va="bottom", fontsize=8)
        axis.set_ylim(0, top * 1.3)
        axis.set_ylabel(f"{steps.label}\n({pretty_unit(steps.unit)})")
    return panel


def _measurements_panel(name: str):
    def panel(axis, layers: CourseLayers) -> None:
        shown = [point for point in layers.measurements if point.panel == name]
        analytes = list(dict.fromkeys(point.analyte_id for point in shown))
        values = [point.value for point in shown]
        logarithmic = min(values) > 0 and max(values) / min(values) >= 10
        legend = {}
        for point in shown:
            colour, marker = POINT_STYLES[analytes.index(point.analyte_id) % len(POINT_STYLES)]
            legend.setdefault(f"{point.label} ({pretty_unit(point.unit)})", (colour, marker))
            anchor, offset = _draw_value(axis, point, layers.window, colour, marker)
            axis.annotate(_value_text(point), (anchor, point.value), textcoords="offset points", xytext=offset,
                          fontsize=8, color=colour)
        if logarithmic:
            axis.set_yscale("log")
            axis.set_ylim(10 ** math.floor(math.log10(min(values) / 3)), 10 ** math.ceil(math.log10(max(values) * 3)))
            axis.yaxis.set_minor_formatter(NullFormatter())
        else:
            low, high = min(values + [0]), max(values)
            axis.set_ylim(low, high * 1.35 if high > 0 else 1)
        names = ", ".join(dict.fromkeys(point.label for point in shown))
        axis.set_ylabel("\n".join(textwrap.wrap(names, 24)) + ("\n(log scale)" if logarithmic else ""))
        # Above the plot, never over it: a legend inside the axes can cover a value's label.
        handles = [Line2D([], [], color=colour, marker=marker, linestyle="none", markersize=6, label=label)
                   for label, (colour, marker) in legend.items()]
        axis.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=min(len(handles), LEGEND_COLUMNS),
                    fontsize=8, frameon=False, borderaxespad=0.2, handletextpad=0.3, columnspacing=1.5)
    return panel


def _draw_value(axis, point, window, colour: str, marker: str) -> tuple[float, tuple[float, float]]:
    """Draw one stated value; return the day its label is put beside, and the label's offset in points.

    A value stated for a day is a solid marker on that day. A value whose day is not stated is
    hollow: over a window it is a pale bar across the window with a hollow marker at each end;
    with one bound open ("before therapy") a hollow marker at the known bound and an arrow to
    the edge.
    """
    hollow = {"marker": marker, "color": colour, "markerfacecolor": "white", "markersize": 7, "linestyle": "none"}
    if point.earliest is not None and point.earliest == point.latest:
        axis.plot(point.earliest, point.value, marker=marker, color=colour, linestyle="none", markersize=7)
        return point.earliest, LABEL_OFFSET
    if point.earliest is not None and point.latest is not None:
        axis.plot([point.earliest, point.latest], [point.value, point.value], color=colour, linewidth=5,
                  alpha=0.3, solid_capstyle="butt")
        axis.plot([point.earliest, point.latest], [point.value, point.value], **hollow)
        return point.earliest, WINDOW_LABEL_OFFSET  # above the bar, from its start: it reads as the window's
    day = point.latest if point.latest is not None else point.earliest
    edge = window[0] + 0.3 if point.earliest is None else window[1] - 0.3
    axis.annotate("", xy=(edge, point.value), xytext=(day, point.value), arrowprops=OPEN_ARROW | {"color": colour})
    axis.plot(day, point.value, **hollow)
    return day, LABEL_OFFSET


def _value_text(point) -> str:
    """The value as stated, with when it was taken if that is not one day: the article's words, else the window."""
    text = f"{point.value:,.0f}" if abs(point.value) >= 100 else f"{point.value:g}"
    if getattr(point, "certainty", ""):  # "approximately 50" or "an estimated 15" is not drawn as exact
        text = f"{point.certainty} {text}"
    if point.earliest is not None and point.earliest == point.latest:
        return text
    when = point.timing_as_stated.strip() or _value_window(point.earliest, point.latest)
    return f"{text} ({when})"


def _value_window(earliest, latest) -> str:
    if earliest is None:
        return f"day {_day(latest)} or before"
    if latest is None:
        return f"day {_day(earliest)} or later"
    return f"sometime in days {_day(earliest)}–{_day(latest)}"


def _keep_labels_apart(axis, renderer) -> None:
    """Move value labels down until none covers another or the legend (top label first, legend above all)."""
    legend = axis.get_legend()
    placed = [legend.get_window_extent(renderer)] if legend else []
    labels = [text for text in axis.texts if isinstance(text, Annotation) and text.get_text()]
    labels.sort(key=lambda label: -axis.transData.transform(label.xy)[1])
    points_per_pixel = 72 / axis.figure.dpi
    for label in labels:
        for _ in range(len(placed) + 1):
            box = label.get_window_extent(renderer)
            hit = next((other for other in placed if box.overlaps(other)), None)
            if hit is None:
                break
            x, y = label.xyann
            label.xyann = (x, y - (box.y1 - hit.y0 + 1) * points_per_pixel)
        placed.append(label.get_window_extent(renderer))


def _empty_panel(axis, layers: CourseLayers) -> None:
    axis.text(0.5, 0.5, "No row of this case is dated in days.", transform=axis.transAxes, ha="center")
    axis.set_yticks([])


def _day_grid(axis, window) -> None:
    axis.set_xlim(*window)
    axis.axvline(0, color="#555555", linewidth=0.8, linestyle=":")
    minor = 1 if window[1] - window[0] <= MINOR_DAYS_UP_TO else _tick_step(window) // 2 or 1
    axis.set_xticks(range(int(window[0]), int(window[1]) + 1, minor), minor=True)
    axis.grid(axis="x", which="both", color="#eeeeee", linewidth=0.6)
    axis.set_axisbelow(True)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)


def _footnote(layers: CourseLayers, left_out: list[str] = ()) -> str:
    relative = "* day derived from a relative timing in the text"
    if layers.relative_example:
        relative += f' (e.g. "{layers.relative_example}")'
    text = (
        "Hatched, pale bars: the day is not stated, only a window in which it falls (not a duration). "
        "Dashed arrow to the edge: the article leaves that bound open. "
        f"{relative}, open marker. Only values the text states are drawn; nothing is interpolated between them."
        + (f" Not drawn, to keep the figure readable: {', '.join(left_out)} (the tables hold them all)."
           if left_out else "")
    )
    if any(point.earliest is None or point.earliest != point.latest for point in layers.measurements):
        text += " A hollow value marker: the value's day is not stated; its pale bar or arrow spans where it may fall."
    if layers.undated:
        named = list(layers.undated[:UNDATED_NAMED])
        if len(layers.undated) > UNDATED_NAMED:
            named.append(f"and {len(layers.undated) - UNDATED_NAMED} more")
        text += f" Not drawn (no time in days stated): {'; '.join(named)}."
    return text


def _window_text(earliest, latest) -> str:
    if earliest is None:
        return f"before day {_day(latest)}, since when not stated"
    if latest is None:
        return f"from day {_day(earliest)}, until when not stated"
    return f"sometime in days {_day(earliest)}–{_day(latest)}"


def _days(start, end) -> str:
    if start is None or end is None:
        return f"day {_day(start if end is None else end)}"
    return f"day {_day(start)}" if start == end else f"days {_day(start)}–{_day(end)}"


def _label_after(axis, row: float, span: tuple[float, float], window, text: str, **style) -> None:
    """A label right of a bar; left of it when it would run past the edge; inside a bar that reaches the edge."""
    left, right = span
    if right >= window[1]:
        axis.text(window[1] - _room(window, 1.5, 0.05), row, text, va="center", ha="right", fontsize=8, **style)
    elif right + 0.3 + len(text) * (window[1] - window[0]) / CHARACTERS_ACROSS > window[1] and left > window[0]:
        axis.text(left - 0.3, row, text, va="center", ha="right", fontsize=8, **style)
    else:
        axis.text(right + 0.3, row, text, va="center", fontsize=8, **style)


def _tick_step(window) -> int:
    """Days between labelled ticks: the smallest step that leaves at most MAX_TICKS of them."""
    span = window[1] - window[0]
    return next(step for step in TICK_STEPS if span / step <= MAX_TICKS)


def _room(window, days: float, fraction: float = 0.18) -> float:
    """A distance in days that stays readable on a long window: at least `fraction` of it."""
    return max(days, (window[1] - window[0]) * fraction)


def _wrap(label: str) -> str:
    return "\n".join("\n".join(textwrap.wrap(part, 30)) or part for part in label.split("\n"))


def _day(value: float) -> str:
    return f"{round(value, 1):g}"
