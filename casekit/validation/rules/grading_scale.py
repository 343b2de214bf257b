"""grading-scale: a grade's scale grades its syndrome, and one case grades one syndrome on one scale.

- A toxicity_grades row's grading_system must list the row's syndrome in
  grading_systems.syndromes (space-separated syndrome codes): ICANS is not graded on a
  scale that grades only CRS. An article may still name such a scale for a grade (an ICANS
  grade "on CTCAE v4.03", which has no ICANS term); the row keeps what the article says when a
  discrepancy names it (discrepancy_rows), where the curator records the other reading.
- The rows of one case and one syndrome use one scale. Where they do not, every row on
  another scale than the one most of them use (on a tie, the one the case uses most for
  all its syndromes, then the first row's) is a finding,
  unless a discrepancy names the row (discrepancy_rows) or the row's note names the
  scale its syndrome is otherwise graded on: that is where a curator records why.

Package scope, so that only the few rows on a second scale have their note read again
from the file (Tables.texts); the grouping itself is one pass over the grades.
"""
from __future__ import annotations

from collections import Counter

from casekit.validation.rules._common import row_id

KIND = "grading-scale"
SCOPE = "package"
PARAMS = {"type": "object"}
COLUMNS = {"toxicity_grades": ("syndrome", "grading_system", "case_id"), "grading_systems": ("syndromes",),
           "discrepancy_rows": ("resource", "row_id")}
TEXTS = {"toxicity_grades": ("note",)}


def check(context):
    tables = context.tables
    graded = {system: set(str(row.get("syndromes") or "").split())
              for system, row in tables.index("grading_systems").items()}
    grades = context.rows("toxicity_grades")
    context.checked(len(grades))
    disputed = {row.get("row_id") for row in context.rows("discrepancy_rows")
                if row.get("resource") == "toxicity_grades"}
    by_case: dict[tuple, list] = {}
    in_case: dict[str, Counter] = {}  # how often each scale grades any syndrome of a case, to break ties
    for row in grades:
        system, syndrome = row.get("grading_system"), row.get("syndrome")
        scale = graded.get(system)
        if (scale is not None and syndrome is not None and syndrome not in scale
                and row_id("toxicity_grades", row) not in disputed):
            yield context.finding(f"{row_id('toxicity_grades', row)}: {system} does not grade {syndrome} "
                                  f"(it grades {', '.join(sorted(scale)) or 'nothing'}, grading_systems.syndromes)",
                                  resource="toxicity_grades", row=row, field="grading_system",
                                  expected=f"a scale that grades {syndrome}", observed=system)
        if system is not None and syndrome is not None:
            by_case.setdefault((row.get("case_id"), syndrome), []).append(row)
            in_case.setdefault(row.get("case_id"), Counter())[system] += 1
    odd = []  # (row, the scale its case grades the syndrome on)
    for (case_id, _), rows in by_case.items():
        systems = Counter(row.get("grading_system") for row in rows)
        if len(systems) < 2:
            continue
        first, overall = rows[0].get("grading_system"), in_case[case_id]
        usual = max(systems, key=lambda system: (systems[system], overall[system], system == first))
        odd.extend((row, usual) for row in rows
                   if row.get("grading_system") != usual and row_id("toxicity_grades", row) not in disputed)
    odd.sort(key=lambda pair: pair[0].get("_row"))
    usual_of = {id(row): usual for row, usual in odd}
    for row, (note,) in tables.texts("toxicity_grades", [row for row, _ in odd], ("note",)):
        usual = usual_of[id(row)]
        if note and usual in str(note):
            continue
        yield context.finding(f"{row_id('toxicity_grades', row)}: {row.get('syndrome')} is graded on "
                              f"{row.get('grading_system')} here but on {usual} in the case's other rows; grade "
                              f"one syndrome on one scale, or record why in a discrepancy or in the row's note "
                              f"(naming {usual})", resource="toxicity_grades", row=row, field="grading_system",
                              expected=usual, observed=row.get("grading_system"))
