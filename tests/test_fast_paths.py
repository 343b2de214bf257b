"""Shortcuts taken for speed give exactly the verdicts of the plain checks they skip.

Each shortcut is judged against the plain path on generated input built from the
characters and phrases that make its argument delicate (line breaks, Unicode spaces,
case-folding letters, formula starts, number words, capital D before a digit).
"""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from casekit.quotes import normalise as normalise_module
from casekit.quotes import numbers as numbers_module
from casekit.validation import row_checks as row_checks_module

PIECES = ["a", "b", "A", "x", "X", "0", "1", "9", "10", " ", "  ", ".", ",", "-", "(", ")", "^", "/", "%", "s",
          "×", "μ", "\u00a0", "\u2009", "\u2028", "\u0085", "\t", "\n", "\x1f", "ſ", "\u212a", "İ", "ı", "٣", "é",
          "D", "D11", "ſix", "fıve", "day -4", "3 - 4", "grade IV", "Grade iv", "GRADE", "one", "Seven", "often", "single",
          "60s", "CD19", "IL-6", "x1.one", "(20-291)", "^1,2", "3-year", "7-AAD", "1,000.5", "=", "+", "@",
          "=SUM(A1)", "-4", "<sup>2</sup>", "$\\times$", " x 10(6)"]
PHRASES = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


@settings(max_examples=examples(150), deadline=None)
@given(text=st.one_of(PHRASES, st.text(max_size=40)))
def test_a_text_whose_spaces_are_single_plain_spaces_is_left_as_it_is_by_the_space_step(text):
    # normalise() skips the whitespace step when the text has no double space and is printable.
    if "  " not in text and text.isprintable():
        assert normalise_module._SPACES.sub(" ", text) == text


@pytest.mark.parametrize("written", ["a ×\t10(6)", "a ×\u00a010(6)", "a ×\u202f10(6)", "a ×\u200910(6)"])
def test_any_space_before_a_power_in_parentheses_is_one_space(written):
    assert normalise_module.normalise(written) == "a × 10^6"


@pytest.mark.parametrize("written, normal", [
    ("( 5 )", "(5)"), ("(\u00a05\t)", "(5)"), ("a / b", "a/b"), ("a /b", "a/b"), ("a/ b", "a/b"),
    ("μ g", "μg"), ("5 * 3", "5 3"), ("*5*", "5"), (" a ", "a"), ("a\u2009\u2009b", "a b"), ("_a_ b", "a b"),
])
def test_the_steps_after_the_space_step_see_single_plain_spaces(written, normal):
    # Each later step runs only if its text holds the spaces it removes; the last one only for
    # double spaces or spaces at an end.
    assert normalise_module.normalise(written) == normal


@settings(max_examples=examples(150), deadline=None)
@given(text=st.one_of(PHRASES, st.text(max_size=40)))
def test_normalised_text_has_single_plain_spaces_and_none_at_its_ends(text):
    normal = normalise_module.normalise(text)
    assert normal == " ".join(normal.split()) and "\n" not in normal


@settings(max_examples=examples(200), deadline=None)
@given(text=st.one_of(PHRASES, st.text(max_size=40)))
@example("3 ſix -4")  # a word token that states no number still ends a range: only the full scan sees it
@example("day D11 -4")
@example("x1.one 2")
@example("3 μg ſix -4")  # not ASCII, and a folding letter: the full scan
@example("weight 3 - 4 often")  # number words inside other words: the digit scan
@example("CD19 (D8) -4")
def test_the_digit_scan_finds_the_numbers_the_full_scan_finds(text):
    fast = numbers_module.numbers.__wrapped__(text)
    full_scan = numbers_module._DIGITS_AND_MARKS
    try:
        numbers_module._DIGITS_AND_MARKS = numbers_module._TOKEN
        plain = numbers_module.numbers.__wrapped__(text)
    finally:
        numbers_module._DIGITS_AND_MARKS = full_scan
    assert [(n.value, n.text) for n in fast] == [(n.value, n.text) for n in plain]


@settings(max_examples=examples(100), deadline=None)
@given(texts=st.lists(st.one_of(PHRASES, st.text(max_size=30), st.sampled_from(["\x00", "a\x00-4", "İ 3"])),
                      max_size=12))
@example(["3 -", "4", "-4 days", "(20-291)", "CD19 (20-291)", "one 2", "weight 3 - 4", "3 ſix -4", "D8 -4"])
@example(["grade 3 -4", "grade IV -4", "Grade iv", "grade  ii 2", "grade x1", "gradeIV 3", "grade VI-4", "agrade IV"])
def test_texts_read_together_give_what_each_gives_alone(texts):
    assert numbers_module.numbers_of(texts) == [numbers_module.numbers.__wrapped__(text) for text in texts]


