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

from tests.conftest import Cli
from tests.test_crash_safety import scalar


def talks(n: int) -> list[str]:
    lines = [json.dumps({"type": "mediation-offered", "mediators": ["NOR"], "parties": ["COL", "VEN"],
                         "occurred": "2025-01-01", "summary": "Norway offers."})]
    lines += [json.dumps({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": "2025-02-01",
                          "summary": f"Round {i}."}) for i in range(n - 1)]
    return lines


def tracker(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tracker.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


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
