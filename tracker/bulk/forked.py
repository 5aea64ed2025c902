"""A child process that writes an import's staging file, so that the deciding process need
not bind every row's values for SQLite itself."""

from __future__ import annotations

import marshal
import os
import sqlite3
import struct
import threading
from collections.abc import Callable
from typing import Any

from events.errors import StoreUnavailable

#: the child's loop: (staging file, INSERT statement, pipe down, pipe up) -> exit code
Serve = Callable[[str, str, Any, Any], int]


class ForkedWriter:
    """A child process that inserts an import's decided rows into its staging file.

    Binding a row's values for SQLite costs the deciding process more than marshalling them
    down a pipe, and an import's deciding runs on one core: the child writes on another.
    `sync` returns once every row sent is committed, so the parent can read the file.
    """

    def __init__(self, pid: int, out: Any, back: Any):
        self.pid, self.out, self.back = pid, out, back

    @classmethod
    def start(cls, path: str, insert: str, serve: Serve | None = None) -> ForkedWriter | None:
        """The writer of a file, or None where processes cannot be forked; `serve` is the
        child's loop (`serve_rows` unless given)."""
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
                code = (serve or serve_rows)(path, insert, os.fdopen(down_r, "rb"), os.fdopen(up_w, "wb", buffering=0))
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


def serve_rows(path: str, insert: str, down: Any, up: Any) -> int:
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
