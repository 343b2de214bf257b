"""Units whose meaning the rules must take from UCUM, not assume: time units added to the
vocabulary, doses in a unit that does not convert to their limit's, and unit codes too long to parse."""
from __future__ import annotations

import time

import pytest

from casekit import ucum
from casekit.validation.report import Report, format_text
from rules_support import validate
from validator_checks import findings_of

SECONDS_PER_YEAR = 365.25 * 86400


def add_time_unit(tables, code: str) -> None:
    tables.append_row("units", {"unit": code, "kind": "time", "written_forms": code, "label": code,
                                "definition": "a unit of time", "source": "UCUM"})


def test_a_megasecond_time_is_counted_in_days_and_bounded_by_follow_up(typed_tables):
    add_time_unit(typed_tables, "Ms")
    # 3,629 Ms is 115 years after the infusion: far past the two years of follow-up.
    years = round(3629e6 / SECONDS_PER_YEAR)
    assert years == 115
    typed_tables.set_cell("observations", "obs-car-t-2-years", "time_unit", "Ms")
    typed_tables.set_cell("observations", "obs-car-t-2-years", "time_earliest", "3629")
    typed_tables.set_cell("observations", "obs-car-t-2-years", "time_latest", "3629")
    findings = [f for f in validate(typed_tables) if f.rule == "within-follow-up"]
    assert [(f.resource, f.field) for f in findings] == [("observations", "time_earliest")]
    assert "3629 Ms after the infusion, after the end of follow-up" in findings[0].message


def test_the_same_time_within_follow_up_in_megaseconds_passes(typed_tables):
    add_time_unit(typed_tables, "Ms")
    typed_tables.set_cell("observations", "obs-car-t-2-years", "time_unit", "Ms")
    typed_tables.set_cell("observations", "obs-car-t-2-years", "time_earliest", "60")
    typed_tables.set_cell("observations", "obs-car-t-2-years", "time_latest", "60")
    assert [f for f in validate(typed_tables) if f.rule == "within-follow-up"] == []


@pytest.mark.parametrize("code", ["mg", "{beats}", "Ms/s", "not-a-unit"])
def test_a_time_unit_ucum_does_not_convert_to_days_is_an_error(typed_tables, code):
    if code != "mg":
        add_time_unit(typed_tables, code)
    typed_tables.set_cell("clinical_events", "ev-fever", "time_unit", code)
    findings = [f for f in validate(typed_tables) if f.rule == "within-follow-up"]
    assert [(f.resource, f.field) for f in findings] == [("clinical_events", "time_unit")]
    assert "is not a unit of time UCUM converts to days" in findings[0].message


def test_the_day_table_agrees_with_ucum():
    from casekit.validation.rules._common import DAYS_PER_UNIT

    for unit, days in DAYS_PER_UNIT.items():
        assert ucum.convert(1.0, unit, "d") == pytest.approx(float(days), rel=1e-12)


def test_a_dose_in_a_unit_that_does_not_convert_to_its_limit_is_an_error(typed_tables):
    # mL and mg are both doses in the vocabulary, but a volume is no mass: the limit could never apply.
    typed_tables.set_cell("drug_schedules", "sched-tocilizumab-1", "dose_unit", "mL")
    findings = [f for f in validate(typed_tables) if f.rule == "dose-limits"]
    assert any(f.field == "dose_value" and f.observed == "mL"
               and "cannot be compared with the limit tocilizumab-label-per-infusion in mg" in f.message
               for f in findings), [f.message for f in findings]


def test_a_unit_code_too_long_to_parse_is_refused_at_once():
    started = time.process_time()
    with pytest.raises(ucum.UnitError, match="characters long"):
        ucum.convert(1.0, "m." * 8000, "d")
    assert time.process_time() - started < 0.5


def test_a_sixteen_thousand_character_unit_in_the_package_is_judged_at_once(package):
    unit = "m." * 8000
    package.append_row("units", {"unit": unit, "kind": "measurement", "written_forms": "m", "label": "metre",
                                 "definition": "a long unit", "source": "UCUM"}, refresh_hashes=False)
    package.set_cell("observations", "obs-crp-baseline", "unit", unit)
    started = time.process_time()
    findings = findings_of(package)
    assert time.process_time() - started < 5.0
    kinds = [f for f in findings if f.rule == "vocabulary-kind"]
    assert [(f.path, f.row, f.field) for f in kinds] == [("data/observations.csv", 2, "unit")]
    # The 16,000 characters are echoed cut short: a report line stays readable.
    assert all(len(line) < 1_500 for line in format_text(Report(findings=findings)).splitlines())
