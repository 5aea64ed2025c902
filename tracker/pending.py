"""Events decided but not yet written, kept outside the Python heap.

An import validates every line before it writes any, so what it decided must wait somewhere:
here, already encoded as the library's stored events (with how the read models will index
them), in a SQLite table — in memory for an append, in a temporary file for an import (so a
million lines need not fit in memory, and the store can copy a batch from the file in one
statement: see `IndexingSQLiteRecorder.insert_staged`). Rows are found by their sequence number
(the table's rowid); the maps that give those numbers, by record id and by aggregate, stay in
memory (about 100 bytes a record), so no index is maintained on disk.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from events.codec import ENTRY_COLUMNS, Recorded, RecordMapper, entry_of
from events.developments import Recordable

#: decided rows kept in memory before they go to the table in one statement
FLUSH = 2000


#: a decided event: (aggregate id as 32 hex digits, version, topic, state, meta), where meta
#: is (aggregate kind, key, *read-model entry)
Decided = tuple[str, int, str, bytes, tuple[Any, ...]]

#: the staging table's columns: the stored event, its aggregate's kind and key, its `Entry`
COLUMNS = ("originator", "version", "topic", "state", "kind", "key", *ENTRY_COLUMNS)


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
                seq INTEGER PRIMARY KEY, originator TEXT NOT NULL, version INTEGER NOT NULL,
                topic TEXT NOT NULL, state BLOB NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
                id TEXT NOT NULL, type TEXT NOT NULL, track TEXT, conflict TEXT, target TEXT,
                occurred_start TEXT, occurred_end TEXT, recorded_at TEXT NOT NULL, body TEXT,
                actor TEXT
            );
            """
        )
        self._insert = f"INSERT INTO pending VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
        self.count = 0
        self._rows: list[tuple[Any, ...]] = []
        self._by_id: dict[int, int] = {}  # by the id as an integer: half the memory of UUIDs
        self._by_originator: dict[UUID, array[int]] = {}
        self._hex: dict[UUID, str] = {}  # the library's spelling of each aggregate's id

    def add(self, event: Recorded, kind: str, key: str, conflict: str | None) -> None:
        """Keep a decided event, with how the read models will index it."""
        record = event.record
        text = record.model_dump_json()
        topic, state = self.mapper.encode(record, text)
        assert record.id is not None
        self.count += 1  # the row's seq
        self._by_id[record.id.int] = self.count
        seqs = self._by_originator.get(event.originator_id)
        if seqs is None:
            seqs = self._by_originator[event.originator_id] = array("q")
            self._hex[event.originator_id] = event.originator_id.hex
        seqs.append(self.count)
        entry = entry_of(record, key if kind == "track" else None, conflict, text)
        self._rows.append((self.count, self._hex[event.originator_id], event.originator_version,
                           topic, state, kind, key, *entry))
        if len(self._rows) >= FLUSH:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self.conn.executemany(self._insert, self._rows)
            self._rows = []

    def _row(self, seq: int, columns: str) -> tuple[Any, ...]:
        self._flush()
        row = self.conn.execute(f"SELECT {columns} FROM pending WHERE seq=?", (seq,)).fetchone()
        assert row is not None
        return tuple(row)

    def events_for(self, originator: UUID) -> list[Recorded]:
        seqs = self._by_originator.get(originator)
        if not seqs:
            return []
        self._flush()
        rows = self.conn.execute(
            f"SELECT version, topic, state FROM pending WHERE seq IN ({','.join('?' * len(seqs))}) "
            "ORDER BY version",
            list(seqs),
        ).fetchall()
        return [self._event(originator, *row) for row in rows]

    def where(self, record_id: UUID) -> tuple[UUID, str, str] | None:
        """(aggregate id, kind, key) of a pending record, if it is one."""
        seq = self._by_id.get(record_id.int)
        if seq is None:
            return None
        originator, kind, key = self._row(seq, "originator, kind, key")
        return UUID(hex=originator), kind, key

    def get(self, record_id: UUID) -> Recordable | None:
        seq = self._by_id.get(record_id.int)
        if seq is None:
            return None
        return self.mapper.decode_record(*self._row(seq, "topic, state"))

    def _event(self, originator: UUID, version: int, topic: str, state: bytes) -> Recorded:
        return Recorded(originator, version, self.mapper.decode_record(topic, state))

    def batches(self, size: int) -> Iterator[list[Decided]]:
        """Decided events in decision order, `size` at a time."""
        self._flush()
        cursor = self.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM pending ORDER BY seq")
        while rows := cursor.fetchmany(size):
            yield [(r[0], r[1], r[2], r[3], r[4:]) for r in rows]

    def seal(self) -> str:
        """The staging file, with every decided event in it, for other connections to read."""
        assert self.path is not None, "only a staging file can be read by another connection"
        self._flush()
        self.conn.commit()
        return self.path

    def staged(self, size: int) -> Iterator[tuple[str, int, int]]:
        """(file, first seq, last seq) of each `size` decided events, in decision order, for a
        store that copies them from the file itself (the file's table is `pending`, whose
        columns are `seq` and `COLUMNS`)."""
        path = self.seal()
        for first in range(1, self.count + 1, size):
            yield path, first, min(first + size - 1, self.count)

    def close(self) -> None:
        self.conn.close()
        if self.path:
            os.unlink(self.path)

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
