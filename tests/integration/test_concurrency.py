"""Several real processes writing to one track at once (SPEC §7): nothing lost, nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import Cli

KEY = "NOR:COL-VEN"
WRITERS, EACH = 4, 12


def writer(url: str, n: int) -> list[int]:
    """One process appending EACH developments; returns their exit codes."""
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from tracker.cli import cli\n"
        "codes = []\n"
        f"for i in range({EACH}):\n"
        f"    r = CliRunner().invoke(cli, ['--db', {url!r}, 'append', 'talks-held', '--track', '{KEY}',"
        f" '--occurred', '2025-03-%02d' % (1 + i), '--summary', 'writer {n} round %d' % i])\n"
        "    codes.append(r.exit_code)\n"
        "    if r.exit_code: print(r.stderr, file=sys.stderr)\n"
        "print(codes)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_four_processes_appending_to_one_track_all_succeed_exactly_once(store_url):
    cli = Cli(store_url)
    cli.ok("append", "mediation-offered", "--mediators", "NOR", "--parties", "COL,VEN",
           "--occurred", "2025-01-01", "--summary", "Norway offers.")
    with ThreadPoolExecutor(WRITERS) as pool:
        codes = list(pool.map(lambda n: writer(store_url, n), range(WRITERS)))
    assert codes == [[0] * EACH] * WRITERS
    devs = cli.json("timeline", "--track", KEY)
    assert len(devs) == 1 + WRITERS * EACH
    assert len({d["id"] for d in devs}) == len(devs)
    [state] = cli.json("status")
    assert state["developments"] == 1 + WRITERS * EACH and state["rounds"] == WRITERS * EACH
    cli.ok("rebuild")
    assert cli.json("status") == [state]


def test_the_same_development_from_four_processes_is_stored_once(store_url):
    cli = Cli(store_url)
    cli.ok("append", "mediation-offered", "--mediators", "NOR", "--parties", "COL,VEN",
           "--occurred", "2025-01-01", "--summary", "Norway offers.")
    args = [sys.executable, "-m", "tracker.cli", "--db", store_url, "append", "talks-held", "--track", KEY,
            "--occurred", "2025-03-01", "--summary", "The same round.", "--json"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4
    assert sorted(r["duplicate"] for r in results) == [False, True, True, True]
    assert len({r["id"] for r in results}) == 1
    assert cli.json("status")[0]["developments"] == 2


def test_four_processes_opening_one_new_track_at_once(store_url):
    """Each process finds no such track, so each creates it; the losers' writes conflict, and
    their retries find the winner's: four offers on one track, or one offer and three
    duplicates when the content is the same."""
    cli = Cli(store_url)
    cli.ok("actors", "add", "UN", "--name", "United Nations")  # the store exists, the track not

    def offer(mediator: str) -> list[str]:
        return [sys.executable, "-m", "tracker.cli", "--db", store_url, "append", "mediation-offered",
                "--track", KEY, "--mediators", mediator, "--parties", "COL,VEN",
                "--occurred", "2025-01-01", "--summary", f"{mediator} offers.", "--json"]

    procs = [subprocess.Popen(offer(m), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for m in ("NOR", "CHE", "QAT", "TUR")]
    results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4 and not any(r["duplicate"] for r in results)
    [state] = cli.json("status")
    assert state["developments"] == 4 and sorted(state["mediators"]) == ["CHE", "NOR", "QAT", "TUR"]

    procs = [subprocess.Popen(offer("EGY"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert sorted(r["duplicate"] for r in results) == [False, True, True, True]


def test_on_postgresql_a_slow_writer_is_never_passed_over_by_the_read_models(pg_url):
    """Notification ids are drawn before commit: a writer whose transaction is still open holds
    a lower id than one that commits first. The events table is locked for each insert, so the
    second writer waits, and no catch-up can move past the first writer's event."""
    import threading
    from datetime import UTC, datetime

    import psycopg

    from events.codec import JSONLinesTranscoder, RecordMapper
    from events.developments import TalksHeld
    from tracker.aggregates.base import aggregate_id

    cli = Cli(pg_url)
    cli.ok("append", "mediation-offered", "--mediators", "NOR", "--parties", "COL,VEN",
           "--occurred", "2025-01-01", "--summary", "Norway offers.")
    held = TalksHeld.model_validate({"id": "00000000-0000-4000-8000-000000000001", "track": KEY,
                                     "occurred": "2025-02-01", "summary": "A slow writer's round.",
                                     "recorded_at": datetime.now(UTC), "recorded_by": "slow"})
    topic, state = RecordMapper(transcoder=JSONLinesTranscoder()).encode(held)
    slow = psycopg.connect(pg_url)  # a transaction stays open: its id is drawn, not committed
    slow.execute("INSERT INTO tracker_events (originator_id, originator_version, topic, state) "
                 "VALUES (%s, 2, %s, %s)", (aggregate_id("track", KEY), topic, state))
    fast = threading.Thread(target=lambda: cli.ok(
        "append", "incident-reported", "--parties", "COL,VEN", "--kind", "clash",
        "--occurred", "2025-02-02", "--summary", "A fast writer's clash."))
    fast.start()
    time.sleep(1.0)  # the fast writer has inserted and caught up by now, unless it waits
    slow.commit()
    slow.close()
    fast.join(timeout=60)
    [state] = cli.json("status")
    assert state["developments"] == 2 and state["rounds"] == 1
    assert len(cli.json("timeline")) == 3


