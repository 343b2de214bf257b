"""A table read without frictionless's row machinery gives exactly what frictionless gives.

casekit.validation.clean_tables reads a table itself only when frictionless could find nothing
in it; anything else goes to frictionless. Each test compares the pass with clean reading against
the pass without it: the same findings, the same rows kept.
"""
from __future__ import annotations

import pytest

from casekit.validation.clean_tables import read_clean_tables
from casekit.validation.descriptor import prepare_for_frictionless, read_descriptor
from casekit.validation.keys import declared_keys, without_keys
from casekit.validation.rules import columns_needed, texts_needed
from casekit.validation.tables import RowStore
from casekit.validation.tabular import frictionless_pass


def _prepared(package):
    return prepare_for_frictionless(package.root, read_descriptor(package.root))


def _pass(package, read_clean: bool, store: bool = False):
    prepared = _prepared(package)
    rows = RowStore(columns_needed(), declared_keys(prepared), texts_needed()) if store else {}
    _, findings = frictionless_pass(package.root, prepared, rows, read_clean=read_clean)
    return [(f.rule, f.resource, f.row, f.field, f.message) for f in findings], dict(rows)


def _clean_names(package) -> set[str]:
    prepared = _prepared(package)
    rows = RowStore(columns_needed(), declared_keys(prepared), texts_needed())
    return read_clean_tables(package.root, without_keys(prepared), declared_keys(prepared), rows)


def test_every_table_of_the_package_is_read_clean_with_the_rows_frictionless_reads(package):
    assert _clean_names(package) == {resource["name"] for resource in package.descriptor()["resources"]}
    assert _pass(package, True) == _pass(package, False)


def test_the_row_store_keeps_the_same_rows_and_words_either_way(package):
    def tables(read_clean):
        prepared = _prepared(package)
        rows = RowStore(columns_needed(), declared_keys(prepared), texts_needed())
        frictionless_package, findings = frictionless_pass(package.root, prepared, rows, read_clean=read_clean)
        assert findings == []
        return rows.tables(frictionless_package, package.root)

    clean, read = tables(True), tables(False)
    assert clean.rows == read.rows
    for name, store in read.stores.items():
        columns = store.columns
        assert [words for _, words in clean.texts(name, clean.rows[name], columns)] == \
            [words for _, words in read.texts(name, read.rows[name], columns)]


def _set_last(package, resource: str, field: str, value: str) -> None:
    """In the last row, so that every other row was kept before the table is handed back."""
    rows = package.read_rows(resource)
    rows[-1][field] = value
    package.write_rows(resource, rows)
    package.refresh_hashes()


def _plant_type_error(package):
    _set_last(package, "observations", "value", "19,5")


def _plant_constraint_error(package):
    _set_last(package, "observations", "value_kind", "highest")


def _plant_required_empty(package):
    _set_last(package, "observations", "unit", "")


def _plant_missing_cell(package):
    path = package.csv_path("observations")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "obs-short,baur-2022-jitc-1\n")
    path.write_text("".join(lines), encoding="utf-8")
    package.refresh_hashes()


def _plant_extra_cell(package):
    path = package.csv_path("observations")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n") + ",extra\n"
    path.write_text("".join(lines), encoding="utf-8")
    package.refresh_hashes()


def _plant_blank_row(package):
    path = package.csv_path("observations")
    width = len(package.header("observations"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "," * (width - 1) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    package.refresh_hashes()


def _plant_header(package):
    path = package.csv_path("observations")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value_kind", "kind", 1), encoding="utf-8")
    package.refresh_hashes()


def _plant_stale_hash(package):
    rows = package.read_rows("observations")
    rows[0]["note"] = "changed after the hash was recorded"
    package.write_rows("observations", rows)


def _plant_wrong_bytes(package):
    descriptor = package.descriptor()
    for resource in descriptor["resources"]:
        if resource["name"] == "observations":
            resource["bytes"] += 1
    package.write_descriptor(descriptor)


def _plant_not_utf8(package):
    path = package.csv_path("observations")
    path.write_bytes(path.read_bytes().replace(b"before therapy", b"before th\xe9rapy", 1))
    package.refresh_hashes()


def _plant_row_check(package):
    _set_last(package, "observations", "note", "=1+1")


PLANTS = {
    "type-error": _plant_type_error,
    "constraint-error": _plant_constraint_error,
    "required-empty": _plant_required_empty,
    "missing-cell": _plant_missing_cell,
    "extra-cell": _plant_extra_cell,
    "blank-row": _plant_blank_row,
    "header": _plant_header,
    "stale-hash": _plant_stale_hash,
    "wrong-bytes": _plant_wrong_bytes,
    "not-utf8": _plant_not_utf8,
    "row-check": _plant_row_check,
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_table_frictionless_could_report_is_left_to_frictionless(package, plant):
    PLANTS[plant](package)
    clean = _clean_names(package)
    assert "observations" not in clean
    assert clean  # the other tables are still read clean
    # The same findings and rows kept either way (a slip after a block already kept: the next tests).
    found = _pass(package, True, store=True)
    assert found[0] and any(resource == "observations" for _, resource, *_ in found[0])
    assert found == _pass(package, False, store=True)


def test_a_space_before_a_quote_is_kept_as_pandas_keeps_it(tmp_path):
    """frictionless would guess skipInitialSpace from rows like these (and read `x, "y"` as y); the
    fixed dialect pins it off, so frictionless, the clean reading and pandas read the same cell."""
    from frictionless import Resource

    from casekit.validation.descriptor import FIXED_DIALECT

    (tmp_path / "t.csv").write_text("a,b\n" + "".join(f'x{i}, "y{i}"\n' for i in range(50)), encoding="utf-8")
    schema = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}]}
    resource = Resource({"name": "t", "path": "t.csv", "dialect": dict(FIXED_DIALECT), "schema": schema},
                        basepath=str(tmp_path))
    assert resource.read_rows()[0] == {"a": "x0", "b": ' "y0"'}


