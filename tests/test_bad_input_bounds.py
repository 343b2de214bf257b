"""Bounded work: inputs built to make frictionless slow or hungry are refused in one line before it reads them.

Each was measured against release 1.1.1 (a 15 KB row: 72 s and 3.6 GB; an 8 KB header:
83 s and 2.2 GB; 50,000 resources: 15 minutes). Each now takes well under a second.
"""
from __future__ import annotations

import json
import sys
import time


from casekit.validation import limits
from casekit.validation.pipeline import validate_package
from conftest import REPO
from process_usage import run_measured

BUDGET = 3.0  # CPU seconds of this process (not wall time, which a busy machine stretches); the promise is 10 s


def refused(package, reason: str):
    before = package.snapshot()
    started = time.process_time()
    report = validate_package(package.root)
    assert time.process_time() - started < BUDGET
    assert report.exit_code() == 2, report.findings
    assert reason in report.unusable and "\n" not in report.unusable
    assert package.snapshot() == before
    return report


def replace_drugs(package, text: str) -> None:
    package.csv_path("drugs").write_text(text, encoding="utf-8")
    package.refresh_hashes()


def drugs_header(package) -> str:
    return package.csv_path("drugs").read_text(encoding="utf-8").splitlines()[0]


def test_a_row_of_fifteen_thousand_cells_is_refused(package):
    replace_drugs(package, drugs_header(package) + "\n" + "," * 15_000 + "\n")
    refused(package, f"has a row of 15001 cells; at most {limits.MAX_COLUMNS} columns are read")


def test_a_header_of_four_thousand_labels_is_refused(package):
    replace_drugs(package, ",".join(f"c{i}" for i in range(4000)) + "\nx\n")
    refused(package, "has a row of 4000 cells")


def test_a_line_longer_than_the_limit_is_refused(package):
    replace_drugs(package, drugs_header(package) + "\nx," + "a" * (limits.MAX_LINE_CHARACTERS + 10) + ",,,,\n")
    refused(package, f"line 2 is longer than {limits.MAX_LINE_CHARACTERS} characters")


def test_a_cell_longer_than_the_limit_is_refused_even_across_short_lines(package):
    cell = '"' + ("b" * 1000 + "\n") * 20 + '"'
    replace_drugs(package, drugs_header(package) + "\nx," + cell + ",,,,\n")
    refused(package, f"has a cell longer than {limits.MAX_CELL_CHARACTERS} characters")


def test_a_nul_byte_in_text_is_a_control_character(package):
    rows = package.read_rows("drugs")
    rows[0]["drug_class"] = "x\x00y"
    package.write_rows("drugs", rows)
    package.refresh_hashes()
    report = validate_package(package.root)
    assert [(f.rule, f.row) for f in report.findings] == [("control-character", 2)]


