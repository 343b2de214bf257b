"""The validator, not the package, decides what a valid package is: profiles, model, dialect, formats, cells.

Each attack of issue 8 in a copy of the real package, judged in-process (the process
boundary is tested in test_bad_input_output.py): the verdict, one clear reason, and
nothing written.
"""
from __future__ import annotations

import json
import time

import pytest

from casekit.profiles import schema_validator
from casekit.validation.model_lock import LOCK_RULE, build_lock, lock_text, LOCK_PATH
from casekit.validation.pipeline import validate_package
from casekit.validation.row_checks import formula_start
from conftest import REPO


def judge(package, expected_code: int, budget: float = 10.0):
    """Validate the copy; assert the exit code, a one-line reason for exit 2, bounded time and no write."""
    before = package.snapshot()
    started = time.process_time()  # CPU time: a busy machine must not fail the test
    report = validate_package(package.root)
    assert time.process_time() - started < budget
    assert package.snapshot() == before, "the validator changed files in the package"
    assert report.exit_code() == expected_code, report.unusable or report.findings
    if expected_code == 2:
        assert "\n" not in report.unusable
    return report


def edit_resource(package, name: str, **changes) -> None:
    descriptor = package.descriptor()
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    for key, value in changes.items():
        if value is None:
            resource.pop(key, None)
        else:
            resource[key] = value
    package.write_descriptor(descriptor)


# --- the validator's own profiles and references -------------------------------------------------

def test_a_profile_shipped_in_the_package_cannot_loosen_the_descriptor_check(package):
    profiles = package.root / "schemas" / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "datapackage.strict.schema.json").write_text("{}", encoding="utf-8")
    descriptor = package.descriptor()
    del descriptor["licenses"], descriptor["sources"]
    package.write_descriptor(descriptor)
    report = judge(package, 1)
    assert any(f.rule == "descriptor-profile" and "licenses" in f.message for f in report.findings)


@pytest.mark.parametrize("reference", ["https://example.org/evil.json", "file:///etc/passwd", "../rules.yaml"])
def test_a_reference_outside_the_validators_own_schemas_is_never_resolved(reference):
    import referencing.exceptions

    validator = schema_validator({"$ref": reference})
    with pytest.raises(referencing.exceptions.Unresolvable):
        list(validator.iter_errors({}))


# --- the model lock ------------------------------------------------------------------------------

def test_the_model_lock_matches_the_real_package():
    assert lock_text(build_lock(REPO)) == LOCK_PATH.read_text(encoding="utf-8"), (
        "run: python -m casekit.validation.model_lock --write")


@pytest.mark.parametrize("keep", [3, 13])
def test_a_descriptor_listing_only_some_resources_is_unusable(package, keep):
    descriptor = package.descriptor()
    dropped = [r["name"] for r in descriptor["resources"][keep:]]
    descriptor["resources"] = descriptor["resources"][:keep]
    package.write_descriptor(descriptor)
    report = judge(package, 2, budget=2)
    assert f"lacks the resource{'s' * (len(dropped) > 1)} {', '.join(dropped)}" in report.unusable


def test_an_extra_resource_is_unusable(package):
    descriptor = package.descriptor()
    descriptor["resources"].append(dict(descriptor["resources"][3], name="drugs-again"))
    package.write_descriptor(descriptor)
    assert "drugs-again that the model does not know" in judge(package, 2, budget=2).unusable


def test_a_resource_read_from_another_file_is_unusable(package):
    (package.root / "data" / "other.csv").write_bytes(package.csv_path("drugs").read_bytes())
    edit_resource(package, "drugs", path="data/other.csv")
    assert "reads it from data/drugs.csv" in judge(package, 2, budget=2).unusable


@pytest.mark.parametrize("loosen", [
    lambda s: s["fields"][0]["constraints"].pop("pattern"),
    lambda s: s["fields"][0]["constraints"].update(pattern="(a+)+$"),
    lambda s: s["fields"].append({"name": "extra", "type": "string"}),
])
def test_a_schema_that_differs_from_the_lock_is_one_error_and_the_tables_are_not_read(package, loosen):
    path = package.root / "schemas" / "drugs.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    loosen(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")
    report = judge(package, 1, budget=3)
    assert [f.rule for f in report.findings] == [LOCK_RULE]
    assert "schemas/drugs.schema.json" == report.findings[0].path


