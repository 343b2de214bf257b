"""quote-agreement, source-text and dose-limits on hand-made rows: each promise, one small test."""
from __future__ import annotations

from decimal import Decimal

from quote_rules_support import run_rule

from casekit.validation.rules import dose_limits, quote_agreement, source_text

PARAMS = {"stated_basis": "stated", "implied_administrations": {"single": 1}}


def agreement(resource, **row):
    row.setdefault("case_id", "case-1")
    return run_rule(quote_agreement, {resource: [row]}, PARAMS)


def test_a_value_that_is_not_in_its_quote_is_named_with_the_quote():
    [finding] = agreement("observations", observation_id="obs-a", value=15.9, unit="mg/L",
                          quote="CRP was 19.5 mg/L")
    assert finding.message == 'obs-a: value 15.9 is not in the quote "CRP was 19.5 mg/L"'
    [finding] = agreement("observations", observation_id="obs-a", unit="mg/L", quote="CRP was 19.5 mg/L")
    assert finding.field == "value" and "states 19.5, which no field of the row holds" in finding.message
    findings = agreement("observations", observation_id="obs-a", value=15.9, unit="mg/L", quote="CRP was 15.9 mg/L")
    assert findings == []


def test_thousands_and_micro_signs_agree_with_the_plain_number():
    assert agreement("observations", observation_id="o", value=77945, unit="ug/L",
                     quote="a maximum of 77,945  $\\mu$ g/L") == []


def test_an_emptied_dose_is_named_by_the_unit_written_after_its_number():
    [finding] = agreement("drug_schedules", schedule_id="s", dose_unit="mg", dose_per_body_value=8,
                          dose_per_body_unit="mg/kg", frequency="single", administrations=1,
                          quote="Tocilizumab (8mg/kg, 700mg) was immediately administered")
    assert (finding.field, finding.expected) == ("dose_value", "700")


def test_a_stated_time_in_the_wrong_unit_is_rejected_at_the_time_unit():
    row = dict(observation_id="o", value=1.56, unit="{cells}/uL", time_unit="d", time_earliest=6, time_latest=6,
               timing_basis="stated", quote="1.56 cells/μL after 6 months", timing_as_stated="after 6 months")
    [finding] = agreement("observations", **row)
    assert finding.field == "time_unit" and "(its written forms: day, days)" in finding.message
    assert agreement("observations", **{**row, "time_unit": "mo"}) == []


def test_a_stated_day_moved_to_its_neighbour_is_rejected_but_an_implied_one_is_not_required():
    row = dict(grade_id="g", grade=3, time_unit="d", time_earliest=4, time_latest=4, timing_basis="stated",
               quote="because of CRS grade 3", timing_as_stated="on day 3")
    fields = {finding.field for finding in agreement("toxicity_grades", **row)}
    assert fields == {"time_earliest", "time_latest"}
    assert agreement("toxicity_grades", **{**row, "timing_basis": "implied", "timing_as_stated": "the same day"}) == []


def test_single_administration_implied_by_the_frequency_need_not_be_quoted():
    assert agreement("drug_schedules", schedule_id="s", dose_value=390000000, dose_unit="{cells}",
                     frequency="single", administrations=1, quote="(3.9 x 10^8 CAR positive viable T-cells") == []


def test_a_decade_states_its_bounds_and_its_unit():
    assert agreement("case_characteristics", characteristic_id="c", value_min=60, value_max=69, unit="a",
                     quote="a patient in their late 60s") == []


def test_a_unit_without_written_forms_and_a_rows_without_quote_are_not_checked():
    assert agreement("observations", observation_id="o", value=0.47, unit="1", quote="CD4/CD8 ratio 0.47") == []
    assert agreement("observations", observation_id="o", value=0.47, unit="mg/L", quote=None) == []


