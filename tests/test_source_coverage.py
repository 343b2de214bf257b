"""source-coverage and the stricter source-text: nothing the article states in a case's passages is left out silently.

Rules run on the real package's typed tables in memory (tests/rules_support.py): each fact row whose
quote states a number is deleted in turn and the coverage rule must name what it leaves uncovered.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from casekit.quotes.article import Article
from casekit.quotes.numbers import numbers
from casekit.validation.rules import load_rulebook, run_rules
from casekit.validation.rules.source_coverage import FACTS
from casekit.validation.tables import ROW_NUMBER

from rules_support import REPO, PlantedTables, real_descriptor, real_tables
from test_fixture_cases import SLUGS, all_texts, case_id, combined, needs_texts, typed  # noqa: F401 (fixtures)
from test_rules_quotes import ARTICLE_FOLDER, needs_article

pytestmark = needs_article
RULEBOOK = {rule.id: rule for rule in load_rulebook()}
CASE = "baur-2022-jitc-1"


def run(tables, *rule_ids: str, options: dict | None = None):
    """The findings of the named rules (all with the article text given) on tables, in memory."""
    options = {"source_text": ARTICLE_FOLDER, "coverage": [], **(options or {})}
    findings = run_rules(REPO, tables, real_descriptor(), options=options,
                         rulebook=[RULEBOOK[rule_id] for rule_id in rule_ids])
    return findings, options["coverage"]


def without(resource: str, key: str, row_id: str):
    """The real package's tables with one row left out (the other tables shared, never changed)."""
    tables = real_tables()
    rows = dict(tables.rows)
    rows[resource] = [row for row in rows[resource] if row[key] != row_id]
    return dataclasses.replace(tables, rows=rows)


def number_rows(tables=None):
    """Every fact row whose quote states a number of its own, as (resource, key, id, case)
    (a relative timing's own number is its offset: the days of the rows it relates are theirs)."""
    from casekit.quotes.coverage import words_of

    tables = tables or real_tables()
    for resource in FACTS:
        key = tables.keys[resource]
        for row in tables[resource]:
            quote = str(row.get("quote") or "")
            own = words_of(resource, row, quote, True).own
            if any(own is None or number.value in own for number in numbers(quote)):
                yield resource, key, row[key], row["case_id"]


def test_the_real_package_is_fully_covered_and_the_counts_reach_the_report():
    findings, coverage = run(real_tables(), "source-text", "source-coverage")
    assert findings == []
    [case] = [case for case in coverage if case["case_id"] == CASE]
    assert case["case_id"] == CASE and case["uncovered"] == 0
    assert case["stated"] == case["encoded"] + case["set_aside"] > 100


ROWS = sorted(entry[:3] for entry in number_rows())


# Deleting these rows still passes validation with the article text, each for a reason its words give;
# the sweeps below fail when one of them is caught (remove it here) or when any other deletion passes.
# The real package has none.
KNOWN_SLIPS = {
    # A number two facts of one clause share: a row naming another code of the clause holds it.
    "reveron-ev-respiratory-failure": "'... in the setting of clinical status epilepticus on D11': the seizure holds D11",
    "itc1-ev-lumbar-puncture": "'Lumbar puncture (LP) was done on day +7': the opening pressure holds day 7",
    "tcrl-cc-marrow-involvement": "'no evidence of infiltration by lymphoma' of the day-22 aspiration",
    "reveron-sched-midazolam-1": "'After cessation of sedatives on D19': 'sedatives' writes no drug code",
}


