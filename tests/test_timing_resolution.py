"""Relative-time resolution ends on every relation graph, in time linear in the relations, with sound results.

The reference below is the pass loop the figure used before (repeat passes over the relations
in table order until nothing changes), with the one fix that a relation placing its subject
nowhere places nothing; it is quadratic, which is why it is only a test oracle here.
"""
from __future__ import annotations

import time
import tracemalloc
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from casekit.timing import implied_interval, point_interval, resolve_relative_times

ID_COLUMNS = {"clinical_events": "event_id"}
COMPARATORS = ["=", "<=", ">="]


def _row(index: int, earliest, latest, case_id: str = "c1") -> dict:
    return {"event_id": f"e{index}", "case_id": case_id, "time_unit": "d",
            "time_earliest": earliest, "time_latest": latest}


def _relation(subject: int, anchor: int, comparator: str, offset: int, case_id: str | None = "c1") -> dict:
    return {"case_id": case_id, "subject_resource": "clinical_events", "subject_id": f"e{subject}",
            "subject_point": "time", "anchor_resource": "clinical_events", "anchor_id": f"e{anchor}",
            "anchor_point": "time", "comparator": comparator, "offset_value": offset, "offset_unit": "d",
            "counting_convention": "exclusive"}


def reference(rows: list[dict], relations: list[dict]) -> dict:
    by_id = {row["event_id"]: row for row in rows}
    known: dict = {}

    def interval(row_id: str, case_id):
        row = by_id.get(row_id)
        if row is None or (case_id is not None and row["case_id"] != case_id):
            return None
        return known.get(("clinical_events", row_id, "time")) or point_interval(row, "time")

    changed = True
    while changed:
        changed = False
        for relation in relations:
            key = ("clinical_events", relation["subject_id"], "time")
            subject = interval(relation["subject_id"], relation["case_id"])
            anchor = interval(relation["anchor_id"], relation["case_id"])
            if subject is None or subject != (None, None) or anchor in (None, (None, None)):
                continue
            implied = implied_interval(anchor, relation)
            if implied != (None, None):
                known[key] = implied
                changed = True
    return known


bounds = st.one_of(st.none(), st.integers(-30, 60).map(Decimal))


@st.composite
def relation_graphs(draw):
    """Rows with open, closed or no bounds; relations among them forming chains, cycles and dead ends."""
    size = draw(st.integers(1, 8))
    rows = []
    for index in range(size):
        earliest, latest = draw(bounds), draw(bounds)
        if earliest is not None and latest is not None and earliest > latest:
            earliest, latest = latest, earliest
        rows.append(_row(index, earliest, latest, draw(st.sampled_from(["c1", "c1", "c2"]))))
    relations = draw(st.lists(
        st.builds(_relation, st.integers(0, size), st.integers(0, size),  # index `size` names no row
                  st.sampled_from(COMPARATORS), st.integers(-5, 10), st.sampled_from(["c1", "c2", None])),
        max_size=3 * size))
    return rows, relations


@settings(max_examples=examples(120), deadline=None)
@given(relation_graphs())
def test_resolution_ends_and_agrees_with_the_pass_loop(graph):
    rows, relations = graph
    resolved = resolve_relative_times({"clinical_events": rows}, relations, ID_COLUMNS)
    assert resolved == reference(rows, relations)
    by_id = {row["event_id"]: row for row in rows}
    for (_, row_id, _), interval in resolved.items():
        # Sound: only rows without days of their own are placed, each somewhere, by one of its relations.
        assert point_interval(by_id[row_id], "time") == (None, None)
        assert interval != (None, None)
        assert any(relation["subject_id"] == row_id for relation in relations)


def test_a_row_placed_earlier_in_a_pass_places_later_relations_in_that_pass():
    # e2 is placed by the first relation; the second, in the same pass, places e1 through it before
    # the third relation (which would place e1 directly from e3) is reached.
    rows = [_row(0, Decimal(1), Decimal(1)), _row(1, None, None), _row(2, None, None), _row(3, Decimal(9), Decimal(9))]
    relations = [_relation(2, 0, "=", 0), _relation(1, 2, "=", 1), _relation(1, 3, "=", 5)]
    resolved = resolve_relative_times({"clinical_events": rows}, relations, ID_COLUMNS)
    assert resolved == reference(rows, relations)
    assert resolved[("clinical_events", "e1", "time")] == (Decimal(2), Decimal(2))
    # Listed the other way round, the direct relation comes first in the pass and wins.
    relations = [_relation(1, 2, "=", 1), _relation(2, 0, "=", 0), _relation(1, 3, "=", 5)]
    resolved = resolve_relative_times({"clinical_events": rows}, relations, ID_COLUMNS)
    assert resolved == reference(rows, relations)
    assert resolved[("clinical_events", "e1", "time")] == (Decimal(14), Decimal(14))


def test_after_a_row_known_only_by_its_latest_day_places_nothing_and_ends():
    # A bridging therapy that ended on or before day 0, start unknown; an undated row "after" it.
    rows = [_row(0, None, Decimal(0)), _row(1, None, None)]
    assert resolve_relative_times({"clinical_events": rows}, [_relation(1, 0, ">=", 0)], ID_COLUMNS) == {}


def test_another_relation_still_places_a_row_the_first_could_not():
    rows = [_row(0, None, Decimal(0)), _row(1, None, None), _row(2, Decimal(5), Decimal(5))]
    relations = [_relation(1, 0, ">=", 0), _relation(1, 2, "=", 2)]
    resolved = resolve_relative_times({"clinical_events": rows}, relations, ID_COLUMNS)
    assert resolved == {("clinical_events", "e1", "time"): (Decimal(7), Decimal(7))}


def _reversed_chain(length: int) -> tuple[list[dict], list[dict]]:
    """Row i is one day after row i+1, the last row is dated, and the relations are listed first link first:
    the order in which a pass loop places one row per pass."""
    rows = [_row(index, None, None) for index in range(length)] + [_row(length, Decimal(0), Decimal(0))]
    return rows, [_relation(index, index + 1, "=", 1) for index in range(length)]


def test_a_long_chain_resolves_in_linear_time_and_memory():
    rows, relations = _reversed_chain(20_000)
    started = time.process_time()  # CPU time: a busy machine must not fail the test
    resolved = resolve_relative_times({"clinical_events": rows}, relations, ID_COLUMNS)
    elapsed = time.process_time() - started
    assert resolved[("clinical_events", "e0", "time")] == (Decimal(20_000), Decimal(20_000))
    assert len(resolved) == 20_000
    # The pass loop needed 20,000 passes of 20,000 relations here; the worklist takes about 0.1 s.
    assert elapsed < 2.0, elapsed
    tracemalloc.start()
    resolve_relative_times({"clinical_events": rows}, relations, ID_COLUMNS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, peak