def test_too_many_cells_in_one_file_are_refused(package, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS_PER_FILE", 50)
    refused(package, "cells; at most 50 are read per file")


def test_a_data_file_over_the_size_limit_is_refused_unread(package, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DATA_FILE_BYTES", 100)
    refused(package, "is larger than")


def test_data_files_together_over_the_package_limit_are_refused(package, monkeypatch):
    largest = max((package.root / "data").iterdir(), key=lambda path: path.stat().st_size).stat().st_size
    monkeypatch.setattr(limits, "MAX_PACKAGE_BYTES", largest + 1)  # each file fits, all together do not
    refused(package, "the data files together are larger than")


def test_the_package_limit_leaves_room_for_ten_thousand_cases():
    # benchmarks/bench_scale.py builds 10,000 copies of the published case: 513 MB of data in release 4.0.0.
    assert limits.MAX_PACKAGE_BYTES >= 1024 * 1024 * 1024


def test_many_resources_are_refused_before_any_is_looked_at(package):
    descriptor = package.descriptor()
    descriptor["resources"] = [{"name": f"r{i}", "path": f"r{i}.csv"} for i in range(50_000)]
    (package.root / "datapackage.json").write_text(json.dumps(descriptor, separators=(",", ":")), encoding="utf-8")
    refused(package, "larger than 1 MB")
    descriptor["resources"] = [{"name": f"r{i}", "path": f"r{i}.csv"} for i in range(limits.MAX_RESOURCES + 1)]
    package.write_descriptor(descriptor)
    refused(package, f"lists {limits.MAX_RESOURCES + 1} resources; at most {limits.MAX_RESOURCES} are read")


def test_a_schema_file_over_the_size_limit_is_refused_unread(package):
    path = package.root / "schemas" / "drugs.schema.json"
    path.write_text(path.read_text(encoding="utf-8") + " " * (limits.MAX_SCHEMA_BYTES + 1), encoding="utf-8")
    refused(package, "drugs.schema.json is larger than 1 MB")


def test_findings_past_the_error_limit_are_reported_as_truncated(package):
    header = drugs_header(package)
    rows = [f"d{i},name,class,,five," for i in range(limits.ERROR_LIMIT + 50)]
    replace_drugs(package, header + "\n" + "\n".join(rows) + "\n")
    report = validate_package(package.root)
    assert report.exit_code() == 1 and report.truncated == ["data/drugs.csv"]
    from casekit.validation.report import as_json_object, format_text

    assert f"only the first {limits.ERROR_LIMIT} errors of data/drugs.csv" in format_text(report).splitlines()[-1]
    assert as_json_object(report)["summary"]["truncated"] == ["data/drugs.csv"]


def test_the_worst_row_attack_stays_within_time_and_memory_as_a_process(package):
    replace_drugs(package, drugs_header(package) + "\n" + ("," * 15_000 + "\n") * 60)
    # Measured as a process of its own (tests/process_usage.py): the worker's own peak memory is not the command's.
    result = run_measured([sys.executable, "-B", str(REPO / "validate.py")], cwd=package.root, timeout=60)
    assert result.cpu_seconds < 10, result.cpu_seconds
    assert result.returncode == 2 and len(result.stdout.strip().splitlines()) == 1
    assert result.peak_kilobytes < 500 * 1024, result.peak_kilobytes


def test_a_megabyte_of_one_cases_observations_is_judged_in_bounded_time(package):
    # Every rule must stay linear in a case's rows: 8,000 observations of one case once took
    # 10 CPU seconds in a rule that compared each maximum with every other observation.
    rows = package.read_rows("observations")
    copies = [dict(row, observation_id=f"{row['observation_id']}-copy-{index}")
              for index in range(8000 // len(rows)) for row in rows]
    package.write_rows("observations", rows + copies)
    package.refresh_hashes()
    assert package.csv_path("observations").stat().st_size > 900_000
    started = time.process_time()
    report = validate_package(package.root)
    assert time.process_time() - started < 5  # about 1 s when linear; the quadratic rule took 8 to 10
    assert report.unusable is None and report.exit_code() in (0, 1)


def _checked_first(package) -> str:
    """What checking every data file's bounds in order, before any is read, says of the package."""
    from casekit.validation.descriptor import prepare_for_frictionless, read_descriptor
    from casekit.validation.unusable import Unusable

    try:
        limits.check_package_bounds(package.root, prepare_for_frictionless(package.root, read_descriptor(package.root)))
    except Unusable as error:
        return str(error)
    raise AssertionError("no bound is broken")


def test_a_column_bound_is_enforced_on_a_file_the_clean_read_would_read(package, monkeypatch):
    # The real schemas are well within MAX_COLUMNS; a lowered bound shows the clean read keeps it too.
    monkeypatch.setattr(limits, "MAX_COLUMNS", 23)
    report = refused(package, f"has a row of 24 cells; at most {limits.MAX_COLUMNS} columns are read")
    assert report.unusable == _checked_first(package)


def test_the_first_file_past_a_bound_is_the_one_reported_whichever_is_checked_first(package, monkeypatch):
    # Every file past the lowered bound but one has plain lines (parsed by the clean read), and the one
    # with a lone CR is checked first: still the first file in the descriptor's order is named.
    path = package.csv_path("observations")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r", 1))
    package.refresh_hashes()
    for name, value in (("MAX_CELL_CHARACTERS", 100), ("MAX_CELLS_PER_FILE", 30), ("MAX_COLUMNS", 6)):
        with monkeypatch.context() as patch:
            patch.setattr(limits, name, value)
            assert validate_package(package.root).unusable == _checked_first(package)
    # Every file is past the bound and a late one (with a lone CR) is parsed first: the first one is named.
    path = package.csv_path("value_certainties")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r", 1))
    package.refresh_hashes()
    monkeypatch.setattr(limits, "MAX_CELLS_PER_FILE", 1)
    assert validate_package(package.root).unusable == _checked_first(package)


def test_a_thousand_rows_of_thousands_of_cells_are_refused_a_row_at_a_time(package):
    # Lines this short are left to the clean read, which reads a block of rows at once: a block of
    # such rows held 290 MB before the first was refused (checking the bounds first held one row).
    replace_drugs(package, drugs_header(package) + "\n" + ("," * 30_000 + "\n") * 1100)
    result = run_measured([sys.executable, "-B", str(REPO / "validate.py")], cwd=package.root, timeout=60)
    assert result.returncode == 2 and "has a row of 30001 cells" in result.stdout
    assert result.peak_kilobytes < 150 * 1024, result.peak_kilobytes
