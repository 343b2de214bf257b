"""Bad input never crashes the validator, never changes the package, and says why in one line or as findings."""
from __future__ import annotations

import os
import re

import pytest

from casekit.validation.rules import RulebookError, load_rulebook

from validator_checks import assert_refused_cleanly


def refuse(package, codes=(1, 2)):
    before = package.snapshot()
    result = package.run_main()
    assert_refused_cleanly(result, before, package.snapshot(), codes)
    return result


def set_resource_path(package, name: str, path: str) -> None:
    descriptor = package.descriptor()
    next(r for r in descriptor["resources"] if r["name"] == name)["path"] = path
    package.write_descriptor(descriptor)


@pytest.mark.parametrize("path, reason", [
    ("../x.csv", "climbs out"),
    ("/etc/passwd", "absolute"),
    ("https://example.org/drugs.csv", "URL"),
    (".hidden/drugs.csv", "hidden"),
])
def test_unsafe_resource_path_is_refused(package, path, reason):
    set_resource_path(package, "drugs", path)
    result = refuse(package, codes=(2,))
    assert reason in result.stdout


def test_unsafe_schema_path_is_refused(package):
    descriptor = package.descriptor()
    descriptor["resources"][0]["schema"] = "../schemas/sources.schema.json"
    package.write_descriptor(descriptor)
    assert "climbs out" in refuse(package, codes=(2,)).stdout


def test_symlink_leaving_the_root_is_refused(package, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_bytes(package.csv_path("drugs").read_bytes())
    link = package.root / "data" / "linked.csv"
    os.symlink(outside, link)
    set_resource_path(package, "drugs", "data/linked.csv")
    assert "symlink" in refuse(package, codes=(2,)).stdout


def test_unofficial_profile_is_refused_without_fetching_it(package):
    descriptor = package.descriptor()
    descriptor["$schema"] = "https://example.org/my-profile.json"
    package.write_descriptor(descriptor)
    assert "official" in refuse(package, codes=(2,)).stdout


def test_malformed_json_descriptor(package):
    (package.root / "datapackage.json").write_text('{"name": oops}', encoding="utf-8")
    assert "not valid JSON" in refuse(package, codes=(2,)).stdout


def test_truncated_json_descriptor(package):
    path = package.root / "datapackage.json"
    path.write_bytes(path.read_bytes()[:500])
    assert "not valid JSON" in refuse(package, codes=(2,)).stdout


def test_empty_descriptor(package):
    (package.root / "datapackage.json").write_bytes(b"")
    assert "empty" in refuse(package, codes=(2,)).stdout


def test_descriptor_that_is_a_json_array(package):
    (package.root / "datapackage.json").write_text("[1, 2]", encoding="utf-8")
    assert "must be a JSON object" in refuse(package, codes=(2,)).stdout


def test_invalid_utf8_in_descriptor(package):
    path = package.root / "datapackage.json"
    path.write_bytes(path.read_bytes().replace(b"Dasatinib", b"Dasat\xffinib", 1))
    assert "not valid UTF-8" in refuse(package, codes=(2,)).stdout


def test_number_that_overflows_in_descriptor(package):
    path = package.root / "datapackage.json"
    planted = re.sub(rb'"bytes": \d+', b'"bytes": 1e999', path.read_bytes(), count=1)
    assert planted != path.read_bytes()
    path.write_bytes(planted)
    assert "overflows" in refuse(package, codes=(2,)).stdout


def test_invalid_utf8_in_csv(package):
    path = package.csv_path("drugs")
    path.write_bytes(path.read_bytes().replace(b"dasatinib", b"dasat\xffinib", 1))
    package.refresh_hashes()
    assert "encoding-error" in refuse(package, codes=(1,)).stdout


def test_python_tag_in_the_validators_rules_file_is_not_executed(rulebook, tmp_path):
    marker = tmp_path / "executed"
    rulebook.write_text(f'rules: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(RulebookError, match="disallowed tag"):
        load_rulebook(rulebook)
    assert not marker.exists()


def test_a_rules_file_in_the_package_is_ignored_not_executed(package, tmp_path):
    marker = tmp_path / "executed"
    (package.root / "rules.yaml").write_text(f'rules: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert package.run_main().returncode == 0
    assert not marker.exists()


def test_extra_column_in_csv(package):
    rows = package.read_rows("drugs")
    for row in rows:
        row["surprise"] = "x"
    package.write_rows("drugs", rows, fieldnames=list(rows[0]))
    package.refresh_hashes()
    assert "frictionless/extra-label data/drugs.csv" in refuse(package, codes=(1,)).stdout


def test_missing_column_in_csv(package):
    rows = package.read_rows("drugs")
    for row in rows:
        del row["code_note"]
    package.write_rows("drugs", rows, fieldnames=list(rows[0]))
    package.refresh_hashes()
    assert "frictionless/missing-label data/drugs.csv" in refuse(package, codes=(1,)).stdout


def test_empty_csv_file(package):
    package.csv_path("drugs").write_bytes(b"")
    package.refresh_hashes()
    refuse(package)


def test_missing_csv_file(package):
    package.csv_path("drugs").unlink()
    result = refuse(package, codes=(1,))
    assert "error missing-file data/drugs.csv" in result.stdout


@pytest.mark.parametrize("value", ["1e999", "inf", "NaN", "9" * 400])
def test_number_that_overflows_in_csv(package, value):
    package.set_cell("case_characteristics", "cc-age", "value_number", value)
    result = refuse(package, codes=(1,))
    assert "data/case_characteristics.csv row 2 field value_number" in result.stdout


def test_crlf_line_endings_in_csv_still_pass(package):
    path = package.csv_path("drugs")
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    package.refresh_hashes()
    result = package.run_main()
    assert result.returncode == 0, result.stdout + result.stderr


def test_utf8_bom_at_start_of_csv_is_one_finding_naming_file_row_and_field(package):
    # pandas and DuckDB drop it, R's read.csv outside a UTF-8 locale and JavaScript readers keep it in the
    # first column's name: the readers disagree, so the file is refused (issue 18).
    path = package.csv_path("drugs")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    package.refresh_hashes()
    before = package.snapshot()
    result = package.run_main()
    assert_refused_cleanly(result, before, package.snapshot(), codes=(1,))
    errors = [line for line in result.stdout.splitlines() if line.startswith("error ")]
    assert errors == ["error byte-order-mark data/drugs.csv row 1 field drug_id: line 1 starts with a UTF-8"
                      " byte order mark (bytes EF BB BF), which some readers keep in the first column's name;"
                      " save the file as UTF-8 without a byte order mark"]
    assert result.stdout.strip().splitlines()[-1] == "invalid: 1 error, 0 warnings"


def test_utf8_bom_at_start_of_descriptor_is_accepted(package):
    path = package.root / "datapackage.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = package.run_main()
    assert result.returncode == 0, result.stdout + result.stderr
