"""The numbers a phrase states, read as a curator reads them (on normalised text).

Counting conventions:
- "77,945" is 77945, "1,000.5" is 1000.5 (a comma between digit groups of three separates thousands);
  "0.47" is 0.47; "08" is 8; "80%" is 80;
- "3.9 × 10^8" and "1 x 10(6)" are powers of ten (390000000, 1000000); in "50 × 10^9/L" the power
  belongs to the unit, so the number is 50;
- a range "days 3-4" or "30-300" states both ends, 3 and 4 (the hyphen is not a minus);
- "day -4" is -4: a hyphen after a space or "(" and not after a number is a minus;
- a number glued to its unit counts: "700mg", "2L", "48h", "1064cells";
- number words one to twelve and "single" are numbers (1 to 12, 1);
- a roman numeral after "grade" is a grade: "grade IV" is 4;
- a decade "60s" states its bounds, 60 and 69 ("late 60s" is no more precise than that);
- a number hyphenated to a unit of time counts: "22-year-old", "a 3-month interval", "10-day";
- "D11" is day 11 (the short form reports use after "day 8 (D8)"): a capital D alone before digits;
- digits inside identifiers are not numbers: after a letter (CD19, IL6, HP254, CD4/CD8), after a
  letter and hyphen (IL-6, interleukin-1), before a hyphen and other letters (7-AAD), a parenthesised
  code after an identifier ("CD19 (20-291)"), and footnote superscripts (^1,2 after a word).
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from decimal import Decimal, InvalidOperation
from itertools import groupby
from typing import NamedTuple

from casekit.quotes.normalise import normalise

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "single": 1}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}

# The kinds of token, in the order they are tried, grouped by what their first character is:
# a digit, a caret or parenthesis, or a letter. A position is tried only against its group (the
# first match is the same, since no kind of one group can start like another), and every kind but
# a footnote mark or a parenthesised code starts where no word character precedes it, so the
# leading guard lets the scan pass over the inside of words. Both only make the scan faster.
_STARTS_WITH_DIGIT = (
    r"(?P<sci>(?<![\w.])\d+(?:\.\d+)? × 10\^(?P<exponent>-?\d+)(?P<unit_power>/)?)",
    r"(?P<power>(?<![\w.^])10\^(?P<power_exponent>-?\d+))",
    r"(?P<decade>(?<![\w.])\d*0s\b)",
    r"(?P<number>(?<![\w.^])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|\d+(?:\.\d+)?)(?![\d.]\d)"
    r"(?P<hyphen_letter>-(?!(?:year|month|week|day|hour)s?\b)[A-Za-z])?)",
)
_STARTS_WITH_MARK = (
    r"(?P<footnote>(?<![\d\s(])\^[\d,\-]+)",
    r"(?P<code>\(\d+-\d+\))",
)
_STARTS_WITH_LETTER = (
    r"(?P<grade>\b[Gg]rade (?P<roman>[IVX]+)\b)",
    r"(?P<word>\b(?:" + "|".join(WORDS) + r")\b)",
    r"(?P<day>(?<![\w.])(?-i:D)(?P<day_number>\d+)\b)",
    r"(?P<identifier>(?<![\w.])[A-Za-z][A-Za-z_.]*+\d[\w.]*+)",
)
_TOKEN = re.compile(
    r"(?:(?<!\w)|(?=[\^(]))"
    r"(?:(?=\d)(?:" + "|".join(_STARTS_WITH_DIGIT) + ")"
    r"|(?=[\^(])(?:" + "|".join(_STARTS_WITH_MARK) + ")"
    r"|(?=[A-Za-z])(?:" + "|".join(_STARTS_WITH_LETTER) + "))",
    re.IGNORECASE,
)
# Text with no number word, no "grade", no "D" before a digit and none of the four non-ASCII letters
# that case folding reads as ASCII ones (İ ı ſ K) holds no token that starts with a letter and
# states a number or ends a range, and an identifier there covers only positions where no other
# kind may start (each is preceded by a letter, digit, "_" or "."). Such text is scanned at digits,
# carets and parentheses only, which finds the same tokens several times faster. Each of these
# patterns opens with a lookahead of what it must start with, so the search skips to those places.
_DIGITS_AND_MARKS_AS_WRITTEN = re.compile(
    r"(?=[\d^(])"
    r"(?:(?<![\w.])(?=\d)(?:" + "|".join(_STARTS_WITH_DIGIT) + ")"
    r"|(?=[\^(])(?:" + "|".join(_STARTS_WITH_MARK) + "))",
    re.IGNORECASE,
)
# The same scan, each kind with its first character taken before the choice of kind (and every
# lookbehind one character wider to match): a pattern that opens by taking a character of a class
# lets the engine skip in C to where one occurs, where a pattern that opens with a lookahead or
# lookbehind is tried at every position of the text (three times slower on quotes). Each kind
# here matches the same text as the kind above, so every token, kind and span is the same
# (test_fast_paths checks the two against each other).
_DIGIT_KINDS_AFTER_FIRST = (
    r"(?P<sci>\d*(?:\.\d+)? × 10\^(?P<exponent>-?\d+)(?P<unit_power>/)?)",
    r"(?P<power>(?<=1)(?<![\w.^]1)0\^(?P<power_exponent>-?\d+))",
    r"(?P<decade>(?:\d*0|(?<=0))s\b)",  # "60s" or, the first character being its 0, "0s"
    r"(?P<number>(?<![\w.^]\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|\d*(?:\.\d+)?)(?![\d.]\d)"
    r"(?P<hyphen_letter>-(?!(?:year|month|week|day|hour)s?\b)[A-Za-z])?)",
)
_MARK_KINDS_AFTER_FIRST = (
    r"(?P<footnote>(?<=\^)(?<![\d\s(]\^)[\d,\-]+)",
    r"(?P<code>(?<=\()\d+-\d+\))",
)
_DIGITS_AND_MARKS = re.compile(
    r"[\d^(]"
    r"(?:(?<=\d)(?<![\w.]\d)(?:" + "|".join(_DIGIT_KINDS_AFTER_FIRST) + ")"
    r"|(?<=[\^(])(?:" + "|".join(_MARK_KINDS_AFTER_FIRST) + "))",
    re.IGNORECASE,
)
_LETTERED_WORDS = (*WORDS, "grade")
_LETTERED = re.compile("|".join(_LETTERED_WORDS))  # in lowercased text, anywhere
_LETTERED_WORD = re.compile(r"(?=[efgnost])\b(?:" + "|".join(_LETTERED_WORDS) + r")\b")  # lowercased ASCII
# "grade" states a number only before a roman numeral (the grade token): "grade 3" is read by the
# digit scan as it would be without the word (a grade token is the only kind that starts with it).
_GRADE_NUMERAL = re.compile("grade [ivx]")  # lowercased ASCII
_DAY = re.compile(r"D(?<![\w.]D)\d")  # opens with its letter: the engine skips in C to each "D"
_FOLDING = re.compile("[\u0130\u0131\u017f\u212a]")
_IDENTIFIER = re.compile(r"[A-Za-z][\w.-]*\d[\w.-]*")
_DIGIT = re.compile(r"\d")  # the same notion of digit as the token kinds' \d
# The kinds after which a hyphen and number read as a range ("3 - 4"), not a minus.
_ENDS_A_RANGE = frozenset({"sci", "power", "number", "word", "decade", "code", "day"})


class Number(NamedTuple):
    """A number a phrase states: its value, and the text that states it."""

    value: Decimal
    text: str


@functools.lru_cache(maxsize=8192)  # the same quotes are read again and again
def numbers(text: str) -> tuple[Number, ...]:
    """Every number `text` states, in order (text is normalised first)."""
    return _numbers_in_normal(normalise(text))


def numbers_of(texts: list[str]) -> list[tuple[Number, ...]]:
    """numbers(text) for each of `texts`, read together, with the same result.

    The texts that need no letter tokens are scanned as one string, joined by NUL characters:
    no token kind consumes a NUL, and every kind looks at one as at the start or end of a text
    (a NUL is no letter, digit, "_", ".", space, bracket, caret or hyphen). That saves the
    per-text work of starting a scan and of the checks that choose it.
    """
    return numbers_of_normal([normalise(text) for text in texts])


def numbers_of_normal(normals: list[str]) -> list[tuple[Number, ...]]:
    """numbers_of() for texts already normalised (a caller that needs the normal forms too)."""
    joined = "\x00".join(normals)
    lowered = joined.lower()
    if joined.count("\x00") != len(normals) - 1 or len(lowered) != len(joined):
        return [_numbers_in_normal(normal) for normal in normals]  # a NUL in a text, or lowercase that moves letters
    starts, position = [], 0
    for normal in normals:
        starts.append(position)
        position += len(normal) + 1
    full = set()  # the texts that need the full scan, as numbers() finds them
    for word in _LETTERED_WORDS:  # each word looked for by itself is quicker than one pattern for all
        at = lowered.find(word)
        while at >= 0:
            if _LETTERED_WORD.match(lowered, at) and (word != "grade" or _GRADE_NUMERAL.match(lowered, at)):
                full.add(bisect_right(starts, at) - 1)
            at = lowered.find(word, at + 1)
    full.update(bisect_right(starts, match.start()) - 1 for match in _DAY.finditer(joined))
    full.update(index for index, normal in enumerate(normals)
                if not normal.isascii() and (_LETTERED.search(normal.lower()) or _FOLDING.search(normal)))
    found: list[tuple[Number, ...]] = [()] * len(normals)
    for index, matches in groupby(_DIGITS_AND_MARKS.finditer(joined),
                                  key=lambda match: bisect_right(starts, match.start()) - 1):
        if index not in full:
            found[index] = _read(joined, matches, starts[index])
    for index in full:
        found[index] = _numbers_in_normal(normals[index])
    return found


def _numbers_in_normal(text: str) -> tuple[Number, ...]:
    lowered = text.lower()
    if text.isascii():
        # A number word or "grade" that states a number is a whole word (\b on both sides).
        lettered = _LETTERED_WORD.search(lowered)
        letter_tokens = lettered or _DAY.search(text)
    else:
        lettered = _LETTERED.search(lowered)
        letter_tokens = lettered or _DAY.search(text) or _FOLDING.search(text)
    if not lettered and not _DIGIT.search(text):
        # Without a digit only a number word or "grade" + roman numeral states a number, and each is
        # then in the lowercased text as it is written in WORDS (or "grade"): no scan needed.
        return ()
    return _read(text, (_TOKEN if letter_tokens else _DIGITS_AND_MARKS).finditer(text), 0)


def number_spans(normal: str) -> list[tuple[int, int, Number]]:
    """Every number of already normalised text with where its token lies: (start, end, number), in order.

    The same numbers as numbers(normal); a token stating two (a decade, a parenthesised range)
    gives both the token's span."""
    spans: list[tuple[int, int]] = []
    found = _read(normal, _TOKEN.finditer(normal), 0, spans)
    return [(start, end, number) for (start, end), number in zip(spans, found)]


