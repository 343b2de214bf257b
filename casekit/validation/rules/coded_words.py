"""coded-words: every coded field a fact row sets is written in the row's own words, or the row says where it comes from.

The row's words are its `quote` and `timing_as_stated`. For each coded field of params.fields
(a drug, an analyte, a route, a frequency, an event type, a purpose, a syndrome, a grading
system) one of the code's written forms (the vocabulary's `written_forms`, matched as
casekit.quotes.code_forms says) must occur in them. A code of params.unstated_codes (not_stated)
states nothing and needs no words. When the words hold a written form of another code of the same
vocabulary, the finding names it: "route is 'intravenous' but the words say 'via a nasogastric
tube' (nasogastric_tube)".

An event's certainty (params.certainty) is read from cues: the default (asserted) needs none,
and the words must hold no cue of another certainty; any other certainty needs one of its own
cues. The words of the event type itself are set aside first, so the "no" of "no rebound of CRS"
is the event, not a negation of it.

Where the article states a value only elsewhere, or implies it, a field_sources row says so
for that row and field, with the value, the words it comes from and their locator: then the row's
own words are not searched. A field source must name an existing row of its case and one of its
coded fields, hold the value the row holds (so that a changed value is checked again), and, when
its basis is stated_elsewhere, its quote must hold a written form of the value; an implied value
needs a note saying how it follows.
"""
from __future__ import annotations

from casekit.quotes.code_forms import code_pattern, first_match, found_in, written_forms
from casekit.quotes.normalise import normalise
from casekit.validation.rules._common import PRIMARY_KEYS, row_id

