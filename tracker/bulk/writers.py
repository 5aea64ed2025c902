"""How an import's decided batches go into the store, one transaction each, indexed by the
read models as they go: one writer per kind of store, chosen by the store's configuration.

The library's `insert_events` runs one INSERT per event to learn each notification id. On
SQLite a batch inserted in one statement under the write lock gets consecutive rowids, so the
ids are known from the last one; the read models then index the batch with the same cursor,
so a killed import leaves whole batches, each indexed or not, never half of one. An import's
batch is copied from its staging file by SQLite itself (`SQLiteCopy`), not row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from projections.bulk import read_only_uri
from tracker.bulk.staging import COLUMNS, Decided, Staging

#: pages (in KiB when negative) the writing connection may cache: a store's random-key indexes
#: (record ids, the events' primary key) outgrow SQLite's default 2 MB from a few hundred
#: thousand events on
CACHE_SIZE = -32768

#: at most this many a transaction through the library's `insert_events` (PostgreSQL): psycopg
#: pipelines every row of a batch, and a very long pipeline has stalled for good (the server
#: waiting for input, psycopg for results)
PIPELINED_BATCH = 10_000


class Index(Protocol):
    """The read models' side of an import's writes (`projections.bulk.BulkIndex`)."""

    def index(self, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """In a transaction of its own, after the batch is committed."""

    def index_within(self, cursor: Any, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """Inside the SQLite transaction that writes the batch."""

    def index_staged(self, cursor: Any, positions: range) -> bool:
        """Inside the SQLite transaction that copies a staged batch (see `SQLiteCopy`)."""

    def folding(self, path: str, tracks: set[str]) -> Any:
        """A with-block during which the tracks an import opens are folded from its staging
        file; their states are kept when it ends if the block sets the job's `keep`."""


def entries_of(batch: Sequence[Decided]) -> list[tuple[Any, ...]]:
    """The read-model entries of a batch, in the order decided (the lines' order): the log's
    order breaks ties in occurred order, across tracks too, and an export must come back from
    an import as it was."""
    return [meta[2:] for *_, meta in batch]


class LibraryRows:
    """The library's own `insert_events` (PostgreSQL), then the read models index the batch in
    a transaction of their own; the fold of the tracks an import opens follows the writes,
    which psycopg's threads then have to themselves."""

    cap: int | None = PIPELINED_BATCH
    fold_beside = False

    def __init__(self, recorder: Any, index: Index | None):
        self.recorder, self.index = recorder, index

    def insert(self, batch: Sequence[Decided]) -> None:
        positions = self.recorder.insert_events(
            [StoredEvent(UUID(hex=o), v, t, s) for o, v, t, s, _ in batch]
        )
        if self.index is not None and positions:
            self.index.index(positions, entries_of(batch))

    def write(self, staging: Staging, first: int, last: int) -> None:
        """Write the staged events `first`..`last` in one transaction."""
        self.insert(staging.rows(first, last))


class SQLiteRows(LibraryRows):
    """A batch inserted in one statement, indexed in the same transaction (SQLite)."""

    cap = None

    def insert(self, batch: Sequence[Decided]) -> None:
        """Raises the library's IntegrityError on a conflicting version, as `insert_events`."""
        entries = entries_of(batch)
        with self.recorder.datastore.transaction(commit=True) as c:
            cursor: Any = c.sqlite_cursor
            cursor.execute(f"PRAGMA cache_size={CACHE_SIZE}")
            cursor.executemany(self.recorder.insert_events_statement, [row[:4] for row in batch])
            last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
            if self.index is not None:
                self.index.index_within(cursor, range(last - len(batch) + 1, last + 1), entries)


class SQLiteCopy(SQLiteRows):
    """SQLite copies each batch from the staging file in one statement, which releases the
    interpreter lock: the fold of the tracks an import opens runs beside it."""

    fold_beside = True

    def write(self, staging: Staging, first: int, last: int) -> None:
        """The staged rows `first`..`last` in one transaction, in the order they were decided.
        Before it commits the read models index them, with the batch's entries in
        `temp.batch` (column `n` = 1, 2, … in log order, then `ENTRY_COLUMNS`), and `n`,
        `track`, `conflict` and `actor` alone in `temp.batch_order` (quicker to scan)."""
        path = staging.seal()
        with self.recorder.datastore.get_connection(commit=True) as conn:
            outside = conn.cursor()
            outside.execute("ATTACH DATABASE ? AS staged", (read_only_uri(path),))
            try:
                with conn.transaction(commit=True) as c:
                    self._copy(c.sqlite_cursor, first, last)
            finally:
                outside.execute("DETACH DATABASE staged")

    def _copy(self, cursor: Any, first: int, last: int) -> None:
        cursor.execute(f"PRAGMA cache_size={CACHE_SIZE}")
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS batch_order "
            "(n INTEGER PRIMARY KEY, seq INTEGER, track TEXT, conflict TEXT, actor TEXT)"
        )
        cursor.execute(
            "CREATE TEMP VIEW IF NOT EXISTS batch AS SELECT o.n, "
            f"{', '.join('p.' + c for c in COLUMNS)} "
            "FROM temp.batch_order o JOIN staged.pending p ON p.seq = o.seq"
        )
        cursor.execute("DELETE FROM temp.batch_order")  # rowids start again from 1
        cursor.execute(
            "INSERT INTO temp.batch_order (seq, track, conflict, actor) "
            "SELECT seq, track, conflict, actor FROM staged.pending "
            "WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last),
        )
        cursor.execute(
            f"INSERT INTO {self.recorder.events_table_name} (originator_id, originator_version, "
            "topic, state) SELECT originator, version, topic, state FROM temp.batch ORDER BY n"
        )
        count = cursor.rowcount
        end = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
        if self.index is not None:
            self.index.index_staged(cursor, range(end - count + 1, end + 1))
