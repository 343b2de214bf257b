"""Package-wide rules (discrepancies, locators, release) and the rules file itself."""
from __future__ import annotations

import copy
import re

import pytest
import semver
import yaml

from casekit.validation.rules import RulebookError, load_rulebook, registry
from conftest import PACKAGE, PUBLISHED_CASE, REPO
from rules_support import assert_only_rule_fires, edit_rules, rules_only, set_cells, validate


def test_real_package_breaks_no_rule():
    findings = validate(PACKAGE)
    assert [f for f in findings if f.severity == "error"] == []


def test_every_warning_of_the_real_package_is_explained_in_the_validation_docs():
    section = _readme_rules_section()
    for finding in validate(PACKAGE):
        assert finding.rule in section, f"docs/validation.md rules section does not explain warning {finding.rule}"


def test_every_rule_and_kind_is_in_the_validation_docs_table():
    section = _readme_rules_section()
    for rule in load_rulebook():
        assert f"`{rule.id}`" in section


def test_every_rule_kind_is_used_by_a_rule():
    assert {rule.kind for rule in load_rulebook()} == set(registry())


def test_discrepancy_pointing_at_a_missing_row_is_rejected(typed_tables):
    rows = typed_tables.read_rows("discrepancy_rows")
    rows[0]["row_id"] = "sched-tocilizumab-9"
    typed_tables.write_rows("discrepancy_rows", rows)
    [finding] = assert_only_rule_fires(typed_tables, "discrepancy-rows-exist")
    assert "drug_schedules row sched-tocilizumab-9, which does not exist" in finding.message
    assert finding.path == "data/discrepancy_rows.csv" and finding.row == 2


def test_discrepancy_without_affected_rows_is_rejected(typed_tables):
    rows = [row for row in typed_tables.read_rows("discrepancy_rows") if row["discrepancy_id"] != "disc-inflammatory-day-5"]
    typed_tables.write_rows("discrepancy_rows", rows)
    [finding] = assert_only_rule_fires(typed_tables, "discrepancy-rows-exist")
    assert finding.message == "disc-inflammatory-day-5 names no affected rows in discrepancy_rows.csv"


def test_rule_citing_an_unknown_locator_is_rejected(typed_tables, rulebook):
    edit_rules(rulebook, lambda rules: rules[0].update(locator="main-p99"))
    [finding] = assert_only_rule_fires(typed_tables, "locator-exists")
    assert "rule cumulative-dose cites locator main-p99" in finding.message


def test_fact_citing_an_unknown_locator_is_caught_even_without_the_foreign_key_pass(typed_tables):
    typed_tables.set_cell("clinical_events", "ev-fever", "locator_id", "main-p99")
    [finding] = assert_only_rule_fires(typed_tables, "locator-exists", check=rules_only)
    assert finding.path == "data/clinical_events.csv" and finding.field == "locator_id"


def _next_minor(package) -> str:
    return str(semver.Version.parse(package.descriptor()["version"]).bump_minor())


def test_changelog_ahead_of_the_version_is_rejected(package):
    current, ahead = package.descriptor()["version"], _next_minor(package)
    changelog = package.root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(f"## [{current}]", f"## [{ahead}] - 2026-12-01\n\n## [{current}]"))
    [finding] = assert_only_rule_fires(package, "release-integrity")
    assert f"newest entry in CHANGELOG.md is [{ahead}]" in finding.message


def test_citation_with_another_version_is_rejected(package):
    current, ahead = package.descriptor()["version"], _next_minor(package)
    citation = package.root / "CITATION.cff"
    citation.write_text(citation.read_text().replace(f"version: {current}", f"version: {ahead}"))
    [finding] = assert_only_rule_fires(package, "release-integrity")
    assert finding.observed == ahead


def test_missing_citation_file_is_rejected(package):
    (package.root / "CITATION.cff").unlink(missing_ok=True)
    [finding] = assert_only_rule_fires(package, "release-integrity")
    assert "CITATION.cff is missing" in finding.message


def test_version_that_is_not_semver_is_rejected(package):
    descriptor = package.descriptor()
    descriptor["version"] = "1.0"
    package.write_descriptor(descriptor)
    findings = rules_only(package.root)
    assert {f.rule for f in findings} == {"release-integrity"}
    assert "'1.0' is not a SemVer version" in findings[0].message


