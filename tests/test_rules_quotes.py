"""Each class of a curator's single-value slip, planted in a copy of the real package's typed tables,
is rejected by the rule meant for it, naming the field that slipped (issue 7). Several rows per class.
Quotes are looked up in the article on a copy of the package's files."""
from __future__ import annotations

import pytest
from conftest import PACKAGE_TEXTS, PUBLISHED_CASE
from rules_support import set_cells, validate


def findings_of(tables, rule_id):
    return [finding for finding in validate(tables) if finding.rule == rule_id]


def assert_rejected(tables, rule_id, resource, row_id, field):
    found = findings_of(tables, rule_id)
    assert any(finding.resource == resource and row_id in finding.message and finding.field == field
               and finding.severity == "error" for finding in found), [finding.message for finding in found]


@pytest.mark.parametrize(("row_id", "slipped"), [
    ("obs-crp-baseline", "15.9"), ("obs-car-t-peak", "1046"), ("obs-car-t-6-months", "1.65"),
    ("obs-ferritin-baseline", "2589"),
])
def test_a_digit_slip_no_total_covers_is_rejected_by_quote_agreement(typed_tables, row_id, slipped):
    typed_tables.set_cell("observations", row_id, "value", slipped)
    assert_rejected(typed_tables, "quote-agreement", "observations", row_id, "value")


def test_a_digit_slip_reads_as_field_against_words(typed_tables):
    typed_tables.set_cell("observations", "obs-crp-baseline", "value", "15.9")
    [finding] = findings_of(typed_tables, "quote-agreement")
    assert finding.message.startswith('obs-crp-baseline: value 15.9 is not in the quote "CRP was 19.5 mg/L')


@pytest.mark.parametrize(("row_id", "field", "value"), [
    ("sched-tocilizumab-1", "dose_per_body_value", "80"),      # a weight-based dose x10
    ("sched-fludarabine-1", "dose_per_body_value", "250"),     # a per-m2 lymphodepletion dose x10
    ("sched-bendamustine-1", "dose_per_body_value", "900"),
    ("sched-tocilizumab-1", "dose_value", "70"),               # an absolute dose /10: impossible body weight
    ("sched-dasatinib-1", "dose_value", "1000"),               # a daily dose x10
])
def test_a_dose_ten_times_off_is_an_error_of_dose_limits(typed_tables, row_id, field, value):
    typed_tables.set_cell("drug_schedules", row_id, field, value)
    assert_rejected(typed_tables, "dose-limits", "drug_schedules", row_id, field)


@pytest.mark.parametrize(("row_id", "field"), [
    ("sched-tocilizumab-1", "dose_value"), ("sched-tocilizumab-1", "dose_per_body_value"),
    ("sched-dasatinib-1", "dose_value"), ("sched-dexamethasone-2", "dose_value"),
    ("sched-fludarabine-1", "dose_per_body_value"),
])
def test_a_stated_dose_emptied_is_rejected_by_quote_agreement(typed_tables, row_id, field):
    typed_tables.set_cell("drug_schedules", row_id, field, "")
    assert_rejected(typed_tables, "quote-agreement", "drug_schedules", row_id, field)


@pytest.mark.parametrize(("resource", "row_id"), [
    ("observations", "obs-car-t-6-months"), ("observations", "obs-car-t-2-years"),
    ("clinical_events", "ev-complete-remission"),
])
def test_a_count_after_months_recorded_in_days_is_rejected_at_the_time_unit(typed_tables, resource, row_id):
    typed_tables.set_cell(resource, row_id, "time_unit", "d")
    assert_rejected(typed_tables, "quote-agreement", resource, row_id, "time_unit")


@pytest.mark.parametrize(("resource", "row_id", "day"), [
    ("toxicity_grades", "tg-crs-day-3", 4), ("clinical_events", "ev-icu-transfer", 2),
    ("clinical_events", "ev-seizure", 8), ("observations", "obs-ferritin-max", 6),
])
def test_a_grade_or_event_moved_to_a_neighbouring_day_is_rejected(typed_tables, resource, row_id, day):
    set_cells(typed_tables, resource, row_id, time_earliest=day, time_latest=day)
    assert_rejected(typed_tables, "quote-agreement", resource, row_id, "time_earliest")


ARTICLE_FOLDER = PACKAGE_TEXTS
needs_article = pytest.mark.skipif(not ARTICLE_FOLDER.is_dir(), reason="the article text is not distributed")


def with_article(package):
    from casekit.validation.pipeline import validate_package

    report = validate_package(package.root, source_text=ARTICLE_FOLDER)
    assert report.unusable is None and report.source_text_checked
    return report.findings


@needs_article
def test_every_quote_of_the_real_package_is_found_in_the_article(package):
    import json

    from casekit.validation.pipeline import validate_package
    from casekit.validation.report import format_json, format_text

    report = validate_package(package.root, source_text=ARTICLE_FOLDER)
    assert report.findings == []
    # ... and the coverage per case reaches the text and JSON reports (a key added to the JSON).
    cases = json.loads(format_json(report))["coverage"]
    assert PUBLISHED_CASE in {case["case_id"] for case in cases}
    for case in cases:
        assert case["uncovered"] == 0 and f"coverage {case['case_id']}: " in format_text(report)


@needs_article
@pytest.mark.parametrize(("resource", "row_id", "field", "value"), [
    ("observations", "obs-crp-baseline", "locator_id", "main-p08"),   # a row moved to the wrong passage
    ("clinical_events", "ev-seizure", "locator_id", "main-p12"),
    ("stated_summaries", "ss-dexamethasone-cumulative", "quote", "cumulative dose of 620 mg dexamethasone"),
])
def test_a_quote_not_in_its_passage_is_rejected_by_source_text(package, resource, row_id, field, value):
    package.set_cell(resource, row_id, field, value)
    found = [finding for finding in with_article(package) if finding.rule == "source-text"]
    assert any(row_id in finding.message and finding.resource == resource for finding in found), found


@needs_article
def test_an_article_file_with_another_hash_is_named_at_the_source(package, tmp_path):
    from casekit.validation.pipeline import validate_package

    (tmp_path / "article.md").write_text("another text", encoding="utf-8")
    findings = validate_package(package.root, source_text=tmp_path).findings
    by_source = [finding for finding in findings if finding.field == "text_sha256"]
    assert {finding.rule for finding in by_source} == {"source-text"}
    source = next(row["source_id"] for row in package.read_rows("cases") if row["case_id"] == PUBLISHED_CASE)
    assert [finding for finding in by_source if finding.message.startswith(f"{source}:")]
    assert len(by_source) == len(package.read_rows("sources"))  # one per source: no text of any is there
    # ... and every quote left unchecked is named on its row: none is skipped silently.
    unchecked = [finding for finding in findings if finding.observed == "not checked"]
    assert len(by_source) + len(unchecked) == len(findings)
    assert unchecked and all(finding.field in ("quote", "timing_as_stated") for finding in unchecked)
    assert {finding.resource for finding in unchecked} >= {"observations", "drug_schedules", "stated_summaries"}