def test_a_track_changed_while_it_is_folded_stays_dirty_until_folded_again(store_url):
    """Track states are folded outside any write lock; one whose records change between the
    fold and its write keeps its dirty mark, so the stale state never looks current."""
    from tracker.cli.root import Workspace

    cli = Cli(store_url)
    cli.ok("append", "mediation-offered", "--mediators", "NOR", "--parties", "COL,VEN",
           "--occurred", "2025-01-01", "--summary", "Norway offers.")
    store = Workspace(store_url).open(write=True)
    try:
        catchup, locate = store.projector(), store.locator()
        store.app.append({"type": "talks-held", "track": KEY, "occurred": "2025-02-01",
                          "summary": "Round one."}, locate)
        catchup.index_log()
        stale = catchup.fold_dirty()  # folded with one round
        store.app.append({"type": "talks-held", "track": KEY, "occurred": "2025-03-01",
                          "summary": "Round two."}, locate)
        catchup.index_log()
        with store.db.write():
            catchup.write_states(store.db, stale)
        assert store.db.one("SELECT dirty FROM rm_tracks WHERE key=?", (KEY,))[0] != 0
        [state] = cli.json("status")  # the next command folds it again
        assert state["rounds"] == 2
        assert store.db.one("SELECT dirty FROM rm_tracks WHERE key=?", (KEY,))[0] == 0
    finally:
        store.close()


def appender(url: str, n: int, stop: str) -> subprocess.Popen:
    """A process appending to the track until the file `stop` exists (or a minute passes);
    prints its exit codes."""
    script = (
        "import os, sys, time\n"
        "from click.testing import CliRunner\n"
        "from tracker.cli import cli\n"
        "codes, i, end = [], 0, time.monotonic() + 60\n"
        f"while not os.path.exists({stop!r}) and time.monotonic() < end:\n"
        f"    r = CliRunner().invoke(cli, ['--db', {url!r}, 'append', 'talks-held', '--track', '{KEY}',"
        f" '--occurred', '2025-04-01', '--summary', 'appender {n} round %d' % i])\n"
        "    codes.append(r.exit_code); i += 1\n"
        "    if r.exit_code: print(r.stderr, file=sys.stderr)\n"
        "print(codes)\n"
    )
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_an_import_sharing_a_track_with_appenders_completes_and_records_each_line_once(store_url, tmp_path):
    """Two processes keep appending to a track that an import also writes to: the import's
    write conflicts with theirs, and it re-decides only what conflicted (what it committed
    stays), so it finishes within its bound of attempts instead of starting over each time."""
    cli = Cli(store_url)
    cli.ok("append", "mediation-offered", "--mediators", "NOR", "--parties", "COL,VEN",
           "--occurred", "2025-01-01", "--summary", "Norway offers.")
    lines = 600
    data = tmp_path / "import.jsonl"
    data.write_text("".join(json.dumps({
        "id": f"00000000-0000-4000-8000-{i:012d}", "type": "talks-held", "track": KEY,
        "occurred": f"2025-02-{1 + i % 28:02d}", "summary": f"Imported round {i}."}) + "\n"
        for i in range(lines)))
    stop = str(tmp_path / "stop")
    writers = [appender(store_url, n, stop) for n in range(2)]
    try:
        deadline = time.monotonic() + 60
        while len(cli.json("timeline", "--track", KEY)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)  # both are appending by now
        # it gives up after TrackerApplication.max_attempts conflicts in a row
        imported = subprocess.run([sys.executable, "-m", "tracker.cli", "--db", store_url, "import", str(data),
                                   "--json"], capture_output=True, text=True, timeout=300)
    finally:
        open(stop, "w").close()
        outputs = [w.communicate(timeout=120) for w in writers]
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["recorded"] == lines
    codes = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert all(code == 0 for run in codes for code in run), [err for _, err in outputs]
    appended = sum(len(run) for run in codes)
    devs = cli.json("timeline", "--track", KEY)
    assert len(devs) == 1 + lines + appended and len({d["id"] for d in devs}) == len(devs)
    [state] = cli.json("status")
    assert state["rounds"] == lines + appended
    assert cli.json("status", "--known-at", "2999-01-01") == [state]
