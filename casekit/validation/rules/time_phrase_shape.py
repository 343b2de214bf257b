"""time-phrase-shape: each row of the time_phrases vocabulary holds what its kind needs, and nothing else.

The time rules read a phrase's meaning from its row: an implied_time phrase's window (earliest_day
to latest_day), a comparator phrase's comparators, a counting phrase's counting_convention. A row
whose kind lacks its meaning (no window, no comparators), carries another kind's (a window on a
comparator), or whose window ends before it begins would make every fact row quoting it fail, or
pass, for a reason no curator wrote; a phrase not in its matched form (lowercase, single spaces),
or the same phrase twice in that form, would never be found or be found with two meanings.
"""
from __future__ import annotations

from casekit.validation.rules._common import as_decimal

KIND = "time-phrase-shape"
SCOPE = "package"
PARAMS = {"type": "object"}
COLUMNS = {"time_phrases": ("phrase", "kind", "comparators", "earliest_day", "latest_day", "counting_convention")}
# What each kind of phrase must hold; every other meaning column stays empty.
NEEDS = {"implied_time": ("earliest_day", "latest_day"), "comparator": ("comparators",),
         "counting": ("counting_convention",), "open_end": ()}
MEANINGS = ("comparators", "earliest_day", "latest_day", "counting_convention")


def check(context):
    rows = context.tables["time_phrases"] if "time_phrases" in context.tables.keys else []
    context.checked(len(rows))
    seen: set = set()
    for row in rows:
        phrase, kind = str(row.get("phrase") or ""), row.get("kind")
        name = f"time phrase \"{phrase}\""
        matched = " ".join(phrase.lower().split())
        if phrase != matched:
            yield context.finding(f"{name} is not in the form words are matched in (lowercase, single spaces)",
                                  resource="time_phrases", row=row, field="phrase", expected=matched, observed=phrase)
        elif matched in seen:
            yield context.finding(f"{name} is listed twice", resource="time_phrases", row=row, field="phrase",
                                  observed=phrase)
        seen.add(matched)
        needed = NEEDS.get(kind)
        if needed is None:
            continue  # a kind outside the enum: the Table Schema's to report
        if needed and all(row.get(column) is None for column in needed):
            yield context.finding(f"{name} is of kind {kind}, but has no {' or '.join(needed)}",
                                  resource="time_phrases", row=row, field=needed[0], expected="a value")
        for column in MEANINGS:
            if column not in needed and row.get(column) is not None:
                yield context.finding(f"{name} is of kind {kind}, which has no {column}, but holds {row.get(column)}",
                                      resource="time_phrases", row=row, field=column, expected="empty",
                                      observed=row.get(column))
        earliest, latest = as_decimal(row.get("earliest_day")), as_decimal(row.get("latest_day"))
        if earliest is not None and latest is not None and earliest > latest:
            yield context.finding(f"{name} means days {earliest} to {latest}: its window ends before it begins",
                                  resource="time_phrases", row=row, field="latest_day",
                                  expected=f">= {earliest}", observed=latest)
