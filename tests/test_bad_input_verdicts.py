"""Cells and descriptor values that Python reads one way and other readers another, planted in a copy.

Each was accepted, or crashed the run, before issue 18: the validator now judges every
value as pandas, DuckDB, R and a JSON reader would, and says so in one finding.
"""
from __future__ import annotations

import pytest

from casekit.validation.pipeline import validate_package
from validator_checks import findings_of

CRP = ("observations", "obs-crp-baseline", "value")


def only(findings, rule: str):
    assert {finding.rule for finding in findings} == {rule}, [(f.rule, f.message) for f in findings]
    return findings


@pytest.mark.parametrize("cell", ["１９.５", "١٩.٥", "1_9.5", "19.5_", "sNaN", "-sNaN", "NaN12", "1e5_0", "٥"])
def test_a_number_cell_holds_ascii_digits_only(package, cell):
    package.set_cell(*CRP, cell)
    [finding] = only(findings_of(package), "frictionless/type-error")
    assert finding.field == "value" and finding.row == 2
    assert "ASCII digits 0-9" in finding.message


@pytest.mark.parametrize("cell", ["５", "1_0", "٣", "+٣"])
def test_an_integer_cell_holds_ascii_digits_only(package, cell):
    package.set_cell("drugs", "fludarabine", "atc_level", cell)
    [finding] = only(findings_of(package), "frictionless/type-error")
    assert finding.field == "atc_level" and "not a valid integer" in finding.message


@pytest.mark.parametrize("cell", ["NaN", "nan", "-Infinity"])
def test_a_quiet_nan_or_infinity_is_still_a_number_overflow_finding(package, cell):
    package.set_cell(*CRP, cell)
    assert "number-overflow" in {finding.rule for finding in findings_of(package)}


@pytest.mark.parametrize("cell", ["19.5", "+19.5", "19.", ".5", "1.95e1", " 19.5"])
def test_plain_ascii_numbers_are_still_read(package, cell):
    package.set_cell(*CRP, cell)
    assert "frictionless/type-error" not in {finding.rule for finding in findings_of(package)}


@pytest.mark.parametrize("day", ["2022-02-30", "2021-02-29", "2022-13-01", "2022-04-31", "0000-01-01"])
def test_an_impossible_date_is_a_finding(package, day):
    package.set_cell("sources", "baur-2022-jitc", "accepted_date", day)
    [finding] = only(findings_of(package), "calendar-date")
    assert finding.field == "accepted_date" and "not a day of the calendar" in finding.message


def test_a_leap_day_is_a_date(package):
    package.set_cell("sources", "baur-2022-jitc", "accepted_date", "2024-02-29")
    assert findings_of(package) == []


@pytest.mark.parametrize("blank", [" ", "   ", "\u00a0", "\u200b", "\u2003\u200d", "\ufeff", "\u3164", "\u2800 ",
                                   "\u202e\u2066"])
@pytest.mark.parametrize("where", [("drugs", "fludarabine", "name"),
                                   ("clinical_events", "ev-fever", "quote")])
def test_a_required_text_of_blank_characters_only_is_a_finding(package, blank, where):
    package.set_cell(*where, blank)
    findings = [finding for finding in findings_of(package) if finding.rule == "blank-text"]
    assert [finding.field for finding in findings] == [where[2]]
    assert "holds only spaces, invisible or format characters" in findings[0].message


@pytest.mark.parametrize("text, words", [
    ('"dasat"inib', "text follows the closing quote"),
    ('"dasatinib" ', "text follows the closing quote"),
    ('"dasatinib', "never closed"),
])
def test_quoting_that_rfc_4180_does_not_allow_is_a_finding(package, text, words):
    path = package.csv_path("drugs")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[-1].split(",")
    cells[1] = text
    lines[-1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    package.refresh_hashes()
    [finding] = only(findings_of(package), "csv-quoting")
    assert finding.path == "data/drugs.csv" and words in finding.message
    assert f"line {len(lines)}" in finding.message


def test_a_quote_inside_an_unquoted_cell_is_read_alike_and_allowed(package):
    # pandas and DuckDB both read x"y as x"y, so RFC 4180's advice is not enforced there.
    package.set_cell("drugs", "fludarabine", "code_note", 'the "usual" form')
    assert findings_of(package) == []


@pytest.mark.parametrize("path, value", [
    (("name",), "baur-2022-dasatinib-car-t-case\n"),
    (("resources", 0, "name"), "sources\n"),
    (("resources", 0, "hash"), None),
    (("resources", 0, "path"), "data/sources.csv\n"),
])
def test_a_pattern_checked_descriptor_string_ending_in_a_newline_fails_the_strict_profile(package, path, value):
    descriptor = package.descriptor()
    holder = descriptor
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value if value is not None else holder[path[-1]] + "\n"
    package.write_descriptor(descriptor)
    report = validate_package(package.root)
    # A resource name or path frictionless itself cannot use ends the run as unusable instead.
    assert report.exit_code() == (2 if path[-1] in ("path", "name") and len(path) > 1 else 1), report.findings
    if report.unusable is None:
        findings = [finding for finding in report.findings if finding.rule == "descriptor-profile"]
        assert findings and findings[0].field.endswith(str(path[-1]))


@pytest.mark.parametrize("value", [532.0, 1386.0])
def test_a_byte_count_that_is_not_a_json_integer_is_refused(package, value):
    descriptor = package.descriptor()
    descriptor["resources"][0]["bytes"] = value
    package.write_descriptor(descriptor)
    findings = [finding for finding in findings_of(package) if finding.rule == "descriptor-profile"]
    assert [finding.field for finding in findings] == ["$.resources[0].bytes"]


@pytest.mark.parametrize("created", ["2026-02-30T25:61:61Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z",
                                     "2026-01-01T00:00:60+01:00"])
def test_an_impossible_created_moment_is_refused(package, created):
    descriptor = package.descriptor()
    descriptor["created"] = created
    package.write_descriptor(descriptor)
    [finding] = only(findings_of(package), "descriptor-profile")
    assert finding.field == "$.created" and "not a real date and time" in finding.message


@pytest.mark.parametrize("wrapping", [
    "```\n{}\n```", "~~~markdown\n{}\n~~~", "    {}", "> {}", "- {}", "<!--\n{}\n-->",
])
def test_a_release_heading_that_markdown_does_not_show_as_a_heading_is_not_a_release(package, wrapping):
    version = package.descriptor()["version"]
    major, minor, _ = (int(part) for part in version.split("-")[0].split(".")[:3])
    ahead = f"{major}.{minor + 1}.0"
    changelog = package.root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    heading = f"## [{version}]"
    fake = wrapping.format(f"## [{ahead}] - 2026-12-01")
    changelog.write_text(text.replace(heading, f"{fake}\n\n{heading}", 1), encoding="utf-8")
    assert findings_of(package, "release-integrity") == []
    # The same heading outside the code block is the newest release, and the versions disagree.
    changelog.write_text(text.replace(heading, f"## [{ahead}] - 2026-12-01\n\n{heading}", 1), encoding="utf-8")
    assert findings_of(package, "release-integrity")
