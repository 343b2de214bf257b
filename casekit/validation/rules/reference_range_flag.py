"""reference-range-flag: a stated H/L/N flag agrees with the value and its reference range.

H needs value > reference_high, L needs value < reference_low, N needs the value
within [reference_low, reference_high] (a missing bound does not constrain N).
A flag whose bound is missing (H without reference_high, L without
reference_low) cannot be checked and is skipped.
"""
from __future__ import annotations

from casekit.validation.rules._common import as_decimal
from casekit.validation.rules.context import show

KIND = "reference-range-flag"
SCOPE = "case"
PARAMS = {"type": "object"}


def check(context):
    for row in context.rows("observations"):
        flag, value = row.get("interpretation"), as_decimal(row.get("value"))
        low, high = as_decimal(row.get("reference_low")), as_decimal(row.get("reference_high"))
        if flag is None or value is None:
            continue
        agrees = {
            "H": None if high is None else value > high,
            "L": None if low is None else value < low,
            "N": (low is None or value >= low) and (high is None or value <= high),
        }.get(flag)
        if agrees is False:
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
