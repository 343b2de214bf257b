"""coded-words (issue 16): a coded value that the row's own words contradict or never name is rejected,
naming the field, the code and, when the words name another code of the vocabulary, that code.

Each slip class is planted in several rows of the real package (typed in-memory tables) and in each
of the three fixture cases (the combined package of tests/test_fixture_cases.py)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples
from rules_support import validate
from test_fixture_cases import (  # noqa: F401 (combined and typed are fixtures)
    SLUGS, case_id, combined, error_lines, not_known, planted, run_rules_on, typed)

from casekit.quotes.code_forms import CodeForms, code_pattern, written_forms
from casekit.quotes.normalise import normalise
from casekit.validation.findings import ERROR

RULE = "coded-words"


def coded(findings, resource=None):
    return [finding for finding in findings
            if finding.rule == RULE and finding.severity == ERROR and resource in (None, finding.resource)]


def assert_slip(findings, resource, row_id, field, *said):
    hits = [finding for finding in coded(findings, resource) if finding.field == field and row_id in finding.message]
    assert hits, error_lines(findings)
    for words in said:
        assert any(words in finding.message for finding in hits), [finding.message for finding in hits]


# ---------------------------------------------------------------------------------------------
# The real package: each slip class in several rows.

@pytest.mark.parametrize(("resource", "row_id", "field", "value", "said"), [
    # a route the words contradict
    ("drug_schedules", "sched-dasatinib-1", "route", "intravenous", ["'via a nasogastric tube' (nasogastric_tube)"]),
    ("drug_schedules", "sched-dexamethasone-1", "route", "oral", ["(intravenous)"]),
    ("drug_schedules", "sched-dexamethasone-2", "route", "nasogastric_tube", ["'intravenously' (intravenous)"]),
    ("drug_schedules", "sched-levetiracetam-1", "route", "intrathecal", ["route 'intrathecal' is not written"]),
    # an ICU transfer recorded as a ward transfer, and back
    ("clinical_events", "ev-icu-transfer", "event_type", "ward_transfer", ["'intensive care unit' (icu_transfer)"]),
    ("clinical_events", "ev-ward-transfer", "event_type", "icu_transfer", ["'normal ward' (ward_transfer)"]),
    # complete remission recorded as partial remission
    ("clinical_events", "ev-complete-remission", "event_type", "partial_remission", ["(complete_remission)"]),
    ("clinical_events", "ev-ongoing-remission", "event_type", "partial_remission", ["(ongoing_remission)"]),
    ("clinical_events", "ev-intubation", "event_type", "extubation", ["'intubation' (intubation)"]),
    # a purpose swapped
    ("drug_schedules", "sched-quetiapine-1", "purpose", "seizure", ["(agitation_psychosis)"]),
    ("drug_schedules", "sched-levetiracetam-1", "purpose", "agitation_psychosis", ["(seizure)"]),
    ("drug_schedules", "sched-g-csf-1", "purpose", "cytopenia", ["'neutropenia' (neutropenia)"]),
    ("drug_schedules", "sched-fludarabine-1", "purpose", "bridging_therapy", ["(lymphodepletion)"]),
    # a frequency the words contradict
    ("drug_schedules", "sched-dexamethasone-3", "frequency", "continuous_infusion", ["'/day' (daily)"]),
    ("drug_schedules", "sched-dasatinib-1", "frequency", "continuous_infusion", ["(daily)"]),
    ("drug_schedules", "sched-dasatinib-1", "frequency", "every_8_hours", ["(daily)"]),
    ("drug_schedules", "sched-siltuximab-1", "frequency", "repeated", ["'one dose' (single)"]),
    # the wrong thing: a value recorded on another analyte, or for another drug
    ("observations", "obs-ferritin-max", "analyte_id", "il-6", ["'ferritin' (ferritin)"]),
    ("observations", "obs-crp-baseline", "analyte_id", "ferritin", ["'CRP' (crp)"]),
    ("observations", "obs-il-6-max", "analyte_id", "ferritin", ["'IL-6' (il-6)"]),
    ("observations", "obs-car-t-peak", "analyte_id", "car-t-cd4-cd8-ratio", ["(car-t-cells)"]),
    ("drug_schedules", "sched-siltuximab-1", "drug_id", "tocilizumab", ["'siltuximab' (siltuximab)"]),
    ("stated_summaries", "ss-siltuximab-count", "drug_id", "tocilizumab", ["(siltuximab)"]),
    ("stated_summaries", "ss-car-t-peak-day", "analyte_id", "ferritin", ["(car-t-cells)"]),
    ("toxicity_grades", "tg-icans", "syndrome", "crs", ["'ICANS' (icans)"]),
    ("stated_summaries", "ss-crs-max-grade", "syndrome", "icans", ["'CRS' (crs)"]),
    # a grading scale the words never name (the field source vouches for another scale)
    ("toxicity_grades", "tg-crs-day-0", "grading_system", "ctcae-v5.0", ["'ctcae-v5.0' is not written"]),
    ("toxicity_grades", "tg-icans", "grading_system", "lee-2014", ["'lee-2014' is not written"]),
])
def test_a_coded_value_the_words_contradict_is_rejected(typed_tables, resource, row_id, field, value, said):
    typed_tables.set_cell(resource, row_id, field, value)
    assert_slip(validate(typed_tables), resource, row_id, field, f"'{value}'", *said)


def test_a_route_finding_names_the_field_the_code_and_the_words(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dasatinib-1", "route", "intravenous")
    [finding] = coded(validate(typed_tables))
    assert finding.message.startswith("sched-dasatinib-1: route is 'intravenous' but the words say "
                                      "'via a nasogastric tube' (nasogastric_tube)")
    assert (finding.field, finding.expected, finding.locator) == ("route", "a written form of intravenous", "main-p10")


def test_a_scale_changed_behind_its_field_source_is_rejected_on_both_rows(typed_tables):
    typed_tables.set_cell("toxicity_grades", "tg-crs-day-3", "grading_system", "ctcae-v5.0")
    found = coded(validate(typed_tables))
    assert {(finding.resource, finding.field) for finding in found} == {
        ("toxicity_grades", "grading_system"), ("field_sources", "value")}, [finding.message for finding in found]


@pytest.mark.parametrize("row_id", ["ev-seizure", "ev-fever", "ev-icu-transfer", "ev-complete-remission"])
def test_an_asserted_event_recorded_as_negated_is_rejected(typed_tables, row_id):
    typed_tables.set_cell("clinical_events", row_id, "certainty", "negated")
    assert_slip(validate(typed_tables), "clinical_events", row_id, "certainty", "'negated'", "none of its cues")


@pytest.mark.parametrize("row_id", ["ev-seizure", "ev-oliguria"])
def test_an_asserted_event_recorded_as_suspected_is_rejected(typed_tables, row_id):
    typed_tables.set_cell("clinical_events", row_id, "certainty", "suspected")
    assert_slip(validate(typed_tables), "clinical_events", row_id, "certainty", "'suspected'")


def test_a_hedged_event_recorded_as_asserted_is_rejected(typed_tables):
    # The quote extended within the article's sentence now hedges: "probably".
    typed_tables.set_cell("clinical_events", "ev-prolonged-cytopenias", "quote",
                          "The patient developed very severe, prolonged cytopenias, which were probably caused by "
                          "the high tumor burden")
    assert_slip(validate(typed_tables), "clinical_events", "ev-prolonged-cytopenias", "certainty",
                "'probably' (suspected)")


def test_a_negated_event_recorded_as_asserted_is_rejected(typed_tables):
    typed_tables.append_row("clinical_events", {
        "event_id": "ev-infection-at-infusion", "case_id": "baur-2022-jitc-1", "event_type": "infection",
        "certainty": "asserted", "description": "infection at infusion", "timing_basis": "not_stated",
        "quote": "No infection was detected at the time of infusion", "locator_id": "main-p07"})
    assert_slip(validate(typed_tables), "clinical_events", "ev-infection-at-infusion", "certainty", "'No' (negated)")


@pytest.mark.parametrize(("certainty", "slip"), [("negated", None), ("asserted", "'unrevealing' (negated)")])
def test_a_finding_reported_unrevealing_is_a_negation(typed_tables, certainty, slip):
    # "Brain magnetic resonance imaging was unrevealing": a normal result, as "unremarkable" is.
    typed_tables.append_row("clinical_events", {
        "event_id": "ev-infection-workup", "case_id": "baur-2022-jitc-1", "event_type": "infection",
        "certainty": certainty, "description": "infection work-up", "timing_basis": "not_stated",
        "quote": "The work-up for infection was unrevealing", "locator_id": "main-p07"})
    findings = validate(typed_tables)
    if slip is None:
        assert not [finding for finding in coded(findings) if "ev-infection-workup" in finding.message], \
            error_lines(findings)
    else:
        assert_slip(findings, "clinical_events", "ev-infection-workup", "certainty", slip)


def test_the_negation_that_is_the_event_itself_is_not_a_cue(typed_tables):
    # "no drug-related side effects" is the event type's own written form, so asserted holds.
    assert not coded(validate(typed_tables))
    typed_tables.set_cell("clinical_events", "ev-dasatinib-tolerated", "certainty", "negated")
    assert_slip(validate(typed_tables), "clinical_events", "ev-dasatinib-tolerated", "certainty", "'negated'")


def test_a_field_source_removed_leaves_its_value_ungrounded(typed_tables):
    rows = typed_tables.read_rows("field_sources")
    typed_tables.write_rows("field_sources", [row for row in rows if row["row_id"] != "sched-dasatinib-1"])
    assert_slip(validate(typed_tables), "drug_schedules", "sched-dasatinib-1", "purpose", "'crs_icans_treatment'")


@pytest.mark.parametrize(("field", "value", "flagged", "said"), [
    ("row_id", "sched-no-such-row", "row_id", "has no row sched-no-such-row"),
    ("field", "dose_unit", "field", "is not a coded field"),
    ("value", "icans_treatment", "value", "holds 'crs_icans_treatment'"),
    ("quote", "the use of dasatinib", "quote", "is stated elsewhere, but the quote does not write it"),
])
def test_a_wrong_field_source_is_rejected(typed_tables, field, value, flagged, said):
    typed_tables.set_cell("field_sources", "fs-dasatinib-purpose", field, value)
    hits = [finding for finding in coded(validate(typed_tables), "field_sources") if finding.field == flagged]
    assert any(said in finding.message for finding in hits), [finding.message for finding in hits]


def test_an_implied_value_without_a_note_is_rejected(typed_tables):
    typed_tables.set_cell("field_sources", "fs-tisagenlecleucel-purpose", "note", "")
    [finding] = coded(validate(typed_tables))
    assert (finding.resource, finding.field) == ("field_sources", "note")


def test_a_second_source_for_one_field_is_rejected(typed_tables):
    source = dict(next(row for row in typed_tables.read_rows("field_sources")
                       if row["field_source_id"] == "fs-dasatinib-purpose"))
    source["field_source_id"] = "fs-dasatinib-purpose-again"
    typed_tables.append_row("field_sources", {name: value for name, value in source.items() if name != "_row"})
    [finding] = coded(validate(typed_tables))
    assert (finding.resource, finding.field) == ("field_sources", "field")


def test_a_code_meaning_not_stated_needs_no_words(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-siltuximab-1", "frequency", "not_stated")
    typed_tables.set_cell("drug_schedules", "sched-siltuximab-1", "route", "not_stated")
    assert not coded(validate(typed_tables))


def test_a_code_without_written_forms_is_reported_as_such(typed_tables):
    for row in typed_tables.read_rows("routes"):
        if row["route"] == "oral":
            row["written_forms"] = None
    typed_tables.set_cell("drug_schedules", "sched-levetiracetam-1", "route", "oral")
    [finding] = coded(validate(typed_tables))
    assert "has no written forms" in finding.message


# ---------------------------------------------------------------------------------------------
# quote-agreement reads the number inside a frequency (issue 19).

def test_the_number_of_a_frequency_is_the_frequencys(typed_tables):
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-3", "frequency", "every_6_hours")
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-3", "quote", "dexamethasone ... 40 mg every 6 hours")
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-3", "dose_unit", "mg")
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-3", "timing_basis", "implied")
    findings = [finding for finding in validate(typed_tables)
                if finding.rule in ("quote-agreement", RULE) and "sched-dexamethasone-3" in finding.message]
    assert not findings, [finding.message for finding in findings]
    typed_tables.set_cell("drug_schedules", "sched-dexamethasone-3", "frequency", "every_8_hours")
    findings = validate(typed_tables)
    assert_slip(findings, "drug_schedules", "sched-dexamethasone-3", "frequency", "'every 6 hours' (every_6_hours)")
    assert any(finding.rule == "quote-agreement" and "states 6" in finding.message for finding in findings)


# ---------------------------------------------------------------------------------------------
# The three fixture cases: each slip class planted inside a case fires for that case only.

FIXTURE_PLANTS = {
    "koike-2024-bct": [
        ("clinical_events", "event_id", "koike-ev-encephalitis", {"certainty": "asserted"}, "certainty"),
        ("clinical_events", "event_id", "koike-ev-first-mri-normal", {"certainty": "asserted"}, "certainty"),
        ("clinical_events", "event_id", "koike-ev-death", {"certainty": "negated"}, "certainty"),
        ("toxicity_grades", "grade_id", "koike-tg-crs", {"grading_system": "astct-2019"}, "grading_system"),
        ("drug_schedules", "schedule_id", "koike-sched-tocilizumab-1", {"purpose": "neurotoxicity_treatment"},
         "purpose"),
        ("drug_schedules", "schedule_id", "koike-sched-g-csf-1", {"drug_id": "prednisolone"}, "drug_id"),
        ("drug_schedules", "schedule_id", "koike-sched-tocilizumab-1", {"frequency": "daily"}, "frequency"),
        ("clinical_events", "event_id", "koike-ev-hydrocephalus", {"event_type": "encephalitis"}, "event_type"),
    ],
    "reveron-thornton-2021-neurohospitalist": [
        ("clinical_events", "event_id", "reveron-ev-complete-response", {"event_type": "partial_remission"},
         "event_type"),
        ("clinical_events", "event_id", "reveron-ev-no-further-seizures", {"certainty": "asserted"}, "certainty"),
        ("drug_schedules", "schedule_id", "reveron-sched-midazolam-1", {"frequency": "daily"}, "frequency"),
        ("drug_schedules", "schedule_id", "reveron-sched-levetiracetam-1", {"purpose": "seizure"}, "purpose"),
        ("drug_schedules", "schedule_id", "reveron-sched-lorazepam-1", {"route": "intravenous"}, "route"),
        ("observations", "observation_id", "reveron-obs-periodic-discharges-high", {"analyte_id": "deauville-score"},
         "analyte_id"),
        ("toxicity_grades", "grade_id", "reveron-tg-neurotoxicity", {"syndrome": "icans"}, "syndrome"),
        ("toxicity_grades", "grade_id", "reveron-tg-neurotoxicity", {"grading_system": "ctcae-v5.0"},
         "grading_system"),
    ],
    "xiao-plasma-exchange-crs": [
        ("clinical_events", "event_id", "xiao-ev-icu-transfer", {"event_type": "ward_transfer"}, "event_type"),
        ("drug_schedules", "schedule_id", "xiao-sched-dexamethasone-1", {"frequency": "every_8_hours"}, "frequency"),
        ("drug_schedules", "schedule_id", "xiao-sched-fresh-frozen-plasma-1", {"frequency": "continuous_infusion"},
         "frequency"),
        ("clinical_events", "event_id", "xiao-ev-mrd-negative", {"certainty": "asserted"}, "certainty"),
        ("clinical_events", "event_id", "xiao-ev-crs", {"certainty": "negated"}, "certainty"),
        ("drug_schedules", "schedule_id", "xiao-sched-dexamethasone-1", {"route": "oral"}, "route"),
        ("drug_schedules", "schedule_id", "xiao-sched-tocilizumab-1", {"purpose": "icans_treatment"}, "purpose"),
        ("stated_summaries", "summary_id", "xiao-ss-plasma-exchange-duration", {"drug_id": "dexamethasone"},
         "drug_id"),
    ],
    "two-dlbcl-it-chemo-case1": [
        ("toxicity_grades", "grade_id", "itc1-tg-icans-day-2", {"grading_system": "ctcae-v5.0"}, "grading_system"),
        ("toxicity_grades", "grade_id", "itc1-tg-crs-day-5", {"syndrome": "icans"}, "syndrome"),
        ("drug_schedules", "schedule_id", "itc1-sched-r-gemox-1", {"drug_id": "r-chop"}, "drug_id"),
        ("drug_schedules", "schedule_id", "itc1-sched-axicabtagene-ciloleucel-1", {"drug_id": "tisagenlecleucel"},
         "drug_id"),
        ("clinical_events", "event_id", "itc1-ev-mri-normal", {"certainty": "asserted"}, "certainty"),
        ("clinical_events", "event_id", "itc1-ev-lumbar-puncture", {"event_type": "seizure"}, "event_type"),
        ("observations", "observation_id", "itc1-obs-csf-opening-pressure", {"analyte_id": "crp"}, "analyte_id"),
    ],
    "tcell-rich-dlbcl-hlh-case1": [
        ("clinical_events", "event_id", "tcrl-ev-hlh-suspected", {"certainty": "asserted"}, "certainty"),
        ("clinical_events", "event_id", "tcrl-ev-no-response", {"certainty": "asserted"}, "certainty"),
        ("clinical_events", "event_id", "tcrl-ev-death", {"event_type": "autopsy"}, "event_type"),
        ("drug_schedules", "schedule_id", "tcrl-sched-cyclophosphamide-1", {"drug_id": "fludarabine"}, "drug_id"),
        ("drug_schedules", "schedule_id", "tcrl-sched-cyclophosphamide-1", {"purpose": "bridging_therapy"},
         "purpose"),
        ("drug_schedules", "schedule_id", "tcrl-sched-tocilizumab-1", {"purpose": "hlh_treatment"}, "purpose"),
        ("observations", "observation_id", "tcrl-obs-neoplastic-lymphocytes", {"analyte_id": "ferritin"},
         "analyte_id"),
    ],
    "blood-2022-csf-hemophagocytosis": [
        ("clinical_events", "event_id", "blood-ev-brain-mri", {"certainty": "asserted"}, "certainty"),
        ("drug_schedules", "schedule_id", "blood-sched-dexamethasone-1", {"route": "intrathecal"}, "route"),
        ("drug_schedules", "schedule_id", "blood-sched-dexamethasone-1", {"frequency": "every_8_hours"}, "frequency"),
        ("drug_schedules", "schedule_id", "blood-sched-methotrexate-1", {"drug_id": "cytarabine"}, "drug_id"),
        ("drug_schedules", "schedule_id", "blood-sched-cytarabine-1", {"route": "intravenous"}, "route"),
        ("observations", "observation_id", "blood-obs-ferritin-peak", {"analyte_id": "crp"}, "analyte_id"),
        ("toxicity_grades", "grade_id", "blood-tg-icans-day-13", {"syndrome": "crs"}, "syndrome"),
        ("clinical_events", "event_id", "blood-ev-word-finding-difficulty", {"event_type": "seizure"}, "event_type"),
    ],
}


def test_fixture_plants_cover_the_three_cases():
    assert set(FIXTURE_PLANTS) == set(SLUGS)


@pytest.mark.parametrize("slug,plant", [(slug, plant) for slug in SLUGS for plant in FIXTURE_PLANTS[slug]],
                         ids=lambda value: value if isinstance(value, str) else f"{value[2]}-{value[4]}")
def test_a_coded_slip_inside_a_fixture_case_is_rejected(slug, plant, combined, typed):  # noqa: F811
    resource, key, row_key, values, field = plant
    tables, descriptor = typed
    findings = run_rules_on(combined.root, planted(tables, resource, key, row_key, **values), descriptor)
    hits = [finding for finding in coded(findings, resource) if finding.field == field and row_key in finding.message]
    assert hits, error_lines(findings)
    assert all(finding.case_id == case_id(slug) for finding in hits)
    others = {finding.case_id for finding in not_known(findings)} - {case_id(slug)}
    assert not others, error_lines(findings)


def test_the_q6h_of_a_fixture_is_named_when_the_frequency_slips(combined, typed):  # noqa: F811
    tables, descriptor = typed
    findings = run_rules_on(combined.root, planted(tables, "drug_schedules", "schedule_id",
                                                   "xiao-sched-dexamethasone-1", frequency="every_8_hours"), descriptor)
    assert_slip(findings, "drug_schedules", "xiao-sched-dexamethasone-1", "frequency", "'q6h' (every_6_hours)")


def test_no_fixture_case_has_a_coded_words_finding(combined, typed):  # noqa: F811
    tables, descriptor = typed
    assert not coded(run_rules_on(combined.root, tables, descriptor))


# ---------------------------------------------------------------------------------------------
# How a written form is matched.

@pytest.mark.parametrize(("forms", "text", "found"), [
    ("intubation|intubated", "the patient could be extubated after extubation", False),
    ("intubation", "requiring protective intubation", True),
    ("daily|/day|/d", "100mg/day for 7 days", True),
    ("/d", "10 mg/dL", False),
    ("ICU|intensive care unit", "He was transferred to the Intensive Care Unit", True),
    ("ICU", "an icu bed", False),
    ("AC", "after undergoing AC infusion", True),
    ("AC", "a vacancy", False),
    ("ferritin", "Ferritin rose", True),
    ("IL-6", "interleukin-6 (IL-6) blockade", True),
    ("CRP", "crp levels", False),
    ("μg/L", "77,945 $\\mu$ g/L", True),  # found after normalisation
    ("via a nasogastric tube", "via a  nasogastric\u00a0tube", True),  # found after normalisation
])
def test_written_forms_match_whole_words_and_abbreviations_in_their_own_case(forms, text, found):
    forms = written_forms(forms)
    assert CodeForms(forms).found_in([text]) is found
    assert (code_pattern(tuple(forms)).search(normalise(text)) is not None) is found  # the pattern agrees


# The quick search (str.find with boundary and case checks) finds a code exactly where the
# plain regular expression of its forms does.
_FORMS = ["ICU", "intensive care unit", "/day", "q6h", "IL-6", "no", "i.v.", "CAR T-cells", "Deauville", "did not"]
_PIECES = [*_FORMS, "icu", "Icu", "intensive Care unit", "mg", "/", "-", " ", "\n", "(", ")", ".", "_", "x", "day",
           "ion", "not", "Ω", "é", "İ", "ẞ", "6", "il"]


@settings(max_examples=examples(400), deadline=None)
@given(forms=st.lists(st.sampled_from(_FORMS), min_size=1, max_size=4, unique=True),
       pieces=st.lists(st.sampled_from(_PIECES), max_size=12))
def test_the_quick_search_finds_what_the_pattern_finds(forms, pieces):
    text = "".join(pieces)
    quick = CodeForms(forms).find(text)
    match = code_pattern(tuple(forms)).search(text)
    assert (quick is not None) is (match is not None), (forms, text, quick, match)


@pytest.mark.parametrize("text,found", [
    ("high values of IL-15, IL-1β, GM-CSF and IL-6", None),  # GM-CSF is a cytokine, not the CSF
    ("despite G-CSF treatment", None),
    ("cerebrospinal fluid (CSF) analysis", "CSF"),
    ("post-CSF analysis", "CSF"),
    ("ẞ-CSF", "CSF"),  # only an ASCII capital or digit before the hyphen makes a compound, as in the pattern
    ("É-CSF", "CSF"),
    ("٣-CSF", "CSF"),
])
def test_an_abbreviation_is_not_found_at_the_end_of_a_longer_one(text, found):
    assert CodeForms(("CSF",)).find(text) == found
    match = code_pattern(("CSF",)).search(text)
    assert (match.group(0) if match else None) == found


def test_a_cytokine_named_gm_csf_is_not_read_as_a_cerebrospinal_fluid_finding(combined, typed):  # noqa: F811
    from test_fixture_cases import without_row

    tables, descriptor = typed
    unsourced = without_row(tables, "field_sources", "field_source_id", "tcrl-fs-cytokines-high-event-type")
    hits = [finding for finding in coded(run_rules_on(combined.root, unsourced, descriptor), "clinical_events")
            if "tcrl-ev-cytokines-high" in finding.message]
    assert [finding.field for finding in hits] == ["event_type"], error_lines(hits)
    assert "csf_abnormality" not in hits[0].message and "is not written in the words" in hits[0].message