def test_a_relative_timing_checks_its_offset_only():
    row = dict(relation_id="r", subject_resource="clinical_events", subject_id="e", offset_value=7, offset_unit="d",
               quote="On day 13 (7 days after initiation of dasatinib)")
    assert agreement("relative_timings", **row) == []
    [finding] = agreement("relative_timings", **{**row, "offset_value": 6})
    assert finding.field == "offset_value"
    assert agreement("relative_timings", **{**row, "offset_value": 0, "quote": "on the same day that"}) == []


ARTICLE = "# Title\n\nCRP was 19.5 mg/L and\n\n**Figure 1** Legend words.\n\nferritin was 2598 µg/L before therapy.\n"


def source_rows(text_sha256, quote, locator="p1"):
    return {
        "sources": [{"source_id": "src", "text_sha256": text_sha256}],
        "locators": [{"locator_id": "p1", "source_id": "src", "opening_words": "CRP was", "figure": None},
                     {"locator_id": "f1", "source_id": "src", "opening_words": "Legend words", "figure": 1}],
        "observations": [{"observation_id": "o", "case_id": "c", "quote": quote, "locator_id": locator}],
    }


def test_a_quote_is_found_in_its_passage_across_a_figure_break(tmp_path):
    import hashlib

    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    digest = hashlib.sha256(ARTICLE.encode()).hexdigest()
    options = {"source_text": tmp_path}
    assert run_rule(source_text, source_rows(digest, "CRP was 19.5 mg/L ... ferritin was 2598 μg/L"),
                    options=options) == []
    [finding] = run_rule(source_text, source_rows(digest, "CRP was 15.9 mg/L"), options=options)
    assert (finding.rule, finding.field, finding.observed) == ("source-text", "quote", "CRP was 15.9 mg/L")
    [moved] = run_rule(source_text, source_rows(digest, "CRP was 19.5 mg/L", locator="f1"), options=options)
    assert "is not in f1" in moved.message


def test_without_the_text_folder_nothing_is_checked_and_a_missing_file_is_named(tmp_path):
    assert run_rule(source_text, source_rows("ab" * 32, "anything")) == []
    source, quote = run_rule(source_text, source_rows("ab" * 32, "anything"), options={"source_text": tmp_path})
    assert (source.resource, source.field) == ("sources", "text_sha256")
    # The quote that could not be looked up is an error on its own row, with the reason.
    assert (quote.resource, quote.field, quote.observed) == ("observations", "quote", "not checked")
    assert "was not checked" in quote.message and "no file" in quote.message


LIMITS = [
    {"limit_id": "l-mg", "drug_id": "drug-a", "minimum": None, "maximum": 800, "unit": "mg", "basis": "label", "source": "label"},
    {"limit_id": "l-kg", "drug_id": "drug-a", "minimum": None, "maximum": 8, "unit": "mg/kg", "basis": "label", "source": "label"},
    {"limit_id": "l-d", "drug_id": "drug-b", "minimum": None, "maximum": 180, "unit": "mg/d", "basis": "label", "source": "label"},
    {"limit_id": "l-m2", "drug_id": "drug-c", "minimum": 20, "maximum": 40, "unit": "mg/m2", "basis": "range", "source": "protocol"},
]
FREQUENCIES = [{"frequency": "daily", "administrations_per_day": 1}, {"frequency": "twice_daily", "administrations_per_day": 2},
               {"frequency": "single", "administrations_per_day": None}]
BODY = {"body_sizes": {"kg": {"name": "body weight", "minimum": 25, "maximum": 350},
                       "m2": {"name": "body surface area", "minimum": 0.8, "maximum": 3.5}}}


def limits(**step):
    step = {"schedule_id": "s", "case_id": "c", **step}
    return run_rule(dose_limits, {"dose_limits": LIMITS, "frequencies": FREQUENCIES, "drug_schedules": [step]}, BODY)


