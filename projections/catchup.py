"""Pull-based catch-up: from the library's notification log into the read-model tables.

Each batch of notifications and the new position commit in one transaction, so every event
is applied exactly once, whatever is killed when. Tracks touched by a batch are marked dirty
in the same transaction and re-folded once the log is consumed.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from events.codec import ENTRY_COLUMNS, Entry, read_only_uri
from events.developments import fixed_width
from events.errors import StoreDamaged, first_line, lock_timed_out
from projections.db import READ_MODEL_TABLES, ReadModelDB
from projections.fold import TrackFold
from projections.history import Row, counted, current_developments, row_from_db
from projections.models import json_text

#: notifications applied per read-model transaction
BATCH = 5000

#: rm_records' columns after `position`: an `Entry` without the actor code
RECORD_COLUMNS = ENTRY_COLUMNS[:-1]


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
        """Apply every new notification; returns how many were applied."""
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
        self.refresh_tracks()
        return applied

    def _behind(self) -> bool:
        """Whether the log holds anything past the position, looked up without the write
        lock: a read with nothing to catch up must not wait for, or need, the lock."""
        notes = self.recorder.select_notifications(self.position(), 1, inclusive_of_start=False)
        return bool(notes)

    def index(self, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """Index a batch the write side has just committed, from the entries it decided, in a
        transaction of its own; only when the batch directly follows what is indexed (else
        `run` reads it back from the log)."""
        try:
            with self.db.write():
                return self._index(self.db, positions, entries)
        except Exception as exc:
            if not lock_timed_out(exc):
                raise
            return False  # committed, not indexed: the next catch-up reads it from the log

    def index_within(self, cursor: Any, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """The same, inside the SQLite transaction that writes the batch (`cursor` is its)."""
        return self._index(ReadModelDB(cursor, "sqlite"), positions, entries)

    def index_staged(self, cursor: Any, positions: range) -> bool:
        """The same inside the SQLite transaction that copies a staged batch: its entries are in
        `temp.batch` (`n` = 1, 2, … in log order, then `ENTRY_COLUMNS`; `n`, `track`, `conflict`
        and `actor` alone in `temp.batch_order`), copied by SQLite."""
        db = ReadModelDB(cursor, "sqlite")
        if not self._follows(db, positions):
            return False
        offset = positions[0] - 1
        db.execute(
            f"INSERT INTO rm_records (position, {', '.join(RECORD_COLUMNS)}) "
            f"SELECT n + ?, {', '.join(RECORD_COLUMNS)} FROM temp.batch WHERE actor IS NULL ORDER BY n",
            (offset,),
        )
        if db.one("SELECT 1 FROM temp.batch_order WHERE actor IS NOT NULL LIMIT 1"):
            db.execute(
                "INSERT INTO rm_actors (code, position, body) "
                "SELECT actor, n + ?, body FROM temp.batch WHERE actor IS NOT NULL ORDER BY n",
                (offset,),
            )
        # SQLite takes a bare column from the row of MAX(): the conflict of the latest record
        latest = db.all(
            "SELECT track, conflict, MAX(n) + ? FROM temp.batch_order "
            "WHERE track IS NOT NULL AND actor IS NULL GROUP BY track",
            (offset,),
        )
        self._mark_tracks(db, {track: (conflict, position) for track, conflict, position in latest})
        db.execute("UPDATE rm_position SET position=? WHERE name='records'", (positions[-1],))
        return True

    def _index(self, db: ReadModelDB, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        if not self._follows(db, positions):
            return False
        self._write(db, zip(positions, entries, strict=True))
        db.execute("UPDATE rm_position SET position=? WHERE name='records'", (positions[-1],))
        return True

    def _follows(self, db: ReadModelDB, positions: Sequence[int]) -> bool:
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
        self._mark_tracks(db, tracks)
        db.executemany(
            f"INSERT INTO rm_records (position, {', '.join(RECORD_COLUMNS)}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        db.executemany("INSERT INTO rm_actors (code, position, body) VALUES (?, ?, ?)", actors)

    def _mark_tracks(self, db: ReadModelDB, tracks: dict[str, tuple[str, int]]) -> None:
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
            states.append((*fold_track(key, json.loads(parties), rows), key, mark))
        return states

    def fold_staged(self, path: str, tracks: set[str]) -> StagedFold:
        """Start folding, from an import's staging file, the tracks whose every record is in it
        (tracks the import opens), in a thread (on SQLite while the store writes the batches);
        `store_folded` then keeps the states."""
        return StagedFold(path, tracks)

    def store_folded(self, job: StagedFold, *, keep: bool) -> None:
        """Wait for a `fold_staged` to end; if `keep`, keep its states for the tracks whose
        latest record is the one this catch-up indexed last (a track that another writer
        changed since, or whose batch a catch-up of the log indexes later, stays dirty and is
        folded from the log)."""
        folded = job.result(cancel=not keep)
        states = [(state, end, key, self.marks[key]) for key, (state, end) in folded.items()
                  if key in self.marks]
        if not states:
            return
        with self.db.write():
            self.write_states(self.db, states)

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


def fold_track(key: str, parties: list[str], rows: list[Row]) -> tuple[str | None, str | None]:
    """(cached state as `status --json` prints it, latest occurred end) of a track's rows."""
    fold = TrackFold(key, parties)
    for dev in counted(current_developments(rows, None), None):
        fold.apply(dev.fold_view())
    return (json_text(fold.state(None).model_dump(mode="json")) if fold.count else None), fold.max_end


