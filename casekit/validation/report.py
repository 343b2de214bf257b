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
# What one run prints is bounded whatever the package holds: each text from the package is cut to
# FIELD_CHARACTERS, and findings are listed until FINDINGS_SHOWN of them or OUTPUT_CHARACTERS of
# output, then one line says how many more there are (the counts always cover every finding).
FIELD_CHARACTERS = 1_000
FINDINGS_SHOWN = 5_000
OUTPUT_CHARACTERS = 4_000_000


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


# Characters a reader may act on rather than show: C0 and C1 controls (NEL, U+0085, included), DEL,
# the line and paragraph separators U+2028 and U+2029, bidi controls (U+061C, U+200E-U+200F,
# U+202A-U+202E, U+2066-U+2069) and every other format character (zero-width ones, the BOM, tags),
# surrogates and private use. str.isprintable() is False for each of them (and for spaces other than
# " ", which become " "), so printable text, nearly all of it, skips the per-character work.
_WORKFLOW_COMMAND = re.compile(r"##\[|^::")


def _visible(character: str) -> str:
    """A space for a tab, a line feed or a Unicode space (no-break, thin ...); an escape for the rest."""
    if character in "\t\n" or (character.isspace() and ord(character) > 0x9f and character not in "\u2028\u2029"):
        return " "
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _cut(text: str) -> str:
    return text if len(text) <= FIELD_CHARACTERS else f"{text[:FIELD_CHARACTERS]}... ({len(text)} characters)"


def _one_line(text: str) -> str:
    """Text from the package, made safe to print: one line, no control or format characters, no
    GitHub workflow command, at most FIELD_CHARACTERS long.

    Paths, field names and cells come from the files being judged; a line break in one
    (LF, CR, NEL, U+2028, U+2029, a vertical tab) must not forge a line such as
    "valid: 0 errors", a bidi control must not reorder what is shown, an escape sequence must
    not recolour the terminal, and `##[error]` or a leading `::` must not become a command
    of the GitHub Actions runner reading the log. Each such character is shown escaped (\\x85,
    \\u2028); a workflow prefix gets a backslash (`##\\[`, `\\::`).
    """
    text = _cut(str(text))
    if not text.isprintable():
        text = "".join(character if character.isprintable() else _visible(character) for character in text)
    text = " ".join(text.split()) if "  " in text or text[:1] == " " or text[-1:] == " " else text
    if "##[" in text or text.startswith("::"):
        text = _WORKFLOW_COMMAND.sub(lambda match: "##\\[" if match.group() == "##[" else "\\::", text)
    return text


def shown(findings: list[Finding]) -> tuple[list[Finding], int]:
    """The findings a report lists (the first FINDINGS_SHOWN) and how many are left out."""
    return findings[:FINDINGS_SHOWN], max(0, len(findings) - FINDINGS_SHOWN)


def _not_shown(count: int) -> str:
    return (f"note: {count} more finding{'s' * (count != 1)} not listed (output is limited to"
            f" {FINDINGS_SHOWN} findings and {OUTPUT_CHARACTERS} characters); fix these and run again")


def _counts(report: Report) -> str:
    errors, warnings = report.count(ERROR), report.count(WARNING)
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if report.truncated:
        files = ", ".join(map(_one_line, report.truncated))
        text += f" (truncated: only the first {ERROR_LIMIT} errors of {files} are listed; fix them and run again)"
    return text


def _listing(findings, line_of) -> tuple[list[str], int]:
    """The findings' lines up to the output bound, and how many findings were left out."""
    lines, size = [], 0
    listed, left_out = shown(findings)
    for index, finding in enumerate(listed):
        line = line_of(finding)
        size += len(line) + 1
        if size > OUTPUT_CHARACTERS:
            return lines, left_out + len(listed) - index
        lines.append(line)
    return lines, left_out


def _text_line(finding: Finding) -> str:
    locator = f" [{_one_line(finding.locator)}]" if finding.locator else ""
    return f"{finding.severity} {_one_line(finding.rule)} {_where(finding)}: {_one_line(finding.message)}{locator}"


def _github_line(finding: Finding) -> str:
    properties = [f"file={_escape_property(finding.path or 'datapackage.json')}"]
    if finding.row is not None:
        properties.append(f"line={finding.row}")
    properties.append(f"title={_escape_property(finding.rule)}")
    where = f" ({_where(finding)})" if finding.row is not None or finding.field else ""
    locator = f" [{finding.locator}]" if finding.locator else ""
    return f"::{finding.severity} {','.join(properties)}::{_escape_data(finding.message + where + locator)}"


