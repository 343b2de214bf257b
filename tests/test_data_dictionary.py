"""docs/data-dictionary.md is generated from the Table Schemas and never drifts from them."""
from __future__ import annotations

import functools
import json

from casekit.analysis.dictionary import REGENERATE, render
from conftest import REPO


@functools.cache
def repo_dictionary() -> str:
    """The dictionary of the repository's own package, rendered once per process (it reads every table)."""
    return render(REPO)


def test_checked_in_data_dictionary_matches_a_fresh_generation():
    checked_in = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert checked_in == repo_dictionary(), f"docs/data-dictionary.md is stale; regenerate it with `{REGENERATE}`"


def test_dictionary_lists_every_resource_and_field():
    text = repo_dictionary()
    for resource in json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        assert f"## {resource['name']}\n" in text
        assert f"- Path: `{resource['path']}`" in text
        schema = json.loads((REPO / resource["schema"]).read_text(encoding="utf-8"))
        for field in schema["fields"]:
            assert f"| `{field['name']}` |" in text


def test_dictionary_shows_units_keys_and_row_counts():
    text = repo_dictionary()
    assert "| `dose_value` | Dose | number | see `dose_unit` |" in text
    assert "| `step` | Step | integer | `1` |" in text
    assert "- Primary key: `discrepancy_id`, `resource`, `row_id`" in text
    assert "`drug_id` → `drugs.drug_id`" in text
    assert "one of `asserted`, `suspected`, `negated`" in text


def test_a_schema_change_makes_the_dictionary_stale(package):
    path = package.root / "schemas" / "drugs.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][1]["description"] = "Changed."
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert render(package.root) != repo_dictionary()


def test_a_new_row_changes_the_row_count(package):
    package.append_row("drugs", {"drug_id": "anakinra", "name": "anakinra"})
    assert f"- Rows: {len(package.read_rows('drugs'))}" in render(package.root).split("## drugs")[1]


def test_a_vocabulary_table_lists_its_codes_with_their_labels(package):
    """A table with one key column and a label column is a vocabulary: the dictionary is its codebook."""
    path = package.root / "schemas" / "drugs.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "label", "type": "string", "title": "Label"})
    path.write_text(json.dumps(schema), encoding="utf-8")
    rows = package.read_rows("drugs")
    for row in rows:
        row["label"] = row["name"].upper()
    package.write_rows("drugs", rows, list(rows[0]))
    text = render(package.root)
    section = text[text.index("## drugs"):text.index("## ", text.index("## drugs") + 3)]
    assert f"Codes ({len(rows)}):" in section
    assert f"| `{rows[0]['drug_id']}` | {rows[0]['name'].upper()} |" in section
    assert "Codes (" not in repo_dictionary().split("## drugs")[1].split("\n## ")[0]
