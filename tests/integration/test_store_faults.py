"""Stores under faults (SPEC §6-§7): nothing committed is ever lost, every failure is named
with exit 3 and what to do, within a bounded wait."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.integration.test_crash_safety import scalar


def talks(n: int) -> list[str]:
    lines = [json.dumps({"type": "mediation-offered", "mediators": ["NOR"], "parties": ["COL", "VEN"],
                         "occurred": "2025-01-01", "summary": "Norway offers."})]
    lines += [json.dumps({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": "2025-02-01",
                          "summary": f"Round {i}."}) for i in range(n - 1)]
    return lines


def tracker(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tracker.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint, **kwargs)


def default_sigint() -> None:
    """A suite started in the background inherits SIGINT ignored; the tool must see Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_failed_import_into_a_new_store_keeps_what_another_user_appended_meanwhile(tmp_path):
    store = tmp_path / "new.db"
    data = tmp_path / "in.jsonl"
    lines = talks(60_000)
    lines.append(json.dumps({"type": "talks-held", "track": "NO-SUCH-TRACK", "occurred": "2025-02-01",
                             "summary": "Refused."}))
    data.write_text("\n".join(lines) + "\n")
    importer = tracker("--db", str(store), "import", str(data))
    deadline = time.monotonic() + 60
    while not (store.exists() and scalar(str(store), "SELECT count(*) FROM tracker_meta")):
        assert importer.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    other = Cli(str(store))
    other.append("mediation-offered", "--mediators", "QAT", "--parties", "COD,RWA",
                 "--occurred", "2025-03-01", "--summary", "Qatar offers.")
    assert importer.poll() is None, "the import failed before the other user appended"
    _, err = importer.communicate(timeout=120)
    assert importer.returncode == 1, err
    assert store.exists(), "the failed import deleted a store another user had written into"
    [state] = other.json("status")
    assert state["track"] == "QAT:COD-RWA"


def test_an_import_into_a_new_store_interrupted_after_a_batch_keeps_what_it_committed(tmp_path):
    store = tmp_path / "new.db"
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(talks(20_000)) + "\n")
    proc = tracker("--db", str(store), "import", str(data), "--batch", "500")
    deadline = time.monotonic() + 60
    while not (store.exists() and scalar(str(store), "SELECT count(*) FROM stored_events") >= 500):
        assert proc.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, "the import ended before it could be interrupted"
    assert store.exists(), "an interrupted import deleted the store it had written into"
    committed = scalar(str(store), "SELECT count(*) FROM stored_events")
    assert committed >= 500
    assert len(Cli(str(store)).ok("export").stdout.splitlines()) == committed


# -- locks held by another process -------------------------------------------------------

HOLD_SQLITE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""

HOLD_PG = """
import psycopg, sys
conn = psycopg.connect(sys.argv[1])
conn.execute("LOCK TABLE " + sys.argv[2] + " IN " + sys.argv[3] + " MODE")
print("locked", flush=True)
sys.stdin.read()
"""