def test_a_reformatted_but_identical_schema_is_accepted(package):
    path = package.root / "schemas" / "drugs.schema.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=7), encoding="utf-8")
    judge(package, 0)


# --- dialect, format, scheme, extension: fixed, so frictionless never reads what others do not ----

@pytest.mark.parametrize("dialect, key", [
    ({"commentRows": [3]}, "commentRows"),
    ({"commentChar": "d"}, "commentChar"),
    ({"headerRows": [1, 2]}, "headerRows"),
    ({"header": False}, "header"),
    ({"delimiter": ";"}, "delimiter"),
    ({"quoteChar": "'"}, "quoteChar"),
    ({"skipInitialSpace": True}, "skipInitialSpace"),
    ({"header": 1}, "header"),
])
def test_a_dialect_other_than_the_fixed_one_is_unusable(package, dialect, key):
    edit_resource(package, "drugs", dialect=dialect)
    assert f"dialect.{key} = " in judge(package, 2, budget=2).unusable


def test_the_fixed_dialect_written_out_or_left_out_is_accepted(package):
    edit_resource(package, "drugs", dialect={"delimiter": ",", "quoteChar": '"', "doubleQuote": True,
                                             "header": True, "headerRows": [1], "lineTerminator": "\r\n"})
    edit_resource(package, "cases", dialect=None)
    judge(package, 0)


@pytest.mark.parametrize("changes, reason", [
    ({"format": "gsheets"}, "format is 'gsheets'"),
    ({"format": "xlsx"}, "format is 'xlsx'"),
    ({"path": "data/drugs.zip"}, "does not end in .csv"),
    ({"path": "data/drugs.csv.gz"}, "does not end in .csv"),
    ({"path": ["data/drugs.csv"]}, "one file name"),
    ({"scheme": "https"}, "scheme is 'https'"),
    ({"encoding": "latin-1"}, "encoding is 'latin-1'"),
    ({"mediatype": "application/zip"}, "mediatype"),
    ({"data": [["drug_id"], ["x"]]}, "key 'data'"),
    ({"control": {"type": "remote"}}, "key 'control'"),
    ({"type": "file"}, "type is 'file'"),
])
def test_a_format_scheme_or_file_kind_other_than_plain_csv_is_unusable_before_frictionless(package, changes, reason):
    edit_resource(package, "drugs", **changes)
    assert reason in judge(package, 2, budget=2).unusable


# --- identifiers, codes and text cells -----------------------------------------------------------

def test_an_identifier_with_a_trailing_newline_is_not_a_second_identifier(package):
    drug = next(r for r in package.read_rows("drugs") if r["drug_id"] == "dasatinib")
    package.append_row("drugs", dict(drug, drug_id="dasatinib\n"))
    case = package.read_rows("cases")[0]
    package.append_row("cases", dict(case, case_id=case["case_id"] + "\n"))
    report = judge(package, 1)
    assert sorted((f.rule, f.field) for f in report.findings) == [
        ("identifier-form", "case_id"), ("identifier-form", "drug_id")]
    assert all("as a whole string" in f.message for f in report.findings)


def test_an_attribute_with_a_trailing_newline_cannot_switch_a_rule_off(package):
    rows = package.read_rows("case_characteristics")
    attribute = next(r for r in rows if r["attribute"] == "follow_up")
    package.set_cell("case_characteristics", attribute["characteristic_id"], "attribute", "follow_up\n")
    report = judge(package, 1)
    found = {(f.rule, f.field) for f in report.findings}
    # attribute is also a key into the attributes vocabulary, so the foreign key reports it too
    assert ("identifier-form", "attribute") in found and {field for _, field in found} == {"attribute"}


CONTROL_CHARACTERS = ["a\tb", "line one\nline two", "bell\x07", "esc\x1b[31m", "c1\x85"]
FORMULAS = ['=HYPERLINK("http://x","click")', "+A1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-(1)", "=1+1"]


def plant_in_free_text(package, values: list[str]) -> list[int]:
    """Put each value into drug_class of its own drugs row; return the rows' CSV row numbers."""
    rows = package.read_rows("drugs")
    for row, value in zip(rows, values):
        row["drug_class"] = value
    package.write_rows("drugs", rows)
    package.refresh_hashes()
    return list(range(2, 2 + len(values)))


def test_free_text_with_a_control_character_is_an_error_tab_and_newline_included(package):
    planted = plant_in_free_text(package, CONTROL_CHARACTERS)
    report = judge(package, 1)
    assert sorted((f.rule, f.row, f.field) for f in report.findings) == [
        ("control-character", row, "drug_class") for row in planted]


