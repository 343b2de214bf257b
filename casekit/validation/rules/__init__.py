"""Cross-table consistency rules: rules.yaml names them, one module per kind implements them.

A rule in rules.yaml is data a curator can read (id, kind, severity, a plain
statement, the article locator that motivates it, params). Its `kind` names a
module of this package; the module defines KIND, PARAMS (a JSON Schema for the
rule's params), SCOPE ("case" or "package") and `check(context)`, which yields
Finding objects. Adding a rule kind is one YAML entry and one module: modules
are discovered, not listed.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path
from types import ModuleType

import jsonschema
import yaml

from casekit.package_files import read_package_file
from casekit.profiles import profile_path
from casekit.safe_yaml import load_yaml
from casekit.safety import UnsafePath
from casekit.validation.findings import ERROR, Finding
from casekit.validation.rules.context import Rule, RuleContext
from casekit.validation.tables import Tables

RULES_FILE = "rules.yaml"
RULES_SCHEMA = profile_path("rules.schema.json")

__all__ = ["RulebookError", "Rule", "load_rulebook", "registry", "run_rules"]


class RulebookError(Exception):
    """The rules file is missing, unreadable or invalid; the validator cannot judge the package."""


def registry() -> dict[str, ModuleType]:
    """Every rule kind this package implements: kind -> module."""
    kinds: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if kind is not None:
            kinds[kind] = module
    return kinds


def load_rulebook(path: Path) -> list[Rule]:
    """Read and validate a rules file; raise RulebookError with a one-line reason if it cannot be used."""
    try:
        text = read_package_file(path.parent, path.name).decode("utf-8")
    except FileNotFoundError:
        raise RulebookError(f"{path.name}: the rules file is missing (expected at {path})") from None
    except UnsafePath as error:
        raise RulebookError(f"{path.name}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RulebookError(f"{path.name}: cannot read the rules file ({error.__class__.__name__})") from None
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
        params_error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(module.PARAMS).iter_errors(params))
        if params_error is not None:
            where = "/".join(str(part) for part in params_error.absolute_path) or "params"
            raise RulebookError(f"{path.name}: rule {entry['id']!r}: {where}: {_one_line(params_error.message)}")
        rules.append(Rule(entry["id"], entry["kind"], entry["severity"], entry["statement"],
                          entry.get("locator"), params))
    return rules


def run_rules(root: Path, tables: Tables, descriptor: dict, options: dict | None = None) -> list[Finding]:
    """Run every rule of root/rules.yaml against the typed tables; return the findings.

    `options` are the run's settings a rule may read (e.g. options["source_text"], the
    folder of article texts given with --source-text, or None).
    """
    root = Path(root)
    rulebook = load_rulebook(root / RULES_FILE)
    kinds = registry()
    findings: list[Finding] = []
    for rule in rulebook:
        module = kinds[rule.kind]
        scopes = [None] if module.SCOPE == "package" else tables.case_ids()
        for case_id in scopes:
            context = RuleContext(rule, tables, root, descriptor, case_id, rulebook, options or {})
            try:
                findings.extend(module.check(context))
            except Exception as error:  # noqa: BLE001 - one broken rule must not hide the others' findings
                findings.append(Finding(
                    rule=rule.id, severity=ERROR, case_id=case_id, locator=rule.locator,
                    message=f"internal error: rule {rule.id} could not run "
                            f"({error.__class__.__name__}: {_one_line(error)}); please report this",
                ))
    return findings


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
