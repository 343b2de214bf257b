"""Every Python and SQL recipe of docs/loading.md runs and prints what the page shows.

Blocks run in a copy of the package, in page order: ```sh blocks first
(they build the database, the release archive and the figure), then each
```python block with the copy as the current folder and each ```sql block
against the SQLite database the sh block built. A ```text block right after
a python or sql block is its expected output. The ```r and ```js recipes
are run by tests/test_readers.py.

Python runs in this process (a fresh namespace per block, the copy as the current folder, its
scripts run as `__main__` with their arguments): what a block proves is what it prints, and a
second interpreter per block cost more than the rest of this module. An sh block that is more
than `python SCRIPT ARGS` lines runs in bash.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_in_process, run_script
from docs_support import PAGE, owned_sections, recipes

COPIED = ["datapackage.json", "data", "schemas", "casekit", "scripts", "docs",
          "README.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff", "CHANGELOG.md"]
RUN_HERE = {"sh", "python", "sql"}
RUN_BY_TEST_READERS = {"r", "js"}


def format_rows(cursor: sqlite3.Cursor) -> str:
    header = " | ".join(column[0] for column in cursor.description)
    rows = [" | ".join("NULL" if value is None else str(value) for value in row) for row in cursor.fetchall()]
    return "\n".join([header, *rows]) + "\n"


RECIPES = recipes()


def _ids(language: str) -> list[str]:
    return [f"{language}-{number}" for number, _ in enumerate(r for r in RECIPES if r[0] == language)]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A copy of the repository with every sh block of the page already run in it."""
    root = tmp_path_factory.mktemp("readme") / "repo"
    root.mkdir()
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    for language, code, _ in RECIPES:
        if language == "sh":
            run_sh_block(code, root)
    return root


def run_sh_block(code: str, root: Path) -> None:
    commands = [shlex.split(line) for line in code.strip().splitlines()]
    if all(len(words) >= 2 and words[0] == "python" and words[1].endswith(".py") for words in commands):
        for words in commands:
            result = run_script(root / words[1], *words[2:], cwd=root)
            assert result.returncode == 0, f"docs/loading.md sh block failed:\n{code}\n{result.stderr}"
        return
    # `python` in a recipe must be this interpreter, with its installed packages.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(["bash", "-e", "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"docs/loading.md sh block failed:\n{code}\n{result.stderr}"


def test_every_recipe_of_the_loading_page_is_run_by_a_test():
    languages = {language for language, _, _ in RECIPES}
    assert languages == RUN_HERE | RUN_BY_TEST_READERS, f"recipe languages on docs/loading.md: {sorted(languages)}"


@pytest.mark.parametrize("code,expected", [(code, expected) for language, code, expected in RECIPES
                                           if language == "python"], ids=_ids("python"))
def test_python_recipe_runs_and_prints_what_the_readme_shows(workspace, code, expected):
    compiled = compile(code, "docs/loading.md", "exec")
    result = run_in_process(lambda: exec(compiled, {"__name__": "__main__"}), cwd=workspace, argv=["-c"])
    assert result.returncode == 0, f"docs/loading.md python block failed:\n{code}\n{result.stderr}"
    if expected is not None:
        assert result.stdout == expected, "docs/loading.md output block is stale; actual output:\n" + result.stdout


@pytest.mark.parametrize("code,expected", [(code, expected) for language, code, expected in RECIPES
                                           if language == "sql"], ids=_ids("sql"))
def test_sql_recipe_runs_on_the_built_database(workspace, code, expected):
    connection = sqlite3.connect(workspace / "build" / "case.sqlite")
    try:
        cursor = connection.execute(code)
        actual = format_rows(cursor)
    finally:
        connection.close()
    assert actual.count("\n") > 1, f"docs/loading.md sql block returns no rows:\n{code}"
    if expected is not None:
        assert actual == expected, "docs/loading.md output block is stale; actual output:\n" + actual


def test_recipes_never_write_into_data(workspace):
    before = {path.relative_to(REPO / "data"): path.read_bytes() for path in (REPO / "data").iterdir()}
    after = {path.relative_to(workspace / "data"): path.read_bytes() for path in (workspace / "data").iterdir()}
    assert after == before


def test_loading_page_shows_the_checked_in_figure():
    sections = owned_sections(PAGE.read_text(encoding="utf-8"))
    for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", sections):
        assert (PAGE.parent / target).is_file(), f"docs/loading.md embeds {target}, which does not exist"
    assert "](../figures/clinical-course-" in sections
