"""coded-words: every coded value of a fact row is written in the row's own words, or a field source says where from.

The row's words are its `quote` and `timing_as_stated`. For each coded field of params.fields
(a drug, an analyte, a route, a frequency, an event type, a purpose, a syndrome, a grading
system, how certain a value is) one of the code's written forms (the vocabulary's `written_forms`, matched as
casekit.quotes.code_forms says) must occur in them. A code of params.unstated_codes (not_stated)
states nothing and needs no words. A field of params.set_when_written left empty while the words
hold a written form of one of its codes ("intravenously" in a schedule whose route is blank) is a
finding too: the article states the value, so the row records it. A field of params.qualifies
(a dose in words) qualifies the name written next to it ("high dose corticosteroids, siltuximab":
the high dose is the corticosteroids'), so its words count for the row only where they qualify the
row's own code of the paired field (its drug), as casekit.quotes.attached_words says. When the words hold a written form of another code of the same
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

from casekit.quotes.attached_words import Owners
from casekit.quotes.code_forms import CodeForms, code_pattern, written_forms
from casekit.quotes.normalise import normalise
from casekit.validation.rules._common import PRIMARY_KEYS, row_id
from casekit.validation.tables import items_getter

KIND = "coded-words"
SCOPE = "package"
_FIELDS = {"type": "object", "additionalProperties": {"type": "string"}}
PARAMS = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {"type": "object", "additionalProperties": _FIELDS},
        "unstated_codes": {"type": "array", "items": {"type": "string"}},
        "set_when_written": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "qualifies": {"type": "object", "additionalProperties": _FIELDS},
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
FACT_TABLES = ("drug_schedules", "clinical_events", "toxicity_grades", "observations", "stated_summaries",
               "treatment_decisions", "case_characteristics")
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
    """One vocabulary's codes with their written forms."""

    def __init__(self, rows, key):
        # The key column has the coded field's name (route, frequency, drug_id ...), as the foreign keys say.
        self.forms = {row.get(key): CodeForms(written_forms(row.get("written_forms"))) for row in rows}
        # Every code's forms as one: whether the words write some code of the vocabulary is one search
        # (each form is found or not on its own, whatever code it belongs to).
        self.any = CodeForms(form for forms in self.forms.values() for form in forms.forms)

    def of(self, code) -> CodeForms:
        return self.forms.get(code) or _NO_FORMS

    def others(self, code, parts) -> list[str]:
        """'words' (code) for each other code whose written form the phrases hold (only for findings)."""
        normals = [normalise(part) for part in parts]
        said = []
        for other, forms in self.forms.items():
            if other == code or not forms:
                continue
            words = next(filter(None, (forms.find(normal) for normal in normals)), None)
            if words is not None:
                said.append(f"'{words}' ({other})")
        return said


_NO_FORMS = CodeForms(())


class _Certainty:
    """Cues of each certainty but the default, and all of them together."""

    def __init__(self, spec, subjects: _Vocabulary):
        self.resource, self.field, self.default = spec["resource"], spec["field"], spec["default"]
        self.subject, self.subjects = spec["subject"], subjects
        self.cues = {value: CodeForms(written_forms(cues)) for value, cues in spec["cues"].items()}
        self.any_cue = CodeForms(form for cues in self.cues.values() for form in cues.forms)

    def verdict(self, value, subject_code, parts) -> str | None:
        """None when the words agree with the certainty, else what they say instead."""
        if value == self.default and not self.any_cue.found_in(parts):
            return None  # the common case: nothing hedged or negated
        subject = code_pattern(self.subjects.of(subject_code).forms)
        said = {}
        for part in parts:
            text = normalise(part)
            if subject is not None:
                text = subject.sub("\n", text)  # the event type's own words are not a cue about it
            for certainty, cues in self.cues.items():
                words = cues.find(text) if cues else None
                if words is not None and certainty not in said:
                    said[certainty] = words
        others = ", ".join(f"'{words}' ({certainty})" for certainty, words in said.items() if certainty != value)
        if value == self.default:
            return f"but the words say {others}" if others else None
        if value in said:
            return None
        cues = ", ".join(self.cues[value].forms) if value in self.cues else "none listed"
        said_instead = f"but the words say {others}" if others else "but the words hold none of its cues"
        return f"{said_instead} (its cues: {cues})"