def _read(text: str, matches, start_of_text: int, spans: list | None = None) -> tuple[Number, ...]:
    """The numbers of one text's tokens; the text starts at `start_of_text` of `text`.
    With `spans`, the span of each number's token is appended to it."""
    found: list[Number] = []
    previous_end = -1
    for match in matches:
        kind = match.lastgroup
        piece = match.group(0)
        if kind == "number":  # the commonest kind first
            if not match["hyphen_letter"]:
                start = match.start()
                if start and text[start - 1] == "-":
                    number = _signed(text, start, piece, found, previous_end)
                else:  # no hyphen before it: the number as written, read once per run
                    number = _PLAIN.get(piece) or _plain(piece)
                if number is not None:
                    found.append(number)
        elif kind == "sci":
            mantissa = piece[:piece.index(" ")]  # the digits before " × 10^"
            value = _times_power_of_ten(mantissa, "0" if match["unit_power"] else match["exponent"])
            if value is not None:
                found.append(Number(value, piece.rstrip("/")))
        elif kind == "power":
            value = _times_power_of_ten("1", match["power_exponent"])
            if value is not None:
                found.append(Number(value, piece))
        elif kind == "code":
            before = text[max(start_of_text, match.start() - 80):match.start()].split()
            if not (before and _IDENTIFIER.fullmatch(before[-1])):
                low, high = piece[1:-1].split("-")
                found += [Number(Decimal(low), low), Number(Decimal(high), high)]
        elif kind == "grade":
            roman = match["roman"].upper()
            if roman in ROMAN:
                found.append(Number(Decimal(ROMAN[roman]), piece))
        elif kind == "day":
            found.append(Number(Decimal(match["day_number"]), piece))
        elif kind == "word":
            if piece.lower() in WORDS:  # case folding also matches 'ſix' (long s), which is no number word
                found.append(Number(Decimal(WORDS[piece.lower()]), piece))
        elif kind == "decade":
            start = Decimal(piece[:-1])  # the digits before the "s"
            found += [Number(start, piece), Number(start + 9, piece)]
        if kind in _ENDS_A_RANGE:
            previous_end = match.end()
        if spans is not None:
            spans.extend([match.span()] * (len(found) - len(spans)))
    return tuple(found)


