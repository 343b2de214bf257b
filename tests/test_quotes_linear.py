"""Text normalisation runs in time linear in the text, with the verdicts of the patterns it replaced.

Before issue 18, `<sup>` followed by 20,000 spaces took normalise() 30 s, and a run of
underscores 26 s: the patterns retried a long run from each of its positions. The
rewritten patterns (possessive runs, or a lookbehind that lets a run be tried only from its
start) are compared here with the originals on generated text built from the characters
that make them delicate, and timed on long runs.
"""
from __future__ import annotations

import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from casekit.quotes import normalise as normalise_module
from casekit.quotes.numbers import numbers

# The patterns as they were before issue 18 (backtracking, but right): the reference verdicts.
ORIGINAL = {
    "_SUP_TAG": re.compile(r"<sup>\s*([^<]{0,40}?)\s*</sup>", re.IGNORECASE),
    "_EMPHASIS": re.compile(r"\*+|(?<!\w)_+|_+(?!\w)"),
    "_BEFORE_CLOSING": re.compile(r"\s+\)"),
    "_AROUND_SLASH": re.compile(r"\s*/\s*"),
}
PIECES = ["<sup>", "</sup>", "<SUP>", "</Sup>", "<", "_", "__", "*", " ", "  ", "\u00a0", "\u2009", "\t", "\n", "/",
          ")", "(", "a", "é", "1", "2", "x", "$", ".", "-", "μ"]
TEXTS = st.one_of(st.lists(st.sampled_from(PIECES), max_size=20).map("".join), st.text(max_size=30))


def replacement(match: re.Match) -> str:
    return "[" + "|".join(group or "" for group in match.groups()) + "]"


@pytest.mark.parametrize("name", sorted(ORIGINAL))
@settings(max_examples=examples(150), deadline=None)
@given(text=TEXTS)
@example(text="/ /")
@example(text="a ) )")
@example(text="a_ _b__c")
@example(text="<sup> 2 </sup><sup>   </sup>")
def test_each_linear_pattern_finds_what_the_original_found(name, text):
    ours = getattr(normalise_module, name)
    assert ours.sub(replacement, text) == ORIGINAL[name].sub(replacement, text)


@pytest.mark.parametrize("text", [
    "<sup>" + " " * 100_000 + "x",
    "<SUP>" + "\u00a0" * 100_000 + "x</sup",
    "a" + "_" * 100_000 + "b",
    "a_" * 50_000,
    "x" + " " * 100_000 + "/y",
    "(" + " " * 100_000 + "x",
    "a _ " * 25_000 + " )",
    ",000" * 25_000 + "x",
    "(1-1" * 25_000,
])
def test_long_runs_are_normalised_and_read_in_linear_time(text):
    started = time.process_time()
    numbers(text)
    assert time.process_time() - started < 2.0
