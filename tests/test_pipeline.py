"""The pipeline hands the rules the same typed rows read_tables would, without reading the files twice."""
from __future__ import annotations

import pytest

from casekit.validation.descriptor import prepare_for_frictionless, read_descriptor
from casekit.validation.pipeline import validate_package
from casekit.validation.tables import TablesChanged, read_tables
from casekit.validation.tabular import frictionless_pass


def test_rows_kept_from_validation_equal_a_fresh_read(package):
    descriptor = read_descriptor(package.root)
    rows: dict[str, list[dict]] = {}
    frictionless_package, findings = frictionless_pass(package.root, prepare_for_frictionless(package.root, descriptor), rows)
    assert findings == []
    # A table without rows (a vocabulary no case uses yet) keeps no entry: there was no row to keep.
    assert rows == {name: table for name, table in read_tables(frictionless_package).rows.items() if table or name in rows}


def test_validating_writes_nothing_into_the_package(package):
    before = package.snapshot()
    assert package.run_cli().returncode == 0
    assert package.snapshot() == before
    assert not list(package.root.rglob("__pycache__"))


def _kept_rows(package):
    from casekit.validation.keys import declared_keys
    from casekit.validation.rules import columns_needed, texts_needed
    from casekit.validation.tables import RowStore

    prepared = prepare_for_frictionless(package.root, read_descriptor(package.root))
    rows = RowStore(columns_needed(), declared_keys(prepared), texts_needed())
    frictionless_package, findings = frictionless_pass(package.root, prepared, rows)
    assert findings == []
    return rows.tables(frictionless_package, package.root)


def test_quotes_are_not_kept_as_columns_but_given_as_the_file_has_them(package):
    tables = _kept_rows(package)
    assert "quote" not in tables["drug_schedules"][0] and "drug_schedules" in tables.stores
    on_file = [(row["quote"] or None, row["timing_as_stated"] or None) for row in package.read_rows("drug_schedules")]
    read = [words for _, words in tables.texts("drug_schedules", tables["drug_schedules"], ("quote", "timing_as_stated"))]
    assert read == on_file


def test_the_rules_read_the_words_frictionless_read_whatever_happens_to_the_file_after(package):
    tables = _kept_rows(package)
    on_file = [row["quote"] or None for row in package.read_rows("drug_schedules")]
    package.write_rows("drug_schedules", [{**row, "quote": "changed"} for row in package.read_rows("drug_schedules")][:3])
    assert [words for _, (words,) in tables.texts("drug_schedules", tables["drug_schedules"], ("quote",))] == on_file


def test_without_the_store_a_file_that_lost_rows_since_it_was_validated_is_not_read_as_blank_text(package):
    tables = _kept_rows(package)
    tables.stores.clear()  # tables built without a store read the file again
    package.write_rows("drug_schedules", package.read_rows("drug_schedules")[:3])
    with pytest.raises(TablesChanged):
        list(tables.texts("drug_schedules", tables["drug_schedules"], ("quote",)))


def test_a_row_the_pass_did_not_read_has_no_words_to_give(package):
    tables = _kept_rows(package)
    stranger = {**tables["drug_schedules"][0], "_row": 10**6}
    with pytest.raises(TablesChanged, match="not read"):
        list(tables.texts("drug_schedules", [stranger], ("quote",)))


def test_quotes_read_again_are_paired_by_position_so_a_byte_order_mark_changes_nothing(package):
    """validate.py stops at a byte-order mark (rule byte-order-mark) before the rules; should the rules
    ever be handed such a file, the quotes read again still pair with their rows by position."""
    on_file = [row["quote"] or None for row in package.read_rows("drug_schedules")]
    path = package.csv_path("drug_schedules")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    package.refresh_hashes()
    assert [f.rule for f in validate_package(package.root).findings] == ["byte-order-mark"]
    tables = _kept_rows(package)
    assert [words for _, (words,) in tables.texts("drug_schedules", tables["drug_schedules"], ("quote",))] == on_file


def test_texts_pairs_rows_in_any_order_with_their_own_quotes(package):
    tables = _kept_rows(package)
    rows = list(reversed(tables["drug_schedules"]))
    on_file = [row["quote"] or None for row in package.read_rows("drug_schedules")]
    assert [words for _, (words,) in tables.texts("drug_schedules", rows, ("quote",))] == on_file[::-1]


def test_without_the_store_texts_refuses_rows_out_of_file_order_rather_than_pair_them_with_the_wrong_quotes(package):
    tables = _kept_rows(package)
    tables.stores.clear()
    rows = list(reversed(tables["drug_schedules"]))
    with pytest.raises(ValueError, match="file order"):
        list(tables.texts("drug_schedules", rows, ("quote",)))


def test_a_kept_reference_holds_the_key_object_of_the_row_it_names(package):
    # Memory: a reference repeats a key unique per row, so an equal copy would cost one string per reference.
    tables = _kept_rows(package)
    relation = tables["relative_timings"][0]
    anchor = tables.row(relation["anchor_resource"], relation["anchor_id"])
    assert anchor[tables.keys[relation["anchor_resource"]]] is relation["anchor_id"]
    case = tables.row("cases", relation["case_id"])
    assert case["case_id"] is relation["case_id"] and tables["clinical_events"][0]["case_id"] is case["case_id"]
    named = next(row for row in tables["discrepancy_rows"] if row["resource"] in tables.keys)
    assert tables.row(named["resource"], named["row_id"])[tables.keys[named["resource"]]] is named["row_id"]


def test_the_index_built_while_reading_serves_the_rules_until_the_rows_change(package):
    tables = _kept_rows(package)
    events = tables["clinical_events"]
    built = tables.index("clinical_events")
    assert built == {row["event_id"]: row for row in events}
    tables.reset_indexes()
    assert tables.index("clinical_events") is built  # not built again for the rules
    tables.rows["clinical_events"] = events[:-1]
    tables.reset_indexes()
    assert events[-1]["event_id"] not in tables.index("clinical_events")