def test_doses_within_their_limits_pass():
    assert limits(drug_id="drug-a", dose_value=700, dose_unit="mg", dose_per_body_value=8, dose_per_body_unit="mg/kg") == []
    assert limits(drug_id="drug-b", dose_value=100, dose_unit="mg/d") == []
    assert limits(drug_id="drug-c", dose_per_body_value=25, dose_per_body_unit="mg/m2") == []


def test_a_dose_per_kg_ten_times_off_breaks_the_limit_and_the_body_weight():
    findings = limits(drug_id="drug-a", dose_value=700, dose_unit="mg", dose_per_body_value=80, dose_per_body_unit="mg/kg")
    messages = " ".join(finding.message for finding in findings)
    assert {finding.field for finding in findings} == {"dose_per_body_value", "dose_value"}
    assert "above the maximum of 8 mg/kg" in messages and "body weight of 8.75 kg" in messages


def test_an_absolute_dose_ten_times_low_implies_an_impossible_body_weight():
    [finding] = limits(drug_id="drug-a", dose_value=70, dose_unit="mg", dose_per_body_value=8, dose_per_body_unit="mg/kg")
    assert finding.observed == "8.75 kg"


def test_a_per_day_dose_is_derived_from_the_frequency_and_converted_with_ucum():
    [finding] = limits(drug_id="drug-b", dose_value=100, dose_unit="mg", frequency="twice_daily")
    assert (finding.field, finding.observed) == ("dose_value", "200 mg/d")
    [finding] = limits(drug_id="drug-a", dose_value=1, dose_unit="g")
    assert finding.observed == "1000 mg"


def test_a_dose_per_m2_outside_the_range_is_rejected_both_ways():
    assert "above the maximum" in limits(drug_id="drug-c", dose_per_body_value=250, dose_per_body_unit="mg/m2")[0].message
    assert "below the minimum" in limits(drug_id="drug-c", dose_per_body_value=2.5, dose_per_body_unit="mg/m2")[0].message


def test_a_dose_and_a_dose_per_m2_imply_a_body_surface_area_possible_for_an_adult():
    [finding] = limits(drug_id="drug-c", dose_value=700, dose_unit="mg", dose_per_body_value=25,
                       dose_per_body_unit="mg/m2")
    assert (finding.field, finding.observed) == ("dose_value", "28 m2")
    assert limits(drug_id="drug-c", dose_value=45, dose_unit="mg", dose_per_body_value=25,
                  dose_per_body_unit="mg/m2") == []


def test_a_rate_is_converted_to_the_limits_per_day_unit():
    [finding] = limits(drug_id="drug-b", dose_value=10, dose_unit="mg/h")
    assert finding.observed == "240 mg/d"


def _many(count: int, quote: str, slipped_at: int, distinct: bool) -> list[dict]:
    rows = [dict(observation_id=f"o{index}", case_id="case-1", value=19.5, unit="mg/L",
                 quote=quote + (f" (report {'bcdfghjklm'[index % 10]}{'bcdfghjklm'[index // 10 % 10]}"
                                f"{'bcdfghjklm'[index // 100 % 10]}{'bcdfghjklm'[index // 1000 % 10]})"
                                if distinct else "")) for index in range(count)]
    rows[slipped_at]["value"] = 15.9
    return rows


def test_a_slip_past_the_rows_after_which_distinct_quotes_are_no_longer_remembered_is_found():
    count = quote_agreement.CACHE_PROBE + 100
    rows = _many(count, "CRP was 19.5 mg/L", count - 1, distinct=True)
    [finding] = run_rule(quote_agreement, {"observations": rows}, PARAMS)
    assert finding.message.startswith(f"o{count - 1}: value 15.9 is not in the quote")


def test_a_slip_among_repeated_quotes_is_found_though_their_verdicts_are_remembered():
    count = quote_agreement.CACHE_PROBE + 100
    rows = _many(count, "CRP was 19.5 mg/L", count - 1, distinct=False)
    [finding] = run_rule(quote_agreement, {"observations": rows}, PARAMS)
    assert finding.message.startswith(f"o{count - 1}: value 15.9")


