"""Stores that cannot be used are exit 3 with a clear message, quickly; no password is shown."""

from __future__ import annotations

import socket
import sqlite3
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import Cli


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_closed_port_is_exit_3_within_seconds():
    cli = Cli(f"postgresql://tracker:s3cret-pw@127.0.0.1:{closed_port()}/tracker")
    started = time.monotonic()
    result = cli("status")
    assert result.exit_code == 3
    assert "cannot be reached" in result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert time.monotonic() - started < 10


@pytest.mark.postgres
def test_a_wrong_password_is_exit_3_and_never_echoed(pg_url):
    parts = urlsplit(pg_url)
    wrong = urlunsplit(parts._replace(netloc=f"{parts.username}:Wr0ng-Passw0rd@{parts.hostname}:{parts.port}"))
    result = Cli(wrong)("status")
    assert result.exit_code == 3
    assert "password" in result.stderr
    assert "Wr0ng-Passw0rd" not in result.stderr + result.stdout
    real_password = parts.password
    for args in (["status"], ["append", "talks-held", "--track", "X", "--occurred", "2025", "--summary", "x"]):
        out = Cli(pg_url)(*args)
        assert real_password not in out.stderr + out.stdout


def test_a_foreign_sqlite_database_is_not_a_store(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    error = Cli(str(path)).fails(3, "append", "talks-held", "--track", "X", "--occurred", "2025", "--summary", "x")
    assert "not a tracker store" in error
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert tables == {"invoices"}


def test_a_store_written_by_a_newer_version_is_refused(store_url):
    cli = Cli(store_url)
    cli.ok("actors", "add", "UN", "--name", "United Nations")
    if store_url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(store_url, autocommit=True) as conn:
            conn.execute("UPDATE tracker_meta SET value='99' WHERE key='store_format'")
    else:
        conn = sqlite3.connect(store_url)
        conn.execute("UPDATE tracker_meta SET value='99' WHERE key='store_format'")
        conn.commit()
        conn.close()
    for args in (["status"], ["actors", "add", "AU", "--name", "African Union"]):
        assert "newer version" in cli.fails(3, *args)


def test_a_folder_or_a_missing_folder_is_exit_3(tmp_path):
    assert "folder" in Cli(str(tmp_path)).fails(3, "status")
    missing = tmp_path / "nope" / "t.db"
    assert "does not exist" in Cli(str(missing)).fails(3, "actors", "add", "UN", "--name", "United Nations")


def test_the_read_models_of_an_older_format_are_rebuilt_from_the_log(store_url):
    """Format 1 kept every record's JSON in rm_records, keyed by id; opening such a store
    drops its read models and rebuilds them, and the answers stay the same."""
    cli = Cli(store_url)
    cli.ok("demo")
    before = {cmd: cli.json(cmd) for cmd in ("status", "timeline", "export")}
    old_schema = [
        "UPDATE tracker_meta SET value='1' WHERE key='store_format'",
        "DROP TABLE rm_records",
        "CREATE TABLE rm_records (id TEXT PRIMARY KEY, position BIGINT NOT NULL, type TEXT NOT NULL,"
        " track TEXT, conflict TEXT, target TEXT, occurred_start TEXT, occurred_end TEXT,"
        " recorded_at TEXT NOT NULL, body TEXT NOT NULL)",
    ]
    if store_url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(store_url, autocommit=True) as conn:
            for statement in old_schema:
                conn.execute(statement)
    else:
        conn = sqlite3.connect(store_url)
        for statement in old_schema:
            conn.execute(statement)
        conn.commit()
        conn.close()
    assert {cmd: cli.json(cmd) for cmd in before} == before
    assert "recorded 0 developments" in cli.ok("demo").stderr
