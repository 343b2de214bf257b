"""The normalisation and number reading that quote-agreement and source-text rely on."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from casekit.quotes.normalise import normalise
from casekit.quotes.numbers import values
from casekit.quotes.passages import blocks, missing_fragment, passage
from casekit.quotes.source_files import MAX_BYTES, texts_by_sha256
from casekit.quotes.units import is_written, written_forms

ARTICLE_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "source"


@pytest.mark.parametrize(("written", "normal"), [
    ("2598  $\\mu$ g/L", "2598 μg/L"),
    ("1064cells/ $\\mu$ L", "1064cells/μL"),
    ("2598 \u00b5g/L", "2598 μg/L"),
    ("( $3.9 \\times 10^8$  CAR", "(3.9 × 10^8 CAR"),
    ("3.9 x 10^8", "3.9 × 10^8"),
    ("1 x 10(6) cells", "1 × 10^6 cells"),
    ("3.9×10<sup>8</sup>", "3.9 × 10^8"),
    ("25 mg/m<sup>2</sup>", "25 mg/m2"),
    ("25 mg/m²", "25 mg/m2"),
    ("Holbro<sup>1,2</sup>", "Holbro^1,2"),
    ("*et al* and **10**", "et al and 10"),
    ("days 3\u20134", "days 3-4"),
    ("day \u22124 \u2014 day\u00a0-2", "day -4 - day -2"),
    ("2598\u2009\u202fμg/L", "2598 μg/L"),
    ("a  \n b\u200b", "a b"),
    # plain ASCII text passes only the steps whose characters it holds: each one still applies
    ("2x10^9/L", "2 × 10^9/L"),
    ("( 5 mg )", "(5 mg)"),
    ("_bold_ text", "bold text"),
    ("5 μ g", "5 μg"),
    ("a\u00adb", "ab"),
    ("<i>x</i> y", "x y"),
    ("m^2 and m^3", "m2 and m3"),
    ("x 10 / kg", "x 10/kg"),
])
def test_normalise_gives_one_written_form(written, normal):
    assert normalise(written) == normal


@pytest.mark.parametrize(("phrase", "numbers"), [
    ("a maximum of 77,945  $\\mu$ g/L", ["77945"]),
    ("\u017fix doses", []),  # long s: case folding matches "six", but it is no number word (was a crash)
    ("15,777ng/L (normal range <7ng/L)", ["15777", "7"]),
    ("values 1,064, 2,598.5 and 3,4", ["1064", "2598.5", "3", "4"]),
    ("Tisagenlecleucel ( $3.9 \\times 10^8$  CAR positive viable T-cells", ["390000000"]),
    ("1 x 10(6) cells", ["1000000"]),
    ("platelets 50 × 10^9/L", ["50"]),
    ("dexamethasone intravenously (40mg/day, days 3–4, 80mg/day, days 5–8)", ["40", "3", "4", "80", "5", "8"]),
    ("normal range 30–300 μg/L", ["30", "300"]),
    ("days 3 - 4", ["3", "4"]),
    ("Tocilizumab (8mg/kg, 700mg)", ["8", "700"]),
    ("with 2L oxygen requirement", ["2"]),
    ("within 48h hours", ["48"]),
    ("Five doses of tocilizumab", ["5"]),
    ("four further doses", ["4"]),
    ("one dose of siltuximab", ["1"]),
    ("a single dose", ["1"]),
    ("twelve cycles", ["12"]),
    ("ICANS Grade IV", ["4"]),
    ("CRS grade 3", ["3"]),
    ("Lugano stage IV", []),
    ("a patient in their late 60s", ["60", "69"]),
    ("fludarabine 25 mg/m<sup>2</sup> (day -4 to day -2)", ["25", "-4", "-2"]),
    ("(day −4 to day −3)", ["-4", "-3"]),
    ("interleukin-6 (IL-6), anti-IL-6, Interleukin-1 (IL1)", []),
    ("CD4/CD8 ratio 0.47", ["0.47"]),
    ("Human CD19 (20-291) Protein, Fc Tag (Cat. No. AMS.CD9-HP254", []),
    ("7-AAD for live/dead staining", []),
    ("CD3 FITC, CD2 PE-Cy7, CD4 V450", []),
    ("results.<sup>2</sup> and Holbro<sup>1,2</sup>", []),
    ("fever of 38.1°C", ["38.1"]),
    ("80% cell viability, 13.9% CAR positive", ["80", "13.9"]),
    ("0.1% of CD3+T cells", ["0.1"]),
    ("Accepted 08 November 2022", ["8", "2022"]),
    ("on day 23.", ["23"]),
])
def test_numbers_are_read_as_a_curator_reads_them(phrase, numbers):
    assert values(phrase) == [Decimal(number) for number in numbers]


def test_unit_forms_match_whole_units_only():
    assert written_forms("mg/day|mg/d") == ["mg/day", "mg/d"]
    assert written_forms("") == []
    assert is_written(["mg"], "Tocilizumab (8mg/kg, 700mg)")
    assert not is_written(["mg"], "Tocilizumab (8mg/kg)")
    assert is_written(written_forms("mg/kg"), "(8mg/kg, 700mg)")
    assert is_written(written_forms("μg/L|ug/L"), "2598  $\\mu$ g/L")
    assert is_written(written_forms("µg/L"), "2598 μg/L")
    assert is_written(written_forms("cells/μL"), "1064cells/ $\\mu$ L")
    assert is_written(written_forms("mg/m2|mg/m²"), "25 mg/m<sup>2</sup>")
    assert is_written(written_forms("month|months"), "1.56 cells/μL after 6 months")
    assert not is_written(written_forms("day|days"), "1.56 cells/μL after 6 months")
    assert is_written(written_forms("day|days"), "On Day 5")
    assert is_written(written_forms("h|hour|hours"), "within 48h hours")
    assert not is_written(written_forms("d"), "dexamethasone")


ARTICLE = """# A title

