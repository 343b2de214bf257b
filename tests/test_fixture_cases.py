"""Three more published case reports (tests/fixtures/cases/) test how case-generic the model is.

Each fixture folder holds only the rows one article adds, one CSV per table with the table's
own header. Added to a copy of the real package (as docs/curating.md tells a curator to),
each validates with no schema or code change made for it, apart from the model's limits pinned
below (each pin fails once its limit is lifted); every rule runs on each case and fires on an
error planted inside it; a reference from one case into another is rejected; the loaders return
each case and the figure draws it; every command of the curator's guide runs.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import runpy
import shlex
import signal
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, PackageCopy, copy_package
from casekit.validation.findings import ERROR

CASES_DIR = REPO / "tests" / "fixtures" / "cases"
SLUGS = sorted(path.name for path in CASES_DIR.iterdir() if path.is_dir())
# The articles' text files (not in the repository: their licences are not stated).
CASE_TEXTS = Path(os.environ.get("CASEKIT_CASE_TEXTS", "/work/shared/cases"))
# The published article's text, to check the real package's quotes beside the cases'.
PACKAGE_TEXT = Path(os.environ.get("CASEKIT_SOURCE_TEXT", "/work/shared/source"))
needs_texts = pytest.mark.skipif(not (CASE_TEXTS.is_dir() and PACKAGE_TEXT.is_dir()),
                                 reason=f"article texts not found at {CASE_TEXTS} and {PACKAGE_TEXT}")
# Resources whose rows belong to one article although they have no case_id column.
PER_ARTICLE = {"sources", "locators", "discrepancy_rows"}


# ---------------------------------------------------------------------------------------------
# Reading the fixture folders and adding a case to a package copy, as a curator would.

def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def fixture_tables(slug: str) -> dict[str, tuple[list[str], list[dict]]]:
    return {path.stem: read_csv(path) for path in sorted((CASES_DIR / slug).glob("*.csv"))}


def case_id(slug: str) -> str:
    (_, rows) = fixture_tables(slug)["cases"]
    assert len(rows) == 1, f"{slug}: one case per fixture folder"
    return rows[0]["case_id"]


def is_vocabulary(resource: str, header: list[str]) -> bool:
    return "case_id" not in header and resource not in PER_ARTICLE


def add_case(package: PackageCopy, slug: str, refresh: bool = True) -> None:
    """Append a fixture case's rows to the package copy, list its sources in the descriptor, refresh hashes.

    A vocabulary row (units, event_types, drugs ...) is added only if the package lacks its code; a
    row for a code the package (or an earlier fixture) already has must be identical to that row,
    or the case is refused (VocabularyDrift): a code means one thing, so its definition cannot drift.
    A case the package already holds (a copy made by tests/build_case_package.py) is left as it is.
    """
    if case_id(slug) in {row["case_id"] for row in package.read_rows("cases")}:
        return
    for resource, (header, rows) in fixture_tables(slug).items():
        package_header, existing = read_csv(package.csv_path(resource))
        assert header == package_header, f"{slug}/{resource}.csv: header differs from data/{resource}.csv"
        if is_vocabulary(resource, header):
            rows = new_vocabulary_rows(f"{slug}/{resource}.csv", header[0], rows, existing)
        package.write_rows(resource, existing + rows, fieldnames=header)
    descriptor = package.descriptor()
    listed = descriptor.get("sources", [])
    for source in fixture_tables(slug)["sources"][1]:
        entry = descriptor_source(source)
        if entry not in listed:
            descriptor.setdefault("sources", []).append(entry)
    package.write_descriptor(descriptor)
    cite_in_citation_file(package.root / "CITATION.cff", fixture_tables(slug)["sources"][1])
    if refresh:
        package.refresh_hashes()


class VocabularyDrift(AssertionError):
    """A fixture's vocabulary row redefines a code the package already has."""


def new_vocabulary_rows(where: str, key: str, rows: list[dict], existing: list[dict]) -> list[dict]:
    """The rows whose code the package lacks; a row for a known code must equal the known row, cell by cell."""
    known = {row[key]: row for row in existing}
    new = []
    for row in rows:
        published = known.get(row[key])
        if published is None:
            new.append(row)
            known[row[key]] = row
        elif published != row:
            changed = ", ".join(f"{column} {row[column]!r} (package: {published.get(column)!r})"
                                for column in row if row[column] != published.get(column))
            raise VocabularyDrift(f"{where}: code {row[key]!r} is in the package already with other values: "
                                  f"{changed}; reuse the package's row (delete it here) or give the code a new name")
    return new


def cite_in_citation_file(path: Path, sources: list[dict]) -> None:
    """Add each source to CITATION.cff `references` (by DOI, or by URL without one), as the guide says."""
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    references = document.setdefault("references", [])
    for source in sources:
        key = (("doi", source["doi"]) if source.get("doi") else ("url", source["url"]) if source.get("url")
               else ("title", source["citation"]))
        if not any(reference.get(key[0]) == key[1] for reference in references):
            references.append({"type": "article", "title": source["citation"],
                               "authors": [{"name": "the article's authors (see title)"}], key[0]: key[1]})
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


def descriptor_source(source: dict) -> dict:
    """The datapackage.json `sources` entry for a sources.csv row (its title alone when it has no DOI or URL)."""
    path = f"https://doi.org/{source['doi']}" if source.get("doi") else source.get("url")
    return {"title": source["citation"], "path": path} if path else {"title": source["citation"]}


def package_with(tmp_path: Path, slugs) -> PackageCopy:
    package = copy_package(tmp_path)
    for slug in slugs:
        add_case(package, slug, refresh=False)
    package.refresh_hashes()
    return package


def validate(root: Path, source_text: Path | None = None):
    from casekit.validation.pipeline import validate_package

    report = validate_package(root, source_text=source_text) if source_text else validate_package(root)
    assert report.unusable is None, report.unusable
    return report


def error_lines(findings) -> str:
    return "\n".join(f"{f.rule} {f.resource} row {f.row} {f.field}: {f.message}" for f in findings
                     if f.severity == ERROR)


# What the session fixtures below build, by fixture name. Other test modules import these fixtures, and
# pytest makes an imported fixture that module's own, run once per importing module: without this memo the
# combined package would be built and read once per module, not once per process.
_BUILT: dict[str, object] = {}


def _once(name: str, build):
    if name not in _BUILT:
        _BUILT[name] = build()
    return _BUILT[name]


@pytest.fixture(scope="session")
def combined(tmp_path_factory) -> PackageCopy:
    """The real package plus all three fixture cases, built once per session. Read, never change."""
    return _once("combined", lambda: package_with(tmp_path_factory.mktemp("combined"), SLUGS))


# ---------------------------------------------------------------------------------------------
# (a) Each case, and all three together, validate: no error but the model limits pinned here.

# What the 2.0.0 Table Schemas refuse in these published cases, as (resource, field, constraint).
# Each entry is a limit of the model, not of the case (see docs/curating.md, "Limits of the
# model"); the test fails once a limit is lifted, so that its entry is removed here.
KNOWN_LIMITS: dict[str, set] = {}


