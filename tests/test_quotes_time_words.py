"""Reading time words: phrases of a vocabulary, and time units counted next to a number."""
from __future__ import annotations

import pytest

from casekit.quotes.phrases import found_phrases
from casekit.quotes.units import counted_units
from rules_support import validate

UNITS = {"h": "h", "hour": "h", "hours": "h", "day": "d", "days": "d", "d": "d", "week": "wk", "weeks": "wk",
         "month": "mo", "months": "mo", "year": "a", "years": "a"}


@pytest.mark.parametrize("text,units", [
    ("within 48h hours after initiation", {"h"}),
    ("for up to 2 years", {"a"}),
    ("1.2 years post-CAR-T infusion", {"a"}),
    ("for two weeks", {"wk"}),
    ("a 3-month interval PET/CT", {"mo"}),
    ("40mg/day, days 3-4", {"d"}),
    ("on D11", {"d"}),
    ("day -4 to day -2", {"d"}),
    ("a marker [copy h]", set()),  # a unit's letter alone counts no time
    ("over the next few days", set()),
    ("CD19 (20-291) Protein", set()),
])
def test_units_are_read_where_a_number_counts_them(text, units):
    assert counted_units(text.lower(), UNITS) == units


@pytest.mark.parametrize("text,found", [
    ("Cytopenia was profound from day 30 onward", {"onward"}),
    ("from day 30 on, nothing changed", {"from ... on"}),
    # The "on" of a time that follows ends no phrase: the death on day 36 is no open end.
    ("died from multiorgan failure on day +36", set()),
    ("died from sepsis on D36", set()),
    ("from then on the fever persisted", {"from ... on"}),
    ("Dasatinib was administered from day 7 to day 13", set()),
    ("ongoing remission more than 2 years after", {"more than", "after"}),
    ("the aftermath", set()),
])
def test_phrases_are_found_as_whole_words(text, found):
    assert found_phrases(("onward", "from ... on", "more than", "after", "..."), text) == found


def test_a_phrase_meaning_is_data_a_curator_can_extend(typed_tables):
    # "prior to CAR T-cell infusion" places cc-car-hematotox at most on day 0; without that row nothing does.
    rows = typed_tables.read_rows("time_phrases")
    typed_tables.write_rows("time_phrases", [row for row in rows if row["phrase"] != "prior to car t-cell infusion"])
    findings = [finding for finding in validate(typed_tables) if finding.rule == "time-words"]
    assert [(finding.field, finding.message.split(":")[0]) for finding in findings] == [
        ("timing_basis", "cc-car-hematotox")]