KIND = "coded-words"
SCOPE = "package"
_FIELDS = {"type": "object", "additionalProperties": {"type": "string"}}
PARAMS = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {"type": "object", "additionalProperties": _FIELDS},
        "unstated_codes": {"type": "array", "items": {"type": "string"}},
        "certainty": {
            "type": "object",
            "required": ["resource", "field", "default", "subject", "cues"],
            "additionalProperties": False,
            "properties": {
                "resource": {"type": "string"}, "field": {"type": "string"}, "default": {"type": "string"},
                "subject": {"type": "string"},
                "cues": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
}
WORDS = ("quote", "timing_as_stated")
SOURCES = "field_sources"
SOURCE_WORDS = ("quote", "note")
FACT_TABLES = ("drug_schedules", "clinical_events", "toxicity_grades", "observations", "stated_summaries")
# The words are read through Tables.texts(): the validator need not keep every row's quote.
TEXTS = {**{resource: WORDS for resource in FACT_TABLES}, SOURCES: SOURCE_WORDS}


def columns_read(params) -> dict:
    columns: dict[str, set] = {SOURCES: {"case_id", "resource", "row_id", "field", "value", "basis", "locator_id"}}
    certainty = params.get("certainty")
    for resource, fields in params["fields"].items():
        columns.setdefault(resource, set()).update({*fields, "case_id"})
        for field, vocabulary in fields.items():
            columns.setdefault(vocabulary, set()).update({field, "written_forms"})
    if certainty:
        columns.setdefault(certainty["resource"], set()).update({certainty["field"], certainty["subject"], "case_id"})
    return {resource: tuple(sorted(names)) for resource, names in columns.items()}


class _Vocabulary:
    """One vocabulary's codes with their written forms and patterns, compiled when first used."""

    def __init__(self, rows, key):
        # The key column has the coded field's name (route, frequency, drug_id ...), as the foreign keys say.
        self.forms = {row.get(key): tuple(written_forms(row.get("written_forms"))) for row in rows}
        self._patterns: dict = {}

    def pattern(self, code):
        found = self._patterns.get(code, False)
        if found is False:
            found = self._patterns[code] = code_pattern(self.forms.get(code, ()))
        return found

    def others(self, code, parts) -> list[str]:
        """'words' (code) for each other code whose written form the phrases hold (only for findings)."""
        said = []
        for other in self.forms:
            pattern = self.pattern(other) if other != code else None
            words = first_match(pattern, parts) if pattern is not None else None
            if words is not None:
                said.append(f"'{words}' ({other})")
        return said


class _Certainty:
    """Cues of each certainty but the default, as one pattern each and one for all."""

    def __init__(self, spec, subjects: _Vocabulary):
        self.resource, self.field, self.default = spec["resource"], spec["field"], spec["default"]
        self.subject, self.subjects = spec["subject"], subjects
        self.cues = {value: tuple(written_forms(cues)) for value, cues in spec["cues"].items()}
        self.patterns = {value: code_pattern(cues) for value, cues in self.cues.items() if cues}
        self.any_cue = code_pattern(tuple(cue for cues in self.cues.values() for cue in cues))

    def verdict(self, value, subject_code, parts) -> str | None:
        """None when the words agree with the certainty, else what they say instead."""
        if value == self.default and (self.any_cue is None or not found_in(self.any_cue, parts)):
            return None  # the common case: nothing hedged or negated
        subject = self.subjects.pattern(subject_code)
        said = {}
        for part in parts:
            text = normalise(part)
            if subject is not None:
                text = subject.sub("\n", text)  # the event type's own words are not a cue about it
            for certainty, pattern in self.patterns.items():
                match = pattern.search(text)
                if match and certainty not in said:
                    said[certainty] = match.group(0)
        others = ", ".join(f"'{words}' ({certainty})" for certainty, words in said.items() if certainty != value)
        if value == self.default:
            return f"but the words say {others}" if others else None
        if value in said:
            return None
        cues = ", ".join(self.cues.get(value, ())) or "none listed"
        return (f"but the words say {others}" if others else "but the words hold none of its cues") + f" (its cues: {cues})"


def check(context):
    params = context.params
    unstated = frozenset(params.get("unstated_codes", ()))
    vocabularies: dict[str, _Vocabulary] = {}

    def vocabulary(name, key):
        if name not in vocabularies:
            vocabularies[name] = _Vocabulary(context.rows(name), key)
        return vocabularies[name]

    spec = params.get("certainty")
    certainty = _Certainty(spec, vocabulary(params["fields"][spec["resource"]][spec["subject"]], spec["subject"])) if spec else None
    sourced = yield from _check_sources(context, params, vocabulary, unstated, certainty)

    for resource, fields in params["fields"].items():
        if resource not in context.tables.keys:
            continue
        coded = [(field, vocabulary(name, field)) for field, name in fields.items()]
        judged_certainty = certainty if certainty is not None and certainty.resource == resource else None
        key = PRIMARY_KEYS.get(resource)
        for row, words in context.tables.texts(resource, context.rows(resource), WORDS):
            parts = [part if type(part) is str else str(part) for part in words if part]
            name = None
            for field, codes in coded:
                code = row.get(field)
                if code is None or code in unstated:
                    continue
                pattern = codes.pattern(code)
                if pattern is not None and found_in(pattern, parts):
                    continue
                name = name or _name(resource, row, key)
                if (resource, name, field) in sourced:
                    continue
                yield _finding(context, resource, row, name, field, code, parts, codes.others(code, parts),
                               pattern is None)
            if judged_certainty is not None:
                value = row.get(judged_certainty.field)
                if value is None:
                    continue
                said = judged_certainty.verdict(value, row.get(judged_certainty.subject), parts)
                if said is None:
                    continue
                name = name or _name(resource, row, key)
                if (resource, name, judged_certainty.field) in sourced:
                    continue
                yield context.finding(
                    f"{name}: {judged_certainty.field} is '{value}' {said}, in {_shown(parts)}; "
                    f"if the article states it elsewhere or implies it, say so in field_sources",
                    resource=resource, row=row, field=judged_certainty.field, expected=value, observed=said)


def _name(resource, row, key):
    name = row.get(key) if key else None
    return name if type(name) is str else row_id(resource, row)


def _finding(context, resource, row, name, field, code, parts, others, formless):
    if others:
        said = f"{field} is '{code}' but the words say {', '.join(others)}: {_shown(parts)}"
    elif formless:
        said = (f"{field} '{code}' has no written forms in its vocabulary, so the words {_shown(parts)} "
                f"cannot show it")
    else:
        said = f"{field} '{code}' is not written in the words {_shown(parts)}"
    return context.finding(f"{name}: {said}; if the article states it elsewhere or implies it, say so in field_sources",
                           resource=resource, row=row, field=field, expected=f"a written form of {code}",
                           observed=", ".join(others) or "none")


def _shown(parts) -> str:
    return " / ".join(f'"{part}"' for part in parts) or "(no words)"


def _check_sources(context, params, vocabulary, unstated, certainty):
    """Check each field_sources row; return the (resource, row id, field) they account for."""
    sourced: set = set()
    if SOURCES not in context.tables.keys:
        return sourced
    for source, (quote, note) in context.tables.texts(SOURCES, context.rows(SOURCES), SOURCE_WORDS):
        name = _name(SOURCES, source, PRIMARY_KEYS.get(SOURCES))
        resource, target, field = source.get("resource"), source.get("row_id"), source.get("field")
        value = source.get("value")
        where = (resource, target, field)
        if where in sourced:
            yield context.finding(f"{name}: {resource} {target} {field} has a field source already",
                                  resource=SOURCES, row=source, field="field", expected="one source per field",
                                  observed=field)
            continue
        fields = dict(params["fields"].get(resource, {}))
        is_certainty = certainty is not None and resource == certainty.resource and field == certainty.field
        if field not in fields and not is_certainty:
            yield context.finding(f"{name}: {field} is not a coded field of {resource} "
                                  f"(coded: {', '.join(fields) or 'none'})", resource=SOURCES, row=source,
                                  field="field", expected="a coded field", observed=field)
            continue
        row = context.tables.row(resource, target)
        if row is None or row.get("case_id") != source.get("case_id"):
            yield context.finding(f"{name}: {resource} has no row {target} in case {source.get('case_id')}",
                                  resource=SOURCES, row=source, field="row_id", expected="a row of the case",
                                  observed=target)
            continue
        if row.get(field) != value:
            yield context.finding(f"{name}: the source is for {field} '{value}', but {target} holds "
                                  f"'{row.get(field)}'", resource=SOURCES, row=source, field="value",
                                  expected=row.get(field), observed=value)
            continue
        sourced.add(where)
        parts = [quote] if quote else []
        if source.get("basis") == "implied":
            if not note:
                yield context.finding(f"{name}: an implied {field} needs a note saying how it follows from the quote",
                                      resource=SOURCES, row=source, field="note", expected="a note",
                                      observed="empty")
        elif is_certainty:
            said = certainty.verdict(value, row.get(certainty.subject), parts)
            if said is not None:
                yield context.finding(f"{name}: {field} is '{value}' {said}, in {_shown(parts)}",
                                      resource=SOURCES, row=source, field="quote", expected=value, observed=said)
        elif value not in unstated:
            codes = vocabulary(fields[field], field)
            pattern = codes.pattern(value)
            if pattern is None or not found_in(pattern, parts):
                others = codes.others(value, parts)
                said = f"but the quote says {', '.join(others)}" if others else "but the quote does not write it"
                yield context.finding(f"{name}: {field} '{value}' is stated elsewhere, {said}: {_shown(parts)}",
                                      resource=SOURCES, row=source, field="quote",
                                      expected=f"a written form of {value}", observed=", ".join(others) or "none")
    return sourced
