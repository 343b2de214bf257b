"""loinc-check-digit: a LOINC code's last digit is its Mod 10 check digit.

LOINC Users' Guide, "Calculating Mod 10 check digits": counting the digits of the
number before the hyphen from the right, the odd positions are doubled; the digits of
those products and of the even positions are added up; the check digit is what brings
that sum to the next multiple of ten. `params.exceptions` lists the few published codes
whose digit the guide itself says does not follow the algorithm (all deprecated).
A LOINC code names one observable, so two rows of one table holding it are a copied code.
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id

KIND = "loinc-check-digit"
SCOPE = "package"
PARAMS = {"type": "object", "properties": {"exceptions": {"type": "array", "items": {"type": "string"}}}}
COLUMNS = {"*": ("loinc_code",)}


def check_digit(number: str) -> int:
    """The Mod 10 check digit of a LOINC number (the digits before the hyphen)."""
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit)
        if position % 2 == 0:  # the 1st, 3rd, ... digit from the right
            value *= 2
            value = value // 10 + value % 10
        total += value
    return (10 - total % 10) % 10


def check(context):
    exceptions = set(context.params.get("exceptions", ()))
    for resource, rows in context.tables.rows.items():
        if not rows or "loinc_code" not in rows[0]:
            continue
        coded = [row for row in rows if row.get("loinc_code") is not None]
        context.checked(len(coded))
        first: dict[str, dict] = {}
        for row in coded:
            code = str(row["loinc_code"])
            if code in first:
                yield context.finding(f"{row_id(resource, row)}: LOINC code {code} names one observable, and "
                                      f"{row_id(resource, first[code])} holds it already", resource=resource,
                                      row=row, field="loinc_code", expected="a code no other row holds",
                                      observed=code)
            first.setdefault(code, row)
            number, _, digit = code.partition("-")
            if code in exceptions or not (number.isdigit() and digit.isdigit() and len(digit) == 1):
                continue  # the Table Schema's pattern judges the shape
            expected = check_digit(number)
            if int(digit) != expected:
                yield context.finding(f"{row_id(resource, row)}: LOINC code {code} has check digit {digit}, but "
                                      f"the Mod 10 check digit of {number} is {expected} (a digit is mistyped)",
                                      resource=resource, row=row, field="loinc_code",
                                      expected=f"{number}-{expected}", observed=code)