def limits_hit(findings) -> tuple[set, list]:
    """The known limits among the error findings, and the errors that are no known limit."""
    known = set().union(*KNOWN_LIMITS.values())
    hit, other = set(), []
    for finding in findings:
        if finding.severity != ERROR:
            continue
        match = {limit for limit in known if (finding.resource, finding.field) == limit[:2]
                 and f'"{limit[2]}"' in (finding.expected or "")}
        if match:
            hit |= match
        else:
            other.append(finding)
    return hit, other


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def vocabulary_fixture(tmp_path, monkeypatch):
    """A fixture folder of a new case (koike's case and source rows under a new case id) whose event_types.csv
    repeats a published event type; returns (package copy, the row, the folder's event_types.csv)."""
    cases_dir = tmp_path / "cases"
    folder = cases_dir / "vocabulary-reuse"
    folder.mkdir(parents=True)
    header, [case] = fixture_tables("koike-2024-bct")["cases"]
    write_csv(folder / "cases.csv", header, [dict(case, case_id="vocabulary-reuse-1")])
    write_csv(folder / "sources.csv", *fixture_tables("koike-2024-bct")["sources"])
    package = copy_package(tmp_path)
    event_header, published = read_csv(package.csv_path("event_types"))
    row = next(row for row in published if row["event_type"] == "hospital_discharge")
    monkeypatch.setattr(sys.modules[__name__], "CASES_DIR", cases_dir)
    return package, event_header, row, folder / "event_types.csv"


def test_a_fixture_row_identical_to_a_published_code_is_reused(vocabulary_fixture):
    package, header, row, path = vocabulary_fixture
    write_csv(path, header, [row])
    before = package.read_rows("event_types")
    add_case(package, "vocabulary-reuse", refresh=False)
    assert package.read_rows("event_types") == before
    assert "vocabulary-reuse-1" in {case["case_id"] for case in package.read_rows("cases")}


def test_a_fixture_row_that_redefines_a_published_code_is_refused(vocabulary_fixture):
    package, header, row, path = vocabulary_fixture
    write_csv(path, header, [dict(row, definition="The patient leaves the ward.")])
    with pytest.raises(VocabularyDrift, match=r"code 'hospital_discharge' is in the package already.*definition"):
        add_case(package, "vocabulary-reuse", refresh=False)


def test_no_fixture_folder_repeats_a_published_vocabulary_row():
    """Reused codes are the package's rows: a fixture folder holds only the codes data/ lacks."""
    for slug in SLUGS:
        for resource, (header, rows) in fixture_tables(slug).items():
            if is_vocabulary(resource, header):
                published = {row[header[0]] for row in read_csv(REPO / "data" / f"{resource}.csv")[1]}
                assert not [row[header[0]] for row in rows if row[header[0]] in published], f"{slug}/{resource}.csv"


def test_every_fixture_folder_is_a_case():
    folders = [path for path in CASES_DIR.iterdir() if path.is_dir()]
    assert len(SLUGS) == len(folders) >= 3, SLUGS
    assert all((folder / "cases.csv").is_file() for folder in folders), SLUGS
def test_every_fixture_folder_is_one_case_the_readme_lists():
    # However many folders there are: each holds one case and has its line in the README.
    readme = (CASES_DIR / "README.md").read_text(encoding="utf-8")
    assert SLUGS
    for slug in SLUGS:
        assert f"| `{slug}` |" in readme, f"{slug} has no line in tests/fixtures/cases/README.md"
    assert set(KNOWN_LIMITS) <= set(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_fixture_files_have_the_package_headers_and_only_their_case(slug):
    cid = case_id(slug)
    for resource, (header, rows) in fixture_tables(slug).items():
        assert header == read_csv(REPO / "data" / f"{resource}.csv")[0], f"{slug}/{resource}.csv"
        assert rows, f"{slug}/{resource}.csv has a header but no rows"
        if "case_id" in header:
            assert {row["case_id"] for row in rows} == {cid}, f"{slug}/{resource}.csv holds another case's rows"


def not_known(findings) -> list:
    """Error findings that are neither a known schema limit nor a known rule limit."""
    _, other = limits_hit(findings)
    return [f for f in other if (f.rule, row_id_of(f)) not in KNOWN_RULE_LIMITS]


def row_id_of(finding) -> str:
    """The id of the row a rule finding points at (rule findings' messages start with it)."""
    return finding.message.split(":", 1)[0].strip()


@pytest.mark.parametrize("slug", SLUGS)
def test_each_case_added_to_the_real_package_validates(slug, tmp_path):
    report = validate(package_with(tmp_path, [slug]).root)
    assert not not_known(report.findings), error_lines(not_known(report.findings))
    hit, _ = limits_hit(report.findings)
    assert hit == KNOWN_LIMITS.get(slug, set()), f"limits lifted or new: {hit ^ KNOWN_LIMITS.get(slug, set())}"


def test_all_three_cases_together_validate(combined):
    report = validate(combined.root)
    assert not not_known(report.findings), error_lines(not_known(report.findings))
    hit, _ = limits_hit(report.findings)
    assert hit == set().union(*KNOWN_LIMITS.values())


# What the quote checker cannot read yet in these cases, as (rule, row). All lifted in 2.0.0
# ("22-year-old", "D11", "a 3-month interval" are read; the Deauville score has its own unit);
# a new entry makes the tests below expect that finding, and fail once it is lifted.
KNOWN_RULE_LIMITS: set[tuple[str, str]] = set()


def rule_errors_by_row(findings, tables) -> dict[tuple[str, str], list]:
    """Error findings by (rule, id of the row they point at)."""
    from casekit.validation.tables import ROW_NUMBER

    ids = {(resource, row[ROW_NUMBER]): row[header_key(resource)] for resource in tables.rows
           for row in tables[resource]}
    found: dict[tuple[str, str], list] = {}
    for finding in findings:
        if finding.severity == ERROR:
            found.setdefault((finding.rule, ids.get((finding.resource, finding.row))), []).append(finding)
    return found


def header_key(resource: str) -> str:
    return read_csv(REPO / "data" / f"{resource}.csv")[0][0]


def test_no_rule_finds_an_error_in_any_fixture_case(combined, typed):
    """The cross-table rules on all three cases (run on the typed tables, past the schema limits above)."""
    tables, descriptor = typed
    found = rule_errors_by_row(run_rules_on(combined.root, tables, descriptor), tables)
    unexpected = [f for key, group in found.items() if key not in KNOWN_RULE_LIMITS for f in group]
    assert not unexpected, error_lines(unexpected)
    pinned = {limit for limit in KNOWN_RULE_LIMITS if limit[0] in rule_ids()}
    assert set(found) == pinned, f"limits lifted: {sorted(pinned - set(found))}"


@pytest.fixture(scope="session")
def all_texts(tmp_path_factory) -> Path:
    """One folder with the three cases' texts and the published article's text."""
    return _once("all_texts", lambda: _all_texts(tmp_path_factory.mktemp("texts")))


def _all_texts(folder: Path) -> Path:
    for text in [*CASE_TEXTS.glob("*.md"), *PACKAGE_TEXT.glob("*.md")]:
        shutil.copy2(text, folder / text.name)
    return folder


@needs_texts
def test_every_quote_of_the_three_cases_is_found_in_its_article(combined, typed, all_texts):
    needs_rule("source-text")
    tables, descriptor = typed
    found = rule_errors_by_row(run_rules_on(combined.root, tables, descriptor, all_texts), tables)
    unexpected = [f for key, group in found.items() if key not in KNOWN_RULE_LIMITS for f in group]
    assert not unexpected, error_lines(unexpected)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_source_records_the_sha256_of_its_text(slug):
    import hashlib

    (_, sources) = fixture_tables(slug)["sources"]
    for source in sources:
        assert re.fullmatch(r"[0-9a-f]{64}", source["text_sha256"]), source["source_id"]
        if CASE_TEXTS.is_dir():
            digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in CASE_TEXTS.glob("*.md")}
            assert source["text_sha256"] in digests, source["source_id"]


# ---------------------------------------------------------------------------------------------
# (b) Every rule runs on every case, and fires on an error planted inside each case.