from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CONSTRAINTS = st.fixed_dictionaries({}, optional={
    "required": st.booleans(),
    "pattern": st.sampled_from(["[a-z]+", "[a-z0-9][a-z0-9-]*[a-z0-9]", "[!-~]+", "a|b"]),
    "enum": st.lists(st.sampled_from(["a", "b", "ab", "", " a"]), min_size=1, max_size=3, unique=True),
    "minLength": st.integers(0, 3),
    "maxLength": st.integers(0, 3),
})
_CELLS = st.lists(st.sampled_from(["", "a", "b", "ab", "a\n", " a", "A", "-a", "a-", "ab-1", "é", "NA"]),
                  min_size=1, max_size=6)


@settings(deadline=None)
@given(constraints=_CONSTRAINTS, cells=_CELLS, missing=st.sampled_from([[""], ["", "NA"]]))
@example(constraints={"pattern": "[a-z]+"}, cells=["a\n"], missing=[""])  # "^...$" allows a final line break
@example(constraints={"enum": ["a"]}, cells=["a", "NA"], missing=["", "NA"])  # a missing value passes the enum
@example(constraints={"required": True}, cells=["a", ""], missing=[""])
@example(constraints={"minLength": 2}, cells=["ab", ""], missing=[""])
def test_a_column_of_text_reads_as_frictionless_reads_each_cell(constraints, cells, missing):
    from frictionless import Schema

    from casekit.validation.clean_tables import column_reader

    schema = Schema.from_descriptor({"fields": [{"name": "f", "type": "string", "constraints": constraints}],
                                     "missingValues": missing})
    field = schema.get_field("f")
    readings = [field.create_cell_reader()(cell) for cell in cells]
    expected = None if any(notes for _, notes in readings) else [value for value, _ in readings]
    assert column_reader(field)(tuple(cells)) == expected


def test_bounds_left_to_the_clean_read_are_still_checked_whatever_else_is_wrong(package):
    """A file whose lines are plain is parsed once, by the clean read; its quoting is still reported,
    alone or beside another file's line ends, exactly as checking every file first reports it."""
    from casekit.validation.limits import check_package_bounds
    from casekit.validation.pipeline import validate_package

    def findings():
        return [(f.rule, f.path, f.message) for f in validate_package(package.root).findings]

    def checked_first():
        return [(f.rule, f.path, f.message) for f in check_package_bounds(package.root, _prepared(package))]

    path = package.csv_path("observations")
    path.write_text(path.read_text(encoding="utf-8").replace(",before therapy,", ',"before" therapy,', 1),
                    encoding="utf-8")
    package.refresh_hashes()
    assert findings() == checked_first() and [rule for rule, *_ in findings()] == ["csv-quoting"]
    other = package.csv_path("drugs")
    other.write_bytes(other.read_bytes().replace(b"\n", b"\r\n", 1))
    package.refresh_hashes()
    assert findings() == checked_first() and [rule for rule, *_ in findings()].count("csv-quoting") == 2


def test_a_descriptor_frictionless_fails_on_still_gets_the_bounds_checked_first(package):
    """frictionless cannot even build a Package whose hash is a number (it raises AttributeError); the
    files left to the clean read are still checked first, so a quoting error is reported as it was."""
    from casekit.validation.pipeline import validate_package

    path = package.csv_path("observations")
    path.write_text(path.read_text(encoding="utf-8").replace(",before therapy,", ',"before" therapy,', 1),
                    encoding="utf-8")
    package.refresh_hashes()
    descriptor = package.descriptor()
    next(resource for resource in descriptor["resources"] if resource["name"] == "drugs")["hash"] = 5
    package.write_descriptor(descriptor)
    report = validate_package(package.root)
    assert [finding.rule for finding in report.findings] == ["descriptor-profile", "csv-quoting"]


def test_a_hash_frictionless_cannot_read_is_the_profiles_finding_not_an_unexpected_error(package):
    """Alone, the number hash made frictionless raise AttributeError, and the run ended "unexpected ...;
    please report this" (exit 2); the profile already says what is wrong, so the verdict is invalid."""
    from casekit.validation.pipeline import validate_package

    descriptor = package.descriptor()
    next(resource for resource in descriptor["resources"] if resource["name"] == "drugs")["hash"] = 5
    package.write_descriptor(descriptor)
    report = validate_package(package.root)
    assert report.exit_code() == 1 and [finding.rule for finding in report.findings] == ["descriptor-profile"]
    assert report.findings[0].field.endswith(".hash")


def _more_observations(package, count: int) -> None:
    rows = package.read_rows("observations")
    package.write_rows("observations", [dict(rows[index % len(rows)], observation_id=f"obs-copy-{index}")
                                        for index in range(count)])
    package.refresh_hashes()


@pytest.mark.parametrize("planted", [None, ("note", "=1+1")])
def test_a_table_of_more_than_one_block_gives_what_frictionless_gives(package, planted):
    """Rows are read, checked and kept a block at a time: a slip in the second block hands the table back
    after the first block was kept, and a clean table keeps every block's rows in order."""
    from casekit.validation.clean_tables import BLOCK_ROWS

    _more_observations(package, BLOCK_ROWS + 40)
    if planted:
        _set_last(package, "observations", *planted)
    assert ("observations" in _clean_names(package)) is (planted is None)
    assert _pass(package, True) == _pass(package, False)
    assert _pass(package, True, store=True) == _pass(package, False, store=True)
