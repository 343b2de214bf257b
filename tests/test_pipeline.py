"""The pipeline hands the rules the same typed rows read_tables would, without reading the files twice."""
from __future__ import annotations

from casekit.validation.descriptor import prepare_for_frictionless, read_descriptor
from casekit.validation.tables import read_tables
from casekit.validation.tabular import frictionless_pass


def test_rows_kept_from_validation_equal_a_fresh_read(package):
    descriptor = read_descriptor(package.root)
    rows: dict[str, list[dict]] = {}
    frictionless_package, findings = frictionless_pass(package.root, prepare_for_frictionless(package.root, descriptor), rows)
    assert findings == []
    assert rows == read_tables(frictionless_package).rows


def test_validating_writes_nothing_into_the_package(package):
    before = package.snapshot()
    assert package.run_cli().returncode == 0
    assert package.snapshot() == before
    assert not list(package.root.rglob("__pycache__"))