@pytest.fixture(scope="session")
def typed(combined):
    """The combined package's typed tables and descriptor, read once. Plant in a copy (planted(), without_row())."""
    import frictionless

    from casekit.validation.tables import read_tables

    return _once("typed", lambda: (read_tables(frictionless.Package(str(combined.root / "datapackage.json"))),
                                   combined.descriptor()))


def validator_rulebook():
    from casekit.validation.rules import load_rulebook

    return load_rulebook()


def rule_ids() -> set[str]:
    return {rule.id for rule in validator_rulebook()}


def needs_rule(rule_id: str) -> None:
    """Skip, saying why, when the validator does not have this rule (yet)."""
    if rule_id not in rule_ids():
        pytest.skip(f"the validator's rulebook has no rule {rule_id}")


def run_rules_on(root: Path, tables, descriptor, source_text: Path | None = None):
    from casekit.validation.rules import run_rules

    return list(run_rules(root, tables, descriptor, options={"source_text": source_text}))


def test_every_case_scoped_rule_runs_on_each_fixture_case(combined, typed, all_texts, monkeypatch):
    from casekit.validation import rules

    visited: set[tuple[str, str | None]] = set()
    for module in rules.registry().values():
        def spy(context, _check=module.check):
            visited.add((context.rule.id, context.case_id))
            return _check(context)
        monkeypatch.setattr(module, "check", spy)
    tables, descriptor = typed
    findings = run_rules_on(combined.root, tables, descriptor, all_texts)
    assert not [f for f in findings if "internal error" in f.message], error_lines(findings)
    kinds = rules.registry()
    case_rules = {rule.id for rule in validator_rulebook() if kinds[rule.kind].SCOPE == "case"}
    assert case_rules
    for slug in SLUGS:
        ran = {rule_id for rule_id, cid in visited if cid == case_id(slug)}
        assert ran == case_rules, f"{slug}: rules not run: {sorted(case_rules - ran)}"


def planted(tables, resource: str, key: str, row_key: str, **values):
    """A copy of the tables with new values in one row (typed, as frictionless would give them)."""
    import dataclasses

    rows = {name: list(table) for name, table in tables.rows.items()}
    matches = [index for index, row in enumerate(rows[resource]) if row.get(key) == row_key]
    assert matches, f"no row {row_key} in {resource}"
    changed = dict(rows[resource][matches[0]])
    changed.update(values)
    rows[resource][matches[0]] = changed
    return dataclasses.replace(tables, rows=rows)  # keeps the tables' keys; indexes are rebuilt