def deletion_sweep(tables, descriptor, root, texts, rows) -> tuple[set, list]:
    """Delete each (resource, key, id) of rows in turn, in memory, and validate with the article text (every rule):
    the ids whose deletion adds no finding, and the deletions that only source-coverage notices whose findings
    name no passage of the deleted row (rule, file, row and field)."""
    from casekit.quotes.article_texts import Articles

    articles = Articles(texts, tables["sources"], tables["locators"])
    options = {"source_text": texts}
    before = {(f.rule, f.message) for f in run_rules(root, tables, descriptor, options=options)}
    missed, elsewhere = set(), []
    for resource, key, row_id in rows:
        kept = dict(tables.rows)
        [deleted] = [row for row in kept[resource] if row[key] == row_id]
        kept[resource] = [row for row in kept[resource] if row is not deleted]
        findings = [finding for finding in run_rules(root, dataclasses.replace(tables, rows=kept), descriptor,
                                                     options=options)
                    if (finding.rule, finding.message) not in before]
        if not findings:
            missed.add(row_id)
            continue
        if {finding.rule for finding in findings} != {"source-coverage"}:
            continue  # another rule names the row that needed the deleted one
        passage = articles.passages[deleted["locator_id"]]
        if not any(finding.resource == "locators" and finding.field == "covers"
                   and articles.passages.get(finding.locator) == passage for finding in findings):
            elsewhere.append((row_id, [(f.resource, f.field, f.locator) for f in findings]))
    return missed, elsewhere


def test_deleting_any_fact_row_that_states_a_number_is_rejected_naming_its_passage():
    assert len(ROWS) > 50
    missed, elsewhere = deletion_sweep(real_tables(), real_descriptor(), REPO, ARTICLE_FOLDER, ROWS)
    assert missed == {row_id for _, _, row_id in ROWS if row_id in KNOWN_SLIPS}
    assert elsewhere == []


@needs_texts
@pytest.mark.parametrize("slug", SLUGS)
def test_deleting_any_fact_row_of_a_fixture_case_that_states_a_number_is_rejected(slug, combined, typed, all_texts):
    tables, descriptor = typed
    case = case_id(slug)
    # Coverage of this case only: the rule reads every case of the cases table.
    tables = dataclasses.replace(tables, rows={**tables.rows,
                                               "cases": [row for row in tables["cases"] if row["case_id"] == case]})
    rows = [entry for entry in number_rows(tables) if entry[3] == case]
    assert rows
    missed, elsewhere = deletion_sweep(tables, descriptor, combined.root, all_texts,
                                       [entry[:3] for entry in rows])
    assert missed == {row_id for _, _, row_id, _ in rows if row_id in KNOWN_SLIPS}
    assert elsewhere == []


# What the stated-fact unit catches that a number alone did not: the number stays inside another row's
# words, but no row naming the coded word beside it holds it.
@pytest.mark.parametrize(("resource", "key", "row_id", "observed"), [
    ("drug_schedules", "schedule_id", "sched-siltuximab-1", "6 / siltuximab"),  # "On day 6, one dose of siltuximab"
    ("clinical_events", "event_id", "ev-deterioration-day-6", "6 / deteriorated"),
    ("drug_schedules", "schedule_id", "sched-levetiracetam-1", "7 / levetiracetam"),
    ("clinical_events", "event_id", "ev-ward-transfer", "13 / normal ward"),
    ("stated_summaries", "summary_id", "ss-dasatinib-start-discussion", "7 / dasatinib"),
    ("stated_summaries", "summary_id", "ss-car-t-peak-day", "7 / CAR T-cells"),
    ("relative_timings", "relation_id", "rt-extubation-after-dasatinib", "1"),  # the event's row holds day 8, not 1
])
def test_a_deleted_fact_leaves_its_number_and_coded_word_unclaimed(resource, key, row_id, observed):
    findings, _ = run(without(resource, key, row_id), "source-coverage")
    hits = [finding for finding in findings if finding.observed == observed]
    assert hits, [finding.observed for finding in findings]
    [locator] = {row["locator_id"] for row in real_tables()[resource] if row[key] == row_id}
    assert {(hit.rule, hit.resource, hit.field, hit.locator) for hit in hits} == {
        ("source-coverage", "locators", "covers", locator)}


