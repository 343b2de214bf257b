"""--source-text DIR: the run says whether quotes were looked up in the article text."""
from __future__ import annotations

import json

from casekit.validation.pipeline import validate_package
from casekit.validation.report import NOT_CHECKED, format_json, format_text


def test_run_without_source_text_says_quotes_were_not_checked(package):
    report = validate_package(package.root)
    assert report.source_text_checked is False
    assert NOT_CHECKED in format_text(report).splitlines()
    assert json.loads(format_json(report))["source_text_checked"] is False
    assert json.loads(format_json(report))["coverage"] is None  # counted only against the article text


def test_run_with_source_text_says_nothing_was_skipped(package, tmp_path):
    report = validate_package(package.root, source_text=tmp_path)
    assert report.source_text_checked is True
    assert NOT_CHECKED not in format_text(report)
    assert json.loads(format_json(report))["source_text_checked"] is True


def test_source_text_that_is_not_a_folder_is_unusable_in_one_line(package, tmp_path):
    result = package.run_cli("--source-text", str(tmp_path / "absent"))
    assert result.returncode == 2
    assert result.stdout.strip().splitlines() == [f"unusable: --source-text {tmp_path / 'absent'}: not a folder"]