def _times_power_of_ten(mantissa: str, exponent: str) -> Decimal | None:
    """mantissa × 10^exponent, exactly (no rounding, no overflow: 10^2101010 is a number too);
    None for an exponent past what a Decimal can hold at all."""
    try:
        return Decimal(f"{mantissa}E{exponent}")
    except InvalidOperation:
        return None


def values(text: str) -> list[Decimal]:
    return [number.value for number in numbers(text)]


# A number without a hyphen before it depends only on how it is written ("80", "1,000.5"): most quotes
# write the same few numbers, so each is read into a Decimal once (Numbers are immutable, so shared).
_PLAIN: dict[str, Number] = {}
PLAIN_KEPT = 4096


def _plain(piece: str) -> Number | None:
    try:
        number = Number(Decimal(piece.replace(",", "")), piece)
    except InvalidOperation:
        return None
    if len(_PLAIN) >= PLAIN_KEPT:  # keep memory flat
        _PLAIN.clear()
    _PLAIN[piece] = number
    return number


def _signed(text: str, start: int, piece: str, found: list[Number], previous_end: int) -> Number | None:
    """The number at `start`, with the minus a hyphen before it means, or None inside an identifier."""
    try:
        value = Decimal(piece.replace(",", ""))
    except InvalidOperation:
        return None
    if start == 0 or text[start - 1] != "-":
        return Number(value, piece)
    before = text[start - 2] if start >= 2 else " "
    if before.isalpha():
        return None  # IL-6, interleukin-1
    if before.isdigit() or before == "%":
        return Number(value, piece)  # a range: 3-4
    between = text[previous_end:start - 1] if previous_end >= 0 else None
    if between is not None and between.strip() == "" and found:
        return Number(value, piece)  # a spaced range: 3 - 4
    return Number(-value, "-" + piece)
