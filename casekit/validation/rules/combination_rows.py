"""combination-rows: the schedule steps of one combined administration are one administration.

A combinations row is one administration of several drugs together ("intrathecal
hydrocortisone+methotrexate+cytarabine"); each drug is a drug_schedules step whose
combination_id names it. The steps must be at least two, of different drugs, of the
combination's case, each drug written in the combination's quote and name, and agree on every
column of params.shared (route, time unit and time bounds): what differs is not one administration.
A drug of the case that the combination's quote writes needs its step in the combination: a step
left out of it (its combination_id emptied) is a drug given alone that the words give together.
"""
from __future__ import annotations

from casekit.quotes.code_forms import CodeForms, written_forms
from casekit.validation.rules._common import row_id
from casekit.validation.rules.context import excerpt

KIND = "combination-rows"
SCOPE = "case"
PARAMS = {
    "type": "object",
    "required": ["shared"],
    "properties": {"shared": {"type": "array", "items": {"type": "string"}}},
    "additionalProperties": False,
}
COMBINATIONS = "combinations"
STEPS = "drug_schedules"
SHARED = ("route", "time_unit", "start_earliest", "start_latest", "end_earliest", "end_latest")
COLUMNS = {COMBINATIONS: ("combination_id", "case_id"), STEPS: ("combination_id", "drug_id", "case_id", *SHARED),
           "drugs": ("drug_id", "written_forms")}
TEXTS = {COMBINATIONS: ("quote", "name")}


def check(context):
    every_step = context.rows(STEPS)
    steps = [row for row in every_step if row.get("combination_id") is not None]
    combinations = context.rows(COMBINATIONS) if COMBINATIONS in context.tables.keys else []
    context.checked(len(combinations) + len(every_step))  # a step outside any combination is checked too
    if not steps and not combinations:
        return
    shared = context.params["shared"]
    members: dict = {}
    for step in steps:
        combination = step.get("combination_id")
        if context.row(COMBINATIONS, combination) is None:
            found = context.tables.row(COMBINATIONS, combination)
            if found is not None:  # a combination that exists nowhere is the schema's foreign key
                yield context.finding(f"{row_id(STEPS, step)}: combination {combination} is of case "
                                      f"{found.get('case_id')}, not of this case", resource=STEPS, row=step,
                                      field="combination_id", expected=f"a combination of case {context.case_id}",
                                      observed=combination)
            continue
        members.setdefault(combination, []).append(step)
    drugs = context.tables.index("drugs") if "drugs" in context.tables.keys else {}
    case_drugs = {row.get("drug_id") for row in every_step}
    for combination, (quote, label) in context.tables.texts(COMBINATIONS, combinations, ("quote", "name")):
        name = row_id(COMBINATIONS, combination)
        rows = members.get(name, [])
        if len({row.get("drug_id") for row in rows}) < 2:
            yield context.finding(f"{name}: {len(rows)} schedule step(s) of "
                                  f"{len({row.get('drug_id') for row in rows})} drug(s) name this combination; "
                                  f"one of several drugs needs a step per drug", resource=COMBINATIONS,
                                  row=combination, field="combination_id", expected="steps of at least two drugs",
                                  observed=str(len(rows)))
            continue
        yield from _drugs_left_out(context, combination, name, quote, rows, case_drugs, drugs)
        first = rows[0]
        seen: set = set()
        for step in rows:
            drug = step.get("drug_id")
            if drug in seen:
                yield context.finding(f"{row_id(STEPS, step)}: {drug} is in combination {name} twice",
                                      resource=STEPS, row=step, field="drug_id", expected="one step per drug",
                                      observed=drug)
                continue
            seen.add(drug)
            differs = next((column for column in shared if step.get(column) != first.get(column)), None)
            if differs is not None:
                yield context.finding(f"{row_id(STEPS, step)}: {differs} is {step.get(differs)}, but "
                                      f"{row_id(STEPS, first)} of the same combination {name} has "
                                      f"{first.get(differs)}; one administration has one {differs}",
                                      resource=STEPS, row=step, field=differs, expected=first.get(differs),
                                      observed=step.get(differs))
                continue
            drug_row = drugs.get(drug)
            forms = CodeForms(written_forms(None if drug_row is None else drug_row.get("written_forms")))
            if not forms.found_in([str(label or "")]):
                yield context.finding(f"{row_id(STEPS, step)}: {drug} is not written in the name of its combination "
                                      f"{name}, {excerpt(str(label))}", resource=COMBINATIONS, row=combination,
                                      field="name", expected=f"a name that writes {drug}", observed=str(label))
            if quote and not forms.found_in([str(quote)]):
                yield context.finding(f"{row_id(STEPS, step)}: {drug} is not written in the quote of its combination "
                                      f"{name}, {excerpt(str(quote))}", resource=STEPS, row=step, field="drug_id",
                                      expected=f"a drug of {name}'s quote", observed=drug)


def _drugs_left_out(context, combination, name, quote, rows, case_drugs, drugs):
    """A drug of the case written in the combination's quote, with no step in the combination."""
    if not quote:
        return
    given = {row.get("drug_id") for row in rows}
    for drug in sorted(case_drugs - given, key=str):
        drug_row = drugs.get(drug)
        forms = CodeForms(written_forms(None if drug_row is None else drug_row.get("written_forms")))
        if forms.forms and forms.found_in([str(quote)]):
            yield context.finding(f"{name}: its quote {excerpt(str(quote))} writes {drug}, but no step of {drug} "
                                  f"names this combination; set combination_id {name} on that step",
                                  resource=COMBINATIONS, row=combination, field="combination_id",
                                  expected=f"a step of {drug}", observed="none")
