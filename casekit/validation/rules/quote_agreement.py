"""quote-agreement: a fact row's fields say what its quote says, number for number and unit for unit.

The row's words are its `quote` and its `timing_as_stated`, each phrase read on its own with
casekit.quotes (normalisation and counting conventions are documented there and in
docs/validation.md).

- Every number the row states is in its words: the value, dose, per-body dose, stated
  administrations and reference range fields, and the time fields when `timing_basis` is
  `stated` (a relative timing: its offset). An administrations count of 1 that only the
  frequency implies (params.implied_administrations) is not required.
- No number the quote states is missing from the row (checked when no field was found
  disagreeing, so one slip gives one finding): each must equal one of the row's number
  fields (time fields of any basis, and offsets of relative timings about the row, included).
  A relative timing's quote may also name the days of the rows it relates; only its offset is checked.
  A number inside a written form of the row's frequency (frequencies.written_forms: the 6 of
  "every 6 hours") is the frequency's, not a stray number.
- Every unit field's unit (the time unit when the timing is stated) has one of its written forms
  (units.written_forms) in the words; a unit with no written form (a pure number) is not checked.
  A decade ("60s") writes its unit, years, by itself.
Rows without a quote are left to the schema (quote is required there).
"""
from __future__ import annotations

from decimal import Decimal
from functools import partial
from itertools import compress, islice, repeat
from operator import is_not, itemgetter, methodcaller

from casekit.quotes.code_forms import code_pattern
from casekit.quotes.normalise import normalise, normalise_uncached
from casekit.quotes.numbers import numbers, numbers_of_normal
from casekit.quotes.units import forms_pattern, written_forms
from casekit.validation.rules._common import PRIMARY_KEYS, as_decimal, row_id
from casekit.validation.rules.context import EXCERPT_CHARACTERS, excerpt, show

KIND = "quote-agreement"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["stated_basis"],
    "properties": {
        "stated_basis": {"type": "string"},
        "implied_administrations": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}
# Per fact table: number field -> the unit field that gives its unit (None: a count or grade).
VALUES = {
    "case_characteristics": {"value_number": "unit", "value_min": "unit", "value_max": "unit"},
    "drug_schedules": {"dose_value": "dose_unit", "dose_per_body_value": "dose_per_body_unit",
                       "administrations": None},
    "clinical_events": {},
    "toxicity_grades": {"grade": None},
    "observations": {"value": "unit", "reference_low": "unit", "reference_high": "unit"},
    "stated_summaries": {"value": "unit"},
    "relative_timings": {"offset_value": "offset_unit"},
    # No number field: a number their quote states is held by no field (the rows it concerns hold it).
    "combinations": {},
    "treatment_decisions": {},
}
TIMES = {
    "case_characteristics": ("time_earliest", "time_latest"),
    "drug_schedules": ("start_earliest", "start_latest", "end_earliest", "end_latest"),
    "clinical_events": ("time_earliest", "time_latest"),
    "toxicity_grades": ("time_earliest", "time_latest"),
    "observations": ("time_earliest", "time_latest"),
}
WORDS = ("quote", "timing_as_stated")
VERDICTS_KEPT = 20_000  # verdicts remembered for rows that repeat (quote, values) within a table
# A finding shows an excerpt of the quote, never the whole of it, and a row whose quote states many
# numbers no field holds gets a few findings and one that counts the rest: a quote full of numbers
# once made 258 MB of output, each finding repeating the whole quote.
CONTEXT_CHARACTERS = 40
MISSING_SHOWN_PER_ROW = 5
CHUNK_ROWS = 512  # rows whose quotes are read together
CACHE_PROBE = 2_048  # rows after which a table whose rows repeat less than one time in eight is judged uncached
DECADE_UNIT = "a"
COLUMNS = {
    "units": ("unit", "written_forms"),
    "frequencies": ("frequency", "written_forms"),
    "relative_timings": ("relation_id", "subject_resource", "subject_id", "anchor_resource", "anchor_id",
                         "offset_value", "offset_unit", "locator_id", "case_id"),
    **{resource: (*VALUES[resource], *filter(None, VALUES[resource].values()), *TIMES.get(resource, ()),
                  *(("time_unit", "timing_basis") if resource in TIMES else ()),
                  *(("frequency",) if resource == "drug_schedules" else ()),
                  "locator_id", "case_id")
       for resource in VALUES if resource != "relative_timings"},
}
# The words are read through Tables.texts(): the validator need not keep every row's quote.
TEXTS = {resource: WORDS for resource in VALUES}