def test_a_text_cell_a_spreadsheet_would_run_as_a_formula_is_an_error(package):
    planted = plant_in_free_text(package, FORMULAS)
    report = judge(package, 1)
    assert sorted((f.rule, f.row, f.field) for f in report.findings) == [
        ("spreadsheet-formula", row, "drug_class") for row in planted]
    assert all("a spreadsheet would run it as a formula" in f.message for f in report.findings)


def test_free_text_may_hold_any_other_unicode_and_negative_numbers_or_a_lone_dash(package):
    plant_in_free_text(package, ["kinase inhibitor – μg/L ≥ 5 日本 🙂", "-", "-4", "+1.5"])
    judge(package, 0)


def check_cells(schema: dict, rows: list[list]) -> list[tuple[str, str]]:
    """Run only the cell-content check over an in-memory table; return (error type, field) pairs."""
    from frictionless import Checklist, Resource, Schema

    from casekit.validation.row_checks import row_checks

    resource = Resource(data=[[f["name"] for f in schema["fields"]], *rows], schema=Schema.from_descriptor(schema))
    report = resource.validate(Checklist(checks=[row_checks()]))
    return [(error.type, error.field_name) for error in report.task.errors]


LOOSE_CODE = {"fields": [{"name": "code", "type": "string", "constraints": {"pattern": "\\S+"}},
                         {"name": "text", "type": "string"}]}


@pytest.mark.parametrize("code, errors", [
    ("abc", []),
    ("abc\n", [("identifier-form", "code")]),
    ("ab\u00e9", [("identifier-form", "code")]),
    ("ab\u200bc", [("identifier-form", "code")]),
])
def test_identifiers_are_whole_matches_in_printable_ascii(code, errors):
    assert check_cells(LOOSE_CODE, [[code, "free text"]]) == errors


def test_an_alternation_pattern_is_matched_as_a_whole_not_as_a_prefix():
    schema = {"fields": [{"name": "code", "type": "string", "constraints": {"pattern": "a|b"}}]}
    assert check_cells(schema, [["a"], ["axx"]]) == [("identifier-form", "code")]


@pytest.mark.parametrize("text, formula", [
    ("-4", False), ("+4", False), ("-1.5", False), ("+1e3", False), ("-", False), ("=", False), ("@", False),
    ("", False), ("kinase inhibitor", False), ("4-5 mg", False), ("a=b", False),
    ("=SUM(A1)", True), ("@x", True), ("+A1", True), ("-A1", True), ("-(2)", True), ("- 4 days", True),
    ("-4 mg", True), ("--4", True), ("+-4", True),
])
def test_the_formula_rule_is_precise(text, formula):
    assert formula_start(text) is formula


def test_the_real_data_has_no_formula_like_text():
    # "-4" (a day) and "=" (a comparator) occur in the real data; neither is a formula.
    assert not formula_start("-4") and not formula_start("=")


def test_the_installed_validator_carries_its_profiles_model_and_rulebook():
    import fnmatch
    import tomllib

    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "casekit.validation" in setuptools["packages"]
    patterns = setuptools["package-data"]["casekit.validation"]
    own = REPO / "casekit" / "validation"
    needed = [p.relative_to(own).as_posix() for p in (own / "profiles").glob("*.json")] + ["model.json", "rules.yaml"]
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in needed), needed


def test_the_lock_command_reports_a_stale_lock_and_rewrites_it(package, tmp_path, monkeypatch, capsys):
    from casekit.validation import model_lock

    stale = tmp_path / "model.json"
    stale.write_text('{"resources": []}\n', encoding="utf-8")
    monkeypatch.setattr(model_lock, "LOCK_PATH", stale)
    assert model_lock.main(["--package", str(package.root)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert model_lock.main(["--write", "--package", str(package.root)]) == 0
    assert stale.read_text(encoding="utf-8") == LOCK_PATH.read_text(encoding="utf-8")
    assert model_lock.main(["--package", str(package.root)]) == 0


@pytest.mark.parametrize("name", ["datapackage.json", "schemas/drugs.schema.json"])
def test_a_descriptor_or_schema_that_is_a_fifo_is_refused_unopened(package, name):
    import os

    (package.root / name).unlink()
    os.mkfifo(package.root / name)
    assert "is not a regular file" in judge(package, 2, budget=2).unusable