class Holder:
    """Another process holding the store's lock until the test ends."""

    def __init__(self, url: str, mode: str = "ACCESS EXCLUSIVE"):
        if url.startswith("postgresql://"):
            args = ["-c", HOLD_PG, url, "tracker_events", mode]
        else:
            args = ["-c", HOLD_SQLITE, url]
        self.proc = subprocess.Popen([sys.executable, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "locked"

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.communicate("", timeout=30)


def opened_store(cli: Cli) -> str:
    """A store with one track; returns the id of its opening offer."""
    return cli.append("mediation-offered", "--mediators", "QAT", "--parties", "COD,RWA",
                      "--occurred", "2025-03-01", "--summary", "Qatar offers.")["id"]


def needs_catching_up(url: str) -> None:
    """Forget the read models, as if another writer's events were not indexed yet."""
    statements = ["DELETE FROM rm_records", "DELETE FROM rm_actors", "DELETE FROM rm_tracks",
                  "UPDATE rm_position SET position=0"]
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as conn:
            for statement in statements:
                conn.execute(statement)
    else:
        conn = sqlite3.connect(url)
        with conn:
            for statement in statements:
                conn.execute(statement)
        conn.close()


def test_writes_behind_another_process_lock_give_up_within_the_bound_as_busy(store_url, tmp_path, monkeypatch):
    cli = Cli(store_url)
    record = opened_store(cli)
    before = cli.ok("export").stdout
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"type": "talks-held", "track": "QAT:COD-RWA", "occurred": "2025-04-01",
                                "summary": "Round one."}) + "\n")
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "1")
    with Holder(store_url):
        for args in (["append", "talks-held", "--track", "QAT:COD-RWA", "--occurred", "2025-04-01",
                      "--summary", "Round one."],
                     ["import", str(data)],
                     ["correct", record, "--summary", "Qatar offers again.", "--reason", "typo"]):
            error = cli.fails(3, *args)
            assert "the store is busy" in error, (args, error)
            assert "TRACKER_LOCK_TIMEOUT" in error
    assert cli.ok("export").stdout == before


def test_a_read_with_nothing_to_catch_up_needs_no_write_lock(store_url, monkeypatch):
    cli = Cli(store_url)
    opened_store(cli)
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "1")
    # the mode the library's writers take: reads go on beside it
    with Holder(store_url, mode="EXCLUSIVE"):
        [state] = cli.json("status")
        assert state["track"] == "QAT:COD-RWA"


def test_a_read_with_something_to_catch_up_behind_a_lock_is_busy_within_the_bound(store_url, monkeypatch):
    cli = Cli(store_url)
    opened_store(cli)
    needs_catching_up(store_url)
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "1")
    with Holder(store_url):
        result = cli("status", "--json")
        if result.exit_code == 0:  # answered from what is committed
            assert json.loads(result.stdout)[0]["track"] == "QAT:COD-RWA"
        else:
            assert result.exit_code == 3 and "the store is busy" in result.stderr, result.stderr
    [state] = cli.json("status")
    assert state["track"] == "QAT:COD-RWA"


# -- a refused first write ---------------------------------------------------------------


@pytest.mark.postgres
def test_a_refused_first_write_leaves_an_empty_postgresql_database_empty(pg_url):
    import psycopg

    cli = Cli(pg_url)
    cli.fails(1, "append", "talks-held", "--track", "NOPE", "--occurred", "2025", "--summary", "x")
    assert "no tracker store" in cli.fails(3, "status")
    with psycopg.connect(pg_url) as conn:
        left = conn.execute(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE nspname = 'public' UNION ALL SELECT proname FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE nspname = 'public'"
        ).fetchall()
    assert left == []
    opened_store(cli)  # and a first write that is accepted creates the store as before
    assert cli.json("status")[0]["track"] == "QAT:COD-RWA"


# -- damage ------------------------------------------------------------------------------


