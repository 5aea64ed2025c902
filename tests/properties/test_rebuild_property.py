"""Rebuilding the read models equals incremental catch-up, whatever the order of arrival.

Dates are distinct, so occurred order does not depend on log position (ties do, by SPEC §4)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli.root import Workspace

KEY = "QAT:ETH-SOM"
POOL = [
    {"type": "mediation-response", "track": KEY, "party": "SOM", "response": "welcomed", "occurred": "2025-01-05"},
    {"type": "mediation-response", "track": KEY, "party": "ETH", "response": "accepted", "occurred": "2025-01-06"},
    {"type": "talks-scheduled", "track": KEY, "venue": "Doha", "scheduled_for": "2025-02", "occurred": "2025-01-10"},
    {"type": "talks-held", "track": KEY, "venue": "Doha", "occurred": "2025-02-03"},
    {"type": "talks-held", "track": KEY, "venue": "Doha", "occurred": "2025-02-17..2025-02-20"},
    {"type": "mediator-joined", "track": KEY, "mediator": "TUR", "occurred": "2025-02-10"},
    {"type": "mediator-left", "track": KEY, "mediator": "TUR", "occurred": "2025-03-01"},
    {"type": "talks-suspended", "track": KEY, "by": "ETH", "occurred": "2025-03-02"},
    {"type": "agreement-reached", "track": KEY, "kind": "declaration", "occurred": "2025-04"},
    {"type": "incident-reported", "parties": ["ETH", "SOM"], "kind": "clash", "occurred": "2025-02-04"},
]
OFFER = {"type": "mediation-offered", "mediators": ["QAT"], "parties": ["ETH", "SOM"], "occurred": "2025-01-01"}


def answers(store: Workspace) -> list:
    q = store.queries
    return [
        [s.model_dump() for s in q.status(as_of=date(2026, 1, 1))],
        [s.model_dump() for s in q.status(as_of=date(2025, 2, 18))],
        [{k: v for k, v in d.items() if k != "recorded_at"} for d in q.timeline()],
        [s.track_state.model_dump() if s.track_state else None for s in q.replay(until=date(2025, 2, 28)).steps],
    ]


def record(path: Path, order: list[int], catch_up_after: set[int]) -> list:
    joined, left = order.index(5), order.index(6)
    if left < joined:  # a leave cannot be recorded before the join is known
        order[joined], order[left] = 6, 5
    store = Workspace(str(path)).open(write=True)
    try:
        items = [OFFER] + [POOL[i] for i in order]
        for n, item in enumerate(items):
            store.app.append({**item, "summary": f"{item['type']} {item['occurred']}"}, store.locator())
            if n in catch_up_after:
                store.catch_up()
        store.catch_up()
        incremental = answers(store)
        store.projector().rebuild()
        assert answers(store) == incremental
        return incremental
    finally:
        store.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.permutations(range(len(POOL))),
    st.sets(st.integers(0, len(POOL))),
)
def test_rebuild_equals_incremental_catch_up_for_any_order_of_arrival(order, catch_up_after):
    with tempfile.TemporaryDirectory() as tmp:
        shuffled = record(Path(tmp) / "a.db", list(order), catch_up_after)
        in_order = record(Path(tmp) / "b.db", list(range(len(POOL))), set())
    assert shuffled == in_order