def format_text(report: Report, strict: bool = False) -> str:
    if report.unusable is not None:
        return f"unusable: {_one_line(report.unusable)}"
    lines, left_out = _listing(report.findings, _text_line)
    if left_out:
        lines.append(_not_shown(left_out))
    lines.extend(summary_lines(report.rule_summary))
    if not report.source_text_checked:
        lines.append(NOT_CHECKED)
    lines += [coverage_line(case) for case in report.coverage or []]
    verdict = "valid" if report.exit_code(strict) == EXIT_VALID else "invalid"
    lines.append(f"{verdict}: {_counts(report)}")
    return "\n".join(lines)


def _json_safe(value):
    """A finding's value for JSON: text cut to FIELD_CHARACTERS (numbers and None as they are), a lone
    surrogate (from a `\\ud800` escape in datapackage.json) written out as text: strict JSON readers refuse it."""
    if not isinstance(value, str):
        return value
    value = _cut(value)
    return value if value.isascii() else value.encode("utf-8", "backslashreplace").decode("utf-8")


def as_json_object(report: Report, strict: bool = False) -> dict:
    """The stable JSON shape documented in README.md; add keys, never rename or remove them."""
    code = report.exit_code(strict)
    listed, left_out = shown(report.findings)
    findings, size = [], 0
    for index, finding in enumerate(listed):
        entry = {key: _json_safe(value) for key, value in finding.as_dict().items()}
        size += sum(len(value) for value in entry.values() if isinstance(value, str)) + 200
        if size > OUTPUT_CHARACTERS:
            left_out += len(listed) - index
            break
        findings.append(entry)
    return {
        "valid": code == EXIT_VALID,
        "exit_code": code,
        "unusable": _json_safe(report.unusable),
        "source_text_checked": report.source_text_checked,
        "summary": {"errors": report.count(ERROR), "warnings": report.count(WARNING), "truncated": report.truncated,
                    "findings_not_listed": left_out},
        "findings": findings,
        "coverage": report.coverage,
        "rules": summary_object(report.rule_summary),
    }


def coverage_line(case: dict) -> str:
    """One case's coverage in words: numbers and times stated in its passages, encoded, set aside, uncovered."""
    return (f"coverage {_one_line(case['case_id'])}: {case['stated']} numbers and times stated, "
            f"{case['encoded']} encoded, {case['set_aside']} set aside, {case['uncovered']} uncovered")


def format_json(report: Report, strict: bool = False) -> str:
    """JSON in ASCII only (every other character as a \\u escape), so it stays valid JSON whatever the
    terminal's encoding, and no line separator, bidi control or DEL reaches the reader raw. A `##[`
    in a string is written `##\\u005b`: the same text to a JSON reader, no command to the GitHub runner."""
    text = json.dumps(as_json_object(report, strict), indent=2, ensure_ascii=True)
    return text.replace("\x7f", "\\u007f").replace("##[", "##\\u005b")


_LINE_BREAK = re.compile(r"(\r|\n)")


def _escape_data(text: str) -> str:
    """Text for a workflow command: GitHub's own escapes for %, CR and LF (an annotation may span
    lines), and every other piece made visible and safe as in the text format (_one_line)."""
    pieces = _LINE_BREAK.split(_cut(str(text)).replace("%", "%25"))
    return "".join("%0D" if piece == "\r" else "%0A" if piece == "\n" else _one_line(piece) for piece in pieces)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(report: Report, strict: bool = False) -> str:
    """GitHub Actions workflow commands; each becomes an annotation on the named file and line."""
    if report.unusable is not None:
        return f"::error file=datapackage.json,title=unusable::{_escape_data(report.unusable)}"
    lines, left_out = _listing(report.findings, _github_line)
    if left_out:
        lines.append(f"::warning title=output-limit::{_escape_data(_not_shown(left_out))}")
    if not report.source_text_checked:
        lines.append(f"::notice title=source-text::{_escape_data(NOT_CHECKED)}")
    lines += [f"::notice title=coverage::{_escape_data(coverage_line(case))}" for case in report.coverage or []]
    lines.extend(f"::notice title=rules::{_escape_data(line)}" for line in summary_notice(report.rule_summary))
    lines.append(f"::notice title=summary::{_counts(report)}")
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
