"""Fixtures: the real package, in files or as typed in-memory tables, to break one thing in.

- `typed_tables`: a fresh PlantedTables (tests/rules_support.py), a private copy of
  the real package's typed tables; the frictionless pass that reads them runs once
  per test session (per xdist worker). Plant with `typed_tables.set_cell(resource,
  row_id, field, "text")`, then `validate(typed_tables)` or
  `assert_only_rule_fires(typed_tables, "rule-id")`, or `run_rules_on(typed_tables)`.
  A plant that the frictionless pass would reject raises SchemaError instead of
  silently testing a state the validator never reaches. Milliseconds per test:
  the default for cross-table rule tests.
- `real_tables` (session): the shared typed tables themselves; read, never change.
- `package` (alias `package_copy`): a copy of the package's files in a temporary
  folder, for tests where files, frictionless itself or the CLI are what is tested.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True
from package_under_test import PACKAGE, PACKAGE_TEXTS, PUBLISHED_CASE, REPO  # noqa: E402,F401  (tests import them from here)

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from casekit.analysis import frame_memo  # noqa: E402
from casekit.hashes import refresh  # noqa: E402
from casekit.quotes import passage_memo  # noqa: E402
from casekit.validation.rules._common import PRIMARY_KEYS  # noqa: E402

# The suite validates hundreds of copies that differ in one file: coverage counts again only the
# passages whose rows changed (tests/test_source_coverage.py proves it).
passage_memo.enabled = True
# And each unchanged data file is parsed into a DataFrame once (tests/test_case_aware_analysis.py proves it).
frame_memo.enabled = True

import rules_support  # noqa: E402

PACKAGE_FILES = ["datapackage.json", "data", "schemas", "CHANGELOG.md", "CITATION.cff"]


class PackageCopy:
    """A copy of the real package in a temporary folder, with helpers to plant errors."""

    def __init__(self, root: Path):
        self.root = root

    def csv_path(self, resource: str) -> Path:
        return self.root / "data" / f"{resource}.csv"

    def read_rows(self, resource: str) -> list[dict]:
        with self.csv_path(resource).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def header(self, resource: str) -> list[str]:
        """The table's column names, from its header (a table may have no rows)."""
        with self.csv_path(resource).open(newline="", encoding="utf-8") as handle:
            return next(csv.reader(handle), [])

    def write_rows(self, resource: str, rows: list[dict], fieldnames: list[str] | None = None) -> None:
        fieldnames = fieldnames or self.header(resource)
        with self.csv_path(resource).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def set_cell(self, resource: str, row_id: str, field: str, value: str, refresh_hashes: bool = True) -> None:
        """Change one value of the row whose primary key is row_id, as a curator would in a spreadsheet."""
        rows = self.read_rows(resource)
        key = PRIMARY_KEYS[resource]
        matches = [row for row in rows if row[key] == row_id]
        assert matches, f"no row {row_id} in {resource}"
        matches[0][field] = value
        self.write_rows(resource, rows)
        if refresh_hashes:
            self.refresh_hashes()

    def append_row(self, resource: str, row: dict, refresh_hashes: bool = True) -> None:
        rows = self.read_rows(resource)
        rows.append({name: row.get(name, "") for name in self.header(resource)})
        self.write_rows(resource, rows)
        if refresh_hashes:
            self.refresh_hashes()

    def refresh_hashes(self) -> None:
        refresh(self.root)

    def descriptor(self) -> dict:
        return json.loads((self.root / "datapackage.json").read_text(encoding="utf-8"))

    def write_descriptor(self, descriptor: dict) -> None:
        (self.root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")

    def run_cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run `python validate.py ARGS` with the copy as the current folder, as a user would."""
        return subprocess.run(
            [sys.executable, "-B", str(REPO / "validate.py"), *args],
            cwd=self.root, capture_output=True, text=True, timeout=120,
        )

    def run_main(self, *args: str) -> subprocess.CompletedProcess:
        """The same as run_cli, in this process: the CLI's main() with the copy as the current folder.

        validate.py is `sys.exit(main())` and nothing more, so what main() prints and returns is what
        the command prints and exits with. Use run_cli where the process itself is what is tested
        (a hang, a crash of the interpreter, the terminal's encoding, the installed command).
        """
        from casekit.validation.cli import main

        stdout, stderr = io.StringIO(), io.StringIO()
        previous = Path.cwd()
        os.chdir(self.root)
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    code = main(list(args))
                except SystemExit as exit_:  # argparse's usage errors
                    code = exit_.code if isinstance(exit_.code, int) else 2
        finally:
            os.chdir(previous)
        return subprocess.CompletedProcess(["validate.py", *args], code, stdout.getvalue(), stderr.getvalue())

    def snapshot(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.root)): p.read_bytes() for p in sorted(self.root.rglob("*")) if p.is_file()}


def run_in_process(run, *, cwd: Path, argv: list[str]) -> subprocess.CompletedProcess:
    """run() with cwd as the current folder and argv as sys.argv: its exit code, standard output and error.

    For commands whose exit code and output are what a test proves: starting an interpreter costs
    more than most commands. An exception that escapes fails the test, as its traceback would fail
    it in a process. Keep real processes for signals, closed output, encodings, imports and hangs.
    """
    stdout, stderr = io.StringIO(), io.StringIO()
    previous_dir, previous_argv, previous_path = Path.cwd(), sys.argv, list(sys.path)
    os.chdir(cwd)
    sys.argv = list(argv)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                run()
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        os.chdir(previous_dir)
        sys.argv, sys.path[:] = previous_argv, previous_path  # scripts put the repository first
    return subprocess.CompletedProcess(argv, code, stdout.getvalue(), stderr.getvalue())


def run_script(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python SCRIPT ARGS` in cwd, run in this process (see run_in_process)."""
    return run_in_process(lambda: runpy.run_path(str(script), run_name="__main__"), cwd=cwd, argv=[str(script), *args])


def copy_package(folder: Path) -> PackageCopy:
    """Copy the package under test's files (not its code) into folder/package (see package_under_test.py)."""
    root = folder / "package"
    root.mkdir()
    for name in PACKAGE_FILES:
        source = PACKAGE / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy2(source, root / name)
    return PackageCopy(root)


def copy_release_files(folder: Path) -> Path:
    """Copy every file the release archive holds (the package, README, licences, data dictionary) into folder/package."""
    from casekit.release import package_paths

    root = folder / "package"
    for relative in package_paths(PACKAGE):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PACKAGE / relative, root / relative)
    return root


@pytest.fixture
def package(tmp_path: Path) -> PackageCopy:
    return copy_package(tmp_path)


@pytest.fixture
def package_copy(tmp_path: Path) -> PackageCopy:
    """The same as `package`: a copy of the real package's files in a temporary folder."""
    return copy_package(tmp_path)


@pytest.fixture(scope="session")
def real_tables():
    """The real package's typed tables, read through frictionless once per session. Do not change them."""
    return rules_support.real_tables()


@pytest.fixture
def typed_tables():
    """A private copy of the real package's typed tables to plant an error in and run the rules on."""
    return rules_support.PlantedTables()


@pytest.fixture
def rulebook(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the validator's own rulebook that this test's validation uses instead; edit it freely."""
    from casekit.validation import rules

    path = tmp_path / "rulebook" / "rules.yaml"
    path.parent.mkdir()
    shutil.copy2(rules.RULES_PATH, path)
    monkeypatch.setattr(rules, "RULES_PATH", path)
    return path


@pytest.hookimpl(tryfirst=True)  # before the tmp_path factory reads the option
def pytest_configure(config):
    """Temporary folders in memory (/dev/shm) where the system has it, unless --basetemp names a folder.

    The suite writes a few hundred package copies: on a disk-backed /tmp their writes cost system time
    and wait on the disk. One folder per run (workers get theirs inside it), removed when the run ends,
    so runs at the same time never share or delete each other's folders."""
    if hasattr(config, "workerinput") or config.option.basetemp or not _MEMORY_FOLDER.is_dir():
        return
    import tempfile

    try:
        if shutil.disk_usage(_MEMORY_FOLDER).free < _MEMORY_NEEDED:  # a container's 64 MB /dev/shm: the disk
            return
        config.option.basetemp = tempfile.mkdtemp(prefix="casekit-tests-", dir=_MEMORY_FOLDER)
    except OSError:
        return
    config.add_cleanup(lambda folder=config.option.basetemp: shutil.rmtree(folder, ignore_errors=True))


_MEMORY_FOLDER = Path("/dev/shm")
_MEMORY_NEEDED = 2 * 1024 ** 3  # the run keeps every test's folder until it ends: a few hundred MB


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`--dist loadgroup`, see pyproject.toml), keep each module whose tests share a
    module-scoped fixture on one worker, so that costly fixture (a built database, a two-case package)
    is made once, not once per worker; and hand those groups out first, so the other worker fills in
    with single tests instead of waiting for a long group at the end.

    A session-scoped fixture defined in a test module and imported by others (test_fixture_cases's
    combined package) groups every module that uses it under the defining module's name: one worker
    builds it once (that module memoises it per process) instead of each worker building it."""
    groups = {}
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        definitions = getattr(item, "_fixtureinfo", None)
        if definitions is None:
            continue
        found = {_group_of(chain[-1], item) for chain in definitions.name2fixturedefs.values() if chain} - {None}
        if found:
            own = item.module.__name__
            groups[item] = min(found - {own}, default=own)  # an imported fixture's module first
    # A module that shares an imported fixture joins that group whole: its own module fixtures are made once too.
    joined = {item.module.__name__: group for item, group in groups.items() if group != item.module.__name__}
    for item, group in groups.items():
        item.add_marker(pytest.mark.xdist_group(joined.get(item.module.__name__, group)))
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


def _group_of(fixture, item) -> str | None:
    """The group a fixture puts its tests in: a module- or class-scoped fixture its test's module; a
    session-scoped one defined in a test module (not a conftest) the module that defines it."""
    scope = getattr(fixture, "scope", None)
    if scope in ("module", "class"):
        return item.module.__name__
    if scope == "session" and str(getattr(fixture, "baseid", "")).endswith(".py"):
        return getattr(getattr(fixture, "func", None), "__module__", None) or item.module.__name__
    return None
