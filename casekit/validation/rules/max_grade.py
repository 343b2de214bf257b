"""max-grade: a stated maximum grade equals the highest recorded grade of that syndrome.

For each stated_summaries row of kind max_grade, the largest toxicity_grades.grade
of the same syndrome and case must equal the stated value, which must itself be
an ASTCT grade (params.grades: 1-4, 5 = death). No recorded grade is an error.
"""
from __future__ import annotations

from casekit.validation.rules._common import as_decimal, summaries
from casekit.validation.rules.context import show

KIND = "max-grade"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["grades"],
    "properties": {"grades": {"type": "array", "items": {"type": "integer"}, "minItems": 1}},
}
COLUMNS = {"stated_summaries": ("kind", "syndrome", "value"), "toxicity_grades": ("syndrome", "grade")}


def check(context):
    for stated in summaries(context, "max_grade"):
        syndrome, value = stated.get("syndrome"), as_decimal(stated.get("value"))
        if value is None:
            continue
        if value not in context.params["grades"]:
            yield context.finding(f"{stated.get('summary_id')}: stated maximum {syndrome} grade {show(value)} is not "
                                  f"an ASTCT grade", resource="stated_summaries", row=stated, field="value",
                                  expected=" or ".join(str(g) for g in context.params["grades"]),
                                  observed=show(value))
            continue
        grades = [row for row in context.rows("toxicity_grades")
                  if row.get("syndrome") == syndrome and row.get("grade") is not None]
        if not grades:
            yield context.finding(f"the article states a maximum {syndrome} grade of {show(value)}, but no {syndrome} "
                                  f"grade is recorded", resource="stated_summaries", row=stated, field="syndrome")
            continue
        highest = max(grades, key=lambda row: row["grade"])
        if highest["grade"] != value:
            yield context.finding(f"the highest recorded {syndrome} grade is {highest['grade']} "
                                  f"({highest.get('grade_id')}); the article states grade {show(value)} "
                                  f"({stated.get('summary_id')})", resource="stated_summaries", row=stated,
                                  field="value", expected=show(value), observed=str(highest["grade"]))
