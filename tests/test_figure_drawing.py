"""How the figure draws what it is given, on layers built in memory (no package read).

A value known only within a window is a window, not a solid marker on its last day; a
citation that opens with its title is shown as it is; a value's label is never under the
legend or another label; an empty timing text never shows as "()".
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Annotation

from casekit.analysis.course import CourseLayers, Measurement, _titles
from casekit.analysis.figure import draw

WHITE = (1.0, 1.0, 1.0, 1.0)


def value(value, earliest, latest, timing="", analyte="ferritin", unit="ug/L") -> Measurement:
    return Measurement(analyte, analyte, unit, value, earliest, latest, timing, "mass concentration")


@pytest.fixture
def drawn():
    figures = []

    def draw_values(*points, window=(-1, 31)):
        figure = draw(CourseLayers(case_id="c", title="t", subtitle="s", measurements=list(points), window=window))
        figures.append(figure)
        return figure.axes[0]
    yield draw_values
    for figure in figures:
        plt.close(figure)


def value_labels(axis) -> list[Annotation]:
    return [text for text in axis.texts if isinstance(text, Annotation) and text.get_text()]


def markers(axis) -> list:
    return [line for line in axis.get_lines() if line.get_marker() not in (None, "None", "")]


def test_a_value_known_within_a_window_is_drawn_over_the_window_with_hollow_markers(drawn):
    axis = drawn(value(387, 0, 28, "in the first 28 days"))
    [hollow] = markers(axis)
    assert list(hollow.get_xdata()) == [0, 28]
    assert plt.matplotlib.colors.to_rgba(hollow.get_markerfacecolor()) == WHITE
    assert any(list(line.get_xdata()) == [0, 28] and line.get_marker() in (None, "None", "")
               for line in axis.get_lines()), "no bar across the window"
    [label] = value_labels(axis)
    assert label.get_text() == "387 (in the first 28 days)" and label.xy == (0, 387)


def test_a_value_stated_for_one_day_stays_a_solid_marker(drawn):
    axis = drawn(value(77945, 5, 5))
    [solid] = markers(axis)
    assert list(solid.get_xdata()) == [5]
    assert plt.matplotlib.colors.to_rgba(solid.get_markerfacecolor()) != WHITE
    assert [label.get_text() for label in value_labels(axis)] == ["77,945"]


def test_an_empty_timing_text_gives_the_window_not_empty_brackets(drawn):
    axis = drawn(value(15, None, 3), value(16, 9, None), value(17, 0, 28))
    assert sorted(label.get_text() for label in value_labels(axis)) == [
        "15 (day 3 or before)", "16 (day 9 or later)", "17 (sometime in days 0–28)"]


def test_value_labels_are_never_under_the_legend_or_each_other(drawn):
    # Values crowding the top right corner, where a legend inside the axes would sit.
    points = [value(100 + step, 28, 28, analyte=f"analyte-{step % 4}") for step in range(0, 40, 5)]
    axis = drawn(*points, window=(-1, 29))
    renderer = axis.figure.canvas.get_renderer()
    legend = axis.get_legend().get_window_extent(renderer)
    assert legend.y0 >= axis.get_window_extent(renderer).y1 - 1, "the legend lies over the plot"
    boxes = [label.get_window_extent(renderer) for label in value_labels(axis)]
    assert len(boxes) == len(points)
    for index, box in enumerate(boxes):
        assert not box.overlaps(legend), value_labels(axis)[index].get_text()
        assert not any(box.overlaps(other) for other in boxes[index + 1:]), value_labels(axis)[index].get_text()


def titles(citation: str) -> str:
    rows = {"cases": [{"case_id": "c", "source_id": "s"}], "sources": [{"source_id": "s", "citation": citation}]}
    return _titles(rows, "c")[1]


def test_a_citation_without_authors_is_shown_as_it_is():
    citation = "Hemophagocytosis in the cerebrospinal fluid, ferritin, CRP, and LDH after CAR T cells. Blood 2022."
    assert titles(citation) == citation


def test_a_citation_with_more_than_three_authors_names_the_first():
    citation = "Baur K, Heim D, Beerlage A, Holbro A. A title, with, many, commas. J Immunother Cancer 2022."
    assert titles(citation) == "Baur K et al. A title, with, many, commas. J Immunother Cancer 2022."
    assert titles("Two A, Authors BC. A title. Journal 2022.") == "Two A, Authors BC. A title. Journal 2022."


def test_rows_without_a_day_in_days_are_named_in_the_footnote(drawn):
    layers = CourseLayers(case_id="c", title="t", subtitle="s", measurements=[value(1, 2, 2)],
                          undated=["Dexamethasone", "Immunoglobulins, normal human"], window=(-1, 5))
    figure = draw(layers)
    try:
        footnote = figure.texts[-1].get_text().replace("\n", " ")
    finally:
        plt.close(figure)
    assert "Not drawn (no time in days stated): Dexamethasone; Immunoglobulins, normal human." in footnote