def test_a_set_aside_of_a_coded_word_told_at_a_time_is_needed_and_not_idle():
    findings, _ = run(without("set_asides", "set_aside_id", "sa-siltuximab-target"), "source-coverage")
    [finding] = findings  # "On day 6, one dose of siltuximab, a monoclonal antibody against IL-6, was added"
    assert (finding.resource, finding.field, finding.locator, finding.observed) == (
        "locators", "covers", "main-p08", "6 / IL-6")


# What the stated-fact unit of 4.x let pass and coverage now rejects, each on the deleted row's passage:
# a drug inside an event's words (the neutropenia the G-CSF was for), a time beside a coded word that a
# row naming no code also holds (the follow-up's 2 years are the remission's too), a time word with no
# number ("thereafter"), and a time told of the time of writing ("currently": the follow-up's own).
@pytest.mark.parametrize(("resource", "key", "row_id", "locator", "observed"), [
    ("drug_schedules", "schedule_id", "sched-g-csf-1", "main-p19", "G-CSF"),
    ("clinical_events", "event_id", "ev-ongoing-remission", "main-p16", "2 / ongoing remission"),
    ("clinical_events", "event_id", "ev-car-t-decline", "main-p15", "thereafter"),
    ("case_characteristics", "characteristic_id", "cc-follow-up", "main-p16", "2 / currently"),
    ("set_asides", "set_aside_id", "sa-steroids-and-tocilizumab-restated", "main-p14", "tocilizumab"),
    ("set_asides", "set_aside_id", "sa-steroids-controversial", "abstract", "since"),
])
def test_a_deleted_row_the_stricter_coverage_needs_is_rejected(resource, key, row_id, locator, observed):
    findings, _ = run(without(resource, key, row_id), "source-coverage")
    assert [(f.rule, f.resource, f.field, f.locator, f.observed) for f in findings] == [
        ("source-coverage", "locators", "covers", locator, observed)]


# The deletions the issue tried whose words no other row quotes (the seizure and the ICU transfer are
# quoted by other rows too), each rejected; `number` is what the deletion leaves uncovered
# (a number, or the coded words of a sentence another row quotes).
ISSUE_DELETIONS = [
    ("observations", "observation_id", "obs-crp-baseline", "19.5"),
    ("observations", "observation_id", "obs-ferritin-baseline", "2598"),
    ("observations", "observation_id", "obs-temperature-day-0", "38.1"),
    ("case_characteristics", "characteristic_id", "cc-age", "60s"),
    ("case_characteristics", "characteristic_id", "cc-car-hematotox", "2"),
    ("case_characteristics", "characteristic_id", "cc-transgene-copies", "0.18"),
    ("drug_schedules", "schedule_id", "sched-fludarabine-1", "fludarabine"),  # its numbers quoted by a relation too
    ("drug_schedules", "schedule_id", "sched-bendamustine-1", "90"),
    ("drug_schedules", "schedule_id", "sched-tisagenlecleucel-1", "3.9 × 10^8"),
    ("stated_summaries", "summary_id", "ss-dexamethasone-cumulative", "602"),
    ("stated_summaries", "summary_id", "ss-dexamethasone-start", "3"),
    ("stated_summaries", "summary_id", "ss-dexamethasone-end", "23"),
    ("toxicity_grades", "grade_id", "tg-crs-day-0", "CRS"),  # "(CRS grade 2)" quoted by a relation too
]


@pytest.mark.parametrize(("resource", "key", "row_id", "number"), ISSUE_DELETIONS)
def test_each_deletion_of_the_issue_is_rejected_naming_the_passage_and_the_words(resource, key, row_id, number):
    findings, coverage = run(without(resource, key, row_id), "source-coverage")
    hits = [finding for finding in findings if finding.rule == "source-coverage"]
    assert any(finding.observed == number for finding in hits), [f.message for f in hits]
    hit = next(finding for finding in hits if finding.observed == number)
    assert hit.resource == "locators" and hit.field == "covers" and hit.locator
    assert f'"{number}"' in hit.message and hit.message.count('"') >= 4  # the number and the words around it
    # The counts are of numbers: a coded word left out is a finding, not an uncovered number.
    assert coverage[0]["uncovered"] >= 1 or not any(character.isdigit() for character in number)


