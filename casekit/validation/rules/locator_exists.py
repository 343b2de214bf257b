"""locator-exists: every locator a fact or a rule cites is a row of locators.csv.

For fact rows this repeats the Table Schema foreign keys (frictionless already
rejects a missing locator before the rules run), so it is a cheap guard for
callers that skip that pass. Its own contribution is the rulebook: a rule's
`locator` in rules.yaml is outside any Table Schema, and only this rule checks it.
"""
from __future__ import annotations

from casekit.validation.rules._common import row_id

KIND = "locator-exists"
SCOPE = "package"
PARAMS = {"type": "object"}
LOCATOR_COLUMNS = ("locator_id", "locator_a", "locator_b")
COLUMNS = {"*": LOCATOR_COLUMNS}


def check(context):
    known = {row.get("locator_id") for row in context.tables["locators"]}
    for resource, rows in context.tables.rows.items():
        if resource == "locators":
            continue
        context.checked(len(rows))
        for row in rows:
            for column in LOCATOR_COLUMNS:
                cited = row.get(column)
                if cited is not None and cited not in known:
                    yield context.finding(f"{row_id(resource, row)}: {column} {cited} is not in locators.csv",
                                          resource=resource, row=row, field=column, observed=cited,
                                          locator=context.rule.locator)
    for rule in context.rulebook:
        if rule.locator is not None and rule.locator not in known:
            yield context.finding(f"rules.yaml: rule {rule.id} cites locator {rule.locator}, which is not in "
                                  f"locators.csv", observed=rule.locator, locator=context.rule.locator)
