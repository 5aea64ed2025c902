"""An import's decided events, staged outside the Python heap until they are written.

An import validates every line before it writes any, so what it decided must wait somewhere:
here, already encoded as the library's stored events (with how the read models will index
them), in a SQLite table: in a temporary file (so a million lines need not fit in memory, and
the store can copy a batch from the file in one statement: see `tracker.bulk.writers.SQLiteCopy`),
or in memory for a batch decided again after a conflict. Rows are found by their sequence
number (the table's rowid); the maps that give those numbers, by record id and by aggregate,
stay in memory (about 100 bytes a record); the one index on disk gives a track's rows in order,
for folding the tracks an import opens.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from array import array
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

from events.codec import Recorded, RecordMapper
from events.developments import Recordable
from projections.entries import ENTRY_COLUMNS, entry_of
from tracker.bulk.forked import ForkedWriter

#: decided rows kept in memory before they go to the table in one statement
FLUSH = 2000


#: the start of a staging file's name, followed by the pid of the import that made it
STAGING_PREFIX = "tracker-import-"
#: the start of the name of an import's copy of stdin (or a pipe), followed by its pid
SPOOL_PREFIX = "tracker-stdin-"
#: the files an import leaves in the temporary folder when it is killed
LEFTOVER_NAME = re.compile(
    rf"(?:{re.escape(STAGING_PREFIX)}|{re.escape(SPOOL_PREFIX)})(\d+)-[A-Za-z0-9_]+\.(?:db|jsonl)\Z"
)


def remove_leftovers(folder: str | None = None) -> None:
    """Remove the staging files and copies of stdin of imports whose process is gone (killed,
    so that it could not remove its own), from the temporary directory."""
    folder = folder or tempfile.gettempdir()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        found = LEFTOVER_NAME.match(name)
        if found and not alive(int(found.group(1))):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass  # another import removed it first, or it is not ours to remove


def alive(pid: int) -> bool:
    """Whether a process with this id runs (a pid reused since keeps its file: harmless)."""
    if pid <= 0:
        return True  # not a process id this module writes: leave the file alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


#: a decided event: (aggregate id as 32 hex digits, version, topic, state, meta), where meta
#: is (aggregate kind, key, *read-model entry)
Decided = tuple[str, int, str, bytes, tuple[Any, ...]]

#: the staging table's columns: the stored event, its aggregate's kind and key, its `Entry`
COLUMNS = ("originator", "version", "topic", "state", "kind", "key", *ENTRY_COLUMNS)


#: how a staging file gets a writer process of its own: (path, INSERT statement) -> the
#: writer, or None to write the file from this process
StartWriter = Callable[[str, str], "ForkedWriter | None"]


class Staging:
    """Decided events, encoded as the library's stored events with their read-model entries:
    in memory, or (`on_disk`) in a temporary file that a child process started by `writer`
    fills, `flush` rows at a time."""

    def __init__(self, mapper: RecordMapper, *, on_disk: bool = False, flush: int | None = None,
                 writer: StartWriter = ForkedWriter.start):
        self.mapper = mapper
        self.flush = flush or FLUSH
        self.start_writer = writer
        self.path: str | None = None
        if on_disk:
            remove_leftovers()
            handle, self.path = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", suffix=".db")
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
            -- a track's rows in order, for folding the tracks an import opens (see
            -- `projections.bulk.StagedFold`) without sorting the file
            CREATE INDEX pending_track ON pending (track, seq);
            """
        )
        self._insert = f"INSERT INTO pending VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
        self.count = 0
        self._rows: list[tuple[Any, ...]] = []
        self._by_id: dict[int, int] = {}  # by the id as an integer: half the memory of UUIDs
        self._by_originator: dict[UUID, array[int]] = {}
        self._hex: dict[UUID, str] = {}  # the library's spelling of each aggregate's id
        self.writer: ForkedWriter | None = None
        self._may_fork = self.path is not None  # an import's file may get a writer of its own
        self._sent = 0  # the seq of the last row handed to the file
        self._committed = True  # every row handed to the file is committed

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
        if len(self._rows) >= self.flush:
            self._send()

    def _send(self) -> None:
        """Hand the rows kept so far to the file: to the child that writes an import's file
        (started with the first full batch of rows), else directly."""
        if not self._rows:
            return
        if self._may_fork and len(self._rows) >= self.flush:
            self._may_fork = False  # once: where it cannot fork now, it will not later
            self.writer = self.start_writer(self.path, self._insert)
        if self.writer is not None:
            self.writer.send(self._rows)
        else:
            self.conn.executemany(self._insert, self._rows)
        self._rows = []
        self._sent = self.count
        self._committed = False

    def _readable(self) -> None:
        """Every row handed to the file committed, so that this connection reads it."""
        if not self._committed:
            if self.writer is not None:
                self.writer.sync()
            else:
                self.conn.commit()
            self._committed = True

    def _flush(self) -> None:
        self._send()
        self._readable()

    def _row(self, seq: int, *columns: str) -> tuple[Any, ...]:
        if seq > self._sent:  # not handed to the file yet
            row = self._rows[seq - self._sent - 1]
            return tuple(row[1 + COLUMNS.index(name)] for name in columns)
        self._readable()
        [row] = self.conn.execute(f"SELECT {', '.join(columns)} FROM pending WHERE seq=?", (seq,)).fetchall()
        return tuple(row)

    def events_for(self, originator: UUID) -> list[Recorded]:
        seqs = self._by_originator.get(originator)
        if not seqs:
            return []
        sent = [seq for seq in seqs if seq <= self._sent]
        rows = []
        if sent:
            self._readable()
            rows = self.conn.execute(
                f"SELECT version, topic, state FROM pending WHERE seq IN ({','.join('?' * len(sent))})",
                sent,
            ).fetchall()
        rows += [self._row(seq, "version", "topic", "state") for seq in seqs if seq > self._sent]
        return [self._event(originator, *row) for row in sorted(rows, key=lambda row: row[0])]

    def where(self, record_id: UUID) -> tuple[UUID, str, str] | None:
        """(aggregate id, kind, key) of a pending record, if it is one."""
        seq = self._by_id.get(record_id.int)
        if seq is None:
            return None
        originator, kind, key = self._row(seq, "originator", "kind", "key")
        return UUID(hex=originator), kind, key

    def get(self, record_id: UUID) -> Recordable | None:
        seq = self._by_id.get(record_id.int)
        if seq is None:
            return None
        return self.mapper.decode_record(*self._row(seq, "topic", "state"))

    def _event(self, originator: UUID, version: int, topic: str, state: bytes) -> Recorded:
        return Recorded(originator, version, self.mapper.decode_record(topic, state))

    def batches(self, size: int) -> Iterator[list[Decided]]:
        """Decided events in decision order, `size` at a time."""
        self._flush()
        cursor = self.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM pending ORDER BY seq")
        while rows := cursor.fetchmany(size):
            yield [(r[0], r[1], r[2], r[3], r[4:]) for r in rows]

    def rows(self, first: int, last: int) -> list[Decided]:
        """The decided events `first`..`last` (by seq), in decision order."""
        self._flush()
        rows = self.conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM pending WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last)
        ).fetchall()
        return [(r[0], r[1], r[2], r[3], r[4:]) for r in rows]

    def seal(self) -> str:
        """The staging file, with every decided event in it, for other connections to read."""
        assert self.path is not None, "only a staging file can be read by another connection"
        self._flush()
        self._stop_writer()
        return self.path

    def _stop_writer(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.stop()

    def close(self) -> None:
        try:
            self._stop_writer()
        finally:
            self.conn.close()
            if self.path:
                os.unlink(self.path)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