@settings(max_examples=examples(200), deadline=None)
@given(text=st.one_of(PHRASES, st.text(max_size=40), st.text(alphabet="0123456789٣^(),.-s×x /10", max_size=30)))
@example("0s 60s 600S a0s .0s")
@example("10^3 ^10^3 a10^3 .10^3 110^3 (10^-3)")
@example("3.9 × 10^8/L 1 × 10^6 x3.9 × 10^8")
@example("1,000,000 12,34 1,234.5 -1,000 3-4 22-year-old 7-AAD")
@example("(20-291) CD19 (20-291) x^1,2 3^1,2 (^1 ٣0s ٣,000")
def test_the_digit_scan_taking_its_first_character_first_finds_the_tokens_as_written(text):
    # _DIGITS_AND_MARKS opens by taking a character (so the engine skips to candidates in C): each
    # kind after it must match exactly what the kind as written matches.
    def tokens(pattern):
        return [(match.span(), match.lastgroup, match["exponent"], match["unit_power"], match["power_exponent"],
                 match["hyphen_letter"]) for match in pattern.finditer(text)]
    assert tokens(numbers_module._DIGITS_AND_MARKS) == tokens(numbers_module._DIGITS_AND_MARKS_AS_WRITTEN)


def test_the_digit_scan_is_used_and_skips_letter_tokens():
    # Guards that the test above compares two different scans on ordinary quotes.
    assert numbers_module._DIGITS_AND_MARKS is not numbers_module._TOKEN
    assert not list(numbers_module._DIGITS_AND_MARKS.finditer("CD19 cells"))
    assert [m.lastgroup for m in numbers_module._TOKEN.finditer("CD19 cells")] == ["identifier"]


# --- the row screen --------------------------------------------------------------------------------