def damaged_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A real store, and a copy of it with a page of its log's records flipped."""
    store = tmp_path / "good.db"
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(talks(3000)) + "\n")
    Cli(str(store)).ok("import", str(data))
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # the page that holds a record's state in the middle of the log
    [(page,)] = conn.execute(
        "SELECT pageno FROM dbstat WHERE name='stored_events' AND pagetype='leaf' "
        "ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat "
        "WHERE name='stored_events' AND pagetype='leaf')"
    ).fetchall()
    [(size,)] = conn.execute("PRAGMA page_size").fetchall()
    conn.close()
    copy = tmp_path / "damaged.db"
    raw = bytearray(store.read_bytes())
    start = (page - 1) * size + size * 3 // 4 - 8
    raw[start:start + size // 4] = bytes(b ^ 0x5A for b in raw[start:start + size // 4])
    copy.write_bytes(bytes(raw))
    return store, copy


def test_a_damaged_sqlite_store_is_exit_3_saying_how_to_check_it(tmp_path):
    _, copy = damaged_copy(tmp_path)
    cli = Cli(str(copy))
    for args in (["export"], ["timeline", "--json"], ["rebuild"]):
        error = cli.fails(3, *args)
        assert "the store" in error and "is damaged" in error, (args, error)
        assert f"sqlite3 {copy} 'PRAGMA integrity_check'" in error


def run_sql(url: str, statement: str) -> None:
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as conn:
            conn.execute(statement)
    else:
        conn = sqlite3.connect(url)
        with conn:
            conn.execute(statement)
        conn.close()


def test_a_rebuild_that_fails_on_a_damaged_record_keeps_the_read_models_it_started_from(any_cli):
    opened_store(any_cli)
    any_cli.append("talks-held", "--track", "QAT:COD-RWA", "--occurred", "2025-04-01", "--summary", "Round one.")
    before = any_cli.ok("status", "--json").stdout
    # bytes flipped inside the last record: the file is sound, the record is not JSON
    if any_cli.db.startswith("postgresql://"):
        run_sql(any_cli.db, "UPDATE tracker_events SET state = '\\x00ff'::bytea WHERE notification_id = "
                            "(SELECT max(notification_id) FROM tracker_events)")
    else:
        run_sql(any_cli.db, "UPDATE stored_events SET state = X'00ff' WHERE rowid = (SELECT max(rowid) FROM stored_events)")
    error = any_cli.fails(3, "rebuild")
    assert "is damaged" in error and "does not decode" in error
    assert any_cli.ok("status", "--json").stdout == before


def test_a_cached_state_that_does_not_parse_is_refolded_from_the_log(any_cli):
    opened_store(any_cli)
    [good] = any_cli.json("status")
    run_sql(any_cli.db, "UPDATE rm_tracks SET state = replace(state, '\"2025-', '\"h025-')")
    assert any_cli.json("status") == [good]
    assert "h025" not in any_cli.ok("status", "--json").stdout


# -- read-only stores --------------------------------------------------------------------


class Immutable:
    """A file or folder that no one may write, root included (tests run as root, whom chmod
    does not stop): `chattr +i`, undone at the end."""

    def __init__(self, path: Path):
        self.path = path
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make {path} read-only for root here (chattr: {done.stderr.strip()})")

    def __enter__(self) -> Immutable:
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["chattr", "-i", str(self.path)], check=True)


def test_a_read_only_store_file_reads_and_refuses_writes_naming_the_permission(sqlite_cli):
    opened_store(sqlite_cli)
    before = sqlite_cli.ok("export").stdout
    with Immutable(Path(sqlite_cli.db)):
        assert sqlite_cli.json("status")[0]["track"] == "QAT:COD-RWA"
        assert sqlite_cli.ok("export").stdout == before
        error = sqlite_cli.fails(3, "append", "talks-held", "--track", "QAT:COD-RWA",
                                 "--occurred", "2025-04-01", "--summary", "Round one.")
        assert "permission denied" in error and "try again" not in error
    assert sqlite_cli.ok("export").stdout == before


def test_a_store_in_a_read_only_folder_reads(sqlite_cli):
    opened_store(sqlite_cli)
    folder = Path(sqlite_cli.db).parent
    assert not Path(f"{sqlite_cli.db}-wal").exists()
    with Immutable(folder):
        assert sqlite_cli.json("status")[0]["track"] == "QAT:COD-RWA"
        assert sqlite_cli.json("timeline")[0]["type"] == "mediation-offered"


def test_a_read_only_store_with_records_to_index_is_exit_3_naming_the_permission(sqlite_cli):
    opened_store(sqlite_cli)
    needs_catching_up(sqlite_cli.db)
    with Immutable(Path(sqlite_cli.db)):
        error = sqlite_cli.fails(3, "status")
        assert "permission denied" in error and "try again" not in error
    assert sqlite_cli.json("status")[0]["track"] == "QAT:COD-RWA"


# -- files -------------------------------------------------------------------------------

