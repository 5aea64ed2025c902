"""Pull-based catch-up: from the library's notification log into the read-model tables.

Each batch of notifications and the new position commit in one transaction, so every event
is applied exactly once, whatever is killed when. Tracks touched by a batch are marked dirty
in the same transaction and re-folded once the log is consumed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from events.developments import fixed_width
from events.errors import StoreDamaged, first_line
from projections.db import READ_MODEL_TABLES, ReadModelDB
from projections.entries import RECORD_COLUMNS, Entry
from projections.fold import TrackFold
from projections.history import Row, counted, current_developments, row_from_db
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
        self.marks: dict[str, int] = {}

    def position(self) -> int:
        row = self.db.one("SELECT position FROM rm_position WHERE name='records'")
        return int(row[0]) if row else 0

    def run(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every new notification and fold the tracks it changed; returns how many
        were applied."""
        applied = self.index_log(progress)
        self.refresh_tracks()
        return applied

    def index_log(self, progress: Callable[[int], None] | None = None) -> int:
        """Index every new notification, marking the tracks it changes dirty; returns how
        many were indexed."""
        applied = 0
        while self._behind():
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
        return applied

    def _behind(self) -> bool:
        """Whether the log holds anything past the position, looked up without the write
        lock: a read with nothing to catch up must not wait for, or need, the lock."""
        notes = self.recorder.select_notifications(self.position(), 1, inclusive_of_start=False)
        return bool(notes)

    def index_entries(self, db: ReadModelDB, positions: Sequence[int],
                      entries: Sequence[tuple[Any, ...]]) -> bool:
        """Index a batch from the entries its writer decided (`projections.bulk`), if it
        directly follows what is indexed."""
        if not self.follows(db, positions):
            return False
        self._write(db, zip(positions, entries, strict=True))
        db.execute("UPDATE rm_position SET position=? WHERE name='records'", (positions[-1],))
        return True

    def follows(self, db: ReadModelDB, positions: Sequence[int]) -> bool:
        """Whether a batch is contiguous and directly follows what is indexed (else `run`
        reads it back from the log)."""
        first = positions[0]
        return positions[-1] - first == len(positions) - 1 and self._locked_position(db) == first - 1

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
            try:
                entry = self._entry(note, conflicts, placed)
            except (ValueError, KeyError, TypeError) as exc:  # JSON, UTF-8, a missing field
                raise StoreDamaged(f"the record at log position {note.id} does not decode: "
                                   f"{first_line(exc)}") from exc
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

    def _write(self, db: ReadModelDB, indexed: Iterable[tuple[int, tuple[Any, ...]]]) -> None:
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
        self.mark_tracks(db, tracks)
        db.executemany(
            f"INSERT INTO rm_records (position, {', '.join(RECORD_COLUMNS)}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        db.executemany("INSERT INTO rm_actors (code, position, body) VALUES (?, ?, ?)", actors)

    def mark_tracks(self, db: ReadModelDB, tracks: dict[str, tuple[str, int]]) -> None:
        """Mark tracks dirty, each with (its conflict, the position of its latest record): the
        mark is that position, so a re-fold made meanwhile from older rows cannot clear it (see
        `refresh_tracks`). `marks` remembers the marks this catch-up set."""
        for key, (_, position) in tracks.items():
            self.marks[key] = position
        db.executemany(
            "INSERT INTO rm_tracks (key, folded, conflict, parties, dirty) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET dirty=excluded.dirty",
            [(k, k.casefold(), c, json.dumps(c.split("-")), p) for k, (c, p) in sorted(tracks.items())],
        )

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
            f"SELECT key, conflict, parties, dirty FROM rm_tracks WHERE dirty<>0 ORDER BY key LIMIT {limit}"
        )
        if not dirty:
            return None
        states = []
        for key, conflict, parties, mark in dirty:
            rows = [row_from_db(r) for r in
                    self.db.all(read_rows(self.db, "WHERE conflict=? AND track=?"), (conflict, key))]
            states.append((*cached_state(key, json.loads(parties), rows), key, mark))
        return states

    @staticmethod
    def write_states(db: ReadModelDB, states: Sequence[tuple[Any, ...]]) -> None:
        db.executemany(
            "UPDATE rm_tracks SET state=?, max_end=?, dirty=0 WHERE key=? AND dirty=?", states
        )

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop the read models and rebuild them from the whole log, in one transaction: a
        rebuild that fails (a damaged log) keeps the read models it started from."""
        with self.db.write():
            for table in READ_MODEL_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("INSERT INTO rm_position (name, position) VALUES ('records', 0)")
            return self.run(progress)


def fold_track(key: str, parties: list[str], rows: list[Row], as_of: date | None = None,
               known_at: datetime | None = None) -> TrackFold:
    """A track's fold over its read-model rows, as known at `known_at`, counting what
    happened by `as_of` (None: everything known, everything counted)."""
    fold = TrackFold(key, parties)
    for dev in counted(current_developments(rows, known_at), as_of):
        fold.apply(dev.fold_view())
    return fold


def cached_state(key: str, parties: list[str], rows: list[Row]) -> tuple[str | None, str | None]:
    """(the state as `status --json` prints it, latest occurred end) of a track's rows."""
    fold = fold_track(key, parties, rows)
    return (json_text(fold.state(None).model_dump(mode="json")) if fold.count else None), fold.max_end