#: a staging file's rows as `Row` takes them (their sequence stands for the log position: a
#: track's records are written in that order), grouped by track (its index on (track, seq)
#: gives that order without a sort)
STAGED_ROWS = (
    "SELECT id, seq, type, track, conflict, target, recorded_at, COALESCE(body, state), "
    "occurred_start, occurred_end FROM pending WHERE track IS NOT NULL AND actor IS NULL "
    "ORDER BY track, seq"
)


class StagedFold:
    """Folds tracks from an import's staging file in a thread of its own.

    SQLite copies an import's batches inside itself, which releases the interpreter lock, so
    there the fold runs beside the writes on a second core; on PostgreSQL it follows them.
    """

    def __init__(self, path: str, tracks: set[str]):
        self.tracks = tracks
        self.states: dict[str, tuple[str | None, str | None]] = {}
        self.error: BaseException | None = None
        self.cancelled = False
        self.interval = sys.getswitchinterval()
        # the writer, back from SQLite, waits for the lock at most this long
        sys.setswitchinterval(0.0005)
        self.thread = threading.Thread(target=self._run, args=(path,), name="staged-fold", daemon=True)
        self.thread.start()

    def _run(self, path: str) -> None:
        try:
            conn = sqlite3.connect(read_only_uri(path), uri=True)
            try:
                self._fold(conn.execute(STAGED_ROWS))
            finally:
                conn.close()
        except BaseException as exc:  # noqa: BLE001 - see `result`
            self.error = exc

    def _fold(self, cursor: Any) -> None:
        key: str | None = None
        rows: list[Row] = []
        while (chunk := cursor.fetchmany(2000)) and not self.cancelled:
            for values in chunk:
                if values[3] != key:
                    self._keep(key, rows)
                    key, rows = values[3], []
                rows.append(Row(*values))
        self._keep(key, rows)

    def _keep(self, key: str | None, rows: list[Row]) -> None:
        if key in self.tracks and rows:
            self.states[key] = fold_track(key, rows[0].conflict.split("-"), rows)  # type: ignore[union-attr]

    def result(self, *, cancel: bool = False) -> dict[str, tuple[str | None, str | None]]:
        """{track: (state, max_end)}, once the fold is done (or stopped, if `cancel`). A fold
        that failed (its temporary files filled the disk, say) gives none: the tracks stay
        dirty, and the catch-up folds them from the log, as for any other write."""
        self.cancelled = cancel
        self.thread.join()
        sys.setswitchinterval(self.interval)
        return {} if self.error is not None or cancel else self.states
