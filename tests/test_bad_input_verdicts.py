"""Cells and descriptor values that Python reads one way and other readers another, planted in a copy.

Each was accepted, or crashed the run, before issue 18: the validator now judges every
value as pandas, DuckDB, R and a JSON reader would, and says so in one finding.
"""
from __future__ import annotations

import json

import pytest

from casekit.validation.limits import check_table_bounds
from casekit.validation.profile import profile_findings
from casekit.validation.row_checks import blank, calendar_date
from casekit.validation.rules._common import PRIMARY_KEYS
from casekit.validation.rules.release_integrity import release_headings
from conftest import REPO
from validator_checks import findings_of

OBSERVATIONS = ["obs-crp-baseline", "obs-ferritin-baseline", "obs-ferritin-max", "obs-il-6-max",
                "obs-temperature-day-0", "obs-car-t-peak", "obs-car-t-cd4-cd8-peak", "obs-car-t-3-months",
                "obs-car-t-6-months", "obs-car-t-9-months", "obs-car-t-2-years"]
DRUGS = ["fludarabine", "bendamustine", "tisagenlecleucel", "tocilizumab", "siltuximab", "dexamethasone",
         "dasatinib", "levetiracetam", "lacosamide", "quetiapine", "g-csf", "immunoglobulin", "platelets"]
NOT_ASCII_NUMBERS = ["１９.５", "١٩.٥", "1_9.5", "19.5_", "sNaN", "-sNaN", "NaN12", "1e5_0"]
PLAIN_NUMBERS = ["+19.5", "1.95e1", " 19.5"]
BLANKS = [" ", "\u00a0", "\u200b", "\u2003\u200d", "\ufeff", "\u3164", "\u2800 ", "\u202e\u2066", "\u180e"]
NOT_ASCII_INTEGERS = ["５", "1_0", "٣", "+٣"]


def only(findings, rule: str):
    assert {finding.rule for finding in findings} == {rule}, [(f.rule, f.message) for f in findings]
    return findings


def plant(package, resource: str, column: str, row_ids: list[str], values: list[str]) -> dict[int, str]:
    """Each value in the column of its own row (one package, one run); {row number: value}."""
    rows = package.read_rows(resource)
    numbers = {row[PRIMARY_KEYS[resource]]: number for number, row in enumerate(rows, start=2)}
    for row_id, value in zip(row_ids, values):
        next(row for row in rows if row[PRIMARY_KEYS[resource]] == row_id)[column] = value
    package.write_rows(resource, rows)
    return {numbers[row_id]: value for row_id, value in zip(row_ids, values)}


def test_number_cells_hold_ascii_digits_only_and_snan_is_a_finding(package):
    bad = plant(package, "observations", "value", OBSERVATIONS, NOT_ASCII_NUMBERS + PLAIN_NUMBERS)
    package.refresh_hashes()
    findings = findings_of(package)
    typed = {f.row: f for f in findings if f.rule == "frictionless/type-error" and f.field == "value"}
    assert set(typed) == {row for row, value in bad.items() if value in NOT_ASCII_NUMBERS}, typed
    assert all("ASCII digits 0-9" in finding.message for finding in typed.values())


def test_integer_cells_hold_ascii_digits_and_required_text_shows_something(package):
    integers = plant(package, "drugs", "atc_level", DRUGS[:4], NOT_ASCII_INTEGERS)
    names = plant(package, "drugs", "name", DRUGS[4:], BLANKS)
    quotes = plant(package, "clinical_events", "quote", ["ev-fever", "ev-seizure"], ["  ", "\u2060\u2028"])
    package.refresh_hashes()
    findings = findings_of(package)
    assert {f.row for f in findings if f.rule == "frictionless/type-error" and f.field == "atc_level"} == set(integers)
    blank = {(f.path, f.row) for f in findings if f.rule == "blank-text"}
    assert blank == {("data/drugs.csv", row) for row in names} | {("data/clinical_events.csv", row) for row in quotes}
    assert all("holds only spaces, invisible or format characters" in f.message
               for f in findings if f.rule == "blank-text")


def test_a_quiet_nan_or_infinity_is_still_a_number_overflow_finding(package):
    plant(package, "observations", "value", OBSERVATIONS[:3], ["NaN", "nan", "-Infinity"])
    package.refresh_hashes()
    overflow = {f.row for f in findings_of(package) if f.rule == "number-overflow"}
    assert overflow == {2, 3, 4}


def test_an_impossible_date_is_a_finding(package):
    package.set_cell("sources", "baur-2022-jitc", "accepted_date", "2022-02-30")
    [finding] = only(findings_of(package), "calendar-date")
    assert finding.field == "accepted_date" and "not a day of the calendar" in finding.message


@pytest.mark.parametrize("day, real", [("2022-02-30", False), ("2021-02-29", False), ("2022-13-01", False),
                                       ("2022-04-31", False), ("0000-01-01", False), ("2024-02-29", True),
                                       ("2022-1-1", True)])  # not of the form: the pattern's to refuse
def test_calendar_dates(day, real):
    assert calendar_date(day) is real


@pytest.mark.parametrize("text, is_blank", [(" ", True), ("\u00a0\u200b", True), ("\u3164", True),
                                            ("\U000e0020", True), ("", False), (" a ", False), ("\u200bx", False)])
def test_blank_texts(text, is_blank):
    assert blank(text) is is_blank