# One planted error per rule kind that applies to the case:
# (rule id, resource, key column, row id, new values, field the finding must name).
PLANTS = {
    "koike-2024-bct": [
        ("schedule-order", "clinical_events", "event_id", "koike-ev-hydrocephalus",
         {"time_earliest": 80, "time_latest": 70}, "time_latest"),
        ("within-follow-up", "clinical_events", "event_id", "koike-ev-neurological-symptoms",
         {"time_earliest": -50, "time_latest": -50}, "time_earliest"),
        ("administration-count", "drug_schedules", "schedule_id", "koike-sched-tocilizumab-1",
         {"administrations": 2}, "value"),
        ("grade-in-scale", "toxicity_grades", "grade_id", "koike-tg-crs", {"grade": 9}, "grade"),
        ("vocabulary-kind", "clinical_events", "event_id", "koike-ev-death", {"time_unit": "mg"}, "time_unit"),
        ("quote-agreement", "clinical_events", "event_id", "koike-ev-death",
         {"time_earliest": 70, "time_latest": 70}, "time_earliest"),
        ("relative-timing", "relative_timings", "relation_id", "koike-rt-relapse-after-transplant",
         {"subject_id": "koike-cc-no-such-row"}, "subject_id"),
        ("locator-exists", "clinical_events", "event_id", "koike-ev-death",
         {"locator_id": "koike-no-such-passage"}, "locator_id"),
        ("icd10-code", "case_characteristics", "characteristic_id", "koike-cc-diagnosis", {"icd10_code": "C19.0"},
         "icd10_code"),
        ("icd10cm-code", "toxicity_grades", "grade_id", "koike-tg-crs", {"icd10cm_code": "D89.822"}, "icd10cm_code"),
        ("icd10cm-code", "case_characteristics", "characteristic_id", "koike-cc-diagnosis",
         {"icd10cm_code": "C91.03"}, "icd10cm_code"),
        ("graded-code", "toxicity_grades", "grade_id", "koike-tg-crs", {"icd10cm_code": "D89.833"}, "icd10cm_code"),
        ("graded-code", "toxicity_grades", "grade_id", "koike-tg-crs", {"grade": 3}, "icd10cm_code"),
        ("grading-scale", "toxicity_grades", "grade_id", "koike-tg-crs",
         {"syndrome": "icans", "grading_system": "lee-2014", "icd10cm_code": "G92.02"}, "grading_system"),
        ("time-words", "drug_schedules", "schedule_id", "koike-sched-prednisolone-1", {"time_unit": "wk"},
         "time_unit"),
        ("time-words", "clinical_events", "event_id", "koike-ev-cytopenia", {"time_latest": 30}, "time_latest"),
        ("time-words", "clinical_events", "event_id", "koike-ev-death", {"timing_basis": "narrative"}, "timing_basis"),
        ("time-words", "relative_timings", "relation_id", "koike-rt-relapse-after-transplant",
         {"subject_id": "koike-cc-age"}, "timing_basis"),
        ("relation-words", "relative_timings", "relation_id", "koike-rt-death-after-hydrocephalus",
         {"anchor_id": "koike-ev-severe-neutropenia"}, "anchor_id"),
        ("relation-words", "relative_timings", "relation_id", "koike-rt-relapse-after-transplant",
         {"counting_convention": "inclusive"}, "counting_convention"),
        ("narrative-bounds", "clinical_events", "event_id", "koike-ev-hydrocephalus", {"time_earliest": 60},
         "time_earliest"),
        ("narrative-bounds", "drug_schedules", "schedule_id", "koike-sched-prednisolone-1", {"end_latest": 80},
         "end_latest"),
    ],
    "reveron-thornton-2021-neurohospitalist": [
        ("schedule-order", "drug_schedules", "schedule_id", "reveron-sched-midazolam-1",
         {"start_earliest": 25, "start_latest": 25}, "end_latest"),
        ("within-follow-up", "clinical_events", "event_id", "reveron-ev-discharge",
         {"time_earliest": -45, "time_latest": -45}, "time_earliest"),
        ("maximum-is-maximum", "observations", "observation_id", "reveron-obs-periodic-discharges-high",
         {"value": 2}, "value"),
        ("grade-in-scale", "toxicity_grades", "grade_id", "reveron-tg-neurotoxicity", {"grade": 7}, "grade"),
        ("vocabulary-kind", "observations", "observation_id", "reveron-obs-periodic-discharges-low",
         {"unit": "mg"}, "unit"),
        ("quote-agreement", "clinical_events", "event_id", "reveron-ev-discharge",
         {"time_earliest": 36, "time_latest": 36}, "time_earliest"),
        ("discrepancy-rows-exist", "discrepancy_rows", "row_id", "reveron-rt-progression-after-infusion",
         {"row_id": "reveron-rt-no-such-row"}, "row_id"),
        ("relative-timing", "clinical_events", "event_id", "reveron-ev-complete-response",
         {"time_unit": "d", "time_earliest": 40, "time_latest": 40}, "offset_value"),
        ("locator-exists", "discrepancies", "discrepancy_id", "reveron-disc-interval-anchor",
         {"locator_b": "reveron-no-such-passage"}, "locator_b"),
        ("icd10-code", "case_characteristics", "characteristic_id", "reveron-cc-diagnosis", {"icd10_code": "C38.3"},
         "icd10_code"),
        ("icd10cm-code", "case_characteristics", "characteristic_id", "reveron-cc-diagnosis",
         {"icd10cm_code": "C83.40"}, "icd10cm_code"),
        ("icd10cm-code", "toxicity_grades", "grade_id", "reveron-tg-neurotoxicity", {"icd10cm_code": "G92.4"},
         "icd10cm_code"),
        ("graded-code", "toxicity_grades", "grade_id", "reveron-tg-neurotoxicity", {"icd10cm_code": "G92.03"},
         "icd10cm_code"),
        ("grading-scale", "toxicity_grades", "grade_id", "reveron-tg-neurotoxicity", {"grading_system": "lee-2014"},
         "grading_system"),
        ("ontology-code", "case_characteristics", "characteristic_id", "reveron-cc-diagnosis",
         {"ontology_code": "MEDDRA:10012818"}, "ontology_code"),
        ("time-words", "clinical_events", "event_id", "reveron-ev-death", {"time_unit": "mo"}, "time_unit"),
        ("time-words", "clinical_events", "event_id", "reveron-ev-death", {"time_earliest": -1}, "time_earliest"),
        ("time-words", "clinical_events", "event_id", "reveron-ev-discharge", {"timing_basis": "narrative"},
         "timing_basis"),
        ("time-words", "relative_timings", "relation_id", "reveron-rt-pembrolizumab-after-progression",
         {"subject_id": "reveron-sched-tocilizumab-1"}, "timing_basis"),
        ("relation-words", "relative_timings", "relation_id", "reveron-rt-pembrolizumab-after-progression",
         {"anchor_id": "reveron-ev-discharge"}, "anchor_id"),
        ("relation-words", "relative_timings", "relation_id", "reveron-rt-discharge-after-response-scan",
         {"comparator": "="}, "comparator"),
        ("relation-words", "relative_timings", "relation_id", "reveron-rt-pembrolizumab-after-progression",
         {"counting_convention": "inclusive"}, "counting_convention"),
    ],
    "xiao-plasma-exchange-crs": [
        ("schedule-order", "drug_schedules", "schedule_id", "xiao-sched-tocilizumab-1",
         {"end_earliest": 2, "end_latest": 2}, "end_latest"),
        ("schedule-steps-no-overlap", "drug_schedules", "schedule_id", "xiao-sched-tocilizumab-2",
         {"start_earliest": 3, "start_latest": 3, "end_earliest": 3, "end_latest": 3}, "start_latest"),
        ("stated-duration", "drug_schedules", "schedule_id", "xiao-sched-fresh-frozen-plasma-1",
         {"time_unit": "d", "start_earliest": 6, "start_latest": 6, "end_earliest": 10, "end_latest": 10}, "value"),
        ("dose-limits", "drug_schedules", "schedule_id", "xiao-sched-tocilizumab-1",
         {"dose_value": 900, "dose_unit": "mg"}, "dose_value"),
        ("within-follow-up", "clinical_events", "event_id", "xiao-ev-mrd-negative",
         {"time_earliest": -40, "time_latest": -40}, "time_earliest"),
        ("vocabulary-kind", "drug_schedules", "schedule_id", "xiao-sched-dexamethasone-1", {"dose_unit": "d"}, "dose_unit"),
        ("quote-agreement", "drug_schedules", "schedule_id", "xiao-sched-dexamethasone-1", {"dose_value": 12}, "dose_value"),
        ("locator-exists", "cases", "case_id", "xiao-plasma-exchange-crs-1", {"locator_id": "xiao-no-such-passage"},
         "locator_id"),
        ("icd10-code", "case_characteristics", "characteristic_id", "xiao-cc-diagnosis", {"icd10_code": "C19.0"},
         "icd10_code"),
        ("icd10-code", "case_characteristics", "characteristic_id", "xiao-cc-diagnosis", {"icd10_code": "C90.1"},
         "icd10_code"),
        ("icd10cm-code", "case_characteristics", "characteristic_id", "xiao-cc-diagnosis", {"icd10cm_code": "C91.20"},
         "icd10cm_code"),
        ("icd10cm-code", "case_characteristics", "characteristic_id", "xiao-cc-diagnosis", {"icd10cm_code": "C91.0"},
         "icd10cm_code"),
        ("time-words", "clinical_events", "event_id", "xiao-ev-mrd-negative",
         {"timing_basis": "implied", "time_unit": "wk"}, "time_unit"),
        ("time-words", "clinical_events", "event_id", "xiao-ev-mrd-negative", {"timing_basis": "implied"},
         "timing_basis"),
        ("time-words", "drug_schedules", "schedule_id", "xiao-sched-tocilizumab-1", {"timing_basis": "narrative"},
         "timing_basis"),
        ("narrative-bounds", "clinical_events", "event_id", "xiao-ev-mrd-negative", {"timing_basis": "narrative"},
         "time_earliest"),
    ],
    "two-dlbcl-it-chemo-case1": [
        ("grade-in-scale", "toxicity_grades", "grade_id", "itc1-tg-icans-day-2", {"grade": 6}, "grade"),
        ("graded-code", "toxicity_grades", "grade_id", "itc1-tg-icans-day-5", {"icd10cm_code": "G92.02"},
         "icd10cm_code"),
        ("grading-scale", "toxicity_grades", "grade_id", "itc1-tg-icans-day-5", {"grading_system": "lee-2014"},
         "grading_system"),
        ("grading-scale", "toxicity_grades", "grade_id", "itc1-tg-crs-day-2", {"grading_system": "lee-2014"},
         "grading_system"),
        ("quote-agreement", "toxicity_grades", "grade_id", "itc1-tg-crs-day-2", {"grade": 3}, "grade"),
        ("quote-agreement", "observations", "observation_id", "itc1-obs-csf-opening-pressure", {"value": 23}, "value"),
        ("coded-words", "toxicity_grades", "grade_id", "itc1-tg-crs-day-2", {"grading_system": "ctcae-v5.0"},
         "grading_system"),
        ("vocabulary-kind", "observations", "observation_id", "itc1-obs-csf-opening-pressure", {"unit": "mg"}, "unit"),
        ("within-follow-up", "clinical_events", "event_id", "itc1-ev-lumbar-puncture",
         {"time_earliest": -7, "time_latest": -7}, "time_earliest"),
        ("schedule-order", "drug_schedules", "schedule_id", "itc1-sched-dexamethasone-2",
         {"start_earliest": 6, "start_latest": 6, "end_earliest": 4, "end_latest": 4}, "end_latest"),
        ("relative-timing", "relative_timings", "relation_id", "itc1-rt-r-gemox-after-r-chop",
         {"anchor_id": "itc1-sched-no-such-row"}, "anchor_id"),
        ("relation-words", "relative_timings", "relation_id", "itc1-rt-r-gemox-after-r-chop",
         {"anchor_id": "itc1-sched-tocilizumab-1", "anchor_point": "end"}, "anchor_id"),
        ("time-words", "drug_schedules", "schedule_id", "itc1-sched-dexamethasone-2", {"timing_basis": "implied"},
         "timing_basis"),
        ("locator-exists", "observations", "observation_id", "itc1-obs-csf-opening-pressure",
         {"locator_id": "itc1-no-such-passage"}, "locator_id"),
        ("icd10cm-code", "case_characteristics", "characteristic_id", "itc1-cc-diagnosis", {"icd10cm_code": "C83.3"},
         "icd10cm_code"),
    ],
    "tcell-rich-dlbcl-hlh-case1": [
        ("schedule-order", "drug_schedules", "schedule_id", "tcrl-sched-tocilizumab-2",
         {"end_earliest": 19, "end_latest": 19}, "end_latest"),
        ("schedule-steps-no-overlap", "drug_schedules", "schedule_id", "tcrl-sched-tocilizumab-2",
         {"start_earliest": 15, "start_latest": 15, "end_earliest": 15, "end_latest": 15}, "start_latest"),
        ("within-follow-up", "clinical_events", "event_id", "tcrl-ev-hemoadsorption",
         {"time_earliest": -35, "time_latest": -35}, "time_earliest"),
        ("quote-agreement", "observations", "observation_id", "tcrl-obs-ferritin-peak", {"value": 5000}, "value"),
        ("quote-agreement", "clinical_events", "event_id", "tcrl-ev-death",
         {"time_earliest": 35, "time_latest": 35}, "time_earliest"),
        ("grade-in-scale", "toxicity_grades", "grade_id", "tcrl-tg-crs", {"grade": 6}, "grade"),
        ("graded-code", "toxicity_grades", "grade_id", "tcrl-tg-crs", {"icd10cm_code": "D89.832"}, "icd10cm_code"),
        ("icd10-code", "case_characteristics", "characteristic_id", "tcrl-cc-diagnosis", {"icd10_code": "C19.0"},
         "icd10_code"),
        ("vocabulary-kind", "observations", "observation_id", "tcrl-obs-neoplastic-lymphocytes",
         {"unit": "d"}, "unit"),
        ("relative-timing", "relative_timings", "relation_id", "tcrl-rt-necropsy-after-death",
         {"anchor_id": "tcrl-ev-no-such-row"}, "anchor_id"),
        ("relation-words", "relative_timings", "relation_id", "tcrl-rt-fever-during-lymphodepletion",
         {"anchor_id": "tcrl-sched-tocilizumab-1"}, "anchor_id"),
        # "during lymphodepletion" written as at or after its start, losing its end
        ("relation-words", "relative_timings", "relation_id", "tcrl-rt-fever-during-lymphodepletion",
         {"anchor_point": "start", "comparator": ">="}, "comparator"),
        ("relative-timing", "relative_timings", "relation_id", "tcrl-rt-neutropenia-during-lymphodepletion",
         {"comparator": "<="}, "comparator"),
        # "an estimated 15%" held as an exact value, or as an approximate one
        ("coded-words", "observations", "observation_id", "tcrl-obs-residual-tumour", {"value_certainty": None},
         "value_certainty"),
        ("coded-words", "observations", "observation_id", "tcrl-obs-residual-tumour",
         {"value_certainty": "approximate"}, "value_certainty"),
        # "in 2019" dated as another year, or as a row that does not exist
        ("calendar-dates", "calendar_dates", "date_id", "tcrl-cd-tisagenlecleucel-year", {"date": "2018"}, "date"),
        ("calendar-dates", "calendar_dates", "date_id", "tcrl-cd-tisagenlecleucel-year",
         {"row_id": "tcrl-sched-no-such-step"}, "row_id"),
        # the cytokine adsorber's device left out, a purpose its field source does not vouch for
        ("coded-words", "clinical_events", "event_id", "tcrl-ev-hemoadsorption", {"device": None}, "device"),
        ("coded-words", "clinical_events", "event_id", "tcrl-ev-bone-marrow-aspiration",
         {"purpose": "hlh_treatment"}, "value"),
        ("locator-exists", "clinical_events", "event_id", "tcrl-ev-death",
         {"locator_id": "tcrl-no-such-passage"}, "locator_id"),
        ("time-words", "clinical_events", "event_id", "tcrl-ev-death", {"timing_basis": "narrative"},
         "timing_basis"),
    ],
    "blood-2022-csf-hemophagocytosis": [
        ("schedule-order", "drug_schedules", "schedule_id", "blood-sched-dexamethasone-1",
         {"end_earliest": 5, "end_latest": 5}, "end_latest"),
        ("schedule-steps-no-overlap", "drug_schedules", "schedule_id", "blood-sched-tocilizumab-2",
         {"start_earliest": 6, "start_latest": 6, "end_earliest": 6, "end_latest": 6}, "start_latest"),
        ("administration-count", "drug_schedules", "schedule_id", "blood-sched-tocilizumab-2",
         {"administrations": 2}, "value"),
        ("dose-limits", "drug_schedules", "schedule_id", "blood-sched-tocilizumab-1",
         {"dose_per_body_value": 12}, "dose_per_body_value"),
        ("within-follow-up", "clinical_events", "event_id", "blood-ev-fever",
         {"time_earliest": -40, "time_latest": -40}, "time_earliest"),
        ("vocabulary-kind", "observations", "observation_id", "blood-obs-ldh-peak", {"unit": "mg/dL"}, "unit"),
        ("quote-agreement", "observations", "observation_id", "blood-obs-crp-peak", {"value": 14.39}, "value"),
        # the 6 of "every 6 hours" taken for the dose leaves the 10 of the words unheld
        ("quote-agreement", "drug_schedules", "schedule_id", "blood-sched-dexamethasone-1", {"dose_value": 6},
         "quote"),
        ("grade-in-scale", "toxicity_grades", "grade_id", "blood-tg-icans-day-13", {"grade": 8}, "grade"),
        ("graded-code", "toxicity_grades", "grade_id", "blood-tg-icans-day-9", {"icd10cm_code": "G92.03"},
         "icd10cm_code"),
        ("icd10-code", "case_characteristics", "characteristic_id", "blood-cc-diagnosis", {"icd10_code": "C19.0"},
         "icd10_code"),
        ("locator-exists", "observations", "observation_id", "blood-obs-ferritin-peak",
         {"locator_id": "blood-no-such-passage"}, "locator_id"),
        ("time-words", "observations", "observation_id", "blood-obs-ldh-peak", {"time_earliest": -3},
         "time_earliest"),
        ("time-words", "clinical_events", "event_id", "blood-ev-fever", {"timing_basis": "implied"}, "timing_basis"),
    ],
}


