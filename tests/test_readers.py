"""R frictionless and npm datapackage read every resource, every row and every filled cell, typed.

Each test runs the recipe of docs/loading.md in its language, in one process, with a few
lines appended that report each column's type and filled cells, and compares that with the
CSV files and the Table Schemas. Without Rscript and the frictionless R package, or without
node and readers/js/node_modules, the test is skipped and says why; in CI (CI=true) it fails
instead, because .ci/run installs both.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from casekit.analysis.descriptor import table_resources
from conftest import PACKAGE, REPO
from docs_support import only_recipe

IN_CI = os.environ.get("CI", "").lower() == "true"
JS_MODULES = REPO / "readers" / "js" / "node_modules"

# What each reader makes of a Table Schema type (the types the package uses, and a few more).
R_CLASSES = {"integer": {"numeric", "integer"}, "number": {"numeric"}, "string": {"character", "factor"},
             "boolean": {"logical"}, "date": {"Date"}, "datetime": {"POSIXct"}, "year": {"numeric", "integer"}}
JS_TYPES = {"integer": "integer", "number": "number", "string": "string", "boolean": "boolean"}

R_REPORT = r"""
for (name in names(tables)) {
  for (column in names(tables[[name]])) {
    values <- tables[[name]][[column]]
    cat("column", name, column, class(values)[1], sum(!is.na(values)), "\n", sep = "\t")
  }
}
"""

JS_REPORT = r"""
for (const resource of dataPackage.resources) {
  for (const field of resource.schema.fields) {
    const values = tables[resource.name].map((row) => row[field.name]).filter((value) => value !== null && value !== undefined);
    const kinds = new Set(values.map((value) => (typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value)));
    console.log(["column", resource.name, field.name, [...kinds].sort().join(","), values.length].join("\t"));
  }
}
"""


def missing_tool(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}; CI must run this test (.ci/run installs it)")
    pytest.skip(reason)


def expected_package() -> dict[str, dict]:
    """Per resource: row count, and per field its type and number of filled cells."""
    expected = {}
    for resource in table_resources(PACKAGE):
        with resource.path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        missing = set(resource.schema.get("missingValues", [""]))
        fields = {field["name"]: (field.get("type", "string"), sum(row[field["name"]] not in missing for row in rows))
                  for field in resource.schema["fields"]}
        expected[resource.name] = {"rows": len(rows), "fields": fields}
    return expected


def parse_report(stdout: str) -> tuple[dict[str, int], dict[str, dict[str, tuple[str, int]]]]:
    """Row counts printed by the recipe, and the columns reported by the appended lines."""
    counts, columns = {}, {}
    for line in stdout.splitlines():
        if line.startswith("column\t"):
            _, resource, field, kind, filled = line.rstrip("\t").split("\t")[:5]
            columns.setdefault(resource, {})[field] = (kind, int(filled))
        elif line.strip():
            name, rows = line.split()
            counts[name] = int(rows)
    return counts, columns


def assert_read_in_full(stdout: str, reader: str, accepts) -> None:
    counts, columns = parse_report(stdout)
    expected = expected_package()
    assert counts == {name: table["rows"] for name, table in expected.items()}, \
        f"{reader} did not read every resource with all its rows"
    for name, table in expected.items():
        assert list(columns.get(name, {})) == list(table["fields"]), f"{reader} read other columns of {name}"
        for field, (schema_type, filled) in table["fields"].items():
            kind, read_filled = columns[name][field]
            assert read_filled == filled, \
                f"{reader} read {read_filled} of the {filled} filled cells of {name}.{field}"
            if filled:
                assert accepts(schema_type, kind), f"{reader} read {name}.{field} ({schema_type}) as {kind}"


def test_r_frictionless_reads_every_resource_row_and_cell(tmp_path):
    if shutil.which("Rscript") is None:
        missing_tool("Rscript is not installed")
    probe = subprocess.run(["Rscript", "-e", 'cat(as.character(packageVersion("frictionless")))'],
                           capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        missing_tool("the frictionless R package is not installed")
    script = tmp_path / "recipe.R"
    # warn = 2: a value readr cannot parse is a warning, and must fail the run.
    script.write_text("options(warn = 2)\n" + only_recipe("r") + R_REPORT, encoding="utf-8")
    result = subprocess.run(["Rscript", str(script)], cwd=PACKAGE, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the R recipe failed (frictionless {probe.stdout}):\n{result.stderr}"
    assert_read_in_full(result.stdout, f"R frictionless {probe.stdout}",
                        lambda schema_type, kind: kind in R_CLASSES.get(schema_type, {kind}))


def test_npm_datapackage_reads_every_resource_row_and_cell(tmp_path):
    if shutil.which("node") is None:
        missing_tool("node is not installed")
    if not (JS_MODULES / "datapackage" / "package.json").is_file():
        missing_tool("npm datapackage is not installed (npm ci --prefix readers/js)")
    # The recipe is an ES module; it finds the library in a node_modules folder beside it.
    (tmp_path / "node_modules").symlink_to(JS_MODULES, target_is_directory=True)
    script = tmp_path / "recipe.mjs"
    script.write_text(only_recipe("js") + JS_REPORT, encoding="utf-8")
    result = subprocess.run(["node", str(script)], cwd=PACKAGE, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the JavaScript recipe failed:\n{result.stderr}"

    def accepts(schema_type: str, kinds: str) -> bool:
        wanted = JS_TYPES.get(schema_type)
        if wanted is None:
            return True
        # A number field whose values happen to be whole is still all numbers.
        allowed = {"integer", "number"} if wanted == "number" else {wanted}
        return set(kinds.split(",")) <= allowed

    assert_read_in_full(result.stdout, "npm datapackage", accepts)
