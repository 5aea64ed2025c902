"""Schema evolution: an event stored by an older class version is read through its upcaster."""

from __future__ import annotations

import json

from eventsourcing.persistence import StoredEvent

from events.developments import StatementIssued
from tests.conftest import Cli
from tracker.aggregates.base import aggregate_id
from tracker.cli.root import Workspace

V1_STATE = {  # statement-issued as version 1 stored it: no `speaker`, no class_version key
    "id": "6151b515-0000-5000-8000-000000000001",
    "recorded_at": "2025-11-20T10:00:00+00:00",
    "recorded_by": "analyst",
    "occurred": {"start": "2025-11-01", "end": "2025-11-30", "precision": "month", "text": "2025-11"},
    "occurred_note": None,
    "summary": "Kabul denies sheltering militants.",
    "sources": [],
    "type": "statement-issued",
    "actor": "AFG",
    "parties": ["AFG", "PAK"],
    "track": None,
    "stance": "denies",
    "text": None,
}


def test_a_stored_v1_statement_is_read_by_todays_code(store_url):
    assert StatementIssued.class_version == 2
    store = Workspace(store_url).open(write=True)
    try:
        store.app.recorder.insert_events([
            StoredEvent(
                originator_id=aggregate_id("conflict", "AFG-PAK"),
                originator_version=1,
                topic="events.developments:StatementIssued",
                state=json.dumps(V1_STATE).encode(),
            )
        ])
        [event] = store.app.events.get(aggregate_id("conflict", "AFG-PAK"))
        assert isinstance(event.record, StatementIssued)
        assert event.record.speaker is None
    finally:
        store.close()

    cli = Cli(store_url)
    [dev] = cli.json("timeline")
    assert dev["id"] == V1_STATE["id"] and dev["speaker"] is None
    # the old event's aggregate still takes new developments and corrections
    cli.json("correct", V1_STATE["id"], "--speaker", "Zabihullah Mujahid", "--reason", "named later")
    assert cli.json("show", V1_STATE["id"])["current"]["speaker"] == "Zabihullah Mujahid"


def test_a_later_class_version_is_stored_as_the_transcoder_would_write_it():
    """pydantic's JSON with `class_version` added is byte for byte the compact document the
    transcoder writes from `model_dump` (quotes, backslashes, control characters, non-ASCII)."""
    from events.codec import JSONLinesTranscoder, RecordMapper

    statement = StatementIssued.model_validate({
        "actor": "PAK", "parties": ["AFG", "PAK"], "stance": "accuses", "occurred": "2025-10-29",
        "summary": 'Islamabad says "talks failed" \\ \u00e9\u8aaa\u2028\x1f\U0001f600.',
        "speaker": "Khawaja Asif", "sources": [{"url": "https://example.org/x", "published": "2025-10"}]})
    topic, state = RecordMapper(transcoder=JSONLinesTranscoder()).encode(statement)
    expected = {**statement.model_dump(mode="json"), "class_version": StatementIssued.class_version}
    assert StatementIssued.class_version > 1
    assert state == json.dumps(expected, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
