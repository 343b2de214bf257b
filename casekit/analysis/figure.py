"""Draw the clinical course (the content of the article's figure 1) from CourseLayers.

Nothing here reads the tables: every mark comes from casekit.analysis.course.
Windows of uncertain timing are drawn hatched and pale so that they cannot
be mistaken for a course that lasted that long.
"""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import NullFormatter  # noqa: E402

from casekit.analysis.course import CourseLayers  # noqa: E402

HALF_DAY = 0.4
GRADE_COLOURS = {1: "#fde0a6", 2: "#f9b25a", 3: "#e8662d", 4: "#b2182b", 5: "#67000d"}
LANE_COLOURS = ["#6a51a3", "#807dba", "#238b45", "#2171b5", "#41ab5d", "#cb181d", "#e6550d", "#8c6d31"]
ANALYTE_STYLE = {"ferritin": ("#d95f02", "o"), "il-6": ("#7570b3", "s"), "car-t-cells": ("#1b9e77", "D")}
UNCERTAIN = {"hatch": "////", "alpha": 0.35}
# Fixed so that the SVG is byte-identical from run to run and can be checked in.
SVG_SETTINGS = {"svg.hashsalt": "clinical-course", "svg.fonttype": "path", "path.simplify": True}
SAVE_METADATA = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}
TITLE = "Clinical course after CAR T-cell infusion (Baur et al. 2022, figure 1), redrawn from the tables"


def draw(layers: CourseLayers) -> plt.Figure:
    events = layers.events
    ratios = [max(len(events), 1) * 0.42, 0.9, max(len(layers.lanes()), 1) * 0.42, 1.5, 1.6, 1.2]
    with plt.rc_context(SVG_SETTINGS | {"font.size": 9}):
        figure, axes = plt.subplots(len(ratios), 1, sharex=True, figsize=(12, 13.5),
                                    gridspec_kw={"height_ratios": ratios, "hspace": 0.28})
        _events_panel(axes[0], layers)
        _grades_panel(axes[1], layers)
        _drugs_panel(axes[2], layers)
        _taper_panel(axes[3], layers)
        _measurements_panel(axes[4], layers, ["ferritin", "il-6"], "Inflammatory markers\n(log scale)")
        _measurements_panel(axes[5], layers, ["car-t-cells"], "CAR T-cells\n(log scale)")
        for axis in axes:
            _day_grid(axis, layers.window)
        axes[-1].set_xlabel("Day after CAR T-cell infusion (day 0)")
        axes[-1].set_xticks(range(int(layers.window[0]) + 1, int(layers.window[1]) + 1, 2))
        figure.suptitle(TITLE, fontsize=12, fontweight="bold", x=0.5, y=0.995)
        figure.text(0.01, 0.005, _footnote(layers), fontsize=8, color="#444444", va="bottom", wrap=True)
        figure.subplots_adjust(left=0.17, right=0.98, top=0.965, bottom=0.075)
    return figure


def save(layers: CourseLayers, output_dir: Path | str) -> list[Path]:
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    with plt.rc_context(SVG_SETTINGS):
        figure = draw(layers)
        for suffix, options in (("png", {"dpi": 110}), ("svg", {})):
            path = output_dir / f"clinical-course.{suffix}"
            figure.savefig(path, metadata=SAVE_METADATA[suffix], **options)
            paths.append(path)
        plt.close(figure)
    return paths


def _events_panel(axis, layers: CourseLayers) -> None:
    rows = list(reversed(layers.events))
    for row, event in enumerate(rows):
        if event.is_interval:
            axis.add_patch(Rectangle((event.earliest - HALF_DAY, row - 0.3), event.latest - event.earliest + 2 * HALF_DAY,
                                     0.6, facecolor="#9ecae1", edgecolor="#3182bd", **UNCERTAIN))
            axis.text(event.latest + HALF_DAY + 0.3, row, f"sometime in days {_day(event.earliest)}–{_day(event.latest)}",
                      va="center", fontsize=8, color="#3182bd")
        else:
            axis.plot(event.earliest, row, marker="o" if not event.from_relative_timing else "D", markersize=7,
                      color="#08519c", markerfacecolor="white" if event.from_relative_timing else "#08519c")
            axis.text(event.earliest + 0.45, row, f"day {_day(event.earliest)}", va="center", fontsize=8, color="#08519c")
    axis.set_yticks(range(len(rows)), [event.label + (" *" if event.from_relative_timing else "") for event in rows])
    axis.set_ylim(-0.7, len(rows) - 0.3)
    axis.set_title("Clinical events", loc="left", fontsize=10, fontweight="bold")


def _grades_panel(axis, layers: CourseLayers) -> None:
    syndromes = list(dict.fromkeys(["CRS", "ICANS"] + [grade.syndrome for grade in layers.grades]))
    for grade in layers.grades:
        row = syndromes.index(grade.syndrome)
        style = UNCERTAIN | {"alpha": 0.55} if grade.is_interval else {}
        axis.add_patch(Rectangle((grade.earliest - HALF_DAY, row - 0.35), grade.latest - grade.earliest + 2 * HALF_DAY, 0.7,
                                 facecolor=GRADE_COLOURS[grade.grade], edgecolor=GRADE_COLOURS[grade.grade], **style))
        text = f"grade {grade.grade}"
        if grade.is_interval:
            text += f", sometime in days {_day(grade.earliest)}–{_day(grade.latest)}"
            axis.text(grade.latest + HALF_DAY + 0.3, row, text, va="center", fontsize=8)
        else:
            axis.text(grade.latest + HALF_DAY + 0.2, row, text, va="center", fontsize=8)
    axis.set_yticks(range(len(syndromes)), [f"{name} (ASTCT)" for name in syndromes])
    axis.set_ylim(len(syndromes) - 0.4, -0.6)
    axis.set_title("CRS and ICANS grades", loc="left", fontsize=10, fontweight="bold")


