"""Helpers shared by the commands: opening the store, printing JSON and tables."""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from events.errors import InvalidInput
from projections.models import json_text
from tracker.cli.root import Workspace
from tracker.report.dates import span_label
from tracker.store_errors import classify


@contextmanager
def open_store(ctx: click.Context, *, write: bool, catch_up: bool = True,
               check: bool = False) -> Iterator[Workspace]:
    """The store named by --db, opened for a read (it must exist) or a write. A failure of the
    store itself (busy, gone, read-only, full, damaged) becomes exit 3 that says so. `check`
    runs SQLite's quick check first, for the commands that read the whole log (an export is
    the archive: it must not be written from a damaged file)."""
    store = Workspace(ctx.find_root().obj)
    new_file = store.config.kind == "postgres" or not store.config.exists()
    try:
        if check:
            store.config.check_integrity()
        store.open(write=write)
        if catch_up:
            store.catch_up()
        yield store
    except BaseException as exc:
        store.close()
        if write and new_file:  # a refused first write leaves no store behind
            store.discard_if_unused()
        meaning = classify(exc, store.config, reading=not write)
        if meaning is not None:
            raise meaning from exc
        raise
    store.close()




def emit_json(value: Any) -> None:
    """Indented for a person at a terminal; compact (and much faster) for a program."""
    if sys.stdout.isatty():
        click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(json_text(value))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned table: predictable in a terminal, a pipe or a file."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def clip(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"








#: what to do when the machine refuses: (about the store, about a path or output of the user's)
OS_ADVICE = {
    errno.ENOSPC: ("free some space on its disk, then rerun", "free some space there or write elsewhere"),
    errno.EDQUOT: ("free some space on its disk, then rerun", "free some space there or write elsewhere"),
    errno.EFBIG: ("free some space on its disk, then rerun", "write elsewhere"),
    errno.EACCES: ("ask for permission on the store and its folder, or work on a copy",
                   "choose a place you may write to"),
    errno.EPERM: ("ask for permission on the store and its folder, or work on a copy",
                  "choose a place you may write to"),
    errno.EROFS: ("it is on a read-only disk: work on a copy elsewhere",
                  "choose a place that is not read-only"),
}


def output_error(path: Any, exc: OSError) -> InvalidInput:
    """The refusal of an output file the user named (exit 2: the path is theirs to change)."""
    advice = OS_ADVICE.get(exc.errno or 0, ("", "check the path"))[1]
    return InvalidInput(f"-o {path}: cannot write it: {exc.strerror or exc}; {advice}")


def write_whole(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file;
    a device or a pipe (/dev/stdout, a FIFO) is written into, never replaced by a file."""
    try:
        if path.exists() and not path.is_file():
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
            return
        target = path.resolve()  # through a symbolic link, to the file it names
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise output_error(path, exc) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def status_table(states: Sequence[Any]) -> str:
    rows = []
    for s in states:
        responses = ", ".join(f"{p}:{r or '-'}" for p, r in s.responses.items())
        rows.append(
            [
                s.track,
                (s.status or "-") + (" ?" if s.uncertain else ""),
                "+".join(s.mediators) or "-",
                responses,
                s.rounds,
                len(s.agreements),
                span_label(s.last_occurred, s.last_occurred_end),
                s.developments,
            ]
        )
    return table(
        ["TRACK", "STATUS", "MEDIATORS", "RESPONSES", "ROUNDS", "AGREEMENTS", "LAST", "DEVS"], rows
    )