# The columns a row's verdict depends on (its ids, case and locator do not change it).
JUDGED = {resource: tuple(dict.fromkeys(column for column in COLUMNS[resource]
                                        if column not in ("relation_id", "subject_resource", "subject_id",
                                                          "anchor_resource", "anchor_id", "locator_id", "case_id")))
          for resource in VALUES}

_PLAIN_NUMBERS = frozenset({int, Decimal, type(None)})
_VALUE = itemgetter(0)  # a Number's value
_IS_SET = partial(is_not, None)  # a field's value is set: not None
NUMBERS = {resource: (*VALUES[resource], *TIMES.get(resource, ())) for resource in VALUES}
UNIT_FIELDS = {resource: sorted({unit for unit in VALUES[resource].values() if unit}) for resource in VALUES}


def check(context):
    forms = {row.get("unit"): written_forms(row.get("written_forms")) for row in context.rows("units")}
    patterns = _CompiledForms(forms)
    frequencies = _frequency_numbers(context.rows("frequencies"))
    offsets = _offsets_about(context.rows("relative_timings"))
    stated_basis = context.params["stated_basis"]
    implied = context.params.get("implied_administrations", {})
    for resource in VALUES:
        judge = _judge_for(resource, forms, patterns, stated_basis, implied, frequencies)
        # The verdict on a row depends only on these columns and the offsets about it, so rows
        # that repeat them (the same quote with the same fields) are judged once per run.
        read = JUDGED[resource]
        verdicts: dict | None = {}
        about_rows = offsets.get(resource, {})
        key_column = PRIMARY_KEYS.get(resource)
        seen = hits = 0
        texts = context.tables.texts(resource, context.rows(resource), WORDS)
        # Rows are judged a chunk at a time, so their quotes are read together (numbers_of_normal).
        while chunk := list(islice(texts, CHUNK_ROWS)):
            chunk = [pair for pair in chunk if pair[1][0]]  # a row without a quote is left to the schema
            if not chunk:
                continue
            context.counted += len(chunk)
            rows, words = zip(*chunk)
            names = _names(resource, key_column, rows)
            abouts = list(map(about_rows.get, names, repeat(())))
            if verdicts is None:
                found = _judged(judge, rows, words, abouts)
            else:
                keys, found = [], []  # each row's cache key (None: not remembered) and verdict (None: to judge)
                for row, row_words, about in zip(rows, words, abouts):
                    key = verdict = None
                    if verdicts is not None:
                        seen += 1
                        if seen == CACHE_PROBE and hits * 8 < seen:
                            verdicts = None  # distinct reports repeat almost nothing: stop remembering
                        else:
                            values = tuple(map(row.get, read))
                            # With the values' types: True equals 1 and 1.0 equals 1, but they are read differently.
                            key = (values, tuple(map(type, values)), row_words, about and frozenset(about))
                            try:
                                verdict = verdicts.get(key)
                            except TypeError:  # an unhashable value (a signalling NaN): judge it uncached
                                key = None
                            hits += verdict is not None
                    keys.append(key)
                    found.append(verdict)
                unjudged = [index for index, verdict in enumerate(found) if verdict is None]
                judged = _judged(judge, *([items[index] for index in unjudged] for items in (rows, words, abouts)))
                for index, verdict in zip(unjudged, judged):
                    found[index] = verdict
                    # Only a verdict without findings is remembered: a finding shows the row's own
                    # values as written, and equal values may be written differently (0 and -0).
                    if keys[index] is not None and verdicts is not None and not verdict:
                        if len(verdicts) >= VERDICTS_KEPT:  # keep memory flat
                            verdicts.clear()
                        verdicts[keys[index]] = verdict
            for index in compress(range(len(rows)), found):  # only the rows with findings
                for message, column, expected, observed in found[index]:
                    yield context.finding(f"{names[index]}: {message}", resource=resource, row=rows[index],
                                          field=column, expected=expected, observed=observed)