def check(context):
    params = context.params
    unstated = frozenset(params.get("unstated_codes", ()))
    set_when_written = {resource: set(fields) for resource, fields in params.get("set_when_written", {}).items()}
    vocabularies: dict[str, _Vocabulary] = {}

    def vocabulary(name, key):
        if name not in vocabularies:
            vocabularies[name] = _Vocabulary(context.rows(name), key)
        return vocabularies[name]

    spec = params.get("certainty")
    certainty = None
    if spec:
        certainty = _Certainty(spec, vocabulary(params["fields"][spec["resource"]][spec["subject"]], spec["subject"]))
    sourced = yield from _check_sources(context, params, vocabulary, unstated, certainty)
    sourced_fields: dict[str, dict[str, set]] = {}  # resource -> row id -> its sourced fields
    for resource, row, field in sourced:
        sourced_fields.setdefault(resource, {}).setdefault(row, set()).add(field)

    qualified = {resource: {field: [] for field in pairs} for resource, pairs in params.get("qualifies", {}).items()}
    for resource, fields in params["fields"].items():
        if resource not in context.tables.keys:
            continue
        # field -> {code: its forms}, looked up once per row and field
        coded = [(field, vocabulary(name, field).forms, vocabulary(name, field)) for field, name in fields.items()]
        judged = certainty if certainty is not None and certainty.resource == resource else None
        key = PRIMARY_KEYS.get(resource)
        read = [key, *fields, *((judged.field, judged.subject) if judged else ())]
        getter = None
        sourced_here = sourced_fields.get(resource, {})
        required = set_when_written.get(resource, set())
        # The rows whose quote writes a code that qualifies a name, kept for _check_qualified.
        qualifying = [(vocabulary(fields[field], field).any, rows) for field, rows in qualified.get(resource, {}).items()]
        for row, words in context.tables.texts(resource, context.rows(resource), WORDS):
            quote, timing = words
            if not quote:
                continue  # a row without words is left to the schema (quote is required there)
            context.counted += 1
            for forms, rows in qualifying:
                if forms.found_in([str(quote)]):  # normalised only where normalising can change it
                    rows.append((row, quote))
            if getter is None:  # one C-level read of the row's columns (by position in a compact row)
                positions = getattr(type(row), "positions", None)
                getter = items_getter([positions[column] for column in read] if positions is not None else read)
            values = getter(row)
            name = values[0]
            text = str(quote) if not timing else f"{quote}\n{timing}"  # no form spans the line break
            lowered = text.lower()
            if type(name) is not str:
                name = row_id(resource, row)
            here = sourced_here.get(name)
            for (field, forms_of, codes), code in zip(coded, values[1:]):
                if code is None and field in required and not (here and field in here) \
                        and codes.any.find(text, lowered) is not None:
                    parts = _parts(words)
                    said = ", ".join(codes.others(None, parts))
                    yield context.finding(
                        f"{name}: {field} is empty, but the words say {said}: {_shown(parts)}; record it",
                        resource=resource, row=row, field=field, expected=said, observed="empty")
                    continue
                if code is None or code in unstated or (here and field in here):
                    continue  # a sourced field was checked with its source above
                forms = forms_of.get(code)
                if forms is not None and forms.find(text, lowered) is not None:
                    continue
                parts = _parts(words)
                if forms is not None and forms.found_in(parts):
                    continue  # found after normalisation
                yield _finding(context, resource, row, name, field, code, parts, codes.others(code, parts),
                               not forms)
            if judged is not None:
                value, subject = values[-2:]
                if value is None or (here and judged.field in here):
                    continue
                if value == judged.default and not judged.any_cue.in_text(text, lowered):
                    continue  # the common case: nothing hedged or negated, as written
                parts = _parts(words)
                said = judged.verdict(value, subject, parts)
                if said is None:
                    continue
                yield context.finding(
                    f"{name}: {judged.field} is '{value}' {said}, in {_shown(parts)}; "
                    f"if the article states it elsewhere or implies it, say so in field_sources",
                    resource=resource, row=row, field=judged.field, expected=value, observed=said)
    yield from _check_qualified(context, params, vocabulary, unstated, sourced_fields, qualified)


