#!/usr/bin/env python3
"""Several writers hammering one track through the CLI, and how fast a dead store is noticed.

    python scripts/bench_writers.py                        # SQLite
    python scripts/bench_writers.py --pg postgresql://user:pw@127.0.0.1:5432/postgres

Each writer is a real process running `tracker append` in a loop (one process per append, as
analysts would); the script checks that every development was stored exactly once, then prints
appends per second for 1 and 4 writers side by side, and the time `tracker status` takes to
report a closed port (exit 3).
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import fresh_pg  # scripts/bench.py, beside this one

PY = sys.executable
KEY = "NOR:COL-VEN"


def tracker(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "tracker.cli", "--db", db, *args], capture_output=True, text=True)


def writer(db: str, n: int, each: int) -> int:
    failures = 0
    for i in range(each):
        result = tracker(db, "append", "talks-held", "--track", KEY, "--occurred", f"2025-03-{1 + i % 28:02d}",
                         "--summary", f"writer {n} round {i}")
        failures += result.returncode != 0
    return failures


def hammer(db: str, writers: int, each: int) -> float:
    tracker(db, "append", "mediation-offered", "--mediators", "NOR", "--parties", "COL,VEN",
            "--occurred", "2025-01-01", "--summary", "Norway offers.")
    started = time.perf_counter()
    with ThreadPoolExecutor(writers) as pool:
        failures = sum(pool.map(lambda n: writer(db, n, each), range(writers)))
    elapsed = time.perf_counter() - started
    devs = json.loads(tracker(db, "timeline", "--track", KEY, "--json").stdout)
    assert failures == 0, f"{failures} appends failed"
    assert len(devs) == 1 + writers * each and len({d["id"] for d in devs}) == len(devs), "lost or doubled"
    return writers * each / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--each", type=int, default=40, help="appends per writer")
    parser.add_argument("--pg", help="an admin PostgreSQL URL: also measure PostgreSQL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tracker-writers-"))
    rows = []
    for writers in (1, 4):
        rows.append((f"sqlite: {writers} writer(s)", hammer(str(folder / f"w{writers}.db"), writers, args.each)))
        if args.pg:
            rows.append((f"postgres: {writers} writer(s)", hammer(fresh_pg(args.pg, f"writers{writers}"), writers, args.each)))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    result = tracker(f"postgresql://nobody:secret@127.0.0.1:{port}/x", "status")
    detect = time.perf_counter() - started
    for name, rate in rows:
        print(f"{name:<24} {rate:8.1f} appends/s  (every append a new process)")
    print(f"closed port reported in {detect:.2f} s with exit {result.returncode}")


if __name__ == "__main__":
    main()
