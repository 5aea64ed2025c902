"""Events decided but not yet written, kept outside the Python heap.

An import validates every line before it writes any, so what it decided must wait somewhere:
here, already encoded as the library's stored events, in a SQLite database — in memory for an
append, in a temporary file for an import (so a million lines need not fit in memory).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from events.codec import Recorded, RecordMapper
from events.developments import Recordable


class Pending:
    def __init__(self, mapper: RecordMapper, *, on_disk: bool = False):
        self.mapper = mapper
        self.path: str | None = None
        if on_disk:
            handle, self.path = tempfile.mkstemp(prefix="tracker-import-", suffix=".db")
            os.close(handle)
        self.conn = sqlite3.connect(self.path or ":memory:")
        self.conn.executescript(
            """
            PRAGMA journal_mode=OFF;
            PRAGMA synchronous=OFF;
            CREATE TABLE pending (
                seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL, originator TEXT NOT NULL,
                version INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
                topic TEXT NOT NULL, state BLOB NOT NULL
            );
            CREATE INDEX pending_record ON pending (record_id);
            CREATE INDEX pending_originator ON pending (originator, version);
            """
        )
        self.count = 0
        self._rows: list[tuple[Any, ...]] = []
        self._ids: set[int] = set()  # a cheap "certainly not pending" test, before any query
        self._originators: set[UUID] = set()

    def add(self, event: Recorded, kind: str, key: str) -> None:
        stored = self.mapper.to_stored_event(event)
        record_id = event.record.id
        assert record_id is not None
        self._rows.append((str(record_id), str(event.originator_id), event.originator_version,
                           kind, key, stored.topic, stored.state))
        self._ids.add(record_id.int & 0xFFFFFFFFFFFF)
        self._originators.add(event.originator_id)
        self.count += 1
        if len(self._rows) >= 1000:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self.conn.executemany(
                "INSERT INTO pending (record_id, originator, version, kind, key, topic, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                self._rows,
            )
            self._rows = []

    def _may_hold(self, record_id: UUID) -> bool:
        if record_id.int & 0xFFFFFFFFFFFF not in self._ids:
            return False
        self._flush()
        return True

    def events_for(self, originator: UUID) -> list[Recorded]:
        if originator not in self._originators:
            return []
        self._flush()
        rows = self.conn.execute(
            "SELECT version, topic, state FROM pending WHERE originator=? ORDER BY version",
            (str(originator),),
        ).fetchall()
        return [self._event(originator, *row) for row in rows]

    def where(self, record_id: UUID) -> tuple[UUID, str, str] | None:
        """(aggregate id, kind, key) of a pending record, if it is one."""
        if not self._may_hold(record_id):
            return None
        row = self.conn.execute(
            "SELECT originator, kind, key FROM pending WHERE record_id=?", (str(record_id),)
        ).fetchone()
        return (UUID(row[0]), row[1], row[2]) if row else None

    def get(self, record_id: UUID) -> Recordable | None:
        if not self._may_hold(record_id):
            return None
        row = self.conn.execute(
            "SELECT topic, state FROM pending WHERE record_id=?", (str(record_id),)
        ).fetchone()
        return self.mapper.decode_record(row[0], row[1]) if row else None

    def _event(self, originator: UUID, version: int, topic: str, state: bytes) -> Recorded:
        return Recorded(originator, version, self.mapper.decode_record(topic, state))

    def batches(self, size: int) -> Iterator[list[StoredEvent]]:
        """Stored events in decision order, `size` at a time."""
        self._flush()
        cursor = self.conn.execute(
            "SELECT originator, version, topic, state FROM pending ORDER BY seq"
        )
        while rows := cursor.fetchmany(size):
            yield [StoredEvent(UUID(o), v, t, s) for o, v, t, s in rows]

    def close(self) -> None:
        self.conn.close()
        if self.path:
            os.unlink(self.path)

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
