"""The library's SQLite recorder, with a bulk insert whose batch the read models index in the
same transaction.

`insert_events` (the library's) runs one INSERT per event to learn each notification id. A
batch inserted in one statement under the write lock gets consecutive rowids, so the ids are
known from the last one; the read models then index the batch with the same cursor, so a
killed import leaves whole batches, each indexed or not, never half of one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteApplicationRecorder

#: (originator id as 32 hex digits, version, topic, state): a row of the library's table
Row = tuple[str, int, str, bytes]

#: pages (in KiB when negative) the writing connection may cache: a store's random-key indexes
#: (record ids, the events' primary key) outgrow SQLite's default 2 MB from a few hundred
#: thousand events on (400,000 lines: 4 % faster with 32 MB at the same peak memory; at
#: 100,000 the peak grows from 118 to 142 MB)
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
