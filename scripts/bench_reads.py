"""The read commands of the benchmark: each, scoped by a track or a conflict and over the
whole store, timed on the big store and on a 1,000-development store of the same first tracks.

`scripts/bench.py` builds the stores and calls `measure_reads`; each figure is the median of
RUNS processes of their own, with the peak RSS of each, so a scoped read shows whether it is
flat in the store's size and a whole-store stream whether it is flat in memory.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

PY = sys.executable


def tracker(db: str, *args: str) -> list[str]:
    return [PY, "-m", "tracker.cli", "--db", db, *args]


FAR = "2099-12-31"


def probe(args: list[str], runs: int, folder: Path) -> tuple[float, float]:
    """(median seconds, median peak RSS in MB) of a command run as a process of its own."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    seconds, peaks = [], []
    for _ in range(runs):
        out = subprocess.run([PY, "-c", code, *args], check=True, capture_output=True, text=True,
                             cwd=folder).stdout.split()
        seconds.append(float(out[0]))
        peaks.append(int(out[1]) / 1024)
    return statistics.median(seconds), statistics.median(peaks)


PLAIN_PARSE = (
    "import json, sqlite3, sys\n"
    "for (state,) in sqlite3.connect(sys.argv[1]).execute('SELECT state FROM stored_events'):\n"
    "    json.loads(state)\n"
)


def first_track(data: Path) -> tuple[str, str, str]:
    """(track key, its conflict, its offer's id) of the workload's first track."""
    for line in data.open():
        record = json.loads(line)
        if record["type"] == "mediation-offered":
            return record["track"], "-".join(record["parties"]), record["id"]
    raise SystemExit("the workload has no track")


def read_commands(track: str, conflict: str, dev_id: str) -> list[tuple[str, list[str]]]:
    """(label, arguments) of every read command: scoped by the first track or its conflict
    (a date inside its year), then over the whole store."""
    t, c = track, conflict
    return [
        ("report --track T -o r.html", ["report", "--track", t, "-o", "r.html"]),
        ("report --track T --format md", ["report", "--track", t, "--format", "md"]),
        ("report --conflict C -o c.html", ["report", "--conflict", c, "-o", "c.html"]),
        ("report --conflict C --format md", ["report", "--conflict", c, "--format", "md"]),
        ("timeline --track T --json", ["timeline", "--track", t, "--json"]),
        ("timeline --conflict C --json", ["timeline", "--conflict", c, "--json"]),
        ("replay --until D --track T --json", ["replay", "--until", "2000-06-30", "--track", t, "--json"]),
        ("status T --as-of D --json", ["status", t, "--as-of", "2000-06-30", "--json"]),
        ("status --conflict C --as-of D --known-at K", ["status", "--conflict", c, "--as-of", "2000-06-30",
                                                        "--known-at", FAR, "--json"]),
        ("show ID --json", ["show", dev_id[:8], "--json"]),
        ("diff --track T --json", ["diff", "--from", "2000-03-01", "--to", "2000-09-30", "--track", t, "--json"]),
        ("diff --conflict C --json", ["diff", "--from", "2000-03-01", "--to", "2000-09-30", "--conflict", c,
                                      "--json"]),
        ("whole: status --json", ["status", "--json"]),
        ("whole: status --as-of D --json", ["status", "--as-of", "2012-06-30", "--json"]),
        ("whole: export", ["export"]),
        ("whole: timeline --json", ["timeline", "--json"]),
        ("whole: replay --until D --json", ["replay", "--until", "2030-01-01", "--json"]),
        ("whole: diff --json", ["diff", "--from", "2012-01-01", "--to", "2012-06-30", "--json"]),
        ("whole: report --format md", ["report", "--format", "md"]),
        ("whole: report -o all.html", ["report", "-o", "all.html"]),
    ]


def measure_reads(big: Path, small: Path, data: Path, runs: int, folder: Path) -> None:
    """Every read command on both stores, side by side; prints a Markdown table."""
    track, conflict, dev_id = first_track(data)
    for db in (small, big):  # the read models caught up, before anything is timed
        subprocess.run(tracker(str(db), "status"), check=True, capture_output=True)
    figures: dict[str, tuple[float, float, float, float]] = {}
    for label, args in read_commands(track, conflict, dev_id):
        s_time, s_mem = probe(tracker(str(small), *args), runs, folder)
        b_time, b_mem = probe(tracker(str(big), *args), runs, folder)
        figures[label] = (s_time, s_mem, b_time, b_mem)
        print(f"  {label}: {s_time:.2f} s {s_mem:.0f} MB | {b_time:.2f} s {b_mem:.0f} MB", file=sys.stderr)
    plain = probe([PY, "-c", PLAIN_PARSE, str(big)], runs, folder)
    print(f"\nread commands (track {track}, conflict {conflict}; {runs} runs each, medians)\n")
    print("| command | 1k store | | big store | | time ratio | memory ratio |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for label, (s_time, s_mem, b_time, b_mem) in figures.items():
        print(f"| `{label}` | {s_time:.2f} s | {s_mem:.0f} MB | {b_time:.2f} s | {b_mem:.0f} MB "
              f"| {b_time / s_time:.2f} | {b_mem / s_mem:.2f} |")
    export = figures["whole: export"][2]
    print("\n| measure (big store) | value | against | value | ratio |")
    print("|---|--:|---|--:|--:|")
    print(f"| `export` | {export:.2f} s | plain read of every row with a JSON parse | {plain[0]:.2f} s "
          f"| {export / plain[0]:.2f} |")
    for label in ("whole: report --format md", "whole: report -o all.html"):
        b_time, b_mem = figures[label][2:]
        print(f"| `{label[7:]}` | {b_time:.2f} s, {b_mem:.0f} MB | `export` | {export:.2f} s "
              f"| {b_time / export:.2f} |")
