"""The README's table of resources lists every resource with its true row count."""
import csv
import json
import re

from conftest import REPO


def test_readme_resource_table_matches_the_package():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = {name: int(rows) for name, rows in re.findall(r"^\| `([a-z_]+)` \| (\d+) \|", readme, flags=re.M)}
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    actual = {}
    for resource in descriptor["resources"]:
        with (REPO / resource["path"]).open(newline="", encoding="utf-8") as handle:
            actual[resource["name"]] = sum(1 for _ in csv.DictReader(handle))
    assert listed == actual, "update the Resources table in README.md"