def _check_qualified(context, params, vocabulary, unstated, sourced_fields, qualified):
    """A code that qualifies a name (a dose in words, of a drug) is set on the row of that name, and only there.
    `qualified`: resource -> field -> the (row, quote) whose quote writes one of the field's codes."""
    for resource, pairs in params.get("qualifies", {}).items():
        fields = params["fields"][resource]
        for field, owner_field in pairs.items():
            candidates = qualified.get(resource, {}).get(field)
            if not candidates:
                continue
            codes = vocabulary(fields[field], field)
            owners = Owners(vocabulary(fields[owner_field], owner_field).forms)
            pattern = code_pattern(codes.any.forms)
            code_of = {form.lower(): code for code, forms in codes.forms.items() for form in forms.forms}
            sourced = sourced_fields.get(resource, {})
            for row, quote in candidates:
                text = normalise(str(quote))
                name = row_id(resource, row)
                if field in sourced.get(name, ()):
                    continue
                code, own = row.get(field), row.get(owner_field)
                said = [(words, code_of.get(words.lower()), owner) for words, owner in owners.owners(text, pattern)]
                if code is None:
                    mine = [(words, said_code) for words, said_code, owner in said if owner == own]
                    if mine:
                        words, said_code = mine[0]
                        yield context.finding(f"{name}: {field} is empty, but the words '{words}' ({said_code}) "
                                              f"qualify its {owner_field} {own}: \"{quote}\"; record it",
                                              resource=resource, row=row, field=field, expected=said_code,
                                              observed="empty")
                    continue
                if code in unstated:
                    continue
                of_code = [(words, owner) for words, said_code, owner in said if said_code == code]
                if of_code and all(owner is not None and owner != own for _, owner in of_code):
                    words, owner = of_code[0]
                    yield context.finding(f"{name}: {field} is '{code}', but its words '{words}' qualify "
                                          f"{owner}, not this row's {owner_field} {own}: \"{quote}\"",
                                          resource=resource, row=row, field=field, expected=f"words of {own}",
                                          observed=f"words of {owner}")


def _parts(words) -> list[str]:
    return [part if type(part) is str else str(part) for part in words if part]


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
    """The row's words as a finding quotes them: the timing beside the quote only when it adds words."""
    shown = [part for index, part in enumerate(parts) if not index or normalise(part) not in normalise(parts[0])]
    return " / ".join(f'"{part}"' for part in shown) or "(no words)"


def _check_sources(context, params, vocabulary, unstated, certainty):
    """Check each field_sources row; return the (resource, row id, field) they account for."""
    sourced: set = set()
    if SOURCES not in context.tables.keys:
        return sourced
    read = [PRIMARY_KEYS.get(SOURCES), "resource", "row_id", "field", "value", "case_id", "basis"]
    getter = None
    for source, (quote, note) in context.tables.texts(SOURCES, context.rows(SOURCES), SOURCE_WORDS):
        if getter is None:  # one C-level read of the row's columns (by position in a compact row)
            positions = getattr(type(source), "positions", None)
            getter = items_getter([positions[column] for column in read] if positions is not None else read)
        name, resource, target, field, value, case, basis = getter(source)
        context.counted += 1
        where = (resource, target, field)
        if where in sourced:
            yield context.finding(f"{name}: {resource} {target} {field} has a field source already",
                                  resource=SOURCES, row=source, field="field", expected="one source per field",
                                  observed=field)
            continue
        fields = params["fields"].get(resource, {})
        is_certainty = certainty is not None and resource == certainty.resource and field == certainty.field
        if field not in fields and not is_certainty:
            yield context.finding(f"{name}: {field} is not a coded field of {resource} "
                                  f"(coded: {', '.join(fields) or 'none'})", resource=SOURCES, row=source,
                                  field="field", expected="a coded field", observed=field)
            continue
        row = context.tables.row(resource, target)
        if row is None or row.get("case_id") != case:
            yield context.finding(f"{name}: {resource} has no row {target} in case {case}",
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
        if basis == "implied":
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
            if not codes.of(value).found_in(parts):
                others = codes.others(value, parts)
                said = f"but the quote says {', '.join(others)}" if others else "but the quote does not write it"
                yield context.finding(f"{name}: {field} '{value}' is stated elsewhere, {said}: {_shown(parts)}",
                                      resource=SOURCES, row=source, field="quote",
                                      expected=f"a written form of {value}", observed=", ".join(others) or "none")
    return sourced
