"""Pull-based catch-up: from the library's notification log into the read-model tables.

Each batch of notifications and the new position commit in one transaction, so every event
is applied exactly once, whatever is killed when. Tracks touched by a batch are marked dirty
in the same transaction and re-folded once the log is consumed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from events.codec import Entry
from events.developments import fixed_width
from projections.db import READ_MODEL_TABLES, ReadModelDB
from projections.fold import TrackFold
from projections.history import counted, current_developments, row_from_db
from projections.models import json_text

#: notifications applied per read-model transaction
BATCH = 5000


def read_rows(db: ReadModelDB, where: str = "") -> str:
    """The query of read-model rows (as `Row` takes them) that match a WHERE clause."""
    return (
        f"SELECT id, position, type, track, conflict, target, recorded_at, {db.body}, "
        f"occurred_start, occurred_end FROM {db.records} {where} ORDER BY position"
    )


def utc_text(value: str | datetime | None) -> str:
    """recorded_at as fixed-width UTC text, so text order is time order."""
    if value is None:
        raise ValueError("a stored record has no recorded_at")
    if isinstance(value, str) and len(value) == 32 and value.endswith("+00:00"):
        return value  # already as the write side stores it
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return fixed_width(moment.astimezone(UTC))


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
                start = self._locked_position(self.db)
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

    def index(self, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """Index a batch the write side has just committed, from the entries it decided, in a
        transaction of its own; only when the batch directly follows what is indexed (else
        `run` reads it back from the log)."""
        with self.db.write():
            return self._index(self.db, positions, entries)

    def index_within(self, cursor: Any, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """The same, inside the SQLite transaction that writes the batch (`cursor` is its)."""
        return self._index(ReadModelDB(cursor, "sqlite"), positions, entries)

    def _index(self, db: ReadModelDB, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        first = positions[0]
        if positions[-1] - first != len(positions) - 1 or self._locked_position(db) != first - 1:
            return False
        self._write(db, zip(positions, entries, strict=True))
        db.execute("UPDATE rm_position SET position=? WHERE name='records'", (positions[-1],))
        return True

    @staticmethod
    def _locked_position(db: ReadModelDB) -> int:
        """The position, locked against other catch-ups until this transaction ends (a
        SQLite write transaction holds the lock already)."""
        lock = " FOR UPDATE" if db.dialect == "postgres" else ""
        row = db.one(f"SELECT position FROM rm_position WHERE name='records'{lock}")
        return int(row[0]) if row else 0

    def _apply_batch(self, notes: list[Any]) -> None:
        """Index a batch of notifications read from the log."""
        conflicts = dict(self.db.all("SELECT key, conflict FROM rm_tracks"))
        placed: dict[str, tuple[str | None, str | None]] = {}
        indexed = []
        for note in notes:
            entry = self._entry(note, conflicts, placed)
            placed[entry.id] = (entry.track, entry.conflict)
            indexed.append((note.id, entry))
        self._write(self.db, indexed)

    def _entry(self, note: Any, conflicts: dict[str, str],
               placed: dict[str, tuple[str | None, str | None]]) -> Entry:
        body = self.mapper.decode_state(note.topic, note.state)
        stamp = utc_text(body["recorded_at"])
        if stamp == body["recorded_at"] and b'"class_version"' not in note.state:
            text = None  # stored as today's code would write it: read from the log
        else:
            body["recorded_at"] = stamp
            text = json.dumps(body, ensure_ascii=False)
        kind = body["type"]
        if kind == "actor-registered":
            text = text or note.state.decode("utf-8")
            return Entry(body["id"], kind, None, None, None, None, None, stamp, text, body["code"])
        track, target = body.get("track"), body.get("target")
        start = end = None
        if target is not None:
            track, conflict = placed.get(target) or self._placement(target)
        else:
            start, end = body["occurred"]["start"], body["occurred"]["end"]
            if track is None:
                conflict = "-".join(body["parties"])
            else:  # a track's first event is always its opening offer
                conflict = conflicts.setdefault(track, "-".join(body.get("parties") or ()))
        return Entry(body["id"], kind, track, conflict, target, start, end, stamp, text, None)

    @staticmethod
    def _write(db: ReadModelDB, indexed: Iterable[tuple[int, tuple[Any, ...]]]) -> None:
        """Rows of indexed records (`Entry` tuples), written with one statement per table."""
        records: list[tuple[Any, ...]] = []
        actors: list[tuple[Any, ...]] = []
        tracks: dict[str, tuple[str, int]] = {}
        for position, entry in indexed:
            record_id, kind, track, conflict, target, start, end, stamp, body, actor = entry
            if actor is not None:  # an actor-registered
                actors.append((actor, position, body))
                continue
            records.append((position, record_id, kind, track, conflict, target, start, end, stamp, body))
            if track is not None:
                tracks[track] = (conflict, position)
        # `dirty` holds the position of the track's latest record, so a re-fold made meanwhile
        # from older rows cannot clear it (see `refresh_tracks`)
        db.executemany(
            "INSERT INTO rm_tracks (key, folded, conflict, parties, dirty) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET dirty=excluded.dirty",
            [(k, k.casefold(), c, json.dumps(c.split("-")), p) for k, (c, p) in sorted(tracks.items())],
        )
        db.executemany(
            "INSERT INTO rm_records (position, id, type, track, conflict, target, occurred_start, "
            "occurred_end, recorded_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        db.executemany("INSERT INTO rm_actors (code, position, body) VALUES (?, ?, ?)", actors)

    def _placement(self, record_id: str) -> tuple[str | None, str | None]:
        found = self.db.one("SELECT track, conflict FROM rm_records WHERE id=?", (record_id,))
        return (found[0], found[1]) if found else (None, None)

    def refresh_tracks(self) -> None:
        """Re-fold dirty tracks over everything known: the cached `status` of today.

        The folding holds no write lock: each state is written only if the track's `dirty`
        mark is still the one seen before its rows were read, so a track that another writer
        changes meanwhile stays dirty and is folded again.
        """
        while True:
            states = self.fold_dirty()
            if states is None:
                return
            with self.db.write():
                self.write_states(self.db, states)

    def fold_dirty(self, limit: int = 200) -> list[tuple[Any, ...]] | None:
        """(state, max_end, key, mark) of up to `limit` dirty tracks, folded outside any
        transaction; None when none is dirty."""
        dirty = self.db.all(
            f"SELECT key, parties, dirty FROM rm_tracks WHERE dirty<>0 ORDER BY key LIMIT {limit}"
        )
        if not dirty:
            return None
        states = []
        for key, parties, mark in dirty:
            rows = [row_from_db(r) for r in self.db.all(read_rows(self.db, "WHERE track=?"), (key,))]
            fold = TrackFold(key, json.loads(parties))
            for dev in counted(current_developments(rows, None), None):
                fold.apply(dev.fold_view())
            state = json_text(fold.state(None).model_dump(mode="json")) if fold.count else None
            states.append((state, fold.max_end, key, mark))
        return states

    @staticmethod
    def write_states(db: ReadModelDB, states: Sequence[tuple[Any, ...]]) -> None:
        db.executemany(
            "UPDATE rm_tracks SET state=?, max_end=?, dirty=0 WHERE key=? AND dirty=?", states
        )

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop the read models and rebuild them from the whole log."""
        with self.db.write():
            for table in READ_MODEL_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("INSERT INTO rm_position (name, position) VALUES ('records', 0)")
        return self.run(progress)
