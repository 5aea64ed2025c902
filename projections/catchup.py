"""Pull-based catch-up: from the library's notification log into the read-model tables.

Each batch of notifications and the new position commit in one transaction, so every event
is applied exactly once, whatever is killed when. Tracks touched by a batch are marked dirty
in the same transaction and re-folded once the log is consumed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from projections.db import READ_MODEL_TABLES, ReadModelDB
from projections.fold import TrackFold
from projections.history import counted, current_developments, row_from_db

#: notifications applied per read-model transaction
BATCH = 5000
ROW_COLUMNS = "id, position, type, track, conflict, target, recorded_at, body"
READ_COLUMNS = ROW_COLUMNS + ", occurred_start, occurred_end"


def utc_text(value: str | datetime | None) -> str:
    """recorded_at as fixed-width UTC text, so text order is time order."""
    if value is None:
        raise ValueError("a stored record has no recorded_at")
    if isinstance(value, str) and len(value) == 32 and value.endswith("+00:00"):
        return value  # already as the write side stores it
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class CatchUp:
    """Keeps the read models in step with the log of one store."""

    def __init__(self, db: ReadModelDB, recorder: Any, mapper: Any, batch_size: int = BATCH):
        self.db = db
        self.recorder = recorder
        self.mapper = mapper
        self.batch_size = batch_size

    def position(self) -> int:
        row = self.db.one("SELECT position FROM rm_position WHERE name='records'")
        return int(row[0]) if row else 0

    def run(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every new notification; returns how many were applied."""
        applied = 0
        while True:
            with self.db.write():
                if self.db.dialect == "postgres":
                    row = self.db.one(
                        "SELECT position FROM rm_position WHERE name='records' FOR UPDATE"
                    )
                    start = int(row[0]) if row else 0
                else:
                    start = self.position()
                notes = self.recorder.select_notifications(
                    start, self.batch_size, inclusive_of_start=False
                )
                if not notes:
                    break
                self._apply_batch(notes)
                self.db.execute(
                    "UPDATE rm_position SET position=? WHERE name='records'", (notes[-1].id,)
                )
            applied += len(notes)
            if progress:
                progress(len(notes))
        self.refresh_tracks()
        return applied

    def _apply_batch(self, notes: list[Any]) -> None:
        """Turn a batch of notifications into rows, written with one statement per table."""
        conflicts = dict(self.db.all("SELECT key, conflict FROM rm_tracks"))
        new_tracks: list[tuple[Any, ...]] = []
        records: list[tuple[Any, ...]] = []
        actors: list[tuple[Any, ...]] = []
        placed: dict[str, tuple[str | None, str | None]] = {}
        dirty: set[str] = set()
        for note in notes:
            body = self.mapper.decode_state(note.topic, note.state)
            stamp = utc_text(body["recorded_at"])
            if stamp == body["recorded_at"] and b'"class_version"' not in note.state:
                text = note.state.decode("utf-8")  # stored as today's code would write it
            else:
                body["recorded_at"] = stamp
                text = json.dumps(body, ensure_ascii=False)
            kind = body["type"]
            if kind == "actor-registered":
                actors.append((body["code"], note.id, text))
                continue
            track, target = body.get("track"), body.get("target")
            start = end = None
            if target is not None:
                track, conflict = placed.get(target) or self._placement(target)
            else:
                start, end = body["occurred"]["start"], body["occurred"]["end"]
                if track is None:
                    conflict = "-".join(body["parties"])
                elif track in conflicts:
                    conflict = conflicts[track]
                else:  # a track's first event is always its opening offer
                    conflict = conflicts[track] = "-".join(body["parties"])
                    new_tracks.append((track, track.casefold(), conflict, json.dumps(body["parties"])))
            placed[body["id"]] = (track, conflict)
            records.append((body["id"], note.id, kind, track, conflict, target,
                            body["recorded_at"], text, start, end))
            if track is not None:
                dirty.add(track)
        self.db.executemany(
            "INSERT INTO rm_tracks (key, folded, conflict, parties, dirty) VALUES (?, ?, ?, ?, 1)",
            new_tracks,
        )
        self.db.executemany(
            f"INSERT INTO rm_records ({ROW_COLUMNS}, occurred_start, occurred_end) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        self.db.executemany("INSERT INTO rm_actors (code, position, body) VALUES (?, ?, ?)", actors)
        self.db.executemany("UPDATE rm_tracks SET dirty=1 WHERE key=?", [(k,) for k in sorted(dirty)])

    def _placement(self, record_id: str) -> tuple[str | None, str | None]:
        found = self.db.one("SELECT track, conflict FROM rm_records WHERE id=?", (record_id,))
        return (found[0], found[1]) if found else (None, None)

    def refresh_tracks(self) -> None:
        """Re-fold dirty tracks over everything known (the cached `status` of today)."""
        while True:
            with self.db.write():
                dirty = self.db.all(
                    "SELECT key, parties FROM rm_tracks WHERE dirty=1 ORDER BY key LIMIT 200"
                )
                if not dirty:
                    return
                for key, parties in dirty:
                    rows = [
                        row_from_db(r)
                        for r in self.db.all(
                            f"SELECT {READ_COLUMNS} FROM rm_records WHERE track=? "
                            "ORDER BY position",
                            (key,),
                        )
                    ]
                    fold = TrackFold(key, json.loads(parties))
                    for dev in counted(current_developments(rows, None), None):
                        fold.apply(dev.fold_view())
                    state = fold.state(None).model_dump_json() if fold.count else None
                    self.db.execute(
                        "UPDATE rm_tracks SET state=?, max_end=?, dirty=0 WHERE key=?",
                        (state, fold.max_end, key),
                    )

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop the read models and rebuild them from the whole log."""
        with self.db.write():
            for table in READ_MODEL_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("INSERT INTO rm_position (name, position) VALUES ('records', 0)")
        return self.run(progress)
