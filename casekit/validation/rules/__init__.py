"""Cross-table consistency rules: the validator's rules.yaml names them, one module per kind implements them.

A rule in casekit/validation/rules.yaml is data a curator can read (id, kind,
severity, a plain statement, params). The rulebook ships with the validator, not
with the package it judges, so a package cannot weaken the checks on itself. A
rule's `kind` names a module of this package; the module defines KIND, PARAMS (a
JSON Schema for the rule's params), SCOPE ("case" or "package"), COLUMNS (the
columns it reads: {resource or "*": (column, ...)}; without it every column is
kept) and `check(context)`, which yields Finding objects. Adding a rule kind is
one YAML entry and one module: modules are discovered, not listed.

A case-scope rule sees one case at a time through its context; every lookup it
needs (rows by case, by primary key, the readings set aside) is built once per
run by casekit.validation.tables, so the run grows linearly with the cases.
"""
from __future__ import annotations

import functools
import importlib
import json
import math
import pkgutil
from pathlib import Path
from types import ModuleType

import jsonschema
import yaml

from casekit.package_files import read_package_file
from casekit.profiles import profile_path
from casekit.safe_yaml import load_yaml
from casekit.safety import UnsafePath
from casekit.validation.findings import Finding
from casekit.validation.rule_summary import RuleSummary
from casekit.validation.rules.context import Rule, RuleContext
from casekit.validation.tables import Tables

RULES_FILE = "rules.yaml"
RULES_PATH = Path(__file__).resolve().parent.parent / RULES_FILE
RULES_SCHEMA = profile_path("rules.schema.json")

__all__ = ["RULES_PATH", "RulebookError", "Rule", "columns_needed", "load_rulebook", "registry", "run_rules",
           "texts_needed"]


class RulebookError(Exception):
    """The rules file is missing, unreadable or invalid; the validator cannot judge the package."""


@functools.cache
def registry() -> dict[str, ModuleType]:
    """Every rule kind this package implements: kind -> module."""
    kinds: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if kind is not None:
            kinds[kind] = module
    return kinds


