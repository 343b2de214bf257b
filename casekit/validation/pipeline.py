"""One pass, one direction: descriptor -> safety -> strict profile -> frictionless -> cross-table rules -> Report."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from casekit.validation.descriptor import (missing_file_findings, prepare_for_frictionless, read_descriptor,
                                          schema_lock_findings)
from casekit.validation.findings import Finding
from casekit.validation.limits import check_package_bounds
from casekit.validation.profile import profile_findings
from casekit.validation.report import Report
from casekit.validation.rule_summary import RuleSummary
from casekit.validation.unusable import Unusable


def _cross_table(root: Path, prepared: dict, rows: dict[str, list[dict]], descriptor: dict,
                 options: dict) -> list[Finding]:
    from casekit.validation.rules import RulebookError, run_rules

    # The resources' names and paths, as the frictionless Package has them (without building one).
    listing = SimpleNamespace(resources=[SimpleNamespace(name=resource["name"], path=resource["path"])
                                         for resource in prepared["resources"]])
    tables = rows.tables(listing, root)  # typed rows kept from the frictionless pass
    try:
        return list(run_rules(root, tables, descriptor, options=options, summary=options.get("summary")))
    except RulebookError as error:
        raise Unusable(f"cross-table rules: {error}") from None


def _run(root: Path, options: dict, truncated: list[str]) -> list[Finding]:
    descriptor = read_descriptor(root)
    prepared = prepare_for_frictionless(root, descriptor)
    findings = profile_findings(descriptor)
    locked = schema_lock_findings(descriptor, prepared)
    if locked:
        # A schema the model does not know may be loosened or booby-trapped (a pattern that
        # backtracks for hours); the tables are judged only against the validator's own model.
        return findings + locked
    missing = missing_file_findings(root, descriptor)
    if missing:
        # frictionless would stop at the first absent file with a less helpful message, and
        # foreign keys into an absent table cannot be judged, so report the files and stop here.
        return findings + missing
    # The files whose lines are plain are parsed once, by the clean read, which checks the rest of their bounds.
    deferred: set[str] = set()
    quoting = check_package_bounds(root, prepared, deferred)
    if quoting:
        # frictionless would read `"ab"c` as `abc`: the verdict on such a file would not be DuckDB's.
        return findings + quoting
    from casekit.validation.tabular import frictionless_pass

    from casekit.validation.keys import declared_keys
    from casekit.validation.rules import RulebookError, columns_needed, texts_needed
    from casekit.validation.tables import RowStore

    try:
        # Only the columns the rules and the key checks read are kept, so memory grows with what they need.
        rows = RowStore(columns_needed(), declared_keys(prepared), texts_needed())
    except RulebookError as error:
        raise Unusable(f"cross-table rules: {error}") from None
    try:
        _, table_findings = frictionless_pass(root, prepared, rows, truncated, bounds_deferred=deferred)
    except Unusable:
        if findings:
            # The descriptor breaks the profile (a `hash` that is a number): those findings say why
            # frictionless could not read it, and the package is invalid, not unreadable.
            return findings
        raise
    findings += table_findings
    if table_findings:
        # Cross-table rules assume typed, key-consistent tables; on broken ones they would only add noise.
        return findings
    return findings + _cross_table(root, prepared, rows, descriptor, options)


# The kept rows are hundreds of thousands of long-lived objects: with the default threshold (700)
# the cyclic garbage collector ran over 800 times at 1,000 cases (0.35 s of 11 s of CPU), and each
# full collection scans every kept row, so its share grows with the cases. Reference counting frees
# nearly everything a run makes; the collector only needs to run now and then.
YOUNG_COLLECTION_THRESHOLD = 20_000


@contextmanager
def _fewer_collections():
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG_COLLECTION_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def validate_package(root: Path, source_text: Path | None = None) -> Report:
    """Judge the package at `root` without writing anything or reading outside it.

    With `source_text` (a folder of article text files, read only inside that folder),
    the source-text rule also looks up every quote in its article.
    """
    root = Path(root)
    if source_text is not None and not Path(source_text).is_dir():
        return Report(unusable=f"--source-text {source_text}: not a folder")
    # The source-coverage rule adds each case's counts to options["coverage"] (only with source_text).
    summary = RuleSummary()
    options = {"source_text": None if source_text is None else Path(source_text), "coverage": [], "summary": summary}
    truncated: list[str] = []
    try:
        with _fewer_collections():
            findings = _run(root, options, truncated)
        return Report(findings=findings, source_text_checked=source_text is not None, truncated=truncated,
                      coverage=options["coverage"] if source_text is not None else None, rule_summary=summary)
    except Unusable as error:
        return Report(unusable=str(error))
    except OSError as error:
        return Report(unusable=f"cannot read the package: {error.strerror or error} ({error.filename or root})")