def test_a_set_aside_row_covers_a_number_and_one_that_sets_aside_nothing_is_refused():
    planted = PlantedTables()
    sets = planted.tables.rows["set_asides"]
    planted.tables.rows["set_asides"] = [row for row in sets if row["set_aside_id"] != "sa-juliet-peak"]
    findings = planted_run(planted)
    assert {finding.observed for finding in findings if finding.rule == "source-coverage"} == {"9"}
    planted = PlantedTables()
    planted.append_row("set_asides", {"set_aside_id": "sa-encoded-already", "case_id": CASE,
                                      "quote": "cumulative dose of 602 mg", "locator_id": "main-p13",
                                      "reason": "restated", "note": "602 is encoded: nothing to set aside"})
    [finding] = [f for f in planted_run(planted) if f.rule == "source-coverage"]
    assert (finding.resource, finding.field) == ("set_asides", "quote")


def planted_run(planted: PlantedTables):
    assert not planted.schema_problems()
    tables = planted.tables
    for resource, rows in tables.rows.items():  # rows appended in memory get the next row numbers
        for number, row in enumerate(rows, start=2):
            row[ROW_NUMBER] = number
    return run(tables, "source-text", "source-coverage")[0]


def test_without_the_article_text_the_coverage_rule_does_not_run():
    findings = run_rules(REPO, without("stated_summaries", "summary_id", "ss-dexamethasone-cumulative"),
                         real_descriptor(), options={"source_text": None},
                         rulebook=[RULEBOOK["source-coverage"]])
    assert findings == []


# ---------------------------------------------------------------------------------------------
# source-text: nothing skipped silently.

def test_a_quote_split_inside_a_number_is_refused():
    planted = PlantedTables()
    planted.set_cell("observations", "obs-crp-baseline", "quote", "CRP was 19 ... .5 mg/L (normal range <10 mg/L)")
    planted.set_cell("observations", "obs-ferritin-baseline", "quote",
                     "ferritin was 25 ... 98 μg/L (normal range 30–300 μg/L) before therapy")
    found = {(f.resource, f.field, f.message.split(":")[0]) for f in planted_run(planted) if f.rule == "source-text"}
    assert found == {("observations", "quote", "obs-crp-baseline"), ("observations", "quote", "obs-ferritin-baseline")}


@pytest.mark.parametrize(("locator_id", "paragraph"), [("main-p07", 1), ("abstract", 7), ("main-p13", 14),
                                                       ("main-p04", 3)])
def test_a_locator_paragraph_number_the_text_contradicts_is_a_finding(locator_id, paragraph):
    planted = PlantedTables()
    planted.set_cell("locators", locator_id, "paragraph", paragraph)
    [finding] = [f for f in planted_run(planted) if f.rule == "source-text"]
    assert (finding.resource, finding.field, finding.observed) == ("locators", "paragraph", str(paragraph))
    assert finding.message.startswith(locator_id)


def test_a_quote_whose_passage_is_not_found_is_an_error_on_its_row():
    planted = PlantedTables()
    planted.set_cell("locators", "main-p17", "opening_words", "Words no paragraph opens with")
    findings = [f for f in planted_run(planted) if f.rule == "source-text"]
    rows = {f.message.split(":")[0] for f in findings if f.resource == "observations"}
    assert rows == {"obs-car-t-3-months", "obs-car-t-6-months", "obs-car-t-9-months", "obs-car-t-2-years"}
    assert all("was not checked" in f.message for f in findings if f.resource == "observations")


LINE_BROKEN = ("Case report of a patient, as stored.\n\n"
               "A 34-year-old male received CAR T-cells in 2019.\n"
               "On day +1, he presented with grade 1 CRS.\n"
               "He died on day +36.\n")


