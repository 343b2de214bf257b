"""reference-range-flag: a stated H/L/N flag agrees with the value and its reference range.

H is contradicted by a value at or below reference_high or below reference_low;
L by a value at or above reference_low or above reference_high; N by a value
outside [reference_low, reference_high]. A missing bound constrains nothing, so
H with only a lower bound is checked only against that bound.
"""
from __future__ import annotations

from casekit.validation.rules._common import as_decimal
from casekit.validation.rules.context import show

KIND = "reference-range-flag"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"observations": ("interpretation", "value", "reference_low", "reference_high", "unit")}


def check(context):
    for row in context.rows("observations"):
        flag, value = row.get("interpretation"), as_decimal(row.get("value"))
        low, high = as_decimal(row.get("reference_low")), as_decimal(row.get("reference_high"))
        if flag is None or value is None:
            context.not_checkable("no interpretation flag stated" if flag is None else "no value stated")
            continue
        context.checked()
        above, below = high is not None and value > high, low is not None and value < low
        contradicted = {
            "H": below or (high is not None and not above),
            "L": above or (low is not None and not below),
            "N": above or below,
        }.get(flag, False)
        if contradicted:
            reference = f"{'' if low is None else show(low)}-{'' if high is None else show(high)}"
            yield context.finding(f"{row.get('observation_id')}: flagged {flag}, but {show(value)} {row.get('unit')} "
                                  f"against the reference range {reference} {row.get('unit')} is "
                                  f"{_actual(value, low, high)}",
                                  resource="observations", row=row, field="interpretation",
                                  expected=_actual(value, low, high)[0], observed=flag)


def _actual(value, low, high) -> str:
    if high is not None and value > high:
        return "H (above the range)"
    if low is not None and value < low:
        return "L (below the range)"
    return "N (within the range)"
