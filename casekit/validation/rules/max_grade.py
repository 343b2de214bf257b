"""max-grade: a stated maximum grade equals the highest recorded grade of that syndrome.

For each stated_summaries row of kind max_grade, the largest toxicity_grades.grade
of the same syndrome and case must equal the stated value, which must itself lie
on the scale of the grading systems those grades use (grading_systems.min_grade
to max_grade). No recorded grade is an error.
"""
from __future__ import annotations

from casekit.validation.rules._common import as_decimal, summaries
from casekit.validation.rules.context import show
from casekit.validation.rules.grade_in_scale import scale

KIND = "max-grade"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"stated_summaries": ("kind", "syndrome", "value"), "toxicity_grades": ("syndrome", "grade", "grading_system"),
           "grading_systems": ("min_grade", "max_grade")}


def check(context):
    stated_maxima = summaries(context, "max_grade")
    context.checked(len(stated_maxima))
    for stated in stated_maxima:
        syndrome, value = stated.get("syndrome"), as_decimal(stated.get("value"))
        if value is None:
            continue
        grades = [row for row in context.rows("toxicity_grades")
                  if row.get("syndrome") == syndrome and row.get("grade") is not None]
        if not grades:
            yield context.finding(f"the article states a maximum {syndrome} grade of {show(value)}, but no {syndrome} "
                                  f"grade is recorded", resource="stated_summaries", row=stated, field="syndrome")
            continue
        systems = sorted({row.get("grading_system") for row in grades if row.get("grading_system") is not None})
        scales = [scale(context, system) for system in systems]
        lows = [low for low, _ in scales if low is not None]
        highs = [high for _, high in scales if high is not None]
        if (lows and value < min(lows)) or (highs and value > max(highs)) or value != value.to_integral_value():
            where = ", ".join(f"{system} {low}-{high}" for system, (low, high) in zip(systems, scales))
            yield context.finding(f"{stated.get('summary_id')}: stated maximum {syndrome} grade {show(value)} is not "
                                  f"a grade of the scale its grades use ({where})", resource="stated_summaries",
                                  row=stated, field="value", expected=where, observed=show(value))
            continue
        highest = max(grades, key=lambda row: row["grade"])
        if highest["grade"] != value:
            yield context.finding(f"the highest recorded {syndrome} grade is {highest['grade']} "
                                  f"({highest.get('grade_id')}); the article states grade {show(value)} "
                                  f"({stated.get('summary_id')})", resource="stated_summaries", row=stated,
                                  field="value", expected=show(value), observed=str(highest["grade"]))
