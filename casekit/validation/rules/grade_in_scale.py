"""grade-in-scale: a recorded grade lies within its grading system's scale.

A toxicity_grades row's grade must lie between min_grade and max_grade of its
grading_system (grading_systems.csv): grade 0 only where the scale starts at 0,
grade 5 only where the scale has it.
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id

KIND = "grade-in-scale"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"toxicity_grades": ("grading_system", "grade"), "grading_systems": ("min_grade", "max_grade")}


def scale(context, grading_system):
    """(min_grade, max_grade) of a grading system, either None when unknown."""
    if grading_system is None or "grading_systems" not in context.tables.keys:
        return (None, None)
    row = context.tables.row("grading_systems", grading_system)
    return (None, None) if row is None else (row.get("min_grade"), row.get("max_grade"))


def check(context):
    context.checked(len(context.rows("toxicity_grades")))
    for row in context.rows("toxicity_grades"):
        grade, system = row.get("grade"), row.get("grading_system")
        low, high = scale(context, system)
        if grade is None or (low is None and high is None):
            continue
        if (low is not None and grade < low) or (high is not None and grade > high):
            yield context.finding(f"{row_id('toxicity_grades', row)}: grade {grade} is outside the {system} scale "
                                  f"({low}-{high})", resource="toxicity_grades", row=row, field="grade",
                                  expected=f"{low}-{high}", observed=str(grade))