@pytest.mark.parametrize("edit, reason", [
    (lambda rules: rules[0].update(kind="sum-of-everything"), "unknown kind 'sum-of-everything'"),
    (lambda rules: rules[1].pop("id"), "rule number 2: 'id' is a required property"),
    (lambda rules: rules[1].update(severity="fatal"), "rule 'stated-duration' severity"),
    (lambda rules: rules[2].update(id="Administration Count"), "rule 'Administration Count' id"),
    (lambda rules: rules.append(copy.deepcopy(rules[0])), "rule id 'cumulative-dose' is used twice"),
    (lambda rules: _rule(rules, "within-follow-up")["params"].pop("attribute"), "'attribute' is a required property"),
    (lambda rules: _rule(rules, "within-follow-up")["params"].update(negative_purposes="lymphodepletion"),
     "negative_purposes: 'lymphodepletion' is not of type"),
    (lambda rules: rules[0]["params"].update(surprise=1), "Additional properties are not allowed"),
])
def test_invalid_rules_file_is_refused_with_a_one_line_reason(rulebook, edit, reason):
    edit_rules(rulebook, edit)
    with pytest.raises(RulebookError) as refused:
        load_rulebook(rulebook)
    assert reason in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan"])
def test_a_parameter_that_is_not_a_finite_number_is_refused(rulebook, number):
    text = rulebook.read_text(encoding="utf-8")
    assert "infusion_day: 0" in text
    rulebook.write_text(text.replace("infusion_day: 0", f"infusion_day: {number}"), encoding="utf-8")
    with pytest.raises(RulebookError, match="lymphodepletion-before-infusion.*infusion_day"):
        load_rulebook(rulebook)


def test_an_infinite_or_nan_number_anywhere_in_the_params_is_found():
    from casekit.validation.rules import _non_finite

    assert _non_finite({"ranges": {"mg/kg": {"min": 30, "max": float("inf")}}}) == "ranges/mg/kg/max"
    assert _non_finite({"grades": [1, float("nan")]}) == "grades/1"
    assert _non_finite({"ranges": {"mg/kg": {"min": 30, "max": 250.0}}, "grades": [1, 2]}) is None


