"""The library's SQLite recorder, with bulk inserts whose batch the read models index in the
same transaction.

`insert_events` (the library's) runs one INSERT per event to learn each notification id. A
batch inserted in one statement under the write lock gets consecutive rowids, so the ids are
known from the last one; the read models then index the batch with the same cursor, so a
killed import leaves whole batches, each indexed or not, never half of one. An import's batch
is copied from its staging file by SQLite itself (`insert_staged`), not row by row from Python.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteApplicationRecorder

from events.codec import read_only_uri
from tracker.pending import COLUMNS

#: (originator id as 32 hex digits, version, topic, state): a row of the library's table
Row = tuple[str, int, str, bytes]

#: pages (in KiB when negative) the writing connection may cache: a store's random-key indexes
#: (record ids, the events' primary key) outgrow SQLite's default cache from a few hundred
#: thousand events on, and every insert then touches pages that must be read back from the
#: file; a larger cache keeps them in memory, at the cost of a larger peak for small imports
CACHE_SIZE = -32768


class IndexingSQLiteRecorder(SQLiteApplicationRecorder):
    def insert_indexed(
        self, rows: Sequence[Row], index: Callable[[sqlite3.Cursor, range], None] | None
    ) -> range:
        """Insert a batch in one transaction; `index` gets the cursor and the batch's
        notification ids before it commits. Raises the library's IntegrityError on a
        conflicting version, like `insert_events`."""
        with self.datastore.transaction(commit=True) as c:
            cursor: Any = c.sqlite_cursor  # type: ignore[attr-defined]
            cursor.execute(f"PRAGMA cache_size={CACHE_SIZE}")
            cursor.executemany(self.insert_events_statement, rows)
            last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
            positions = range(last - len(rows) + 1, last + 1)
            if index is not None:
                index(cursor, positions)
        return positions

    def insert_staged(
        self, path: str, first: int, last: int, index: Callable[[sqlite3.Cursor, range], bool] | None
    ) -> range:
        """Insert the rows `first`..`last` of a staging file (`Pending.seal`) in one
        transaction, in the order they were decided: the file's line order becomes the log's,
        which breaks ties in occurred order (so a round trip through `export` keeps them).
        Before it commits, `index` gets the cursor and the batch's notification ids, with the
        batch's read-model entries in `temp.batch` (column `n` = 1, 2, … in log order, then
        `ENTRY_COLUMNS`), and `n`, `track`, `conflict` and `actor` alone in `temp.batch_order`
        (quicker to scan)."""
        with self.datastore.get_connection(commit=True) as conn:
            outside = conn.cursor()
            outside.execute("ATTACH DATABASE ? AS staged", (read_only_uri(path),))
            try:
                with conn.transaction(commit=True) as c:
                    cursor: Any = c.sqlite_cursor  # type: ignore[attr-defined]
                    cursor.execute(f"PRAGMA cache_size={CACHE_SIZE}")
                    # the batch's rows numbered from 1, in a small table the read models scan
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
                        f"INSERT INTO {self.events_table_name} (originator_id, originator_version, "
                        "topic, state) SELECT originator, version, topic, state FROM temp.batch ORDER BY n"
                    )
                    count = cursor.rowcount
                    end = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
                    positions = range(end - count + 1, end + 1)
                    if index is not None:
                        index(cursor, positions)
            finally:
                outside.execute("DETACH DATABASE staged")
        return positions
