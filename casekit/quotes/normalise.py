"""One written form for article text and quotes, so that typography never decides a comparison.

Applied identically to both sides, in this order:
- LaTeX inline maths is unwrapped: `$\\mu$` -> μ, `$3.9 \\times 10^8$` -> 3.9 × 10^8;
- the micro sign µ (U+00B5) becomes the Greek μ (U+03BC);
- scientific notation: ×, `\\times`, x or X between a number and 10 become ×, and `10(6)` after × becomes 10^6;
- superscripts: `<sup>2</sup>`, ² and ³ become ^2, ^3; a ^2 or ^3 after a letter loses its ^,
  so `m<sup>2</sup>`, m² and m2 are one form (mg/m2), while footnote marks such as ^1,2 stay
  marked; other tags are dropped;
- markdown emphasis (`*`, `**`, and `_` at a word edge) is dropped;
- en dash, em dash, figure dash and minus sign become a hyphen;
- thin, no-break, narrow no-break and other Unicode spaces become a plain space, zero-width
  characters vanish, every whitespace run becomes one space; no space after "(" or before ")",
  none around "/" or after μ before a letter.
"""
from __future__ import annotations

import functools
import re

_MATH = re.compile(r"\$([^$]{0,200})\$")
_LATEX = {r"\times": " × ", r"\mu": "μ", r"\cdot": " × ", r"\%": "%", r"\,": " ", r"\;": " ", r"\ ": " "}
_SUPERSCRIPT_CHARS = {"²": "^2", "³": "^3", "¹": "^1"}
# Every pattern runs in time linear in the text: a possessive `*+` or a lookbehind that lets a run
# be tried only from its start keeps the engine from retrying a long run of spaces or underscores
# from each of its positions (`<sup>` and 20,000 spaces took 30 s; a run of underscores 26 s). The
# spaces around a superscript never need giving back (the next character is "<" or not a space).
_SUP_TAG = re.compile(r"<sup>\s*+([^<]{0,40}?)\s*+</sup>", re.IGNORECASE)
_OTHER_TAG = re.compile(r"</?(?:sub|sup|i|b|em|strong|span)[^>]{0,80}>", re.IGNORECASE)
_TIMES = re.compile(r"(?<=\d)\s*(?:×|[xX])\s*(?=10(?:\^|\(|\b))")
_POWER_IN_PARENTHESES = re.compile(r"× 10\((-?\d+)\)")
_LETTER_POWER = re.compile(r"(?<=[A-Za-zμ])\^(?=[23](?![\d,]))")
# A run of underscores is dropped when a non-word character (or an end) is on either side of it; the
# third branch is tried only at a run's first underscore (a later one has "_" behind it).
_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|(?<!_)_++(?!\w)")
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
_AFTER_OPENING = re.compile(r"\(\s+")
_BEFORE_CLOSING = re.compile(r"(?<!\s)\s++\)")
_AROUND_SLASH = re.compile(r"(?:(?<!\s)\s++)?/\s*")
_AFTER_MICRO = re.compile(r"μ\s+(?=[A-Za-z])")


@functools.lru_cache(maxsize=8192)  # the same quotes and passages are compared again and again
def normalise(text: str) -> str:
    """The comparable form of `text` (see the module's docstring for every step).

    Each step runs only if the text holds a character the step acts on (a "$" for LaTeX, a
    "<" for tags, a non-ASCII character for superscripts, dashes and zero-width characters,
    ...): the steps and their order are unchanged, and most quotes skip most of them.
    """
    if "$" in text:
        text = _MATH.sub(lambda match: _unlatex(match.group(1)), text)
    plain = text.isascii()
    if not plain:
        text = text.replace("\u00b5", "\u03bc")
    if "<" in text:
        text = _SUP_TAG.sub(lambda match: "^" + match.group(1), text)
        text = _OTHER_TAG.sub("", text)
    if not plain:
        for character, written in _SUPERSCRIPT_CHARS.items():
            text = text.replace(character, written)
        text = _ZERO_WIDTH.sub("", text)
    if "  " in text or not text.isprintable():  # every space but " " is unprintable: else nothing to do
        text = _SPACES.sub(" ", text)  # str.split's notion of space covers no-break, thin and narrow spaces
    if "10" in text:
        times = _TIMES.sub(" × ", text)
        if times != text:
            text = _SPACES.sub(" ", times)
        if "× 10(" in text:
            text = _POWER_IN_PARENTHESES.sub(r"× 10^\1", text)
    if "^" in text:
        text = _LETTER_POWER.sub("", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if not text.isascii():
        text = _DASHES.sub("-", text)
    # From here on the only space left is " " (the whitespace step made every run one " ").
    if "( " in text:
        text = _AFTER_OPENING.sub("(", text)
    if " )" in text:
        text = _BEFORE_CLOSING.sub(")", text)
    if " /" in text or "/ " in text:
        text = _AROUND_SLASH.sub("/", text)
    if "μ " in text:
        text = _AFTER_MICRO.sub("μ", text)
    if "  " in text or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())  # space runs to one space, none at either end (as \s+ and strip)
    return text


# normalise() without its memo, for texts that seldom repeat (every row's own quote, read once a run):
# remembering each would only cost a hash and an eviction.
normalise_uncached = normalise.__wrapped__


def _unlatex(maths: str) -> str:
    for command, written in _LATEX.items():
        maths = maths.replace(command, written)
    maths = re.sub(r"\^\{([^}]{0,20})\}", r"^\1", maths)
    return " " + maths.strip() + " "
