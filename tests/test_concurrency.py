"""Several real processes writing to one track at once (SPEC §7): nothing lost, nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
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