SCHEMA = {"fields": [
    {"name": "code", "type": "string", "constraints": {"pattern": "[a-z0-9-]+"}},
    {"name": "either", "type": "string", "constraints": {"pattern": "a|ab"}},
    {"name": "drug_id", "type": "string"},
    {"name": "kind", "type": "string", "constraints": {"enum": ["x", "=y"]}},
    {"name": "text", "type": "string"},
    {"name": "note", "type": "string"},
    {"name": "count", "type": "integer"},
    {"name": "amount", "type": "number"},
    {"name": "title", "type": "string", "constraints": {"required": True}},
    {"name": "day", "type": "string", "constraints": {"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}},
], "primaryKey": ["drug_id"]}
CELL_PIECES = ["a", "b", "ab", "x", "=y", "-", "0", "7", "=", "+", "-4", "@", "é", "μ", " ", "\n", "\t", "\x07",
               "\x85", "\u00a0", "\u200b", "=SUM(A1)", "+A1"]
NUMBER_CELLS = ["", "0", "7", "-3", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "1e400", "NaN", "INF", "-inf", "1.5", "12345678901234567890.5"]
TEXT_CELL = st.lists(st.sampled_from(CELL_PIECES), max_size=4).map("".join)
DATE_CELLS = ["", "2024-02-29", "2023-02-29", "2022-13-01", "2022-1-1", "x"]


def _errors(rows: list[list[str]], screened: bool, passed: list | None = None, schema: dict = SCHEMA) -> list[tuple]:
    """The errors of the validator's row checks on `rows`, with the screen or without it;
    `passed` gets the screen's verdict on each row."""
    from frictionless import Checklist, Resource, Schema

    from casekit.validation.keys import declared_keys

    keys = declared_keys({"resources": [{"name": "table", "schema": schema}]})
    screen = row_checks_module._Screen.passes

    def recorded(self, row):
        verdict = screen(self, row)
        if passed is not None:
            passed.append(verdict)
        return verdict

    try:
        row_checks_module._Screen.passes = recorded if screened else (lambda self, row: False)
        resource = Resource(name="table", data=[[f["name"] for f in schema["fields"]], *rows],
                            schema=Schema.from_descriptor(schema))
        report = resource.validate(Checklist(checks=[row_checks_module.row_checks(keys)]))
    finally:
        row_checks_module._Screen.passes = screen
    return sorted((error.type, getattr(error, "row_number", None), getattr(error, "field_name", None), error.note)
                  for error in report.task.errors)


@settings(max_examples=examples(50), deadline=None)
@given(rows=st.lists(st.tuples(TEXT_CELL, TEXT_CELL, TEXT_CELL, TEXT_CELL, TEXT_CELL, TEXT_CELL,
                               st.sampled_from(NUMBER_CELLS[:7]), st.sampled_from(NUMBER_CELLS),
                               TEXT_CELL, st.sampled_from(DATE_CELLS)),
                     min_size=1, max_size=4))
def test_the_row_screen_changes_no_finding(rows):
    rows = [list(row) for row in rows]
    assert _errors(rows, screened=True) == _errors(rows, screened=False)


@pytest.mark.parametrize("cell, column, rule", [
    ("a\n", "code", "identifier-form"), ("ab\u00e9", "drug_id", "identifier-form"), ("abx", "either", "identifier-form"),
    ("bell\x07", "text", "control-character"), ("=SUM(A1)", "note", "spreadsheet-formula"),
    ("9223372036854775808", "count", "number-overflow"), ("1e400", "amount", "number-overflow"),
    ("NaN", "amount", "number-overflow"), (" ", "title", "blank-text"), ("\u200b\u00a0", "title", "blank-text"),
    ("2023-02-29", "day", "calendar-date"),
])
def test_a_single_slipped_cell_is_not_screened_out(cell, column, rule):
    row = {"code": "a-1", "either": "ab", "drug_id": "d1", "kind": "=y", "text": "μ ok – 5", "note": "a -4",
           "count": "-9223372036854775807", "amount": "12345678901234567.5", "title": "a", "day": "2024-02-29"}
    passed: list[bool] = []
    assert _errors([list(row.values())], screened=True, passed=passed) == [] and passed == [True]
    row[column] = cell
    passed.clear()
    found = _errors([list(row.values())], screened=True, passed=passed)
    assert [(kind, field) for kind, _, field, _ in found] == [(rule, column)] and passed == [False]


def test_a_float_that_is_not_a_number_is_not_screened_out():
    # max() passes over a float NaN, so a table read as floats is judged cell by cell.
    schema = {"fields": [{"name": "ratio", "type": "number", "floatNumber": True},
                         {"name": "other", "type": "number", "floatNumber": True}]}
    found = _errors([["1.5", "NaN"], ["NaN", "1.5"]], screened=True, schema=schema)
    assert [(kind, row, field) for kind, row, field, _ in found] == [
        ("number-overflow", 2, "other"), ("number-overflow", 3, "ratio")]


# --- unit forms ------------------------------------------------------------------------------------

FORMS = ["mg", "mg/kg", "days", "day", "year", "μg/L", "×10^9/L", "%", "D#", "mg/m2", "cells/μL"]
UNIT_PIECES = [*FORMS, "D8", "22-", "(", "[", ">", "≤", "=", ",", ";", "-", "/", "^", "s", "S", "DAYS", "Mg", "8",
               " ", "a", "."]


@settings(max_examples=examples(120), deadline=None)
@given(text=st.lists(st.sampled_from(UNIT_PIECES), max_size=8).map("".join), form=st.sampled_from(FORMS))
def test_the_lookahead_before_a_unit_form_changes_no_match(text, form):
    from casekit.quotes.units import form_pattern

    pattern = form_pattern(form)
    lookahead = re.match(r"\(\?=(?:[^()\\]|\\.)*\)", pattern.pattern).group(0)
    plain = re.compile(pattern.pattern[len(lookahead):], pattern.flags)
    found, expected = pattern.search(text), plain.search(text)
    assert (found and found.span()) == (expected and expected.span())


@settings(max_examples=examples(150), deadline=None)
@given(parts=st.lists(st.lists(st.sampled_from(UNIT_PIECES), max_size=6).map("".join), min_size=1, max_size=3),
       forms=st.lists(st.sampled_from(FORMS), min_size=1, max_size=4, unique=True))
def test_one_search_of_the_joined_parts_finds_what_a_search_per_form_and_part_finds(parts, forms):
    # quote-agreement looks for a unit's forms in its quote and timing at once.
    from casekit.quotes.normalise import normalise
    from casekit.quotes.units import form_pattern, forms_pattern

    normals = [normalise(part) for part in parts]
    separately = any(form_pattern(form).search(normal) for form in forms for normal in normals)
    assert bool(forms_pattern(tuple(forms)).search("\n".join(normals))) is separately


def test_running_every_case_rule_on_one_case_before_the_next_gives_the_rule_by_rule_verdict(typed_tables):
    """run_rules runs the case rules case by case (what they share about a case is dropped after it);
    its findings, their order and the per-rule summary are those of running each rule alone."""
    from casekit.validation.rule_summary import RuleSummary
    from casekit.validation.rules import columns_needed, load_rulebook, run_rules, texts_needed
    from conftest import REPO

    # Errors for rules of both scopes, two of them reading the relations a case's rules share.
    typed_tables.set_cell("drug_schedules", "sched-tocilizumab-2", "start_earliest", "0")
    typed_tables.set_cell("toxicity_grades", "tg-icans", "icd10cm_code", "G92.03")
    typed_tables.set_cell("observations", "obs-ferritin-baseline", "value", "2599")
    tables = typed_tables.tables.compacted(columns_needed(), texts_needed())
    together, summary = RuleSummary(), RuleSummary()
    found = run_rules(REPO, tables, typed_tables.descriptor, summary=together)
    alone = []
    for rule in load_rulebook():
        alone += run_rules(REPO, tables, typed_tables.descriptor, rulebook=[rule], summary=summary)
    assert len({finding.rule for finding in found}) >= 3
    assert found == alone and together.as_dict() == summary.as_dict()