def _names(resource, key_column, rows) -> list:
    """Each row's id: its primary key, or what row_id() makes of a row without one."""
    names = list(map(methodcaller("get", key_column), rows)) if key_column else [None] * len(rows)
    if set(map(type, names)) != {str}:
        names = [name if type(name) is str else row_id(resource, row) for name, row in zip(names, rows)]
    return names


def _judged(judge, rows, words, abouts) -> list:
    """The verdicts of rows (with their words and the offsets about them), each quote normalised once:
    its numbers are read from that form and its units looked for in it."""
    normals = list(map(normalise_uncached, map(str, map(itemgetter(0), words))))  # each quote is its row's own
    return list(map(judge, rows, words, normals, numbers_of_normal(normals), abouts))


def _frequency_numbers(rows) -> dict:
    """frequency -> (a pattern of its written forms, the numbers they state), for the frequencies
    whose written forms state a number ("every 6 hours"); the others are left out."""
    found = {}
    for row in rows:
        forms = tuple(written_forms(row.get("written_forms")))
        stated = frozenset(number.value for form in forms for number in numbers(form))
        if stated:
            found[row.get("frequency")] = (code_pattern(forms), stated)
    return found


_SIDES = (("subject_resource", "subject_id"), ("anchor_resource", "anchor_id"))  # the rows a relation names


def _offsets_about(relations) -> dict[str, dict[str, tuple]]:
    """resource -> row id -> offsets of the relative timings that name the row (tuples: a set
    per row would cost four times the memory, and rows are named by one or two timings)."""
    about: dict[str, dict[str, tuple]] = {}
    for relation in relations:
        offset = as_decimal(relation.get("offset_value"))
        if offset is None:
            continue
        for resource_column, id_column in _SIDES:
            named = about.setdefault(relation.get(resource_column), {})
            row = relation.get(id_column)
            named[row] = (*named.get(row, ()), offset)
    return about


class _CompiledForms(dict):
    """unit -> one pattern for its written forms (None if it has none), compiled when a row first uses it."""

    def __init__(self, forms: dict):
        super().__init__()
        self.forms = forms

    def __missing__(self, unit):
        self[unit] = forms_pattern(tuple(self.forms.get(unit, ())))
        return self[unit]


def _judge_for(resource, forms, patterns, stated_basis, implied, frequencies):
    """The judge of one resource's rows: judge(row, words, normal, quoted, about) gives the
    (message after the row's id, field, expected, observed) of each disagreement of a row whose
    quote and timing_as_stated are `words`, whose quote normalised is `normal` and states the
    numbers `quoted`, and about which the relative timings `about` state offsets. What depends
    only on the resource is worked out here, once, instead of for every row."""
    values, times = VALUES[resource], TIMES.get(resource, ())
    read_numbers = NUMBERS[resource]  # the number fields, then the time fields
    counted = len(values)
    relative = resource == "relative_timings"
    implied_count = "administrations" in values and bool(implied)
    frequency_of = frequencies if resource == "drug_schedules" and frequencies else None
    unit_fields = UNIT_FIELDS[resource]
    unit_fields_timed = sorted({*unit_fields, "time_unit"})

    def judge(row, words, normal, quoted, about) -> tuple:
        quote, timing = words  # WORDS; the caller judges only rows with a quote
        parts = [quote if type(quote) is str else str(quote)]
        read = quoted
        if timing:
            parts.append(timing if type(timing) is str else str(timing))
            read += numbers(parts[1])
        said = set(map(_VALUE, read))
        found = []

        # Each number field read once. An int and a Decimal of one value are equal and hash alike,
        # so only other values (a float, a bool) are converted.
        held = tuple(map(row.get, read_numbers))
        if not _PLAIN_NUMBERS.issuperset(map(type, held)):
            held = tuple(map(as_decimal, held))
        stated = dict(compress(zip(values, held), map(_IS_SET, held)))
        if implied_count and "administrations" in stated \
                and implied.get(row.get("frequency")) == stated["administrations"]:
            del stated["administrations"]  # a count of 1 that only the frequency implies
        if relative and "offset_value" in stated and stated["offset_value"] == 0:
            del stated["offset_value"]  # "on the same day" states an offset of 0 without a digit
        stated_times = bool(times) and row.get("timing_basis") == stated_basis
        if stated_times:
            held_times = held[counted:]
            stated.update(compress(zip(times, held_times), map(_IS_SET, held_times)))
        # The common case, every stated number in the words, is one C-level test.
        disagreeing = [] if said.issuperset(stated.values()) else \
            [column for column, value in stated.items() if value not in said]
        for column in disagreeing:
            found.append((f"{column} {show(stated[column])} is not in the quote {_shown(parts)}",
                          column, "a number of the quote", show(stated[column])))

        # A relative timing's quote may name the days of the rows it relates; only its offset is its own.
        # A field already named as disagreeing explains the quote's unmatched number; say it once.
        if not relative and not disagreeing and quoted:
            fields = set(held)
            fields.update(about)
            if not fields.issuperset(map(_VALUE, quoted)):  # the common case: every number is held
                found += _missing(resource, row, quoted, fields, parts[0], normal, forms,
                                  frequency_of.get(row.get("frequency")) if frequency_of is not None else None)

        normals = None
        for column in unit_fields_timed if stated_times and not stated.keys().isdisjoint(times) else unit_fields:
            unit = row.get(column)
            if not unit or not forms.get(unit) or (relative and not stated.get("offset_value")):
                continue
            if normals is None:
                # The parts searched at once: a line break between them reads as the end of one and
                # the start of the other, and no written form holds one.
                normals = normal if len(parts) == 1 else f"{normal}\n{normalise(parts[1])}"
            if patterns[unit].search(normals):
                continue
            if unit == DECADE_UNIT and any(number.text.endswith("s") for number in read):
                continue
            found.append((f"{column} {unit} is not written in the quote {_shown(parts)} "
                          f"(its written forms: {', '.join(forms[unit])})", column, " or ".join(forms[unit]), unit))
        return tuple(found)

    return judge


