"""The per-rule summary: what each rule checked, passed, failed and could not check, per case."""
from __future__ import annotations

import json
import re

import pytest

from casekit.validation.findings import ERROR, Finding
from casekit.validation.report import Report, format_github, format_text
from casekit.validation.rule_summary import RuleSummary
from casekit.validation.rules import columns_needed, load_rulebook, run_rules, texts_needed
from conftest import PACKAGE, REPO


def summary_of(typed_tables) -> tuple[list[Finding], RuleSummary]:
    summary = RuleSummary()
    tables = typed_tables.tables.compacted(columns_needed(), texts_needed())
    return run_rules(PACKAGE, tables, typed_tables.descriptor, summary=summary), summary


def test_every_rule_reports_its_counts_per_case(typed_tables):
    findings, summary = summary_of(typed_tables)
    counts = summary.as_dict()
    assert findings == [] and list(counts) == [rule.id for rule in load_rulebook()]
    for rule_id, entry in counts.items():
        assert entry["failed"] == 0 and entry["passed"] == entry["checked"], rule_id
        if entry["scope"] == "case":
            assert list(entry["cases"]) == summary.case_ids, rule_id
    # Rules that judge rows say how many: nothing is passed without being counted.
    assert counts["quote-agreement"]["checked"] > 100 and counts["duplicate-fact"]["checked"] > 100
    assert counts["source-text"]["not_checkable"] > 0 and counts["source-text"]["checked"] == 0


def test_every_rule_of_the_rulebook_says_what_it_did_on_the_real_package(typed_tables):
    """A rule that reports neither rows checked nor rows it could not check leaves the curator
    unable to tell a rule that passed from one that never looked: a defect of the rule."""
    _, summary = summary_of(typed_tables)
    counts = summary.as_dict()
    silent = [rule.id for rule in load_rulebook()
              if counts[rule.id]["checked"] == 0 and counts[rule.id]["not_checkable"] == 0]
    assert silent == []


def test_failed_counts_rows_not_findings(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-icans", "grading_system", "lee-2014")
    typed_tables.set_cell("toxicity_grades", "tg-icans", "icd10cm_code", "G92.03")
    findings, summary = summary_of(typed_tables)
    counts = summary.as_dict()
    assert counts["graded-code"]["failed"] == 1 and counts["grading-scale"]["failed"] == 1
    assert counts["graded-code"]["passed"] == counts["graded-code"]["checked"] - 1
    case = summary.case_ids[0]
    assert counts["graded-code"]["cases"][case]["failed"] == 1


def test_two_findings_about_one_row_are_one_failed_row():
    from casekit.validation.rules.context import Rule

    summary = RuleSummary(["case-1"])
    counts = summary.start(Rule("r", "k", ERROR, "statement", None), "case")
    twice = [Finding(rule="r", severity=ERROR, message=m, resource="observations", row=5) for m in "ab"]
    summary.record(counts, 3, twice, {"why": 2})
    assert summary.as_dict()["r"] == {
        "scope": "case", "severity": ERROR, "checked": 3, "passed": 2, "failed": 1, "not_checkable": 2,
        "not_checkable_why": {"why": 2}, "cases": {"case-1": {"checked": 3, "passed": 2, "failed": 1,
                                                               "not_checkable": 2}}}


def test_text_table_comes_after_the_findings_and_before_the_verdict(typed_tables):
    _, summary = summary_of(typed_tables)
    finding = Finding(rule="some-rule", severity=ERROR, message="broken")
    lines = format_text(Report(findings=[finding], rule_summary=summary)).splitlines()
    assert lines[0].startswith("error some-rule")
    assert re.match(r"rules run on \d+ cases? ", lines[1]), lines[1]
    assert lines[-1] == "invalid: 1 error, 0 warnings"
    assert len(lines) == 1 + 2 + len(summary.rules) + 2


def test_github_output_has_a_rules_notice(typed_tables):
    _, summary = summary_of(typed_tables)
    lines = format_github(Report(rule_summary=summary)).splitlines()
    notices = [line for line in lines if line.startswith("::notice title=rules::")]
    # Every rule's counts are shown: split over several notices, none cut short (it was one cut at 1,000 characters).
    assert notices and all("characters)" not in notice for notice in notices)
    shown = " ".join(notices)
    assert f"graded-code {summary.as_dict()['graded-code']['checked']} checked, 0 failed" in shown
    assert all(f"{rule_id} " in shown for rule_id in summary.rules)
    assert lines[-1].startswith("::notice title=summary::")


def test_the_documented_summary_examples_are_what_the_validator_prints(typed_tables):
    """docs/validation.md shows an abridged text table and a JSON excerpt; each line is real output."""
    if PACKAGE != REPO:
        pytest.skip("the documented examples are the published package's output, not this copy's")
    _, summary = summary_of(typed_tables)
    text = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    section = text.split("### What the verdict checked", 1)[1]
    table, excerpt = re.findall(r"```(?:json)?\n(.*?)```", section, flags=re.DOTALL)[:2]
    printed = format_text(Report(rule_summary=summary)).splitlines()
    for line in table.splitlines():
        assert line in printed, line
    documented = json.loads("{" + excerpt + "}")["rules"]
    actual = summary.as_dict()
    for rule_id, entry in documented.items():
        assert actual[rule_id] == entry, rule_id