def load_rulebook(path: Path | None = None) -> list[Rule]:
    """Read and validate a rules file (the validator's own by default); raise RulebookError with a
    one-line reason if it cannot be used.

    The file is read every time (it is small) but parsed once per distinct text and process.
    """
    path = Path(RULES_PATH if path is None else path)
    try:
        text = read_package_file(path.parent, path.name).decode("utf-8")
    except FileNotFoundError:
        raise RulebookError(f"{path.name}: the rules file is missing (expected at {path})") from None
    except UnsafePath as error:
        raise RulebookError(f"{path.name}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RulebookError(f"{path.name}: cannot read the rules file ({error.__class__.__name__})") from None
    return list(_parse_rulebook(path.name, text))


@functools.lru_cache(maxsize=8)
def _parse_rulebook(name: str, text: str) -> tuple[Rule, ...]:
    path = Path(name)
    try:
        # A safe loader: language tags such as !!python/object/apply are refused, never run;
        # aliases and duplicate keys are refused too.
        document = load_yaml(text)
    except yaml.YAMLError as error:
        raise RulebookError(f"{path.name}: not valid YAML or uses a disallowed tag: {_one_line(error)}") from None
    schema = json.loads(RULES_SCHEMA.read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(document))
    if error is not None:
        raise RulebookError(f"{path.name}: {_where(document, error.absolute_path)}: {_one_line(error.message)}")
    kinds = registry()
    rules, seen = [], set()
    for entry in document["rules"]:
        if entry["id"] in seen:
            raise RulebookError(f"{path.name}: rule id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        module = kinds.get(entry["kind"])
        if module is None:
            raise RulebookError(
                f"{path.name}: rule {entry['id']!r} has unknown kind {entry['kind']!r} "
                f"(known: {', '.join(sorted(kinds))})"
            )
        params = entry.get("params") or {}
        # A param the kind does not know is a typo that would silently leave its default in force.
        params_schema = {"additionalProperties": False, **module.PARAMS}
        params_error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(params_schema).iter_errors(params))
        if params_error is not None:
            where = "/".join(str(part) for part in params_error.absolute_path) or "params"
            raise RulebookError(f"{path.name}: rule {entry['id']!r}: {where}: {_one_line(params_error.message)}")
        infinite = _non_finite(params)
        if infinite is not None:
            raise RulebookError(f"{path.name}: rule {entry['id']!r}: {infinite or 'params'}: not a finite number "
                                f"(.inf and .nan would silently switch the check off)")
        rules.append(Rule(entry["id"], entry["kind"], entry["severity"], entry["statement"],
                          entry.get("locator"), _frozen(params)))
    return tuple(rules)


def _non_finite(value, where: str = ""):
    """The path of the first infinite or NaN number in a params value, else None."""
    if isinstance(value, float) and not math.isfinite(value):
        return where
    if isinstance(value, dict):
        for key, item in value.items():
            found = _non_finite(item, f"{where}/{key}" if where else str(key))
            if found is not None:
                return found
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _non_finite(item, f"{where}/{index}" if where else str(index))
            if found is not None:
                return found
    return None


def _frozen(params: dict) -> dict:
    """Params detached from the parsed YAML document (plain dicts, lists and scalars)."""
    return json.loads(json.dumps(params))


def columns_needed(rulebook: list[Rule] | None = None) -> dict[str, set[str]] | None:
    """The columns the rules read, per resource ("*": every resource); None when a rule kind does not say."""
    kinds = registry()
    needed: dict[str, set[str]] = {}
    for rule in load_rulebook() if rulebook is None else rulebook:
        module = kinds[rule.kind]
        reader = getattr(module, "columns_read", None)  # when what a rule reads depends on its params
        columns = reader(rule.params) if reader is not None else getattr(module, "COLUMNS", None)
        if columns is None:
            return None
        for resource, names in columns.items():
            needed.setdefault(resource, set()).update(names)
    return needed


def texts_needed(rulebook: list[Rule] | None = None) -> dict[str, set[str]]:
    """The free-text columns rules read only through Tables.texts() (their TEXTS), per resource:
    the validator does not keep these as columns: it holds them compressed (casekit.validation.text_store)
    and gives them when a rule asks."""
    kinds = registry()
    needed: dict[str, set[str]] = {}
    for rule in load_rulebook() if rulebook is None else rulebook:
        for resource, names in getattr(kinds[rule.kind], "TEXTS", {}).items():
            needed.setdefault(resource, set()).update(names)
    return needed


def run_rules(root: Path, tables: Tables, descriptor: dict, options: dict | None = None,
              rulebook: list[Rule] | None = None, summary: RuleSummary | None = None) -> list[Finding]:
    """Run every rule of the rulebook (the validator's own by default) against the typed tables.

    `options` are the run's settings a rule may read (e.g. options["source_text"], the
    folder of article texts given with --source-text, or None). A `summary` given is filled
    with what each rule checked (casekit.validation.rule_summary).
    """
    root = Path(root)
    rulebook = load_rulebook() if rulebook is None else rulebook
    kinds = registry()
    tables.reset_indexes()  # built once per run, on first use
    case_ids = tables.case_ids()
    if summary is not None:
        summary.case_ids = list(case_ids)
    # Findings are kept per rule and given in the rulebook's order, whatever order the rules run in.
    found_by_rule: list[list[Finding]] = [[] for _ in rulebook]
    counts = [None if summary is None else summary.start(rule, kinds[rule.kind].SCOPE) for rule in rulebook]

    def run(index: int, case_id) -> None:
        rule = rulebook[index]
        context = RuleContext(rule, tables, root, descriptor, case_id, rulebook, options or {})
        found: list[Finding] = []
        try:
            found.extend(kinds[rule.kind].check(context))
        except Exception as error:  # noqa: BLE001 - one broken rule must not hide the others' findings
            # The crash keeps the rule's own severity: a warning-level check that cannot run
            # must not fail a package, and an error-level one must not pass it.
            found.append(Finding(
                rule=rule.id, severity=rule.severity, case_id=case_id, locator=rule.locator,
                message=f"internal error: rule {rule.id} could not run "
                        f"({error.__class__.__name__}: {_one_line(error)}); please report this",
            ))
        found_by_rule[index].extend(found)
        if counts[index] is not None:
            summary.record(counts[index], context.counted, found, context.unchecked)

    case_rules = [index for index, rule in enumerate(rulebook) if kinds[rule.kind].SCOPE != "package"]
    for index, rule in enumerate(rulebook):
        if kinds[rule.kind].SCOPE == "package":
            run(index, None)
    # Every case rule on one case, then the next: what rules share about a case (Tables.shared) is
    # dropped once its case is done, so memory does not grow with the cases judged so far.
    for case_id in case_ids:
        for index in case_rules:
            run(index, case_id)
        tables.forget_shared()
    return [finding for found in found_by_rule for finding in found]


def _where(document, parts) -> str:
    """Where in the rules file a schema error is, naming the rule by its id when it has one."""
    parts = list(parts)
    if len(parts) >= 2 and parts[0] == "rules" and isinstance(parts[1], int):
        entry = document["rules"][parts[1]]
        name = entry.get("id") if isinstance(entry, dict) else None
        label = f"rule {name!r}" if isinstance(name, str) else f"rule number {parts[1] + 1}"
        return " ".join([label, *(str(part) for part in parts[2:])])
    return "/".join(str(part) for part in parts) or "top level"


def _one_line(error) -> str:
    return " ".join(str(error).split())