def test_plants_cover_every_case():
    assert set(PLANTS) == set(SLUGS)


@pytest.mark.parametrize("slug,plant", [(slug, plant) for slug in SLUGS for plant in PLANTS.get(slug, [])],
                         ids=lambda value: value if isinstance(value, str) else value[0])
def test_planted_error_inside_a_fixture_case_fires_its_rule(slug, plant, combined, typed):
    rule_id, resource, key, row_key, values, field = plant
    needs_rule(rule_id)
    tables, descriptor = typed
    findings = run_rules_on(combined.root, planted(tables, resource, key, row_key, **values), descriptor)
    hits = [f for f in findings if f.rule == rule_id and f.severity == ERROR]
    assert hits, f"{rule_id} did not fire:\n{error_lines(findings)}"
    assert any(f.field == field and f.case_id == case_id(slug) for f in hits), error_lines(hits)
    others = {f.case_id for f in not_known(findings)} - {case_id(slug)}
    assert not others, f"the plant in {slug} made other cases fail: {others}\n{error_lines(findings)}"


@pytest.mark.parametrize(("resource", "key", "row_key", "column", "relation_id"), [
    ("clinical_events", "event_id", "koike-ev-hydrocephalus", "time_earliest",
     "koike-rt-hydrocephalus-after-progression"),
    ("clinical_events", "event_id", "koike-ev-first-mri-normal", "time_earliest", "koike-rt-first-mri-after-symptoms"),
    ("drug_schedules", "schedule_id", "koike-sched-prednisolone-1", "start_earliest",
     "koike-rt-prednisolone-after-symptoms"),
])
def test_a_fixture_narrative_bound_moved_to_day_0_without_its_relation_fires_narrative_bounds(
        resource, key, row_key, column, relation_id, combined, typed):
    """Day 0 is no bound that needs no relation: a narrative window opened to the infusion day, with the
    relation that bounded it deleted, is refused."""
    needs_rule("narrative-bounds")
    tables, descriptor = typed
    slipped = without_row(planted(tables, resource, key, row_key, **{column: 0}), "relative_timings", "relation_id",
                          relation_id)
    findings = run_rules_on(combined.root, slipped, descriptor)
    hits = [f for f in findings if f.rule == "narrative-bounds" and f.severity == ERROR]
    assert [(f.resource, f.field, f.case_id) for f in hits] == [(resource, column, "koike-2024-bct-1")], \
        error_lines(findings)


