"""maximum-is-maximum: a value reported as a maximum is the largest of its analyte, on the stated peak day.

An observation with value_kind `maximum` must be >= every other observation of
the same analyte, case and unit (values in other units are not compared); the
finding names the largest observation above it. If a
stated_summaries row of kind peak_day names the analyte, the day of its maximum
(an interval in days) must contain the stated day; no maximum at all is an error.
"""
from __future__ import annotations

from casekit.timing import point_interval
from casekit.validation.rules._common import TIME_COLUMNS, as_decimal, show_interval, summaries, within
from casekit.validation.rules.context import show

KIND = "maximum-is-maximum"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"observations": ("analyte_id", "unit", "value", "value_kind", *TIME_COLUMNS["observations"], "time_unit"),
           "stated_summaries": ("kind", "analyte_id", "value")}


def check(context):
    observations = context.rows("observations")
    maxima = [row for row in observations if row.get("value_kind") == "maximum"]
    context.checked(len(maxima) + len(summaries(context, "peak_day")))
    # The two largest values of each analyte and unit, found in one pass, so the rule stays linear
    # however many observations a case has; a maximum is then compared with the largest other one.
    largest: dict[tuple, list[tuple]] = {}
    for row in observations:
        value = as_decimal(row.get("value"))
        if value is None:
            continue
        top = largest.setdefault((row.get("analyte_id"), row.get("unit")), [])
        top.append((value, row))
        if len(top) > 2:
            top.sort(key=lambda pair: pair[0], reverse=True)
            del top[2:]
    for peak in maxima:
        value = as_decimal(peak.get("value"))
        if value is None:
            continue
        others = [pair for pair in largest.get((peak.get("analyte_id"), peak.get("unit")), []) if pair[1] is not peak]
        if not others:
            continue
        other_value, other = max(others, key=lambda pair: pair[0])
        if other_value <= value:
            continue
        yield context.finding(f"{peak.get('analyte_id')} maximum {show(value)} {peak.get('unit')} "
                              f"({peak.get('observation_id')}) is below {other.get('observation_id')} "
                              f"({show(other_value)} {other.get('unit')})",
                              resource="observations", row=peak, field="value",
                              expected=f">= {show(other_value)}", observed=show(value))
    for stated in summaries(context, "peak_day"):
        analyte, day = stated.get("analyte_id"), as_decimal(stated.get("value"))
        candidates = [row for row in maxima if row.get("analyte_id") == analyte]
        if not candidates:
            yield context.finding(f"the article states a peak day for {analyte}, but no observation of {analyte} "
                                  f"is recorded as its maximum", resource="stated_summaries", row=stated,
                                  field="analyte_id")
            continue
        for peak in candidates:
            when = point_interval(peak, "time")
            if day is None or when == (None, None) or within(day, when):
                continue
            yield context.finding(f"{analyte} maximum ({peak.get('observation_id')}) is on {show_interval(when)}; "
                                  f"the article states the peak on day {show(day)} ({stated.get('summary_id')})",
                                  resource="observations", row=peak, field="time_earliest",
                                  expected=f"day {show(day)}", observed=show_interval(when),
                                  locator=stated.get("locator_id"))
