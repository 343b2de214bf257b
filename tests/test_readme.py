"""The README front page stays short, true to the package, and gives the command CI runs."""
import csv
import json
import re

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_resource_table_matches_the_package():
    listed = {name: int(rows) for name, rows in re.findall(r"^\| `([a-z_]+)` \| (\d+) \|", README, flags=re.M)}
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    actual = {}
    for resource in descriptor["resources"]:
        with (REPO / resource["path"]).open(newline="", encoding="utf-8") as handle:
            actual[resource["name"]] = sum(1 for _ in csv.DictReader(handle))
    assert listed == actual, "update the Resources table in README.md"


def _sh_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"^```sh\n(.*?)^```$", text, flags=re.M | re.S)]


def test_readme_test_command_is_what_ci_runs():
    blocks = _sh_blocks(README)
    assert len(blocks) == 2, "the README front page gives two commands: set up and validate, set up and test"
    test_command = blocks[1]
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert f"{test_command} || exit $?" in ci_lines, f".ci/run does not run the README's test command {test_command!r}"


def test_readme_is_a_front_page():
    assert len(README.splitlines()) <= 150, "README.md is a front page; move detail to docs/"
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (REPO / target).exists(), f"README.md links to {target}, which does not exist"


def test_docs_links_resolve():
    for page in sorted((REPO / "docs").glob("*.md")):
        prose = re.sub(r"`[^`\n]*`", "", page.read_text(encoding="utf-8"))  # patterns in code spans are no links
        for target in re.findall(r"\]\(([^)#:]+)\)", prose):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