def test_a_relation_resting_on_a_time_set_aside_fires_adopted_reading(combined, typed):
    """reveron-disc-interval-anchor records each reading as a whole relation, so switching it is a consistent
    change; a reading that sets aside the time of the scan two relations rest on is not."""
    needs_rule("adopted-reading")
    tables, descriptor = typed
    import dataclasses

    # The reading not adopted now names the scan's time (planted() cannot change a row's `resource`).
    rows = [dict(row, resource="clinical_events", row_id="reveron-ev-complete-response",
                 fields="time_earliest time_latest") if row.get("row_id") == "reveron-rt-progression-after-infusion"
            else row for row in tables.rows["discrepancy_rows"]]
    changed = dataclasses.replace(tables, rows={**tables.rows, "discrepancy_rows": rows})
    hits = [f for f in run_rules_on(combined.root, changed, descriptor) if f.rule == "adopted-reading"]
    reveron = case_id("reveron-thornton-2021-neurohospitalist")
    assert hits and {(f.field, f.case_id) for f in hits} == {("adopted_reading", reveron)}


@needs_texts
@pytest.mark.parametrize("slug", SLUGS)
def test_a_quote_missing_from_its_article_fires_source_text(slug, combined, typed, all_texts):
    needs_rule("source-text")
    tables, descriptor = typed
    (_, events) = fixture_tables(slug)["clinical_events"]
    event = events[0]["event_id"]
    findings = run_rules_on(combined.root, planted(tables, "clinical_events", "event_id", event,
                                                   quote="words the article never wrote"),
                            descriptor, all_texts)
    hits = [f for f in findings if f.rule == "source-text"]
    assert any(f.field == "quote" and f.case_id == case_id(slug) for f in hits), error_lines(findings)


@needs_texts
def test_every_fixture_case_is_fully_covered(combined, typed, all_texts):
    """Every number of each case's passages is encoded or set aside (source-coverage), counted per case."""
    from casekit.validation.rules import run_rules

    needs_rule("source-coverage")
    tables, descriptor = typed
    options = {"source_text": all_texts, "coverage": []}
    findings = run_rules(combined.root, tables, descriptor, options=options)
    assert not [f for f in findings if f.rule == "source-coverage"], error_lines(findings)
    counts = {case["case_id"]: case for case in options["coverage"]}
    for slug in SLUGS:
        case = counts[case_id(slug)]
        assert case["uncovered"] == 0 and case["stated"] == case["encoded"] + case["set_aside"] > 0, case


def without_row(tables, resource: str, key: str, row_key: str):
    import dataclasses

    rows = dict(tables.rows)
    rows[resource] = [row for row in rows[resource] if row.get(key) != row_key]
    assert len(rows[resource]) == len(tables.rows[resource]) - 1, row_key
    return dataclasses.replace(tables, rows=rows)


@needs_texts
@pytest.mark.parametrize(("slug", "resource", "key", "row_key", "number"), [
    ("koike-2024-bct", "case_characteristics", "characteristic_id", "koike-cc-age", "22"),
    ("koike-2024-bct", "relative_timings", "relation_id", "koike-rt-relapse-after-transplant", "22"),
    ("reveron-thornton-2021-neurohospitalist", "toxicity_grades", "grade_id", "reveron-tg-neurotoxicity",
     "Grade IV"),
    ("xiao-plasma-exchange-crs", "clinical_events", "event_id", "xiao-ev-mrd-negative", "28"),
    ("xiao-plasma-exchange-crs", "drug_schedules", "schedule_id", "xiao-sched-fresh-frozen-plasma-1", "3,000"),
    ("two-dlbcl-it-chemo-case1", "observations", "observation_id", "itc1-obs-csf-opening-pressure", "32"),
    ("two-dlbcl-it-chemo-case1", "set_asides", "set_aside_id", "itc1-sa-text-cut-off", "12"),
    ("two-dlbcl-it-chemo-case1", "case_characteristics", "characteristic_id", "itc1-cc-age", "66"),
    ("tcell-rich-dlbcl-hlh-case1", "case_characteristics", "characteristic_id", "tcrl-cc-age", "34"),
    ("tcell-rich-dlbcl-hlh-case1", "clinical_events", "event_id", "tcrl-ev-hemoadsorption", "35"),
    ("blood-2022-csf-hemophagocytosis", "observations", "observation_id", "blood-obs-csf-leukocytes", "39"),
    ("blood-2022-csf-hemophagocytosis", "clinical_events", "event_id", "blood-ev-neurological-recovery", "14"),
])
def test_deleting_a_fixture_row_that_states_a_number_fires_source_coverage(slug, resource, key, row_key, number,
                                                                         combined, typed, all_texts):
    needs_rule("source-coverage")
    tables, descriptor = typed
    findings = run_rules_on(combined.root, without_row(tables, resource, key, row_key), descriptor, all_texts)
    hits = [f for f in findings if f.rule == "source-coverage"]
    # The number left uncovered; a stated fact left unclaimed ("13 / neurological recovery") may come with it.
    numbers = [(f.case_id, f.observed) for f in hits if " / " not in f.observed]
    assert numbers == [(case_id(slug), number)], error_lines(findings)
    assert {f.case_id for f in hits} == {case_id(slug)}


@needs_texts
@pytest.mark.parametrize("slug", SLUGS)
def test_a_fixture_locator_paragraph_the_text_contradicts_fires_source_text(slug, combined, typed, all_texts):
    needs_rule("source-text")
    tables, descriptor = typed
    (_, locators) = fixture_tables(slug)["locators"]
    findings = run_rules_on(combined.root, planted(tables, "locators", "locator_id", locators[0]["locator_id"],
                                                   paragraph=7), descriptor, all_texts)
    hits = [f for f in findings if f.rule == "source-text"]
    assert [(f.resource, f.field, f.observed) for f in hits] == [("locators", "paragraph", "7")], error_lines(hits)


@needs_texts
def test_a_fixture_quote_cut_inside_a_number_fires_source_text(combined, typed, all_texts):
    needs_rule("source-text")
    tables, descriptor = typed
    quote = "3, ... 000 mL of plasma replaced by fresh frozen plasma per day"
    findings = run_rules_on(combined.root, planted(tables, "drug_schedules", "schedule_id",
                                                   "xiao-sched-fresh-frozen-plasma-1", quote=quote),
                            descriptor, all_texts)
    hits = [f for f in findings if f.rule == "source-text"]
    xiao = case_id("xiao-plasma-exchange-crs")
    assert [(f.resource, f.field, f.case_id) for f in hits] == [("drug_schedules", "quote", xiao)]
    assert "cuts a number" in hits[0].message

def appended(tables, resource: str, key: str, row_key: str, new_key: str):
    """A copy of the tables with one row repeated under a new id (a fact recorded twice)."""
    import dataclasses

    rows = {name: list(table) for name, table in tables.rows.items()}
    [original] = [row for row in rows[resource] if row.get(key) == row_key]
    copy = dict(original)
    copy[key] = new_key
    copy["_row"] = max(row["_row"] for row in rows[resource]) + 1
    rows[resource].append(copy)
    return dataclasses.replace(tables, rows=rows)