def _drugs_panel(axis, layers: CourseLayers) -> None:
    lanes = layers.lanes()
    for index, lane in enumerate(lanes):
        row = len(lanes) - 1 - index
        colour = LANE_COLOURS[index % len(LANE_COLOURS)]
        bars = [bar for bar in layers.drug_bars if bar.lane == lane]
        for bar in bars:
            style = UNCERTAIN if not bar.exact else {"alpha": 0.9}
            axis.add_patch(Rectangle((bar.start - HALF_DAY, row - 0.3), bar.end - bar.start + 2 * HALF_DAY, 0.6,
                                     facecolor=colour, edgecolor=colour, **style))
        # One label per lane, after its last bar, so that labels never sit on a neighbouring bar.
        texts = [_pretty_unit(bar.label) for bar in bars]
        if len(bars) > 1:
            texts = [f"{_days(bar.start, bar.end)}: {text}" for bar, text in zip(bars, texts)]
        axis.text(max(bar.end for bar in bars) + HALF_DAY + 0.3, row, "; ".join(texts), va="center", fontsize=8)
    axis.set_yticks(range(len(lanes)), list(reversed(lanes)))
    axis.set_ylim(-0.6, len(lanes) - 0.4)
    axis.set_title("Treatment", loc="left", fontsize=10, fontweight="bold")


def _taper_panel(axis, layers: CourseLayers) -> None:
    for step in layers.taper:
        axis.bar(step.start - 0.5, step.dose, width=step.end - step.start + 1, align="edge",
                 color="#fdae6b", edgecolor="#e6550d", linewidth=1)
        axis.text((step.start + step.end) / 2, step.dose + 2, f"{step.dose:g}", ha="center", va="bottom", fontsize=8)
    top = max((step.dose for step in layers.taper), default=1)
    axis.set_ylim(0, top * 1.3)
    unit = layers.taper[0].unit if layers.taper else "mg/d"
    axis.set_ylabel(f"{layers.taper_label}\n({unit})")


def _measurements_panel(axis, layers: CourseLayers, analytes: list[str], ylabel: str) -> None:
    shown = [point for point in layers.measurements if point.analyte_id in analytes]
    labelled = set()
    for point in shown:
        colour, marker = ANALYTE_STYLE.get(point.analyte_id, ("#333333", "o"))
        name = f"{point.label} ({_pretty_unit(point.unit)})"
        axis.plot(point.latest, point.value, marker=marker, color=colour, linestyle="none", markersize=7,
                  label=None if name in labelled else name)
        labelled.add(name)
        if point.earliest is None:
            # Known only as "before therapy": an arrow says the day lies somewhere to the left.
            axis.annotate("", xy=(layers.window[0] + 0.3, point.value), xytext=(point.latest, point.value),
                          arrowprops={"arrowstyle": "->", "color": colour, "linestyle": "--"})
        text = f"{point.value:,.0f}" + (f" ({point.timing_as_stated})" if point.earliest is None else "")
        axis.annotate(text, (point.latest, point.value), textcoords="offset points", xytext=(8, 4), fontsize=8,
                      color=colour)
    axis.set_yscale("log")
    values = [point.value for point in shown] or [1, 10]
    axis.set_ylim(10 ** math.floor(math.log10(min(values) / 3)), 10 ** math.ceil(math.log10(max(values) * 3)))
    axis.yaxis.set_minor_formatter(NullFormatter())
    axis.set_ylabel(ylabel)
    axis.legend(loc="upper right", fontsize=8, frameon=False)


def _day_grid(axis, window) -> None:
    axis.set_xlim(*window)
    axis.axvline(0, color="#555555", linewidth=0.8, linestyle=":")
    axis.set_xticks(range(int(window[0]), int(window[1]) + 1), minor=True)
    axis.grid(axis="x", which="both", color="#eeeeee", linewidth=0.6)
    axis.set_axisbelow(True)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)


def _footnote(layers: CourseLayers) -> str:
    return (
        "Hatched, pale bars: the day is not stated, only a window in which it falls (not a duration). "
        "* day derived from a relative timing in the text (e.g. \"1 day after the start of dasatinib\"), open marker. "
        "Not drawn: daily temperature, blood pressure and laboratory curves of the article's figure 1, "
        "which the text gives no values for."
    )


def _pretty_unit(text: str) -> str:
    return (text.replace("{cells}/uL", "cells/µL").replace("ug/L", "µg/L").replace("mg/m2", "mg/m²"))


def _days(start: float, end: float) -> str:
    return f"day {_day(start)}" if start == end else f"days {_day(start)}–{_day(end)}"


def _day(value: float) -> str:
    return f"{value:g}"