APPEND_OFFER = ("append", "mediation-offered", "--mediators", "QAT", "--parties", "COD,RWA",
                "--occurred", "2025-03-01", "--summary", "Qatar offers.")


def test_a_store_created_through_a_dangling_symlink_or_over_an_empty_file_is_private(tmp_path):
    target = tmp_path / "target.db"
    link = tmp_path / "link.db"
    link.symlink_to(target)
    Cli(str(link)).ok(*APPEND_OFFER)
    assert target.stat().st_mode & 0o777 == 0o600
    empty = tmp_path / "empty.db"
    empty.touch(mode=0o644)
    empty.chmod(0o644)
    Cli(str(empty)).ok(*APPEND_OFFER)
    assert empty.stat().st_mode & 0o777 == 0o600


def test_a_path_that_is_not_a_regular_file_is_refused(tmp_path):
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    journal_before = Path("/dev/null-journal").exists()
    for path in ("/dev/null", str(fifo)):
        for args in (APPEND_OFFER, ("status",)):
            error = Cli(path).fails(3, *args)
            assert "not a regular file" in error, error
    assert Path("/dev/null-journal").exists() == journal_before
    assert not Path(f"{fifo}-journal").exists() and not Path(f"{fifo}-wal").exists()


# -- a PostgreSQL server that goes away ----------------------------------------------------


@pytest.mark.postgres
def test_an_import_whose_server_goes_away_is_exit_3_saying_so_and_keeps_its_batches(pg_url, tmp_path):
    import psycopg

    from tests.conftest import PG_URL

    name = pg_url.rsplit("/", 1)[1]
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(talks(12_000)) + "\n")
    env = {**os.environ, "TRACKER_LOCK_TIMEOUT": "2"}
    proc = tracker("--db", pg_url, "import", str(data), "--batch", "500", env=env)
    deadline = time.monotonic() + 120
    while scalar(pg_url, "SELECT count(*) FROM tracker_events") < 500:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        # as good as a stopped server, for this database only: no new connection, and the
        # import's own connections cut
        admin.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname=%s", (name,))
        try:
            _, err = proc.communicate(timeout=60)
        finally:
            admin.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
    assert proc.returncode == 3, err
    assert "went away" in err and "internal" not in err
    kept = scalar(pg_url, "SELECT count(*) FROM tracker_events")
    assert kept >= 500 and kept % 500 == 0
    summary = Cli(pg_url).json("import", str(data))
    assert summary["recorded"] + summary["duplicates"] == 12_000


def test_a_full_disk_is_exit_3_saying_to_free_space_not_to_try_again(sqlite_cli, tmp_path):
    opened_store(sqlite_cli)
    disk = tmp_path / "small"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here ({mounted.stderr.strip()})")
    try:
        store = disk / "tracker.db"
        store.write_bytes(Path(sqlite_cli.db).read_bytes())
        filler = os.open(disk / "filler", os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            while os.write(filler, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(filler)
        cli = Cli(str(store))
        error = cli.fails(3, "append", "talks-held", "--track", "QAT:COD-RWA", "--occurred", "2025-04-01",
                          "--summary", "Round one.")
        assert "the disk is full" in error and "try again" not in error
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


HOLD_READ_MODELS = """
import psycopg, sys
conn = psycopg.connect(sys.argv[1])
conn.execute("SELECT position FROM rm_position FOR UPDATE")
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.mark.postgres
def test_a_write_that_committed_while_the_read_models_are_locked_succeeds_and_they_catch_up_later(pg_url, monkeypatch):
    cli = Cli(pg_url)
    opened_store(cli)
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "1")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_READ_MODELS, pg_url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = cli("append", "talks-held", "--track", "QAT:COD-RWA", "--occurred", "2025-04-01",
                     "--summary", "Round one.")
        assert result.exit_code == 0, result.stderr
        assert "warning: recorded, but the read models could not catch up: the store is busy" in result.stderr
    finally:
        holder.communicate("", timeout=30)
    assert cli.json("status")[0]["developments"] == 2
