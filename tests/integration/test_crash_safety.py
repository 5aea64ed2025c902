"""Real processes killed with SIGKILL mid-way (SPEC §6 import, §7): whole batches only, read
models consistent with the log, and a rerun completes the job exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from projections.catchup import BATCH as CATCH_UP_BATCH
from tests.conftest import Cli

LINES = 30_001
IMPORT_BATCH = 10_000  # --batch: whole batches are what a killed import must leave


def scalar(url: str, sql: str) -> int:
    try:
        if url.startswith("postgresql://"):
            import psycopg

            with psycopg.connect(url, connect_timeout=2) as conn:
                row = conn.execute(sql).fetchone()
        else:
            conn = sqlite3.connect(url, timeout=10)
            try:
                row = conn.execute(sql).fetchone()
            finally:
                conn.close()
    except Exception:  # noqa: BLE001 - the table may not exist yet
        return 0
    return int(row[0]) if row and row[0] is not None else 0


def big_file(path: Path) -> Path:
    with path.open("w") as f:
        f.write(json.dumps({"type": "mediation-offered", "mediators": ["NOR"], "parties": ["COL", "VEN"],
                            "occurred": "2025-01-01", "summary": "Norway offers."}) + "\n")
        for i in range(LINES - 1):
            f.write(json.dumps({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": f"2025-{1 + i % 12:02d}-01",
                                "summary": f"Round {i}."}) + "\n")
    return path


def settled(read, quiet: float = 0.5, timeout: float = 30) -> int:
    """A value once it has stayed the same for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    value = read()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        again = read()
        if again == value:
            return value
        value = again
    return value


def kill_when(args: list[str], ready, timeout: float = 120) -> None:
    """Start `tracker ARGS` as a real process and SIGKILL it once `ready()` is true."""
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if ready():
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.01)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the process ended before it could be killed"


def test_an_import_killed_mid_way_leaves_whole_batches_and_a_rerun_completes_it(store_url, tmp_path):
    data = big_file(tmp_path / "big.jsonl")
    table = "tracker_events" if store_url.startswith("postgresql://") else "stored_events"
    events = f"SELECT count(*) FROM {table}"
    kill_when(["--db", store_url, "import", str(data), "--batch", str(IMPORT_BATCH)],
              lambda: scalar(store_url, events) >= 2 * IMPORT_BATCH)

    # PostgreSQL may still commit a batch whose COMMIT the killed client had already sent:
    # wait until the log stops moving, then check it holds whole batches.
    written = settled(lambda: scalar(store_url, events))
    assert 0 < written < LINES
    assert written % IMPORT_BATCH == 0, "a killed import must leave whole batches only"
    if not store_url.startswith("postgresql://"):
        # on SQLite each batch is indexed in its own transaction: nothing is left to catch up
        indexed = scalar(store_url, "SELECT position FROM rm_position WHERE name='records'")
        assert indexed == written == scalar(store_url, "SELECT count(*) FROM rm_records")
    cli = Cli(store_url)
    [state] = cli.json("status")
    assert state["developments"] == written  # the read models catch up with exactly the log

    summary = cli.json("import", str(data))
    assert summary["recorded"] == LINES - written and summary["duplicates"] == written
    assert scalar(store_url, events) == LINES
    assert cli.json("status")[0]["developments"] == LINES
    assert cli.json("import", str(data))["recorded"] == 0


def test_a_catch_up_killed_mid_way_resumes_exactly_once(store_url, tmp_path):
    data = big_file(tmp_path / "big.jsonl")
    cli = Cli(store_url)
    cli.ok("import", str(data))
    expected = cli.json("status")
    position = "SELECT position FROM rm_position WHERE name='records'"
    first = scalar(store_url, position)
    # read models emptied (a rebuild commits whole, so it cannot stand for this): the next
    # read catches up from zero in transactions of CATCH_UP_BATCH notifications
    from tests.integration.test_store_faults import needs_catching_up

    needs_catching_up(store_url)
    kill_when(["--db", store_url, "status"], lambda: 0 < scalar(store_url, position) < first)
    applied = settled(lambda: scalar(store_url, "SELECT count(*) FROM rm_records"))
    assert 0 < applied < LINES and applied % CATCH_UP_BATCH == 0  # whole catch-up transactions only
    assert cli.json("status") == expected
    assert scalar(store_url, "SELECT count(*) FROM rm_records") == LINES


def test_the_staging_file_of_a_killed_import_is_removed_by_the_next_import(tmp_path, monkeypatch):
    """A SIGKILLed import cannot remove its staging file; the next import removes the files of
    imports whose process is gone, and leaves those of running ones alone."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    data = big_file(tmp_path / "big.jsonl")
    store = str(tmp_path / "t.db")
    staging = lambda: sorted(p.name for p in folder.glob("tracker-import-*.db"))  # noqa: E731
    monkeypatch.setenv("TMPDIR", str(folder))
    kill_when(["--db", store, "import", str(data)], lambda: bool(staging()))
    [left] = staging()
    running = folder / f"tracker-import-{os.getpid()}-x1y2z3.db"  # a live process's
    running.write_bytes(b"")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    cli = Cli(store)
    cli.ok("import", "-", input=json.dumps({"type": "mediation-offered", "mediators": ["QAT"],
                                            "parties": ["AFG", "PAK"], "occurred": "2025-10-18",
                                            "summary": "Qatar offers."}) + "\n")
    assert staging() == [running.name], left


def test_the_copy_of_stdin_of_a_killed_import_is_removed_by_the_next_import(tmp_path, monkeypatch):
    """`import -` keeps a copy of its input while it reads; killed while reading, it cannot
    remove it, so the next import removes the copies of imports whose process is gone."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    copies = lambda: sorted(p.name for p in folder.glob("tracker-stdin-*"))  # noqa: E731
    store = str(tmp_path / "t.db")
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "--db", store, "import", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "TMPDIR": str(folder)})
    try:
        proc.stdin.write(b'{"type": "mediation-offered", "mediators": ["QAT"], ')  # and no more yet
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not copies() and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    [left] = copies()
    running = folder / f"tracker-stdin-{os.getpid()}-a1b2c3.jsonl"  # a live process's
    running.write_bytes(b"")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    Cli(store).ok("import", "-", input=json.dumps({"type": "mediation-offered", "mediators": ["QAT"],
                                                   "parties": ["AFG", "PAK"], "occurred": "2025-10-18",
                                                   "summary": "Qatar offers."}) + "\n")
    assert copies() == [running.name], left