def test_yaml_language_tag_is_refused_not_executed(rulebook, tmp_path):
    marker = tmp_path / "executed"
    rulebook.write_text(f"rules: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(RulebookError, match="disallowed tag"):
        load_rulebook(rulebook)
    assert not marker.exists()


def test_missing_rules_file_is_refused(rulebook):
    rulebook.unlink()
    with pytest.raises(RulebookError, match="rules file is missing"):
        load_rulebook(rulebook)


def test_invalid_rules_file_makes_the_package_unusable_for_the_pipeline(package, rulebook):
    from casekit.validation.pipeline import validate_package

    edit_rules(rulebook, lambda rules: rules[0].update(kind="sum-of-everything"))
    report = validate_package(package.root)
    assert report.unusable is not None and "unknown kind" in report.unusable


def test_a_rules_file_inside_the_package_cannot_weaken_the_checks(package):
    (package.root / "rules.yaml").write_text(
        "version: 1\nrules:\n  - {id: nothing, kind: release-integrity, severity: warning, "
        "statement: Nothing is checked here., locator: null, params: {changelog: CHANGELOG.md, "
        "citation: CITATION.cff}}\n", encoding="utf-8")
    package.set_cell("observations", "obs-car-t-3-months", "value", "2000")
    assert_only_rule_fires(package, "maximum-is-maximum")


def test_the_rulebook_is_parsed_once_per_process():
    from casekit.validation.rules import _parse_rulebook

    load_rulebook()
    before = _parse_rulebook.cache_info()
    load_rulebook()
    after = _parse_rulebook.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def _rule(rules: list[dict], rule_id: str) -> dict:
    return next(rule for rule in rules if rule["id"] == rule_id)


def _readme_rules_section() -> str:
    text = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN rules -->(.*)<!-- END rules -->", text, re.DOTALL)
    assert match, "docs/validation.md has no rules section"
    return match.group(1)


@pytest.mark.parametrize("severity", ["warning", "error"])
def test_a_rule_that_crashes_keeps_its_own_severity(typed_tables, rulebook, monkeypatch, severity):
    edit_rules(rulebook, lambda rules: next(r for r in rules if r["id"] == "max-grade").update(severity=severity))

    def crash(context):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(registry()["max-grade"], "check", crash)
    findings = assert_only_rule_fires(typed_tables, "max-grade")  # one per case it runs on
    assert findings and all(finding.severity == severity and finding.message.startswith("internal error: rule max-grade")
                            for finding in findings)


def test_a_source_missing_from_the_descriptor_is_rejected(package):
    descriptor = package.descriptor()
    descriptor["sources"] = [{"title": "Another article", "path": "https://doi.org/10.9999/another-article"}]
    package.write_descriptor(descriptor)
    published = next(row for row in package.read_rows("sources") if row["source_id"] == published_source(package))
    [finding] = [finding for finding in assert_only_rule_fires(package, "sources-listed")
                 if published["doi"] in finding.message]
    assert finding.resource == "sources" and finding.field == "doi"
    assert "https://doi.org/" in finding.message


def published_source(package) -> str:
    return next(row["source_id"] for row in package.read_rows("cases") if row["case_id"] == PUBLISHED_CASE)


def test_a_source_missing_from_the_citation_references_is_rejected(package):
    citation = package.root / "CITATION.cff"
    doi = next(row["doi"] for row in package.read_rows("sources") if row["source_id"] == published_source(package))
    citation.write_text(citation.read_text().replace(f"doi: {doi}", "doi: 10.9999/another-article"))
    [finding] = assert_only_rule_fires(package, "sources-listed")
    assert doi in finding.message and "CITATION.cff" in finding.message


def _source_without_doi_or_url(package) -> dict:
    """The published source with its DOI and URL emptied (an article that shows neither), unlisted by them."""
    source_id = published_source(package)
    source = next(row for row in package.read_rows("sources") if row["source_id"] == source_id)
    set_cells(package, "sources", source_id, doi="", url="")
    descriptor = package.descriptor()
    descriptor["sources"] = [entry for entry in descriptor["sources"]
                             if entry.get("path") != f"https://doi.org/{source['doi']}"]
    package.write_descriptor(descriptor)
    citation = package.root / "CITATION.cff"
    document = yaml.safe_load(citation.read_text(encoding="utf-8"))
    document["references"] = [reference for reference in document["references"]
                              if str(reference.get("doi", "")).lower() != source["doi"].lower()]
    citation.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dict(source, doi="", url="")


def _list_by_title(package, title: str) -> None:
    """A descriptor entry without a path and a CITATION.cff reference without doi or url, both titled title."""
    descriptor = package.descriptor()
    descriptor["sources"].append({"title": title})
    if not any(str(entry.get("path", "")).startswith("https://doi.org/") for entry in descriptor["sources"]):
        # the descriptor profile wants one DOI link among the sources; this one names no row of sources.csv
        descriptor["sources"].append({"title": "A third article", "path": "https://doi.org/10.9999/a-third-article"})
    package.write_descriptor(descriptor)
    citation = package.root / "CITATION.cff"
    document = yaml.safe_load(citation.read_text(encoding="utf-8"))
    document["references"].append({"type": "article", "title": title, "authors": [{"name": "Authors not shown"}]})
    citation.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    package.refresh_hashes()


def test_a_source_without_doi_or_url_is_listed_by_its_citation(package):
    source = _source_without_doi_or_url(package)
    _list_by_title(package, source["citation"])
    assert not [finding for finding in validate(package.root) if finding.rule == "sources-listed"]


def test_an_entry_without_a_path_does_not_list_a_source_without_doi_or_url(package):
    # An entry lacking a path once listed every such source, whatever its title.
    source = _source_without_doi_or_url(package)
    _list_by_title(package, "Another article")
    findings = assert_only_rule_fires(package, "sources-listed")
    assert [(finding.resource, finding.field) for finding in findings] == [("sources", "citation")] * 2
    assert all(source["citation"] in finding.message for finding in findings)