def test_a_row_that_repeats_a_quote_with_a_value_written_otherwise_shows_its_own_value():
    # 0 and -0 are equal, so a remembered verdict would show the first row's value: only verdicts
    # without findings are remembered.
    for rows_apart in (1, quote_agreement.CHUNK_ROWS + 1):
        rows = [dict(observation_id=f"o{index}", case_id="case-1", value=19.5, unit="mg/L",
                     quote="CRP was 19.5 mg/L") for index in range(rows_apart + 1)]
        rows[0]["value"], rows[rows_apart]["value"] = Decimal("0"), Decimal("-0")
        findings = run_rule(quote_agreement, {"observations": rows}, PARAMS)
        assert [(finding.row, finding.observed) for finding in findings] == [(2, "0"), (rows_apart + 2, "-0")]


def test_a_remembered_verdict_is_not_reused_for_a_value_of_another_type():
    # True == 1 and they hash alike, but a bool is not a number: the rows are judged apart, also
    # when the second comes after the first's verdict was remembered (a later chunk of rows).
    rows = [dict(observation_id=f"o{index}", case_id="case-1", value=Decimal("1"), unit="mg/L",
                 quote="CRP was 1 mg/L") for index in range(quote_agreement.CHUNK_ROWS + 2)]
    rows[-1]["value"] = True
    findings = run_rule(quote_agreement, {"observations": rows}, PARAMS)
    assert [finding.row for finding in findings] == [len(rows) + 1]
    assert "states 1, which no field" in findings[0].message


# An article whose paragraphs are separated by single line breaks, as some curators' files are.
LINE_BROKEN = ("Source line of the case, as stored.\n\n"
               "A 34-year-old male received CAR T-cells in 2019.\n"
               "On day +1, he presented with grade 1 CRS.\n"
               "He died on day +36.\n")


def line_broken_rows(digest, quote, paragraph=2, words=None):
    return {
        "sources": [{"source_id": "src", "text_sha256": digest}],
        "sections": [{"section": "case_presentation", "label": "case presentation"}],
        "locators": [{"locator_id": "p", "source_id": "src", "section": "case_presentation", "paragraph": paragraph,
                      "opening_words": words or "On day +1, he", "figure": None}],
        "cases": [{"case_id": "c", "source_id": "src"}],
        # Day 1: coverage counts a number as encoded only where the row's fields hold it.
        "clinical_events": [{"event_id": "e", "case_id": "c", "quote": quote, "locator_id": "p",
                             "time_unit": "d", "time_earliest": 1, "time_latest": 1}],
    }


def test_paragraphs_separated_by_single_line_breaks_are_checked_and_counted(tmp_path):
    import hashlib

    from casekit.validation.rules import source_coverage

    (tmp_path / "article.md").write_text(LINE_BROKEN, encoding="utf-8")
    digest = hashlib.sha256(LINE_BROKEN.encode()).hexdigest()
    options = {"source_text": tmp_path}
    assert run_rule(source_text, line_broken_rows(digest, "he presented with grade 1 CRS"), options=options) == []
    [moved] = run_rule(source_text, line_broken_rows(digest, "He died on day +36"), options=options)
    assert "is not in p" in moved.message  # the next line is the next paragraph, not this one
    [numbered] = run_rule(source_text, line_broken_rows(digest, "grade 1 CRS", paragraph=7), options=options)
    assert (numbered.field, numbered.observed) == ("paragraph", "7")
    # Coverage counts the section's paragraphs, one per line: "34", "2019", "+1", "+36" are uncovered.
    options["coverage"] = []
    uncovered = run_rule(source_coverage, line_broken_rows(digest, "On day +1, he presented with grade 1 CRS"),
                         options=options)
    assert sorted(finding.observed for finding in uncovered) == ["2019", "34", "36"]
    assert options["coverage"] == [{"case_id": "c", "stated": 5, "encoded": 2, "set_aside": 0, "uncovered": 3}]