We present a patient with a value of 19.5 mg/L and

Footer text of the page.

**Figure 1** Course of the values. Five doses were given between days 1 and 4.

ferritin was 2598 $\\mu$ g/L before therapy.

On the same day, something happened.<sup>3</sup>

later words in lower case that do not continue a closed paragraph.
"""


def test_a_paragraph_broken_by_a_figure_continues_at_the_next_lower_case_block():
    found = passage(blocks(ARTICLE), "We present a patient")
    assert found == "We present a patient with a value of 19.5 mg/L and ferritin was 2598 μg/L before therapy."


def test_a_closed_paragraph_does_not_borrow_the_next_lower_case_block():
    assert passage(blocks(ARTICLE), "On the same day") == "On the same day, something happened.^3"


def test_a_legend_is_found_after_its_figure_label_and_only_for_its_figure():
    assert passage(blocks(ARTICLE), "Course of the values", 1).startswith("Figure 1 Course of the values.")
    assert passage(blocks(ARTICLE), "Course of the values", 2) is None
    assert passage(blocks(ARTICLE), "Words that are nowhere") is None


def test_fragments_must_occur_in_order():
    text = passage(blocks(ARTICLE), "We present a patient")
    assert missing_fragment("a value of 19.5 mg/L ... ferritin was 2598 µg/L", text) is None
    assert missing_fragment("ferritin was 2598 µg/L ... a value of 19.5 mg/L", text) == "a value of 19.5 mg/L"
    assert missing_fragment("a value of 15.9 mg/L", text) == "a value of 15.9 mg/L"


def test_source_files_are_known_by_sha256_and_never_followed_out_of_the_folder(tmp_path):
    import hashlib

    outside = tmp_path / "outside.md"
    outside.write_text("secret", encoding="utf-8")
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "article.md").write_text("article", encoding="utf-8")
    (folder / "link.md").symlink_to(outside)
    (folder / ".hidden.md").write_text("hidden", encoding="utf-8")
    (folder / "big.md").write_bytes(b"x" * (MAX_BYTES + 1))
    found = texts_by_sha256(folder)
    assert found == {hashlib.sha256(b"article").hexdigest(): b"article"}


@pytest.mark.skipif(not ARTICLE_FOLDER.is_dir(), reason="the article text is not distributed with the package")
def test_every_paragraph_of_the_real_article_is_found_by_its_opening_words():
    import csv

    text = next(ARTICLE_FOLDER.glob("*.md")).read_text(encoding="utf-8")
    article = blocks(text)
    locators = csv.DictReader((Path(__file__).resolve().parent.parent / "data" / "locators.csv").open(encoding="utf-8"))
    for locator in locators:
        assert passage(article, locator["opening_words"], locator["figure"]), locator["locator_id"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis_budget import examples  # noqa: E402


@settings(max_examples=examples(100), deadline=None)
@given(number=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       thousands=st.booleans(), unit=st.sampled_from(["", " ", "mg", " mg/L", "cells/ $\\mu$ L", "%"]),
       space=st.sampled_from([" ", "\u00a0", "\u2009", "\u202f"]))
def test_any_number_as_an_article_writes_it_reads_back_exactly(number, thousands, unit, space):
    written = f"{number:,f}" if thousands else f"{number:f}"
    assert values(f"was{space}{written}{unit} on") == [number]


@pytest.mark.parametrize("hostile", ["a" * 50000, "a." * 25000, "(1-2) " * 10000, "μ " * 25000, "<sup>a" * 10000])
def test_a_long_hostile_quote_is_read_in_linear_time(hostile):
    import time

    started = time.perf_counter()
    values(hostile)
    is_written(["mg/day"], hostile)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("phrase, expected", [
    ("10^2101010 copies", [Decimal("1E+2101010")]),  # past the default Decimal context's largest exponent
    ("10^-2000000 mg/L", [Decimal("1E-2000000")]),  # past its smallest: once read as 0
    ("10^" + "0" * 4400 + "1", [Decimal(10)]),  # more digits than int() reads
    ("0 x 10(6)101010", [Decimal(0)]),
    ("1.2345678901234567890123456789 × 10^2", [Decimal("123.45678901234567890123456789")]),  # not rounded
    ("10^" + "9" * 5000, []),  # an exponent no Decimal can hold states no number; it does not crash
])
def test_powers_of_ten_are_exact_and_never_overflow(phrase, expected):
    assert values(phrase) == expected


@pytest.mark.parametrize("phrase,expected", [
    ("ſix days", []),  # long s: folds to "six" under Unicode case folding, yet writes no number word
    ("ſIX doses and six more", [Decimal(6)]),
    ("fıve days", []),  # dotless i
    ("SIX days", [Decimal(6)]),
])
def test_a_word_that_only_case_folding_makes_a_number_word_is_read_as_no_number(phrase, expected):
    assert values(phrase) == expected