def _missing(resource, row, quoted, fields, quote, normal, forms, frequency) -> list:
    """The findings on the numbers of the quote that no field of the row holds (`fields`: the row's
    number and time fields and the offsets about it); `frequency` is (pattern, numbers) of the row's
    frequency when its written forms state a number."""
    found = []
    missing = [number for number in quoted if number.value not in fields]
    if missing and frequency is not None and frequency[0].search(normal):
        missing = [number for number in missing if number.value not in frequency[1]]  # "every 6 hours"
    searched_from = 0
    for number in missing[:MISSING_SHOWN_PER_ROW]:
        column = _field_for(resource, row, number, quote, forms)
        at = normal.find(number.text, searched_from)
        searched_from = max(at, searched_from)
        found.append((f"the quote {_around(quote, normal, at, len(number.text))} states {number.text},"
                      " which no field of the row holds", column, show(number.value), "missing"))
    if len(missing) > MISSING_SHOWN_PER_ROW:
        more = missing[MISSING_SHOWN_PER_ROW:]
        found.append((f"the quote states {len(more)} more numbers that no field of the row holds"
                      f" ({', '.join(number.text for number in more[:5])}{', ...' if len(more) > 5 else ''})",
                      "quote", None, "missing"))
    return found


def _shown(parts: list[str]) -> str:
    """The row's words as a finding quotes them: the timing beside the quote only when it adds words."""
    return " / ".join(excerpt(part) for part in parts
                      if part is parts[0] or normalise(part) not in normalise(parts[0]))


def _around(quote: str, text: str, at: int, length: int) -> str:
    """The words of `text` (the normalised quote) around the `length` characters at `at`; a short quote whole."""
    if len(quote) <= EXCERPT_CHARACTERS or at < 0:
        return excerpt(quote)
    start, end = max(0, at - CONTEXT_CHARACTERS), min(len(text), at + length + CONTEXT_CHARACTERS)
    return f'"{"..." * (start > 0)}{text[start:end]}{"..." * (end < len(text))}"'


def _field_for(resource, row, number, quote, forms) -> str:
    """The empty field a quoted number belongs to, judged by the unit written right after it; else "quote"."""
    normal = normalise(quote)
    at = normal.find(normalise(number.text))
    after = normal[at + len(normalise(number.text)):].lstrip() if at >= 0 else ""
    for column, unit_column in VALUES[resource].items():
        unit = row.get(unit_column) if unit_column else None
        if row.get(column) is None and unit and any(after.startswith(form) for form in forms.get(unit, [])):
            return column
    empty = [column for column in VALUES[resource] if row.get(column) is None]
    return empty[0] if len(empty) == 1 else "quote"