# A fact of each case recorded twice under a new id: (resource, key column, row id).
REPEATED = {
    "koike-2024-bct": [("clinical_events", "event_id", "koike-ev-cytopenia"),
                       ("drug_schedules", "schedule_id", "koike-sched-tocilizumab-1")],
    "reveron-thornton-2021-neurohospitalist": [("observations", "observation_id", "reveron-obs-periodic-discharges-low"),
                                               ("clinical_events", "event_id", "reveron-ev-crs")],
    "xiao-plasma-exchange-crs": [("clinical_events", "event_id", "xiao-ev-icu-transfer"),
                                 ("drug_schedules", "schedule_id", "xiao-sched-antiallergic-1")],
    "two-dlbcl-it-chemo-case1": [("toxicity_grades", "grade_id", "itc1-tg-icans-day-5"),
                                 ("observations", "observation_id", "itc1-obs-csf-opening-pressure")],
    "tcell-rich-dlbcl-hlh-case1": [("clinical_events", "event_id", "tcrl-ev-hemoadsorption"),
                                   ("drug_schedules", "schedule_id", "tcrl-sched-tocilizumab-1")],
    "blood-2022-csf-hemophagocytosis": [("observations", "observation_id", "blood-obs-crp-peak"),
                                        ("drug_schedules", "schedule_id", "blood-sched-methotrexate-1")],
}


@pytest.mark.parametrize("slug,repeat", [(slug, repeat) for slug in SLUGS for repeat in REPEATED[slug]],
                         ids=lambda value: value if isinstance(value, str) else value[2])
def test_a_fact_of_a_fixture_case_recorded_twice_is_rejected(slug, repeat, combined, typed):
    resource, key, row_key = repeat
    tables, descriptor = typed
    findings = run_rules_on(combined.root, appended(tables, resource, key, row_key, f"{row_key}-again"), descriptor)
    hits = [f for f in findings if f.rule == "duplicate-fact"]
    assert [(f.resource, f.field, f.observed, f.case_id) for f in hits] == [
        (resource, key, f"{row_key}-again", case_id(slug))], error_lines(findings)


# Codes the fixture cases use (published in data/drugs.csv and data/analytes.csv): no case_id, so they are planted
# and asserted by row: (slug, resource, key column, row id, new values, rule, field).
VOCABULARY_PLANTS = [
    ("koike-2024-bct", "drugs", "drug_id", "prednisolone", {"atc_level": 4}, "atc-level", "atc_level"),
    ("reveron-thornton-2021-neurohospitalist", "drugs", "drug_id", "antibacterials-systemic", {"atc_level": 3},
     "atc-level", "atc_level"),
    ("reveron-thornton-2021-neurohospitalist", "analytes", "analyte_id", "eeg-periodic-discharge-frequency",
     {"loinc_code": "1988-6"}, "loinc-check-digit", "loinc_code"),
    ("xiao-plasma-exchange-crs", "drugs", "drug_id", "glucocorticoids", {"atc_level": 5}, "atc-level", "atc_level"),
    ("xiao-plasma-exchange-crs", "drugs", "drug_id", "fresh-frozen-plasma", {"atc_level": 5}, "atc-level",
     "atc_level"),
    ("two-dlbcl-it-chemo-case1", "analytes", "analyte_id", "csf-opening-pressure", {"loinc_code": "1988-6"},
     "loinc-check-digit", "loinc_code"),
    ("two-dlbcl-it-chemo-case1", "drugs", "drug_id", "r-chop", {"atc_level": 5}, "atc-level", "atc_level"),
    ("tcell-rich-dlbcl-hlh-case1", "drugs", "drug_id", "antimicrobials-systemic", {"atc_level": 2}, "atc-level",
     "atc_level"),
    ("tcell-rich-dlbcl-hlh-case1", "drugs", "drug_id", "corticosteroids-systemic", {"atc_code": "H02AB"},
     "atc-level", "atc_level"),
]


@pytest.mark.parametrize("plant", VOCABULARY_PLANTS, ids=lambda plant: f"{plant[0]}-{plant[3]}")
def test_a_wrong_code_in_a_fixture_cases_vocabulary_row_fires_its_rule(plant, combined, typed):
    slug, resource, key, row_key, values, rule_id, field = plant
    tables, descriptor = typed
    findings = run_rules_on(combined.root, planted(tables, resource, key, row_key, **values), descriptor)
    hits = [f for f in findings if f.rule == rule_id]
    assert [(f.resource, f.field, f.message.split(":")[0]) for f in hits] == [(resource, field, row_key)], \
        error_lines(findings)


# ---------------------------------------------------------------------------------------------
# (c) A case's rows may not reach into another case.

def other_case_row(tables, resource: str, key: str, not_case: str) -> str:
    return next(row[key] for row in tables[resource] if row.get("case_id") != not_case)


def test_relative_timing_anchored_on_another_cases_row_is_rejected(combined, typed):
    tables, descriptor = typed
    koike, xiao = case_id("koike-2024-bct"), case_id("xiao-plasma-exchange-crs")
    foreign = next(row["event_id"] for row in tables["clinical_events"] if row["case_id"] == xiao)
    findings = run_rules_on(combined.root, planted(
        tables, "relative_timings", "relation_id", "koike-rt-relapse-after-transplant",
        anchor_resource="clinical_events", anchor_id=foreign, anchor_point="time"), descriptor)
    hits = [f for f in findings if f.rule == "case-scope" and f.severity == ERROR]
    assert any(f.field == "anchor_id" and f.case_id == koike for f in hits), error_lines(findings)


def test_relative_timing_anchored_on_the_published_case_is_rejected(combined, typed):
    tables, descriptor = typed
    koike = case_id("koike-2024-bct")
    fixture_ids = {case_id(slug) for slug in SLUGS}
    foreign = next(row for row in tables["drug_schedules"] if row["case_id"] not in fixture_ids)
    findings = run_rules_on(combined.root, planted(
        tables, "relative_timings", "relation_id", "koike-rt-relapse-after-transplant",
        anchor_resource="drug_schedules", anchor_id=foreign["schedule_id"], anchor_point="start"), descriptor)
    hits = [f for f in findings if f.rule == "case-scope" and f.severity == ERROR]
    assert any(f.field == "anchor_id" and f.case_id == koike for f in hits), error_lines(findings)


def test_fact_citing_a_locator_of_another_cases_source_is_rejected(combined, typed):
    tables, descriptor = typed
    reveron = case_id("reveron-thornton-2021-neurohospitalist")
    xiao_locator = next(row["locator_id"] for row in tables["locators"]
                        if row["source_id"] == "xiao-plasma-exchange-crs")
    findings = run_rules_on(combined.root, planted(
        tables, "clinical_events", "event_id", "reveron-ev-discharge", locator_id=xiao_locator), descriptor)
    hits = [f for f in findings if f.rule == "case-scope" and f.severity == ERROR]
    assert any(f.field == "locator_id" and f.case_id == reveron for f in hits), error_lines(findings)


@pytest.mark.parametrize("slug,resource,key,row_key", [
    ("koike-2024-bct", "clinical_events", "event_id", "koike-ev-cytopenia"),
    ("xiao-plasma-exchange-crs", "drug_schedules", "schedule_id", "xiao-sched-antiallergic-1"),
    ("reveron-thornton-2021-neurohospitalist", "observations", "observation_id", "reveron-obs-periodic-discharges-low"),
])
def test_a_fact_moved_to_another_case_is_rejected(slug, resource, key, row_key, combined, typed):
    """Moved as it is, the row cites a passage of its own article, which is not the other case's."""
    tables, descriptor = typed
    target = case_id(next(other for other in SLUGS if other != slug))
    findings = run_rules_on(combined.root, planted(tables, resource, key, row_key, case_id=target), descriptor)
    hits = [f for f in findings if f.rule == "case-scope" and f.severity == ERROR]
    assert [(f.resource, f.field, f.case_id) for f in hits] == [(resource, "locator_id", target)], \
        error_lines(findings)


