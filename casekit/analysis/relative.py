"""Days of the rows the article times only relative to another row, resolved when asked, never stored."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from casekit.analysis.descriptor import table_resources
from casekit.analysis.frames import CASE_KEY, frames_of, records
from casekit.timing import resolve_relative_times

COLUMNS = [CASE_KEY, "resource", "row_id", "point", "earliest_day", "latest_day"]


def primary_keys_of(resources) -> dict[str, str]:
    """Each resource's single-column primary key, read from its Table Schema."""
    return {resource.name: resource.primary_key[0] for resource in resources if len(resource.primary_key) == 1}


def relative_times(root: Path | str = ".", case_id: str | None = None) -> pd.DataFrame:
    """One row per resolved start, end or time, in days after infusion; an open bound is <NA>.

    Each relation is resolved inside its own case; case_id keeps one case.
    """
    resources = table_resources(root)  # the package checked once, for the frames and the keys
    frames = frames_of(resources, case_id)
    rows = {name: records(frame) for name, frame in frames.items()}
    id_columns = primary_keys_of(resources)
    resolved = resolve_relative_times(rows, rows["relative_timings"], id_columns)
    owner = {(resource, row[id_columns[resource]]): row.get(CASE_KEY)
             for resource, resource_rows in rows.items() if resource in id_columns for row in resource_rows}
    table = pd.DataFrame(
        [(owner.get((resource, row_id)), resource, row_id, point, earliest, latest)
         for (resource, row_id, point), (earliest, latest) in resolved.items()],
        columns=COLUMNS,
    )
    for column in (CASE_KEY, "resource", "row_id", "point"):
        table[column] = table[column].astype("string")
    for column in ("earliest_day", "latest_day"):
        table[column] = pd.array([None if day is None else float(day) for day in table[column]], dtype="Float64")
    return table.sort_values([CASE_KEY, "earliest_day", "row_id"], ignore_index=True)
