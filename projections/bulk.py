"""The read models' side of a bulk import (`tracker.bulk`): index each batch from the entries
the import decided, in the transaction that writes it where the store allows, and fold the
tracks an import opens from its staging file instead of from the log."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from events.errors import lock_timed_out
from projections.catchup import CatchUp, cached_state
from projections.db import ReadModelDB
from projections.entries import RECORD_COLUMNS
from projections.history import Row


def read_only_uri(path: str) -> str:
    """An SQLite URI that opens a file read-only, whatever characters its path holds."""
    return f"{Path(path).absolute().as_uri()}?mode=ro"


class BulkIndex:
    """Indexes an import's batches for one catch-up (whose position and marks it moves)."""

    def __init__(self, catchup: CatchUp):
        self.catchup = catchup

    def index(self, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """Index a batch the import has just committed, in a transaction of its own; only when
        the batch directly follows what is indexed (else the catch-up reads it from the log)."""
        db = self.catchup.db
        try:
            with db.write():
                return self.catchup.index_entries(db, positions, entries)
        except Exception as exc:
            if not lock_timed_out(exc):
                raise
            return False  # committed, not indexed: the next catch-up reads it from the log

    def index_within(self, cursor: Any, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """The same, inside the SQLite transaction that writes the batch (`cursor` is its)."""
        return self.catchup.index_entries(ReadModelDB(cursor, "sqlite"), positions, entries)

    def index_staged(self, cursor: Any, positions: range) -> bool:
        """The same inside the SQLite transaction that copies a staged batch: its entries are in
        `temp.batch` (`n` = 1, 2, … in log order, then `ENTRY_COLUMNS`; `n`, `track`, `conflict`
        and `actor` alone in `temp.batch_order`), copied by SQLite."""
        db = ReadModelDB(cursor, "sqlite")
        if not self.catchup.follows(db, positions):
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
        self.catchup.mark_tracks(db, {track: (conflict, position) for track, conflict, position in latest})
        db.execute("UPDATE rm_position SET position=? WHERE name='records'", (positions[-1],))
        return True

    @contextmanager
    def folding(self, path: str, tracks: set[str]) -> Iterator[StagedFold]:
        """Fold, from an import's staging file, the tracks whose every record is in it (the
        tracks the import opens) in a thread while the block runs; when it ends, keep the
        states if the block set the job's `keep`, for the tracks whose latest record is the
        one this catch-up indexed last (a track another writer changed since, or whose batch
        a catch-up of the log indexes later, stays dirty and is folded from the log)."""
        job = StagedFold(path, tracks)
        try:
            yield job
        finally:
            folded = job.result(cancel=not job.keep)
        marks = self.catchup.marks
        states = [(state, end, key, marks[key]) for key, (state, end) in folded.items() if key in marks]
        if states:
            with self.catchup.db.write():
                self.catchup.write_states(self.catchup.db, states)


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
        #: whether the states are kept when the fold ends (see `BulkIndex.folding`)
        self.keep = False
        # The writer, back from SQLite, waits for the interpreter lock at most the switch
        # interval; it is the process's, so it is shortened only until `result` (which
        # `BulkIndex.folding` calls on leaving its with-block) and restored there.
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(0.0005)
        self.thread = threading.Thread(target=self._run, args=(path,), name="staged-fold", daemon=True)
        try:
            self.thread.start()
        except BaseException:
            sys.setswitchinterval(self.interval)
            raise

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
            self.states[key] = cached_state(key, rows[0].conflict.split("-"), rows)  # type: ignore[union-attr]

    def result(self, *, cancel: bool = False) -> dict[str, tuple[str | None, str | None]]:
        """{track: (state, max_end)}, once the fold is done (or stopped, if `cancel`). A fold
        that failed (its temporary files filled the disk, say) gives none: the tracks stay
        dirty, and the catch-up folds them from the log, as for any other write."""
        self.cancelled = cancel
        try:
            self.thread.join()
        finally:
            sys.setswitchinterval(self.interval)
        return {} if self.error is not None or cancel else self.states
