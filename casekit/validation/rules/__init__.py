"""Cross-table consistency rules: rules.yaml names them, one module per kind implements them."""
from __future__ import annotations

from pathlib import Path

from casekit.validation.findings import Finding
from casekit.validation.tables import Tables


class RulebookError(Exception):
    """The rules file is missing, unreadable or invalid; the validator cannot judge the package."""


def run_rules(root: Path, tables: Tables, descriptor: dict) -> list[Finding]:
    """Run every rule of rules.yaml against the typed tables; return the findings."""
    return []
