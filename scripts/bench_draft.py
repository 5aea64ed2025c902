"""How fast `tracker draft` reads a GDELT 2.0 daily volume, and in how much memory.

Generates a file of N rows (default 200,000) of 61 columns: mostly events between other
countries, with offers, responses, talks and fighting of the drafted conflict among them
repeated as GDELT repeats a story. Then runs the real CLI in a child process on it (no
store) and prints the wall time, the rows a second and the child's peak resident memory.

    .venv/bin/python scripts/bench_draft.py [ROWS]
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from gdelt_rows import row  # noqa: E402

OTHERS = ["USA", "CHN", "RUS", "FRA", "DEU", "GBR", "IND", "BRA", "NGA", "EGY", "AFR", "EUR", "IGOUNO", "IGOEUR", ""]
CODES = ["010", "020", "036", "042", "043", "051", "057", "112", "190", "193", "0871", "039"]
CONFLICT = [("IRN", "PAK", "039"), ("IRN", "AFG", "039"), ("PAK", "IRN", "038"), ("QAT", "AFG", "045"),
            ("PAK", "AFG", "190"), ("AFG", "PAK", "195"), ("TUR", "PAK", "039"), ("PAK", "AFG", "0421")]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            day = f"202511{rng.randint(1, 28):02d}"
            if rng.random() < 0.02:
                a1, a2, code = rng.choice(CONFLICT)
            else:
                a1, a2, code = rng.choice(OTHERS), rng.choice(OTHERS), rng.choice(CODES)
            url = f"https://news.example.org/{rng.randint(1, rows // 4)}"
            out.write(row(61, 1_000_000 + i, day, a1, a2, code, url=url,
                          place="Kabul, Kabul, Afghanistan") + "\n")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    tracker = Path(sys.executable).with_name("tracker")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "events.export.CSV"
        generate(data, rows)
        size = data.stat().st_size / 1e6
        start = time.perf_counter()
        done = subprocess.run(
            [str(tracker), "--db", str(Path(tmp) / "none.db"), "draft", str(data), "--format", "gdelt",
             "--conflict", "AFG-PAK", "-o", str(Path(tmp) / "draft.jsonl")],
            capture_output=True, text=True, check=False, env={**os.environ, "TRACKER_DB": ""},
        )
        elapsed = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        drafted = sum(1 for _ in open(Path(tmp) / "draft.jsonl", encoding="utf-8")) if done.returncode == 0 else 0
    if done.returncode != 0:
        sys.exit(f"draft failed ({done.returncode}): {done.stderr}")
    print(f"{'rows':>10} {'MB':>7} {'seconds':>8} {'rows/s':>10} {'peak RSS MB':>12} {'candidates':>11}")
    print(f"{rows:>10,} {size:>7.1f} {elapsed:>8.2f} {rows / elapsed:>10,.0f} {peak_mb:>12.1f} {drafted:>11}")


if __name__ == "__main__":
    main()
