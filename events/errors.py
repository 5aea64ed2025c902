"""The project's errors, each with the exit code of SPEC §6.

They live beside the events so that the write side and the read side raise the same ones
and the CLI turns them into exit codes in one place.
"""

from __future__ import annotations


class TrackerError(Exception):
    """An error a user can act on: a one-line message, optional detail lines."""

    exit_code = 1

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class RuleViolation(TrackerError):
    """A rule of SPEC §3 refused the development (exit 1)."""


class NotFound(TrackerError):
    """What was asked for does not exist (exit 1)."""


class InvalidInput(TrackerError):
    """The input is malformed (exit 2)."""

    exit_code = 2


class StoreUnavailable(TrackerError):
    """The store cannot be used: missing for a read, unreachable, locked, foreign (exit 3)."""

    exit_code = 3


class StoreDamaged(StoreUnavailable):
    """A stored record that does not decode: the store's file is damaged (exit 3)."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text (library errors can be long), or its class name."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def lock_timed_out(exc: BaseException | None) -> bool:
    """Whether a statement gave up waiting for a lock (SQLite's busy timeout, PostgreSQL's
    lock_timeout or statement_timeout)."""
    return getattr(exc, "sqlstate", None) in ("55P03", "57014") or "database is locked" in str(exc)


def disk_fault(exc: BaseException) -> str | None:
    """What to do about a database error that trying again cannot mend (a full disk, a
    read-only store or server), or None when it is not one of those."""
    name = getattr(exc, "sqlite_errorname", None) or getattr(exc.__cause__, "sqlite_errorname", None) or ""
    text = str(exc).lower()
    if name == "SQLITE_FULL" or "disk is full" in text or "no space left" in text:
        return "the disk that holds the store is full; free some space there, then rerun"
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ("the store is read-only here; ask for write permission on the store and its "
                "folder, or work on a copy")
    if "read-only transaction" in text:
        return "the server holds the database read-only (a standby?); give the primary's URL"
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return ("the disk that holds the store refused a write (full, read-only or failing?); "
                "free some space or fix the disk, then rerun")
    return None
