"""adopted-reading: the tables follow the reading a recorded discrepancy adopts.

A discrepancy records two readings of the article (discrepancy_rows with role reading_a or
reading_b) and adopts one; the other's rows, or the fields it disputes, are set aside. The tables
follow the adopted reading only if no relative timing the tables check rests on a time the
discrepancy sets aside (its subject's or anchor's time fields): a relation that places a row from
a reading now set aside still follows that reading.

So switching `adopted_reading` without changing the rows it sets aside is a finding; the other
rules check the adopted reading's rows as every other row.
"""
from __future__ import annotations

from casekit.timing import ANCHOR_POINTS, point_columns

KIND = "adopted-reading"
SCOPE = "case"
PARAMS = {"type": "object"}
COLUMNS = {"discrepancies": ("discrepancy_id", "adopted_reading"),
           "discrepancy_rows": ("discrepancy_id", "resource", "row_id", "role", "fields"),
           "relative_timings": ("relation_id", "subject_resource", "subject_id", "subject_point",
                                "anchor_resource", "anchor_id", "anchor_point")}
READINGS = ("reading_a", "reading_b")


def check(context):
    discrepancies = {row.get("discrepancy_id"): row for row in context.rows("discrepancies")}
    if not discrepancies:
        return
    context.checked(len(discrepancies))
    setting_aside: dict[tuple, str] = {}  # (resource, row id) -> the discrepancy that sets it aside
    for row in context.all_rows("discrepancy_rows"):
        discrepancy = discrepancies.get(row.get("discrepancy_id"))
        role = row.get("role")
        if discrepancy is not None and role in READINGS and role != f"reading_{discrepancy.get('adopted_reading')}":
            setting_aside[(row.get("resource"), row.get("row_id"))] = row.get("discrepancy_id")
    if not setting_aside:
        return
    set_aside = context.tables.set_aside()
    for relation in context.rows("relative_timings"):
        for side in ("subject", "anchor"):
            target = (relation.get(f"{side}_resource"), relation.get(f"{side}_id"))
            name = setting_aside.get(target)
            if name is None or relation.get(f"{side}_point") not in ANCHOR_POINTS:
                continue
            disputed = set_aside.get(target, ())
            if disputed is None or set(point_columns(relation.get(f"{side}_point"))) & set(disputed):
                yield context.finding(
                    f"{name}: {relation.get('relation_id')} places a row through the time of {target[1]}, "
                    f"which the adopted reading ({discrepancies[name].get('adopted_reading')}) sets aside",
                    resource="discrepancies", row=discrepancies[name], field="adopted_reading",
                    observed=discrepancies[name].get("adopted_reading"))
