#!/usr/bin/env python3
"""Benchmarks of tracker at scale, measured side by side in one run.

    python scripts/bench.py                       # 100,000 developments over 1,000 tracks
    python scripts/bench.py --n 1000000 --tracks 10000
    python scripts/bench.py --interleave          # the tracks' lines mixed, as in a dated dataset
    python scripts/bench.py --pg postgresql://user:pw@127.0.0.1:5432/postgres   # also PostgreSQL

Generates a synthetic workload (every track opened by an offer, then responses, rounds,
suspensions, agreements and incidents with dates out of order — late arrivals — and a few
corrections), then prints a table of figures and ratios:

- `tracker import` against (a) a plain sqlite3 bulk insert of the same JSON lines (the floor)
  and (b) the eventsourcing library's own batched save of the same lines as minimal aggregates
  (one aggregate per track, the JSON line as the event's only attribute, 50 tracks per save);
- `status` on the big store against `status` on a 1,000-development store;
- `status --as-of` and `replay --until` on the big store against a plain read of all rows;
- `tracker --version` against a bare `python -c "import click, pydantic, eventsourcing"`;
- the import's peak memory (max RSS of the import process);
- every read command, scoped by a track or a conflict and over the whole store, on the big
  store and on a store of the same first 10 tracks (1,000 developments), side by side: time
  and peak RSS of each and their ratios (a scoped read must be flat in the store's size, a
  whole-store stream flat in memory), `export` against a plain read of every stored row with a
  JSON parse, and the whole-store reports against `export`.

Every command runs as a real process, as a user would run it; figures are medians. The big
store is built once and kept under /tmp/tracker-bench-cache (keyed by the workload's
parameters) for the next run; `--reads-only` measures the reads alone, from that cache. The
read commands' measurements are in scripts/bench_reads.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench_reads import PY, measure_reads, tracker  # scripts/bench_reads.py, beside this one

RESPONSES = ["welcomed", "accepted", "rejected", "noncommittal"]


COUNTRIES = ["AFG", "PAK", "IRN", "IND", "SDN", "SSD", "ETH", "SOM", "COL", "VEN", "RUS", "UKR",
             "ARM", "AZE", "SRB", "ALB", "MMR", "THA", "YEM", "SAU"]
MEDIATORS = ["QAT", "TUR", "NOR", "CHE", "EGY", "OMN", "KEN", "ZAF", "BRA", "CHN"]
KINDS = ["mediation-response", "talks-held", "talks-scheduled", "talks-suspended",
         "agreement-reached", "incident-reported"]
KIND_WEIGHTS = [3, 6, 2, 1, 1, 2]


def workload(path: Path, n: int, tracks: int, seed: int = 7, interleave: bool = False) -> Path:
    """N developments over TRACKS tracks, late arrivals, a few corrections; JSON lines.

    Each track's lines follow its offer; `interleave` mixes the tracks' lines at random after
    all the offers (as in a dataset sorted by date), instead of one track after another."""
    rng = random.Random(seed)
    actors = [f"G{i:04d}" for i in range(max(4, tracks // 5))]
    per_track = max(1, n // tracks)
    lines = [json.dumps({"type": "actor-registered", "code": actor, "name": f"Group {actor}",
                         "kind": "armed-group"}) for actor in actors]
    corrections: list[str] = []
    offers: list[str] = []
    developments: list[str] = []
    written = 0
    for t in range(tracks):
        if written >= n:
            break
        parties = sorted(rng.sample(COUNTRIES, 1) + [rng.choice(actors)])
        key = f"T{t:05d}:{'-'.join(parties)}"
        year = 2000 + t % 25
        (offers if interleave else lines).append(json.dumps(offer(rng, t, key, parties, year)))
        written += 1
        for i in range(min(per_track - 1, n - written)):
            record, correction = development(rng, i, t, key, parties, year)
            (developments if interleave else lines).append(json.dumps(record))
            written += 1
            if correction:
                corrections.append(json.dumps(correction))
    # late arrivals: a track's developments arrive in random order after its offer
    rng.shuffle(corrections)
    random.Random(seed + 1).shuffle(developments)
    lines += offers + developments
    path.write_text("\n".join(lines + corrections) + "\n")
    return path


def offer(rng: random.Random, t: int, key: str, parties: list[str], year: int) -> dict:
    """The offer that opens track T."""
    mediator = rng.choice(MEDIATORS)
    offer_id = str(uuid.UUID(int=rng.getrandbits(128)))
    return {"id": offer_id, "type": "mediation-offered", "track": key,
            "mediators": [mediator], "parties": parties,
            "occurred": f"{year}-01-01", "summary": f"{mediator} offers to mediate.",
            "sources": [{"url": f"https://example.org/{t}/0", "reliability": "B",
                         "credibility": 2}]}


def development(rng: random.Random, i: int, t: int, key: str, parties: list[str],
                year: int) -> tuple[dict, dict | None]:
    """Development I of track T and, now and then for talks, a correction of its date."""
    month, day = 1 + rng.randrange(12), 1 + rng.randrange(28)
    occurred = f"{year}-{month:02d}-{day:02d}"
    if rng.random() < 0.05:
        occurred = f"{year}-{month:02d}"
    dev_id = str(uuid.UUID(int=rng.getrandbits(128)))
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    base = {"id": dev_id, "type": kind, "occurred": occurred,
            "summary": f"Development {i} of track {t}."}
    if kind == "mediation-response":
        base.update(track=key, party=rng.choice(parties), response=rng.choice(RESPONSES))
    elif kind == "talks-held":
        base.update(track=key, venue=rng.choice(["Doha", "Istanbul", "Oslo", "Geneva"]))
    elif kind == "talks-scheduled":
        base.update(track=key, venue="Geneva", scheduled_for=f"{year}-{month:02d}")
    elif kind == "talks-suspended":
        base.update(track=key, by=parties[0], reason="Walk-out.")
    elif kind == "agreement-reached":
        base.update(track=key, kind=rng.choice(["ceasefire", "declaration"]))
    else:
        base.update(parties=parties, kind="clash", fatalities=rng.randrange(50))
    correction = None
    if kind == "talks-held" and rng.random() < 0.02:
        correction = {"type": "correction", "target": dev_id, "reason": "date",
                      "changes": {"occurred": f"{year}-{month:02d}-{min(day + 1, 28):02d}"}}
    return base, correction


def first_tracks(whole: Path, path: Path, keep: int) -> Path:
    """The lines of a workload's first KEEP tracks (and every actor), in the same order: a
    small store holding the same tracks, day for day, as the big one."""
    ids: set[str] = set()
    out = []
    for line in whole.open():
        data = json.loads(line)
        if data["type"] == "actor-registered":
            out.append(line)
            continue
        if data["type"] == "correction":
            number = -1 if data["target"] not in ids else 0
        elif data.get("track"):
            number = int(data["track"][1:6])
        else:  # an incident: "Development i of track t."
            number = int(data["summary"].rsplit(" ", 1)[1].rstrip("."))
        if 0 <= number < keep:
            ids.add(data.get("id", ""))
            out.append(line)
    path.write_text("".join(out))
    return path


def run(args: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def median(args: list[str], times: int = 5) -> float:
    return statistics.median(run(args) for _ in range(times))


def import_with_peak_memory(db: str, data: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `tracker import` process."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([PY, "-c", probe, *tracker(db, "import", str(data))],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def floor_sqlite(data: Path, folder: Path) -> float:
    """(a) a plain sqlite3 bulk insert of the same lines, one transaction."""
    db = folder / "floor.db"
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE lines (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    with data.open() as handle, conn:
        conn.executemany("INSERT INTO lines (body) VALUES (?)", ((line,) for line in handle))
    conn.close()
    return time.perf_counter() - started


LIBRARY_BASELINE = r'''
import json, sys, time
from collections import defaultdict
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

class MinimalTrack(Aggregate):
    @event("Created")
    def __init__(self, key: str):
        self.key = key
    @event("Line")
    def add(self, line: str):
        pass

class Baseline(Application):
    pass

started = time.perf_counter()
by_track = defaultdict(list)
for line in open(sys.argv[1]):
    data = json.loads(line)
    by_track[data.get("track") or data.get("target") or data.get("code") or "-".join(data.get("parties") or [])].append(line)
app = Baseline(env=json.loads(sys.argv[2]))
batch = []
for key, lines in by_track.items():
    agg = MinimalTrack(key)
    for line in lines:
        agg.add(line)
    batch.append(agg)
    if len(batch) == 50:
        app.save(*batch); batch = []
if batch:
    app.save(*batch)
print(time.perf_counter() - started)
'''


def library_baseline(data: Path, env: dict[str, str]) -> float:
    """(b) the library's own batched save: one minimal aggregate per track, 50 per save."""
    out = subprocess.run([PY, "-c", LIBRARY_BASELINE, str(data), json.dumps(env)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip())


def plain_read(db: str) -> float:
    """A plain read of every stored event row, in a process of its own."""
    if db.startswith("postgresql://"):
        code = ("import psycopg, sys, time; t=time.perf_counter(); c=psycopg.connect(sys.argv[1]);"
                " c.execute('SELECT * FROM tracker_events').fetchall(); print(time.perf_counter()-t)")
    else:
        code = ("import sqlite3, sys, time; t=time.perf_counter(); c=sqlite3.connect(sys.argv[1]);"
                " c.execute('SELECT * FROM stored_events').fetchall(); print(time.perf_counter()-t)")
    started = time.perf_counter()
    subprocess.run([PY, "-c", code, db], check=True, capture_output=True)
    return time.perf_counter() - started


def fresh_pg(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    head, _, _ = admin_url.rpartition("/")
    return f"{head}/{name}"


def pg_env(url: str) -> dict[str, str]:
    from urllib.parse import urlsplit

    p = urlsplit(url)
    return {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": p.path.strip("/"),
            "POSTGRES_HOST": p.hostname or "localhost", "POSTGRES_PORT": str(p.port or 5432),
            "POSTGRES_USER": p.username or "", "POSTGRES_PASSWORD": p.password or os.environ.get("PGPASSWORD", "")}


def measure(backend: str, big_db: str, small_db: str, baseline_env: dict[str, str],
            data: Path, small: Path, folder: Path, as_of: str) -> list[tuple[str, float, str, float]]:
    rows = []
    seconds, peak = import_with_peak_memory(big_db, data)
    lib = library_baseline(data, baseline_env)
    rows.append((f"{backend}: tracker import", seconds, "library batched save (b)", lib))
    if backend == "sqlite":
        rows.append(("sqlite: tracker import", seconds, "plain sqlite3 insert (a)", floor_sqlite(data, folder)))
    run(tracker(small_db, "import", str(small)))
    rows.append((f"{backend}: status, big store", median(tracker(big_db, "status", "--json")),
                 "status, 1,000 developments", median(tracker(small_db, "status", "--json"))))
    read = statistics.median(plain_read(big_db) for _ in range(3))
    rows.append((f"{backend}: status --as-of", median(tracker(big_db, "status", "--as-of", as_of, "--json"), 3),
                 "plain read of all rows", read))
    rows.append((f"{backend}: replay --until", median(tracker(big_db, "replay", "--until", as_of, "--json"), 3),
                 "plain read of all rows", read))
    rows.append((f"{backend}: import peak memory (MB)", peak, "limit 400 MB", 400.0))
    return rows


CACHE = Path(tempfile.gettempdir()) / "tracker-bench-cache"


def cached_stores(args: argparse.Namespace) -> Path:
    """The folder of the cached workload and stores for these parameters."""
    return CACHE / f"n{args.n}-t{args.tracks}{'-interleaved' if args.interleave else ''}"


def build_cache(args: argparse.Namespace, built: Path | None = None) -> Path:
    """The cached stores, built once (from a just-measured import's store, if given)."""
    cache = cached_stores(args)
    cache.mkdir(parents=True, exist_ok=True)
    data, small = cache / "big.jsonl", cache / "small.jsonl"
    if not data.exists():
        workload(cache / "big.tmp", args.n, args.tracks, interleave=args.interleave).rename(data)
    if not small.exists():
        first_tracks(data, cache / "small.tmp", 10).rename(small)
    for name, lines in (("big", data), ("small", small)):
        db = cache / f"{name}.db"
        if db.exists():
            continue
        if name == "big" and built is not None:
            shutil.copy(built, cache / "big.tmp.db")
        else:
            print(f"building the cached {name} store ({lines})", file=sys.stderr)
            subprocess.run(tracker(str(cache / f"{name}.tmp.db"), "import", str(lines)), check=True,
                           capture_output=True)
        (cache / f"{name}.tmp.db").rename(db)
    return cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="developments in the big store")
    parser.add_argument("--tracks", type=int, default=1_000)
    parser.add_argument("--pg", help="an admin PostgreSQL URL: also measure PostgreSQL")
    parser.add_argument("--as-of", default="2012-06-30")
    parser.add_argument("--interleave", action="store_true",
                        help="mix the tracks' lines at random (after every offer)")
    parser.add_argument("--reads-only", action="store_true",
                        help="measure the read commands alone, on the cached stores")
    parser.add_argument("--runs", type=int, default=3, help="runs of each read command")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        if args.reads_only:
            cache = build_cache(args)
            measure_reads(cache / "big.db", cache / "small.db", cache / "big.jsonl", args.runs, folder)
            return
        started = time.perf_counter()
        cache = cached_stores(args)
        data = cache / "big.jsonl"
        if not data.exists():
            cache.mkdir(parents=True, exist_ok=True)
            workload(cache / "big.tmp", args.n, args.tracks, interleave=args.interleave).rename(data)
        small = workload(folder / "small.jsonl", 1_000, 10, seed=3)
        lines = sum(1 for _ in data.open())
        print(f"workload: {lines:,} lines ({args.n:,} developments over {args.tracks:,} tracks"
              f"{', interleaved' if args.interleave else ''}), "
              f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows = measure("sqlite", str(folder / "big.db"), str(folder / "small.db"),
                       {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "lib.db")},
                       data, small, folder, args.as_of)
        version = median([PY, "-m", "tracker.cli", "--version"], 10)
        bare = median([PY, "-c", "import click, pydantic, eventsourcing"], 10)
        rows.append(("start-up: tracker --version", version, "bare imports", bare))
        if args.pg:
            rows += measure("postgres", fresh_pg(args.pg, "bench_big"), fresh_pg(args.pg, "bench_small"),
                            pg_env(fresh_pg(args.pg, "bench_lib")), data, small, folder, args.as_of)
        width = max(len(r[0]) for r in rows)
        print(f"{'measure':<{width}}  {'value':>9}  {'against':<28} {'value':>9}  {'ratio':>6}")
        for name, value, other, base in rows:
            print(f"{name:<{width}}  {value:>9.3f}  {other:<28} {base:>9.3f}  {value / base:>6.2f}")
        seen = set()
        for name, value, _, _ in rows:
            if name.endswith("tracker import") and name not in seen:
                seen.add(name)
                print(f"{name}: {lines / value:,.0f} lines/s", file=sys.stderr)
        cache = build_cache(args, built=folder / "big.db")
        measure_reads(cache / "big.db", cache / "small.db", data, args.runs, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
