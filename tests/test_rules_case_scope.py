"""Case scoping: a case's references resolve inside that case and the article that reports it."""
from __future__ import annotations

from rules_support import assert_only_rule_fires, validate

SECOND_CASE = "second-case-1"
SECOND_SOURCE = "second-source-2024"


def _first(tables, resource: str) -> dict:
    return tables.read_rows(resource)[0]


def _add_source(tables) -> str:
    """A second article with one passage of its own; returns that passage's locator_id."""
    source = dict(_first(tables, "sources"), source_id=SECOND_SOURCE)
    tables.append_row("sources", source)
    locator = dict(_first(tables, "locators"), locator_id="second-p01", source_id=SECOND_SOURCE)
    tables.append_row("locators", locator)
    return "second-p01"


def _add_case(tables, source: str | None = None) -> str:
    """A second case, reported by the first case's article unless `source` is given."""
    case = dict(_first(tables, "cases"), case_id=SECOND_CASE)
    if source is not None:
        case["source_id"] = source
        case["locator_id"] = "second-p01"
    tables.append_row("cases", case)
    return SECOND_CASE


def _copy_row(tables, resource: str, key: str, new_id: str, **changes) -> dict:
    row = dict(_first(tables, resource), **{key: new_id}, **changes)
    row.pop("_row", None)
    return tables.append_row(resource, row)


def test_a_second_case_of_the_same_article_passes(typed_tables):
    _add_case(typed_tables)
    _copy_row(typed_tables, "clinical_events", "event_id", "ev-second", case_id=SECOND_CASE)
    assert [f for f in validate(typed_tables) if f.severity == "error"] == []


def test_relative_timing_anchored_on_another_cases_row_is_rejected(typed_tables):
    _add_case(typed_tables)
    event = _copy_row(typed_tables, "clinical_events", "event_id", "ev-second", case_id=SECOND_CASE)
    relation = _first(typed_tables, "relative_timings")
    # Counted exclusive, as its words say: an inclusive count needs a discrepancy of its own case (relation-words).
    _copy_row(typed_tables, "relative_timings", "relation_id", "rt-second", case_id=SECOND_CASE,
              subject_resource="clinical_events", subject_id=event["event_id"], counting_convention="exclusive")
    [finding] = assert_only_rule_fires(typed_tables, "case-scope")
    assert (finding.resource, finding.field, finding.case_id) == ("relative_timings", "anchor_id", SECOND_CASE)
    assert f"{relation['anchor_id']} is a {relation['anchor_resource']} row of case" in finding.message


def test_discrepancy_naming_another_cases_row_is_rejected(typed_tables):
    _add_case(typed_tables)
    discrepancy = _copy_row(typed_tables, "discrepancies", "discrepancy_id", "disc-second", case_id=SECOND_CASE)
    entry = dict(_first(typed_tables, "discrepancy_rows"), discrepancy_id=discrepancy["discrepancy_id"])
    entry.pop("_row", None)
    typed_tables.append_row("discrepancy_rows", entry)
    [finding] = assert_only_rule_fires(typed_tables, "case-scope")
    assert (finding.resource, finding.field, finding.observed) == ("discrepancy_rows", "row_id",
                                                                    f"case {_first(typed_tables, 'cases')['case_id']}")


def test_fact_citing_a_passage_of_another_article_is_rejected(typed_tables):
    foreign = _add_source(typed_tables)
    event = _first(typed_tables, "clinical_events")
    typed_tables.set_cell("clinical_events", event["event_id"], "locator_id", foreign)
    [finding] = assert_only_rule_fires(typed_tables, "case-scope")
    assert (finding.resource, finding.field, finding.row) == ("clinical_events", "locator_id", event["_row"])
    assert f"passage of source {SECOND_SOURCE}" in finding.message


def test_case_reported_in_another_article_with_its_own_passages_passes(typed_tables):
    _add_source(typed_tables)
    _add_case(typed_tables, source=SECOND_SOURCE)
    _copy_row(typed_tables, "clinical_events", "event_id", "ev-second", case_id=SECOND_CASE, locator_id="second-p01")
    assert [f for f in validate(typed_tables) if f.severity == "error"] == []


def test_second_case_citing_the_first_articles_passage_is_rejected(typed_tables):
    _add_source(typed_tables)
    _add_case(typed_tables, source=SECOND_SOURCE)
    first_locator = _first(typed_tables, "clinical_events")["locator_id"]
    _copy_row(typed_tables, "clinical_events", "event_id", "ev-second", case_id=SECOND_CASE)
    [finding] = assert_only_rule_fires(typed_tables, "case-scope")
    assert (finding.field, finding.case_id) == ("locator_id", SECOND_CASE)
    assert first_locator in finding.message


# A discrepancy sets aside only what it disputes (discrepancy_rows.fields; empty = the whole row).

def _set_aside_entries(tables) -> list[dict]:
    adopted = {row["discrepancy_id"]: row["adopted_reading"] for row in tables.read_rows("discrepancies")}
    return [row for row in tables.read_rows("discrepancy_rows")
            if row["role"] in ("reading_a", "reading_b") and row["role"] != f"reading_{adopted[row['discrepancy_id']]}"
            and row["resource"] == "stated_summaries"]


def _duration_reading_not_adopted(tables) -> dict:
    summaries = {row["summary_id"]: row for row in tables.read_rows("stated_summaries")}
    entries = [entry for entry in _set_aside_entries(tables) if summaries[entry["row_id"]]["kind"] == "duration"]
    assert entries, "the real package records a duration reading it does not adopt"
    return entries[0]


def test_a_disputed_field_of_a_reading_not_adopted_stays_set_aside(typed_tables):
    for entry in typed_tables.read_rows("discrepancy_rows"):
        entry.setdefault("fields", None)
    _duration_reading_not_adopted(typed_tables)["fields"] = "value"
    assert [f for f in validate(typed_tables) if f.severity == "error"] == []


def test_an_undisputed_field_of_a_reading_not_adopted_is_still_checked(typed_tables):
    for entry in typed_tables.read_rows("discrepancy_rows"):
        entry.setdefault("fields", None)
    entry = _duration_reading_not_adopted(typed_tables)
    entry["fields"] = "counting_convention"
    [finding] = assert_only_rule_fires(typed_tables, "stated-duration")
    assert (finding.resource, finding.field) == ("stated_summaries", "value")
    assert entry["row_id"] in {row["summary_id"] for row in typed_tables.read_rows("stated_summaries")
                               if row["_row"] == finding.row}