def test_paragraphs_separated_by_single_line_breaks_are_paragraphs():
    article = Article(LINE_BROKEN)
    assert [passage.ordinal for passage in article.passages] == [1, 2, 3, 4]
    assert article.find("On day +1, he").text == "On day +1, he presented with grade 1 CRS."
    wrapped = Article("A sentence wrapped\nover two lines ends here.\nThe next one.")
    assert [passage.text for passage in wrapped.passages] == ["A sentence wrapped over two lines ends here.",
                                                             "The next one."]


def test_the_curator_command_lists_what_a_deleted_row_leaves_uncovered(package, capsys):
    import runpy

    main = runpy.run_path(str(REPO / "scripts" / "list_uncovered.py"))["main"]
    assert main(["--root", str(package.root), "--source-text", str(ARTICLE_FOLDER), "--case", CASE]) == 0
    rows = [row for row in package.read_rows("stated_summaries") if row["summary_id"] != "ss-dexamethasone-cumulative"]
    package.write_rows("stated_summaries", rows)
    capsys.readouterr()
    assert main(["--root", str(package.root), "--source-text", str(ARTICLE_FOLDER), "--case", CASE]) == 1
    [line, summary] = capsys.readouterr().out.splitlines()
    assert line.split("\t")[:4] == [CASE, "uncovered", "main-p13", "602"] and "602 mg dexamethasone" in line
    assert summary.endswith("1 uncovered")


def test_the_curator_command_lists_a_time_word_a_deleted_row_leaves_uncovered(package, capsys):
    import runpy

    main = runpy.run_path(str(REPO / "scripts" / "list_uncovered.py"))["main"]
    rows = [row for row in package.read_rows("clinical_events") if row["event_id"] != "ev-car-t-decline"]
    package.write_rows("clinical_events", rows)
    capsys.readouterr()
    assert main(["--root", str(package.root), "--source-text", str(ARTICLE_FOLDER), "--case", CASE]) == 1
    [line, summary] = capsys.readouterr().out.splitlines()
    assert line.split("\t")[:4] == [CASE, "uncovered", "main-p15", "thereafter"]
    assert summary.endswith("1 uncovered")


def test_an_age_is_no_time_of_the_course():
    from casekit.quotes.coverage import _is_time
    from casekit.quotes.numbers import number_spans
    from casekit.quotes.units import forms_pattern

    times = forms_pattern(("day", "days", "year", "years", "month", "months", "D#"))
    for text, is_time in [("A 66-year-old woman", False), ("a 22 year old man", False),
                          ("more than 2 years after", True), ("a 3-month interval", True), ("on day 6", True),
                          ("After cessation of sedatives on D19", True)]:
        [entry] = number_spans(text)
        assert _is_time(text, entry, times) is is_time, text


def test_coverage_remembered_per_passage_equals_coverage_counted_afresh(monkeypatch):
    """The suite turns casekit.quotes.passage_memo on (tests/conftest.py): each passage a copy shares
    with an earlier one is counted once. Findings and counts, with an idle set-aside and with rows
    deleted, are the same with the memo cold, warm and off."""
    from casekit.quotes import passage_memo

    idle = PlantedTables()
    idle.append_row("set_asides", {"set_aside_id": "sa-encoded-already", "case_id": CASE,
                                   "quote": "cumulative dose of 602 mg", "locator_id": "main-p13",
                                   "reason": "restated", "note": "602 is encoded: nothing to set aside"})
    copies = [real_tables(), without("set_asides", "set_aside_id", "sa-siltuximab-target"),
              *(without(*entry) for entry in ROWS[::9])]

    def findings_and_counts():
        return [run(tables, "source-text", "source-coverage") for tables in copies] + [
            [finding for finding in planted_run(idle) if finding.rule == "source-coverage"]]

    monkeypatch.setattr(passage_memo, "enabled", True)
    passage_memo.clear()
    cold = findings_and_counts()
    assert len(passage_memo._memo) > 0
    warm = findings_and_counts()
    monkeypatch.setattr(passage_memo, "enabled", False)
    assert cold == warm == findings_and_counts()
    assert any(findings for findings, _ in cold[:-1]) and cold[-1]
