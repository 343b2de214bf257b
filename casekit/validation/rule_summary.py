"""What each rule checked: rows checked, passed, failed and not checkable (with why), per rule and per case.

In the spirit of R validate's `confront` summary. A rule counts rows, not findings: it calls
`context.checked(n)` once for the rows it judged and `context.not_checkable(why, n)` for rows it
could not judge (a code no offline list covers, quotes without the article's text). The runner
counts the rows a rule failed from its findings (distinct rows, so two findings about one row
are one failed row); passed is checked minus failed. Per-case counts are kept as plain lists
indexed by the case's position, so the summary of 10,000 cases stays a few megabytes.
"""
from __future__ import annotations

from collections import Counter

NOTICE_CHARACTERS = 900  # under the report's bound on one printed field (casekit.validation.report)


class RuleCounts:
    """One rule's counts: per case index (one entry for a package rule), and why rows were not checkable."""

    __slots__ = ("rule", "scope", "severity", "checked", "failed", "not_checkable", "reasons")

    def __init__(self, rule: str, scope: str, severity: str):
        self.rule, self.scope, self.severity = rule, scope, severity
        self.checked: list[int] = []
        self.failed: list[int] = []
        self.not_checkable: list[int] = []
        self.reasons: Counter = Counter()  # why -> rows, over every case

    def totals(self) -> dict:
        checked, failed = sum(self.checked), sum(self.failed)
        return {"checked": checked, "passed": max(checked - failed, 0), "failed": failed,
                "not_checkable": sum(self.not_checkable),
                "not_checkable_why": dict(sorted(self.reasons.items()))}


class RuleSummary:
    """Counts of every rule of one run, filled by casekit.validation.rules.run_rules."""

    def __init__(self, case_ids: list[str] | None = None):
        self.case_ids = list(case_ids or [])
        self.rules: dict[str, RuleCounts] = {}

    def start(self, rule, scope: str) -> RuleCounts:
        counts = self.rules.get(rule.id)
        if counts is None:
            counts = self.rules[rule.id] = RuleCounts(rule.id, scope, rule.severity)
        return counts

    def record(self, counts: RuleCounts, checked: int, findings: list, unchecked: dict | None) -> None:
        """One call of a rule: the rows it checked, its findings, and the rows it could not judge by why."""
        failed = len({(finding.resource, finding.row) if finding.row is not None else id(finding)
                      for finding in findings})
        counts.checked.append(max(checked, failed))
        counts.failed.append(failed)
        counts.not_checkable.append(sum(unchecked.values()) if unchecked else 0)
        if unchecked:
            counts.reasons.update(unchecked)

    def as_dict(self) -> dict:
        """The JSON shape: {rule id: {scope, severity, checked, passed, failed, not_checkable,
        not_checkable_why, cases: {case id: {checked, passed, failed, not_checkable}}}}."""
        result = {}
        for rule_id, counts in self.rules.items():
            entry = {"scope": counts.scope, "severity": counts.severity, **counts.totals()}
            if counts.scope == "case":
                entry["cases"] = {
                    case_id: {"checked": checked, "passed": max(checked - failed, 0), "failed": failed,
                              "not_checkable": unchecked}
                    for case_id, checked, failed, unchecked in zip(self.case_ids, counts.checked, counts.failed,
                                                                   counts.not_checkable)}
            result[rule_id] = entry
        return result

    def table(self) -> list[str]:
        """The text table: one line per rule with its totals, and why rows were not checkable."""
        if not self.rules:
            return []
        cases = len(self.case_ids)
        width = max(len(rule_id) for rule_id in self.rules)
        lines = [f"rules run on {cases} case{'s' * (cases != 1)} (rows checked, passed, failed, not checkable):",
                 f"  {'rule':<{width}}  checked  passed  failed  not checkable"]
        for rule_id, counts in self.rules.items():
            total = counts.totals()
            reasons = total["not_checkable_why"]
            why = "; ".join(reason if len(reasons) == 1 else f"{reason}: {rows}" for reason, rows in reasons.items())
            lines.append(f"  {rule_id:<{width}}  {total['checked']:>7}  {total['passed']:>6}  {total['failed']:>6}  "
                         f"{total['not_checkable']:>13}" + (f" ({why})" if why else ""))
        return lines

    def notices(self, characters: int = NOTICE_CHARACTERS) -> list[str]:
        """Lines for GitHub notices: each rule with its checked/failed/not checkable counts, as many
        rules to a line as fit in `characters` (an annotation longer than the output allows would be
        cut, hiding the rules at its end)."""
        lines, line = [], ""
        for part in self.notice().split("; "):
            if line and len(line) + 2 + len(part) > characters:
                lines.append(line)
                line = ""
            line = f"{line}; {part}" if line else part
        return lines + [line] if line else lines

    def notice(self) -> str:
        """Each rule with its checked/failed/not checkable counts, on one line."""
        parts = []
        for rule_id, counts in self.rules.items():
            total = counts.totals()
            part = f"{rule_id} {total['checked']} checked, {total['failed']} failed"
            if total["not_checkable"]:
                part += f", {total['not_checkable']} not checkable"
            parts.append(part)
        return "; ".join(parts)


# What the three output formats print (casekit.validation.report calls these, one line each).

def summary_lines(summary: RuleSummary | None) -> list[str]:
    return summary.table() if summary else []


def summary_object(summary: RuleSummary | None) -> dict:
    return summary.as_dict() if summary else {}


def summary_notice(summary: RuleSummary | None) -> list[str]:
    return summary.notices() if summary and summary.rules else []
