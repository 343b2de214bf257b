"""A value the article gives no day for is named in the figure's footnote, with its certainty; a drawn
approximate or estimated value says so in its label."""
from __future__ import annotations

from casekit.analysis.course import Measurement, course_layers
from casekit.analysis.figure import _footnote, _value_text
from package_under_test import PUBLISHED_CASE


def test_an_undated_value_is_named_in_the_footnote_with_its_certainty(package):
    rows = package.read_rows("observations")
    dated = next(row for row in rows if row["case_id"] == PUBLISHED_CASE and row["time_earliest"] and row["value"])
    dated.update(time_earliest="", time_latest="", timing_basis="not_stated", value_certainty="estimated")
    package.write_rows("observations", rows)
    layers = course_layers(package.root, PUBLISHED_CASE)
    assert all(point.value != float(dated["value"]) or point.earliest is not None for point in layers.measurements)
    named = [name for name in layers.undated if "estimated" in name]
    assert named and f"{float(dated['value']):g}" in named[0]
    assert named[0] in _footnote(layers)


def test_a_drawn_estimate_is_labelled_as_one():
    point = Measurement("x", "X", "%", 15.0, 3.0, 3.0, "", "dimensionless", "estimated")
    assert _value_text(point) == "estimated 15"
    assert _value_text(Measurement("x", "X", "%", 15.0, 3.0, 3.0, "", "dimensionless")) == "15"
