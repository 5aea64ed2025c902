"""Events decided but not yet written, kept outside the Python heap.

An import validates every line before it writes any, so what it decided must wait somewhere:
here, already encoded as the library's stored events (with how the read models will index
them), in a SQLite table — in memory for an append, in a temporary file for an import (so a
million lines need not fit in memory, and the store can copy a batch from the file in one
statement: see `IndexingSQLiteRecorder.insert_staged`). Rows are found by their sequence number
(the table's rowid); the maps that give those numbers, by record id and by aggregate, stay in
memory (about 100 bytes a record); the one index on disk gives a track's rows in order, for
folding the tracks an import opens.
"""

from __future__ import annotations

import marshal
import os
import re
import sqlite3
import struct
import tempfile
import threading
from array import array
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from events.codec import ENTRY_COLUMNS, Recorded, RecordMapper, entry_of
from events.developments import Recordable
from events.errors import StoreUnavailable

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


class Pending:
    def __init__(self, mapper: RecordMapper, *, on_disk: bool = False):
        self.mapper = mapper
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
            -- `projections.catchup.StagedFold`) without sorting the file
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
        if len(self._rows) >= FLUSH:
            self._send()

    def _send(self) -> None:
        """Hand the rows kept so far to the file: to the child that writes an import's file
        (started with the first full batch of rows), else directly."""
        if not self._rows:
            return
        if self._may_fork and len(self._rows) >= FLUSH:
            self._may_fork = False  # once: where it cannot fork now, it will not later
            self.writer = ForkedWriter.start(self.path, self._insert)
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

    def __enter__(self) -> Pending:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class ForkedWriter:
    """A child process that inserts an import's decided rows into its staging file.

    Binding a row's values for SQLite costs the deciding process more than marshalling them
    down a pipe, and an import's deciding runs on one core: the child writes on another.
    `sync` returns once every row sent is committed, so the parent can read the file.
    """

    def __init__(self, pid: int, out: Any, back: Any):
        self.pid, self.out, self.back = pid, out, back

    @classmethod
    def start(cls, path: str, insert: str) -> ForkedWriter | None:
        """The writer of a file, or None where processes cannot be forked."""
        # Forking a process that runs other threads (PostgreSQL's connection pool has some)
        # may copy a lock another thread holds: there the parent writes the file itself.
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        try:  # Linux: a larger pipe, fewer switches between the two processes
            import fcntl

            fcntl.fcntl(down_w, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
        except (ImportError, OSError):
            pass
        try:
            pid = os.fork()
        except OSError:  # no process to spare: the parent writes the file itself
            for fd in (down_r, down_w, up_r, up_w):
                os.close(fd)
            return None
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers
            code = 1
            try:
                os.close(down_w)
                os.close(up_r)
                code = _serve(path, insert, os.fdopen(down_r, "rb"), os.fdopen(up_w, "wb", buffering=0))
            finally:
                os._exit(code)
        os.close(down_r)
        os.close(up_w)
        return cls(pid, os.fdopen(down_w, "wb"), os.fdopen(up_r, "rb"))

    def _frame(self, payload: bytes) -> None:
        try:
            self.out.write(struct.pack("<Q", len(payload)))
            self.out.write(payload)
        except BrokenPipeError:  # the child stopped: it says why
            raise self._failure(self.back.readline()) from None

    def send(self, rows: list[tuple[Any, ...]]) -> None:
        self._frame(marshal.dumps(rows))

    def sync(self) -> None:
        self._frame(b"")
        try:
            self.out.flush()
        except BrokenPipeError:
            pass
        answer = self.back.readline()
        if answer != b"ok\n":
            raise self._failure(answer)

    @staticmethod
    def _failure(answer: bytes) -> StoreUnavailable:
        why = answer.decode(errors="replace").strip() or "it stopped"
        return StoreUnavailable(f"cannot write the import's temporary staging file ({why}); "
                                "check the space in the temporary directory (TMPDIR)")

    def stop(self) -> None:
        """Let the child finish and end (after a sync, there is nothing left to write)."""
        try:
            self.out.close()
        except OSError:
            pass
        self.back.close()
        os.waitpid(self.pid, 0)


def _serve(path: str, insert: str, down: Any, up: Any) -> int:
    """The child's loop: frames of marshalled rows; an empty frame asks for a commit."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    try:
        while head := down.read(8):
            (size,) = struct.unpack("<Q", head)
            if size:
                conn.executemany(insert, marshal.loads(down.read(size)))
            else:
                conn.commit()
                up.write(b"ok\n")
        conn.commit()
        return 0
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises
        up.write(f"{type(exc).__name__}: {exc}\n".encode())
        return 1
    finally:
        conn.close()