def test_discrepancy_naming_another_cases_row_is_rejected(combined, typed):
    tables, descriptor = typed
    reveron = case_id("reveron-thornton-2021-neurohospitalist")
    foreign = next(row["relation_id"] for row in tables["relative_timings"]
                   if row["case_id"] == case_id("koike-2024-bct"))
    findings = run_rules_on(combined.root, planted(
        tables, "discrepancy_rows", "row_id", "reveron-rt-progression-after-infusion", row_id=foreign), descriptor)
    hits = [f for f in findings if f.rule in {"case-scope", "discrepancy-rows-exist"} and f.severity == ERROR]
    assert any(f.field == "row_id" for f in hits), error_lines(findings)
    assert reveron in {f.case_id for f in hits}, error_lines(hits)


# ---------------------------------------------------------------------------------------------
# The curator's guide: every command it shows runs, in order, on a package copy with a new case.

GUIDE = REPO / "docs" / "curating.md"
GUIDE_CASE = "koike-2024-bct"


def guide_commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL)
    return [line[2:].strip() for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def run_guide_command(command: str, cwd: Path) -> tuple[int, str]:
    """Run one command of the guide in cwd, as typed from the repository root.

    `python X.py ...` runs the repository's script in this process (the scripts' imports are
    then paid once); anything else (sha256sum) runs as a subprocess.
    """
    argv = shlex.split(command)
    if argv[0] != "python":
        result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60)
        return result.returncode, result.stdout + result.stderr
    script = REPO / argv[1]
    output = io.StringIO()
    saved_argv, saved_cwd = sys.argv, Path.cwd()
    # A command run as the whole process may leave Ctrl-C and SIGTERM ignored for its exit; this worker
    # goes on running tests, which expect the handlers it had.
    saved_handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    sys.argv = [str(script), *argv[2:]]
    os.chdir(cwd)
    code = 0
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        for signum, handler in saved_handlers.items():
            signal.signal(signum, handler)
    return code, output.getvalue()


def test_guide_shows_the_curator_commands():
    commands = " ".join(guide_commands())
    for needed in ("scripts/refresh_hashes.py", "scripts/set_version.py", "validate.py --source-text",
                   "sha256sum", "scripts/build_release.py"):
        assert needed in commands, needed


@needs_texts
def test_every_command_of_the_guide_runs_on_a_package_with_a_new_case(tmp_path):
    package = copy_package(tmp_path)
    (package.root / "docs").mkdir(exist_ok=True)
    # The release archive also carries the repository's front page, licences and data dictionary.
    for name in ("README.md", "LICENSE", "LICENSE-DATA.md", "docs/data-dictionary.md"):
        shutil.copy2(REPO / name, package.root / name)
    texts = package.root / "texts"
    texts.mkdir()
    (_, sources) = fixture_tables(GUIDE_CASE)["sources"]
    import hashlib
    # The guide case's text, and those of the cases the package under test may already hold.
    wanted = {row["text_sha256"] for row in [*sources, *package.read_rows("sources")]}
    for path in CASE_TEXTS.glob("*.md"):
        if hashlib.sha256(path.read_bytes()).hexdigest() in wanted:
            shutil.copy2(path, texts / path.name)
    assert list(texts.iterdir()), "the guide case's article text was not found"
    for path in PACKAGE_TEXT.glob("*.md"):  # the published article's text, kept beside it
        shutil.copy2(path, texts / path.name)
    add_case(package, GUIDE_CASE, refresh=False)  # steps 1-8: the curator's edits
    for command in guide_commands():
        code, output = run_guide_command(command, package.root)
        errors = [line for line in output.splitlines() if line.startswith("error ")]
        if output.lstrip().startswith("{"):  # --format json
            errors = [f["message"] for f in json.loads(output)["findings"] if f["severity"] == ERROR]
        unknown = [line for line in errors if not any(row in line for _, row in KNOWN_RULE_LIMITS)]
        assert code == (1 if errors else 0) and not unknown, f"$ {command}\n{output}"
        assert "Traceback" not in output, f"$ {command}\n{output}"
        version = re.fullmatch(r"python scripts/set_version\.py (\S+)", command)
        if version:  # the guide's next instruction: write the CHANGELOG entry
            changelog = package.root / "CHANGELOG.md"
            text = changelog.read_text(encoding="utf-8")
            entry = f"## [{version.group(1)}] - 2026-11-25\n\n### Added\n- The case of {GUIDE_CASE}.\n\n"
            changelog.write_text(text.replace("## [", entry + "## [", 1), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# (d) The loaders return each case and the figure draws each.

@pytest.mark.parametrize("slug", SLUGS)
def test_loaders_return_exactly_the_rows_of_each_case(slug, combined):
    from casekit.analysis.frames import case_ids, load_frames

    cid = case_id(slug)
    assert cid in case_ids(combined.root)
    frames = load_frames(combined.root, case_id=cid)
    for resource, (header, rows) in fixture_tables(slug).items():
        if "case_id" not in header:
            continue
        key = header[0]
        assert sorted(frames[resource][key].astype(str)) == sorted(row[key] for row in rows), resource
    assert set(frames["cases"]["case_id"].astype(str)) == {cid}


@pytest.mark.parametrize("slug", SLUGS)
def test_figure_draws_each_case(slug, combined, tmp_path):
    import matplotlib.pyplot as plt

    from casekit.analysis.course import course_layers
    from casekit.analysis.figure import draw

    cid = case_id(slug)
    layers = course_layers(combined.root, cid)
    assert layers.case_id == cid
    assert layers.title
    # Events dated in days (a figure's axis); one timed in months is named in the footnote instead.
    dated_events = [row for row in fixture_tables(slug)["clinical_events"][1]
                    if row["time_earliest"] and row["time_unit"] == "d"]
    assert len(layers.events) >= len(dated_events)
    figure = draw(layers)
    try:
        assert len(figure.axes) >= 2
    finally:
        plt.close(figure)


@needs_texts
def test_a_quote_extended_into_what_a_drug_was_given_for_is_no_coverage_finding(combined, typed, all_texts):
    """"A therapeutic attempt with prednisolone for encephalitis was ineffective, and the patient died on day 77":
    the death's words may reach into the prednisolone's purpose; the case names its encephalitis elsewhere."""
    needs_rule("source-coverage")
    tables, descriptor = typed
    extended = ("A therapeutic attempt with prednisolone for encephalitis was ineffective, and the patient died on "
                "day 77 owing to neurological toxicity")
    findings = run_rules_on(combined.root, planted(tables, "clinical_events", "event_id", "koike-ev-death",
                                                   quote=extended), descriptor, all_texts)
    assert [f for f in findings if f.severity == ERROR] == [], error_lines(findings)
    # Without the case's encephalitis row the words are a fact no row holds.
    findings = run_rules_on(combined.root, without_row(planted(tables, "clinical_events", "event_id", "koike-ev-death",
                                                               quote=extended), "clinical_events", "event_id",
                                                       "koike-ev-encephalitis"), descriptor, all_texts)
    assert ("locators", "covers", "encephalitis") in {(f.resource, f.field, f.observed) for f in findings
                                                       if f.rule == "source-coverage"}, error_lines(findings)
