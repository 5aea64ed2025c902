"""The one place where errors become exit codes (SPEC §6) and one-line messages."""

from __future__ import annotations

import os

import click

#: the exit code of a crash (BSD's EX_SOFTWARE): never one of SPEC §6's 0-3, so a script can
#: tell "the tool refused my input" from "the tool failed"
INTERNAL_ERROR = 70


class UsageProblem(click.UsageError):
    """A usage error told as one `Error:` line: what is wrong, then where the help is (click
    would print the command's usage and a hint on lines of their own before it)."""

    def show(self, file: object = None) -> None:
        where = self.ctx.command_path if self.ctx is not None else "tracker"
        click.echo(f"Error: {self.message.rstrip('.')}; see `{where} --help`", err=True)


#: what click raises for a bare `tracker`: it shows the help, as it should
NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


def one_line(exc: click.UsageError) -> click.UsageError:
    """The same usage error, told in one line."""
    if isinstance(exc, UsageProblem | NO_ARGS):
        return exc
    return UsageProblem(exc.format_message(), exc.ctx)


def translate(exc: Exception) -> tuple[int, str, list[str]]:
    """(exit code, message, details) for any error a command can raise."""
    from events.errors import TrackerError, disk_fault, first_line

    if isinstance(exc, TrackerError):
        return exc.exit_code, exc.message, exc.details
    try:
        from pydantic import ValidationError

        from tracker.validation import explain

        if isinstance(exc, ValidationError):
            err = explain(exc, "development")
            return err.exit_code, err.message, err.details
    except ImportError:  # pragma: no cover
        pass
    from eventsourcing.persistence import OperationalError, PersistenceError

    if "cannot contain NUL" in str(exc):  # PostgreSQL text holds no NUL: input, not the store
        return 2, "the input contains a NUL character (\\x00); remove it", []
    if isinstance(exc, OperationalError | PersistenceError) or (
        type(exc).__module__.startswith("psycopg") and type(exc).__name__ == "OperationalError"
    ):
        # store failures that open_store could not name (busy, gone, read-only … are named)
        advice = disk_fault(exc) or (
            "check the store (and the server, for PostgreSQL), then rerun the command"
        )
        return 3, f"the store cannot be used: {first_line(exc)}; {advice}", []
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_error(exc)
    return INTERNAL_ERROR, (
        f"internal error ({type(exc).__name__}: {first_line(exc)}); "
        "rerun with TRACKER_DEBUG=1 and report it"
    ), []


def os_error(exc: OSError) -> tuple[int, str, list[str]]:
    """The machine refused: exit 3 about the store (--db), exit 2 about a path or an output
    the user chose, which they can change."""
    path = str(exc.filename or "")
    if os.path.basename(path).startswith(".") and path.endswith(".tmp"):  # a report's temporary file
        path = os.path.dirname(path)
    from tracker.cli.common import OS_ADVICE

    for_store, for_user = OS_ADVICE.get(exc.errno or 0, ("check the path", "check the path"))
    if path and is_the_store(path):
        return 3, f"cannot use the store {path}: {exc.strerror}; {for_store}", []
    if not path:  # stdout or stdin, as the shell gave them
        return 2, f"cannot write the output or read the input: {exc.strerror}; {for_user}", []
    return 2, f"cannot write or read {path}: {exc.strerror}; {for_user}", []


def is_the_store(path: str) -> bool:
    """Whether a path is the SQLite store --db names, one of its companion files, or its folder."""
    from tracker.store_errors import names_the_store

    ctx = click.get_current_context(silent=True)
    db = ctx.find_root().obj if ctx is not None else None
    return isinstance(db, str) and "://" not in db and names_the_store(path, db)
