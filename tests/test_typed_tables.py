"""The in-memory fixture is as strict as the files: what frictionless would reject never reaches the rules."""
from __future__ import annotations

import pytest

from rules_support import PlantedTables, SchemaError, set_cells, validate
from casekit.validation.rules._common import PRIMARY_KEYS


def first_dosed_schedule(rows: list[dict]) -> dict:
    return next(row for row in rows if row["dose_value"] is not None)


def test_real_tables_pass_every_rule_in_memory(typed_tables):
    assert validate(typed_tables) == []


def test_a_plant_in_memory_gives_the_same_findings_as_the_same_plant_in_files(typed_tables, package):
    row = next(row for row in typed_tables.read_rows("drug_schedules") if row["start_earliest"] is not None)
    day_before = row["start_earliest"] - 1
    for target in (typed_tables, package):
        set_cells(target, "drug_schedules", row["schedule_id"], end_earliest=day_before, end_latest=day_before)

    def summary(findings):
        return sorted((f.rule, f.severity, f.path, f.row, f.field, f.message) for f in findings)

    in_memory = summary(validate(typed_tables))
    assert "schedule-order" in {rule for rule, *_ in in_memory}
    assert in_memory == summary(validate(package.root))


def test_value_is_typed_as_frictionless_reads_the_csv_cell(typed_tables):
    row = first_dosed_schedule(typed_tables.read_rows("drug_schedules"))
    typed_tables.set_cell("drug_schedules", row["schedule_id"], "dose_value", "12.5")
    typed_tables.set_cell("drug_schedules", row["schedule_id"], "dose_unit", "")
    assert (type(row["dose_value"]).__name__, str(row["dose_value"]), row["dose_unit"]) == ("Decimal", "12.5", None)


def test_value_of_the_wrong_type_is_refused_at_planting(typed_tables):
    row = typed_tables.read_rows("toxicity_grades")[0]
    with pytest.raises(SchemaError, match="toxicity_grades.grade"):
        typed_tables.set_cell("toxicity_grades", row["grade_id"], "grade", "three")


def test_value_breaking_a_declared_constraint_is_refused_at_planting(typed_tables):
    resource, key = "toxicity_grades", PRIMARY_KEYS["toxicity_grades"]
    row = typed_tables.read_rows(resource)[0]
    with pytest.raises(SchemaError, match="required"):
        typed_tables.set_cell(resource, row[key], key, "")


def test_duplicate_primary_key_is_refused_before_the_rules_run(typed_tables):
    typed_tables.append_row("drugs", typed_tables.read_rows("drugs")[0])
    with pytest.raises(SchemaError, match="duplicate drug_id"):
        validate(typed_tables)


def test_broken_foreign_key_is_refused_before_the_rules_run(typed_tables):
    row = typed_tables.read_rows("drug_schedules")[0]
    typed_tables.set_cell("drug_schedules", row["schedule_id"], "drug_id", "no-such-drug")
    with pytest.raises(SchemaError, match="not in drugs"):
        validate(typed_tables)


def test_each_copy_is_private(typed_tables, real_tables):
    row = first_dosed_schedule(typed_tables.read_rows("drug_schedules"))
    before = first_dosed_schedule(real_tables["drug_schedules"])["dose_value"]
    typed_tables.set_cell("drug_schedules", row["schedule_id"], "dose_value", str(before + 1))
    assert first_dosed_schedule(real_tables["drug_schedules"])["dose_value"] == before
    assert first_dosed_schedule(PlantedTables().read_rows("drug_schedules"))["dose_value"] == before
