"""The verdict of one run, and its three output formats (text, json, github)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from casekit.validation.findings import ERROR, WARNING, Finding
from casekit.validation.limits import ERROR_LIMIT
from casekit.validation.rule_summary import RuleSummary, summary_lines, summary_notice, summary_object

EXIT_VALID, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2
NOT_CHECKED = "note: quotes were not checked against the article text (give it with --source-text DIR)"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    unusable: str | None = None
    # False when no article text was given (--source-text), so quotes were not looked up in the article.
    source_text_checked: bool = False
    # Data files whose table errors stopped at the limit (casekit.validation.tabular.ERROR_LIMIT): more may follow.
    truncated: list[str] = field(default_factory=list)
    # Per case, with --source-text: the numbers its passages state, and how many are encoded, set aside
    # or uncovered (casekit.quotes.coverage); None when no article text was given.
    coverage: list[dict] | None = None
    # What each cross-table rule checked (None or empty when the rules did not run).
    rule_summary: RuleSummary | None = None

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def exit_code(self, strict: bool = False) -> int:
        if self.unusable is not None:
            return EXIT_UNUSABLE
        if self.count(ERROR) or (strict and self.count(WARNING)):
            return EXIT_INVALID
        return EXIT_VALID


def _where(finding: Finding) -> str:
    parts = [_one_line(finding.path or finding.resource or "package")]
    if finding.row is not None:
        parts.append(f"row {finding.row}")
    if finding.field:
        parts.append(f"field {_one_line(finding.field)}")
    return " ".join(parts)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    """Text from the package, made safe to print: one line, no terminal control sequences.

    Paths, field names and cells come from the files being judged; a newline in
    one must not forge a line such as "valid: 0 errors", nor an escape sequence
    recolour the terminal.
    """
    visible = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", str(text))
    return " ".join(visible.split())


def _counts(report: Report) -> str:
    errors, warnings = report.count(ERROR), report.count(WARNING)
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if report.truncated:
        files = ", ".join(map(_one_line, report.truncated))
        text += f" (truncated: only the first {ERROR_LIMIT} errors of {files} are listed; fix them and run again)"
    return text


def format_text(report: Report, strict: bool = False) -> str:
    if report.unusable is not None:
        return f"unusable: {_one_line(report.unusable)}"
    lines = []
    for finding in report.findings:
        locator = f" [{_one_line(finding.locator)}]" if finding.locator else ""
        lines.append(f"{finding.severity} {_one_line(finding.rule)} {_where(finding)}: "
                     f"{_one_line(finding.message)}{locator}")
    lines.extend(summary_lines(report.rule_summary))
    if not report.source_text_checked:
        lines.append(NOT_CHECKED)
    lines += [coverage_line(case) for case in report.coverage or []]
    verdict = "valid" if report.exit_code(strict) == EXIT_VALID else "invalid"
    lines.append(f"{verdict}: {_counts(report)}")
    return "\n".join(lines)


def as_json_object(report: Report, strict: bool = False) -> dict:
    """The stable JSON shape documented in README.md; add keys, never rename or remove them."""
    code = report.exit_code(strict)
    return {
        "valid": code == EXIT_VALID,
        "exit_code": code,
        "unusable": report.unusable,
        "source_text_checked": report.source_text_checked,
        "summary": {"errors": report.count(ERROR), "warnings": report.count(WARNING), "truncated": report.truncated},
        "findings": [finding.as_dict() for finding in report.findings],
        "coverage": report.coverage,
        "rules": summary_object(report.rule_summary),
    }


def coverage_line(case: dict) -> str:
    """One case's coverage in words: numbers and times stated in its passages, encoded, set aside, uncovered."""
    return (f"coverage {_one_line(case['case_id'])}: {case['stated']} numbers and times stated, "
            f"{case['encoded']} encoded, {case['set_aside']} set aside, {case['uncovered']} uncovered")


def format_json(report: Report, strict: bool = False) -> str:
    return json.dumps(as_json_object(report, strict), indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    escaped = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub(lambda match: f"%{ord(match.group()):02X}", escaped)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(report: Report, strict: bool = False) -> str:
    """GitHub Actions workflow commands; each becomes an annotation on the named file and line."""
    if report.unusable is not None:
        return f"::error file=datapackage.json,title=unusable::{_escape_data(report.unusable)}"
    lines = []
    for finding in report.findings:
        properties = [f"file={_escape_property(finding.path or 'datapackage.json')}"]
        if finding.row is not None:
            properties.append(f"line={finding.row}")
        properties.append(f"title={_escape_property(finding.rule)}")
        where = f" ({_where(finding)})" if finding.row is not None or finding.field else ""
        locator = f" [{finding.locator}]" if finding.locator else ""
        lines.append(f"::{finding.severity} {','.join(properties)}::{_escape_data(finding.message + where + locator)}")
    if not report.source_text_checked:
        lines.append(f"::notice title=source-text::{_escape_data(NOT_CHECKED)}")
    lines += [f"::notice title=coverage::{_escape_data(coverage_line(case))}" for case in report.coverage or []]
    lines.extend(f"::notice title=rules::{_escape_data(line)}" for line in summary_notice(report.rule_summary))
    lines.append(f"::notice title=summary::{_counts(report)}")
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
