"""python validate.py: exit codes, output formats and --strict, run as a user would.

The exit codes 0, 1 and 2 are checked on the real command; the output formats and options
through the CLI's main() in this process (run_main), which is all validate.py runs.
"""
from __future__ import annotations

import json
import re

from casekit.validation.findings import ERROR, WARNING, Finding
from casekit.validation.report import NOT_CHECKED, Report, format_github

STABLE_KEYS = {"valid", "exit_code", "unusable", "source_text_checked", "summary", "findings",
               "coverage", "rules"}  # keys are only ever added
FINDING_KEYS = {"rule", "severity", "message", "resource", "path", "row", "field", "expected", "observed",
                "locator", "case_id"}


def test_real_package_is_valid_with_exit_0(package):
    result = package.run_cli()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("valid: 0 errors")


def test_planted_type_error_exits_1_and_names_file_row_and_field(package):
    package.set_cell("drugs", "dasatinib", "atc_level", "five")
    result = package.run_cli()
    assert result.returncode == 1
    assert "error frictionless/type-error data/drugs.csv row" in result.stdout
    assert "field atc_level" in result.stdout


def test_unusable_descriptor_exits_2_with_one_line(package):
    (package.root / "datapackage.json").write_text("{", encoding="utf-8")
    result = package.run_cli()
    assert result.returncode == 2
    assert result.stdout.strip().startswith("unusable: datapackage.json is not valid JSON")
    assert len((result.stdout + result.stderr).strip().splitlines()) == 1


def test_json_format_has_the_stable_keys(package):
    package.set_cell("drugs", "dasatinib", "atc_level", "9")
    result = package.run_main("--format", "json")
    document = json.loads(result.stdout)
    assert set(document) == STABLE_KEYS
    assert document["valid"] is False and document["exit_code"] == result.returncode == 1
    assert document["summary"]["errors"] >= 1
    assert all(set(finding) == FINDING_KEYS for finding in document["findings"])


def test_json_format_reports_unusable_input_as_json(package):
    (package.root / "datapackage.json").write_text("[]", encoding="utf-8")
    result = package.run_main("--format", "json")
    document = json.loads(result.stdout)
    assert result.returncode == document["exit_code"] == 2
    assert "JSON object" in document["unusable"]


def test_github_format_emits_workflow_annotations(package):
    package.set_cell("drugs", "dasatinib", "atc_level", "9")
    result = package.run_main("--format", "github")
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any(line.startswith("::error file=data/drugs.csv,line=") for line in lines)


def test_github_escaping_keeps_one_annotation_per_line():
    finding = Finding(rule="r:1,2", severity=ERROR, message="100% sure\nsecond line", path="data/a,b.csv", row=3)
    text = format_github(Report(findings=[finding]))
    first = text.splitlines()[0]
    assert first.startswith("::error file=data/a%2Cb.csv,line=3,title=r%3A1%2C2::100%25 sure%0Asecond line")


def test_strict_turns_warnings_into_failure():
    report = Report(findings=[Finding(rule="some-rule", severity=WARNING, message="worth a look")])
    assert report.exit_code(strict=False) == 0
    assert report.exit_code(strict=True) == 1


def test_strict_exit_code_follows_the_warning_count(package):
    warnings = json.loads(package.run_main("--format", "json").stdout)["summary"]["warnings"]
    assert package.run_main("--strict").returncode == (1 if warnings else 0)


def test_package_option_validates_another_folder(package, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = package.run_main("--package", str(elsewhere))
    assert result.returncode == 2
    assert "no datapackage.json" in result.stdout


def test_rule_finding_reads_as_one_sentence_with_its_place_and_locator(package):
    package.set_cell("drug_schedules", "sched-dexamethasone-3", "dose_value", "39")
    result = package.run_main()
    lines = result.stdout.splitlines()
    # The findings, then the per-rule summary table, then the note and the verdict.
    assert lines[:2] + lines[-2:] == [
        "error cumulative-dose data/stated_summaries.csv row 2 field value: dexamethasone schedule "
        "(data/drug_schedules.csv rows 8-15) sums to 598 mg; the article states 602 mg "
        "(ss-dexamethasone-cumulative) [main-p13]",
        "error quote-agreement data/drug_schedules.csv row 10 field dose_value: sched-dexamethasone-3: "
        'dose_value 39 is not in the quote "dexamethasone ... 40 mg/day, days 9–12" [main-p13]',
        NOT_CHECKED,
        "invalid: 2 errors, 0 warnings",
    ]
    assert re.match(r"rules run on \d+ cases? ", lines[2]), lines[2]


def test_github_summary_counts_in_words(package):
    package.set_cell("drug_schedules", "sched-dexamethasone-3", "dose_value", "39")
    assert package.run_main("--format", "github").stdout.splitlines()[-1] == "::notice title=summary::2 errors, 0 warnings"
