"""What a store failure means for the user: busy, gone, read-only, full or damaged (exit 3).

The library, sqlite3 and psycopg each raise their own OperationalError for all of these; the
text and the SQLSTATE tell them apart. Retrying helps only a busy store or a server that went
away: the other messages say what to do instead.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from events.errors import (
    StoreDamaged,
    StoreUnavailable,
    TrackerError,
    first_line,
    lock_timed_out,
)

#: the environment variable that bounds every wait for a lock, in seconds (SPEC §6's bound)
LOCK_TIMEOUT_VARIABLE = "TRACKER_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0

#: SQLSTATE classes of a connection that failed or a server that shut down
PG_GONE_CLASSES = ("08", "57P")


def lock_timeout() -> float:
    """The bound on lock waits: TRACKER_LOCK_TIMEOUT seconds, else 10."""
    from events.errors import InvalidInput

    text = os.environ.get(LOCK_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86400:
        raise InvalidInput(
            f"{LOCK_TIMEOUT_VARIABLE}={text!r} is not a number of seconds; give one between "
            "0 and 86400 (default 10)"
        )
    return value


def causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return chain


def classify(exc: BaseException, config: Any, *, reading: bool = False) -> StoreUnavailable | None:
    """The exit-3 error a store failure means, or None when it is not one. When `reading`,
    stored data that does not decode (JSON, UTF-8, a record's shape) is damage too: a read
    command decodes nothing else."""
    if isinstance(exc, StoreDamaged):
        return damaged(config, exc.message)
    if not isinstance(exc, Exception) or isinstance(exc, TrackerError) \
            or type(exc).__module__.startswith("click"):
        return None  # a refusal or an exit of the command's own, whatever it was handling
    if reading and undecodable(exc):
        return damaged(config, f"a stored record does not decode: {first_line(exc)}")
    for cause in causes(exc):
        found = _classify_one(cause, config, reading)
        if found is not None:
            return found
    return None


def about_the_store(exc: OSError, config: Any) -> bool:
    """Whether an OSError names the store; one that names no file comes from writing the
    output (the store's own errors come as the database's errors)."""
    if not exc.filename or config.path is None:
        return False
    return names_the_store(str(exc.filename), str(config.path))


def names_the_store(path: str, store: str) -> bool:
    """Whether a path is a SQLite store, one of its companion files (-wal, -shm, -journal)
    or its folder."""
    store, given = os.path.abspath(store), os.path.abspath(path)
    return given == store or given.startswith(store + "-") or given == os.path.dirname(store)


def undecodable(exc: BaseException) -> bool:
    import json

    from pydantic import ValidationError

    return isinstance(exc, json.JSONDecodeError | UnicodeDecodeError | ValidationError)


def busy(config: Any) -> StoreUnavailable:
    return StoreUnavailable(
        f"the store is busy ({config.display}): another process held its lock for more than "
        f"{config.lock_timeout:g} s; try again when it is done (or wait longer with "
        f"{LOCK_TIMEOUT_VARIABLE}=SECONDS)"
    )


def _classify_one(exc: BaseException, config: Any, reading: bool) -> StoreUnavailable | None:
    if isinstance(exc, OSError) and not about_the_store(exc, config):
        return None  # the output, an input file or the temporary folder: not the store
    text = str(exc)
    lowered = text.lower()
    sqlstate = getattr(exc, "sqlstate", None)
    if lock_timed_out(exc) or "database table is locked" in lowered \
            or "canceling statement due to lock timeout" in lowered:
        return busy(config)
    if sqlstate == "25006" or "readonly database" in lowered or (
        "unable to open database file" in lowered and not writable(config)
    ):
        return read_only(config, reading)
    if sqlstate == "42P01" and "tracker" in lowered:
        # another command dropped the tables of a new store whose first write it refused
        return StoreUnavailable(
            f"the store {config.display} was being created by another command that was "
            "refused; rerun this command"
        )
    if "database or disk is full" in lowered or "no space left" in lowered or sqlstate == "53100" \
            or "disk i/o error" in lowered and disk_full(config):
        return StoreUnavailable(
            f"cannot write to the store {config.display}: the disk is full; free space on it "
            "and rerun the command (what was committed is kept)"
        )
    if isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered
    ):
        return damaged(config, text)
    if isinstance(exc, sqlite3.OperationalError) and "disk i/o error" in lowered:
        return StoreUnavailable(
            f"cannot read or write the store {config.display}: disk I/O error; check the disk "
            "(is it full or failing? free space on it) and the file, then rerun"
        )
    if sqlstate and sqlstate.startswith(PG_GONE_CLASSES) or _psycopg_gone(exc):
        return StoreUnavailable(
            f"the store {config.display} went away (the server closed the connection or "
            "stopped); check the server, then rerun the command (an import resumes where it "
            "stopped)"
        )
    return None


def _psycopg_gone(exc: BaseException) -> bool:
    module = type(exc).__module__
    return module.startswith("psycopg") and isinstance(exc, Exception) and (
        type(exc).__name__ in ("OperationalError", "InterfaceError", "AdminShutdown", "PoolTimeout")
    ) or "couldn't get a connection" in str(exc)


def disk_full(config: Any) -> bool:
    """Whether the disk of a SQLite store has no room left (SQLite reports a failed write of
    its WAL index as an I/O error)."""
    import shutil

    try:
        return config.path is not None and shutil.disk_usage(config.path.absolute().parent).free < 1 << 20
    except OSError:
        return False


def writable(config: Any) -> bool:
    path = config.path
    return path is None or os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def read_only(config: Any, reading: bool = False) -> StoreUnavailable:
    where = f"the file {config.path} and its folder" if config.path else "the database"
    if reading:
        return StoreUnavailable(
            f"cannot bring the read models of {config.display} up to date: permission denied "
            f"(the store is read-only for this user, and it holds records not indexed yet); "
            f"give this user write permission on {where}, or have a user who can write run "
            "`tracker status` once"
        )
    return StoreUnavailable(
        f"cannot write to the store {config.display}: permission denied (it is read-only for "
        f"this user); give this user write permission on {where}"
    )


def damaged(config: Any, detail: str = "") -> StoreUnavailable:
    path = config.path or "FILE"
    reason = f" ({first_line(Exception(detail))})" if detail else ""
    if config.kind != "sqlite":
        return StoreUnavailable(f"the store {config.display} is damaged{reason}; restore it "
                                "from a backup or an export")
    return StoreUnavailable(
        f"the store {config.display} is damaged{reason}; check it with "
        f"`sqlite3 {path} 'PRAGMA integrity_check'` and restore it from a backup or an export"
    )
