"""What a rule kind receives: the rule as written, the typed tables, and a way to make findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from casekit.validation.findings import Finding
from casekit.validation.tables import ROW_NUMBER, Tables


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: str
    statement: str
    locator: str | None
    params: dict = field(default_factory=dict)


@dataclass
class RuleContext:
    rule: Rule
    tables: Tables
    root: Path
    descriptor: dict
    case_id: str | None
    rulebook: list[Rule]
    options: dict = field(default_factory=dict)
    # What the rule judged (casekit.validation.rule_summary): rows checked, and rows it could not judge by why.
    counted: int = 0
    unchecked: dict | None = None

    def checked(self, rows: int = 1) -> None:
        """Count rows this rule judged (call once per batch of rows, not per finding)."""
        self.counted += rows

    def not_checkable(self, why: str, rows: int = 1) -> None:
        """Count rows this rule could not judge, saying why (shown in the per-rule summary, not a finding)."""
        if rows:
            if self.unchecked is None:
                self.unchecked = {}
            self.unchecked[why] = self.unchecked.get(why, 0) + rows
    # What a rule works out once per case and reads for many rows (a drug's steps, its span), by key.
    memo: dict = field(default_factory=dict)

    @property
    def params(self) -> dict:
        return self.rule.params

    def rows(self, resource: str) -> list[dict]:
        """Rows of a resource for this context's case (all rows for a package-scope rule).

        A case's rows that record a reading of a contradiction the tables do not adopt
        (discrepancy_rows) are kept as data but not checked against the adopted ones.
        """
        if self.case_id is None:
            return self.tables[resource]
        return self.tables.checked_rows(resource, self.case_id)

    def all_rows(self, resource: str) -> list:
        """Every row of this context's case, readings set aside included (all rows for a package-scope rule)."""
        if self.case_id is None:
            return self.tables[resource]
        return self.tables.for_case(resource, self.case_id)

    def row(self, resource: str, row_id):
        """The row of resource with primary key row_id if it exists in this context's case, else None."""
        found = self.tables.row(resource, row_id)
        if found is None or (self.case_id is not None and self.tables.case_of(resource, found) != self.case_id):
            return None
        return found

    def finding(self, message: str, *, resource: str | None = None, row: dict | None = None,
                field: str | None = None, expected=None, observed=None, locator: str | None = None) -> Finding:
        """A finding of this rule, pointing at one row of one resource."""
        row = row or {}
        path = None
        if resource is not None:
            path = self.tables.paths.get(resource) or f"data/{resource}.csv"
        return Finding(
            rule=self.rule.id,
            severity=self.rule.severity,
            message=message,
            resource=resource,
            path=path,
            row=row.get(ROW_NUMBER),
            field=field,
            expected=None if expected is None else show(expected),
            observed=None if observed is None else show(observed),
            locator=locator or row.get("locator_id") or self.rule.locator,
            case_id=self.case_id or row.get("case_id"),
        )


EXCERPT_CHARACTERS = 160


def excerpt(text: str) -> str:
    """`text` in double quotes as a finding shows it: whole when short, else its opening and its length
    (a finding never repeats a whole long quote: one full of numbers once made 258 MB of output)."""
    if len(text) <= EXCERPT_CHARACTERS:
        return f'"{text}"'
    return f'"{text[:EXCERPT_CHARACTERS]}..." ({len(text)} characters)'


def show(value) -> str:
    """A number as a curator writes it (602, not 6.02E+2 or 602.000)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)