def test_text_after_a_closing_quote_is_a_csv_quoting_finding(package):
    path = package.csv_path("drugs")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ndasatinib,dasatinib,", '\ndasatinib,"dasat"inib,'), encoding="utf-8")
    package.refresh_hashes()
    line = text[:text.index("\ndasatinib,")].count("\n") + 2
    [finding] = only(findings_of(package), "csv-quoting")
    assert finding.path == "data/drugs.csv" and f"line {line}: text follows the closing quote" in finding.message


@pytest.mark.parametrize("cell, words", [
    ('"dasat"inib', "text follows the closing quote"),
    ('"dasatinib" ', "text follows the closing quote"),
    ('"a""b"c', "text follows the closing quote"),
    ('"dasatinib', "never closed"),
    ('x"y', None),  # pandas and DuckDB both read x"y as x"y: allowed
    ('"a""b"', None),
])
def test_quoting_is_judged_as_rfc_4180_and_strict_readers_do(tmp_path, cell, words):
    path = tmp_path / "t.csv"
    path.write_text(f"a,b\nx,{cell}\n", encoding="utf-8")
    findings = check_table_bounds(path, "data/t.csv")
    assert [finding.rule for finding in findings] == ([] if words is None else ["csv-quoting"])
    if words:
        assert words in findings[0].message


@pytest.mark.parametrize("text, rules", [
    ("\ufeffa,b\nx,y\n", ["byte-order-mark"]),
    ("\ufeffa,b\n", ["byte-order-mark"]),  # a header alone
    ("\ufeff", ["byte-order-mark"]),
    ("\ufeffa,b\nx,\"y\"z\n", ["byte-order-mark", "csv-quoting"]),
    ("\ufeffa,b\r\nx,y\n", ["byte-order-mark", "csv-quoting"]),
    ("a,b\nx,\ufeffy\n", []),  # inside a cell it is text, judged by the cell checks (blank-text)
    ("a,b\n\ufeffx,y\n", []),
])
def test_a_byte_order_mark_only_at_the_start_of_the_file_is_a_finding(tmp_path, text, rules):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    findings = check_table_bounds(path, "data/t.csv")
    assert [finding.rule for finding in findings] == rules
    if rules:
        assert (findings[0].path, findings[0].row) == ("data/t.csv", 1)
        assert findings[0].field == ("a" if text.startswith("\ufeffa") else None)


def real_descriptor() -> dict:
    return json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))


def test_a_descriptor_name_ending_in_a_newline_fails_the_strict_profile(package):
    descriptor = package.descriptor()
    descriptor["name"] += "\n"
    package.write_descriptor(descriptor)
    [finding] = only(findings_of(package), "descriptor-profile")
    assert finding.field == "$.name"


@pytest.mark.parametrize("path", [("name",), ("resources", 0, "name"), ("resources", 0, "hash"),
                                  ("resources", 0, "path"), ("resources", 3, "schema")])
def test_every_pattern_checked_descriptor_string_is_matched_whole(path):
    descriptor = real_descriptor()
    holder = descriptor
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] += "\n"
    findings = profile_findings(descriptor)
    assert [finding.field for finding in findings] == ["$." + ".".join(map(str, path)).replace(".0.", "[0].")
                                                       .replace(".3.", "[3].")]


@pytest.mark.parametrize("where, text", [("title", " "), ("description", "\u00a0\u200b"), ("id", "\u2060")])
def test_a_descriptor_text_that_shows_nothing_fails_the_strict_profile(where, text):
    descriptor = real_descriptor()
    descriptor[where] = text
    descriptor["keywords"][0] = "\u3000"
    fields = [(f.field, "holds only spaces" in f.message) for f in profile_findings(descriptor)]
    assert fields == [(f"$.{where}", True), ("$.keywords[0]", True)]


@pytest.mark.parametrize("value", [532.0, 1386.0, True])
def test_a_byte_count_that_is_not_a_json_integer_is_refused(value):
    descriptor = real_descriptor()
    descriptor["resources"][0]["bytes"] = value
    assert [finding.field for finding in profile_findings(descriptor)] == ["$.resources[0].bytes"]


@pytest.mark.parametrize("created, real", [("2026-02-30T25:61:61Z", False), ("2026-02-30T00:00:00Z", False),
                                           ("2026-01-01T24:00:00Z", False), ("2026-01-01T00:00:60+01:00", False),
                                           ("2024-02-29T23:59:59.5+01:00", True)])
def test_created_must_be_a_real_moment(created, real):
    descriptor = real_descriptor()
    descriptor["created"] = created
    findings = profile_findings(descriptor)
    assert findings == [] if real else [(f.field, "not a real date and time" in f.message) for f in findings] == [
        ("$.created", True)]


@pytest.mark.parametrize("wrapping", [
    "```\n{}\n```", "~~~markdown\n{}\n~~~", "    {}", "> {}", "- {}", "<!--\n{}\n-->",
])
def test_a_heading_markdown_does_not_show_as_a_level_2_heading_is_no_release(wrapping):
    text = "# Changelog\n\n" + wrapping.format("## [9.9.9] - 2026-12-01") + "\n\n## [1.0.0] - 2026-01-01\n"
    assert release_headings(text) == ["1.0.0"]
    assert release_headings("## [9.9.9]\n\n## [1.0.0]\n") == ["9.9.9", "1.0.0"]


def test_a_release_heading_inside_a_code_block_of_the_changelog_is_not_the_release(package):
    version = package.descriptor()["version"]
    changelog = package.root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    heading = f"## [{version}]"
    changelog.write_text(text.replace(heading, f"```\n## [99.0.0] - 2026-12-01\n```\n\n{heading}", 1),
                         encoding="utf-8")
    assert findings_of(package, "release-integrity") == []
