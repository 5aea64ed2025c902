"""`import -` keeps a copy of stdin in the temporary folder while it works (an import may read
its lines twice): the copy goes on every way out, and a folder without room is named (exit 3,
the machine's fault, not the input's)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

OFFER = {"type": "mediation-offered", "mediators": ["NOR"], "parties": ["SDN", "SSD"],
         "occurred": "2025-03-01", "summary": "Norway offers to mediate."}
HELD = {"type": "talks-held", "track": "NOR:SDN-SSD", "occurred": "2025-03-05", "summary": "Talks."}


def spools(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("tracker-stdin-"))


@pytest.fixture
def tmpdir_(tmp_path, monkeypatch) -> Path:
    """A temporary folder of the test's own, as TMPDIR names it for the tool."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_copy_of_stdin_goes_when_the_import_succeeds_or_is_refused(any_cli, tmpdir_):
    any_cli.ok("import", "-", input=json.dumps(OFFER) + "\n")
    any_cli.fails(2, "import", "-", input=json.dumps({**HELD, "occurred": "2025-02-30"}) + "\n")
    any_cli.fails(1, "import", "-", input=json.dumps({**HELD, "track": "NOR:ETH-SDN"}) + "\n")
    any_cli.fails(2, "import", "-", input="[" + json.dumps(HELD) + "]\n")
    any_cli("import", "-", input="\n")
    assert spools(tmpdir_) == []


def test_the_copy_of_stdin_goes_when_the_store_cannot_be_used(tmp_path, tmpdir_):
    from tests.conftest import Cli

    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("not a database")
    Cli(str(not_a_store)).fails(3, "import", "-", input=json.dumps(OFFER) + "\n")
    assert spools(tmpdir_) == []


def run_tracker(args, *, env, stdin=None, limit=None, **kwargs):
    def cap():
        # a suite started in the background inherits SIGINT ignored; the tool must see Ctrl-C
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.Popen([sys.executable, "-m", "tracker.cli", *args], env=env, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=cap, **kwargs)


def test_a_temporary_folder_without_room_is_named_with_exit_3_and_nothing_is_left(tmp_path):
    """The operating system's file-size limit makes writes in the folder fail as a full disk
    does, for any user."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    env = {**os.environ, "TMPDIR": str(folder)}
    text = "".join(json.dumps({**HELD, "occurred": f"2025-03-{d:02d}"}) + "\n" for d in range(5, 29)) * 40
    proc = run_tracker(["--db", str(tmp_path / "t.db"), "import", "-"], env=env, stdin=subprocess.PIPE,
                       limit=16_384)
    _, stderr = proc.communicate(json.dumps(OFFER) + "\n" + text, timeout=60)
    assert proc.returncode == 3, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    assert str(folder) in errors[0] and "TMPDIR" in errors[0]
    assert spools(folder) == []
    assert not (tmp_path / "t.db").exists()


def test_the_copy_of_stdin_goes_on_ctrl_c(tmp_path):
    folder = tmp_path / "tmp"
    folder.mkdir()
    env = {**os.environ, "TMPDIR": str(folder)}
    proc = run_tracker(["--db", str(tmp_path / "t.db"), "import", "-"], env=env, stdin=subprocess.PIPE)
    try:
        proc.stdin.write(json.dumps(OFFER) + "\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while not spools(folder) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert spools(folder), "the import never started to copy stdin"
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode not in (0, 70)
    assert spools(folder) == []


def test_a_temporary_folder_too_small_for_the_staging_file_is_exit_3(tmp_path):
    from tests.conftest import Cli

    folder = tmp_path / "tmp"
    folder.mkdir()
    db = str(tmp_path / "t.db")
    Cli(db).ok("import", "-", input=json.dumps(OFFER) + "\n")  # the store exists: only the staging grows
    source = tmp_path / "in.jsonl"
    source.write_text("".join(
        json.dumps({**HELD, "occurred": f"2025-03-{d:02d}", "summary": "x" * 3900}) + "\n" for d in range(5, 29)))
    proc = run_tracker(["--db", db, "import", str(source)],
                       env={**os.environ, "TMPDIR": str(folder)}, limit=40_000)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 3, stderr
    assert "internal" not in stderr


def test_a_file_that_is_a_pipe_is_read_once_like_stdin(tmp_path):
    """`tracker import <(zcat file.gz)` names a pipe: it cannot be read twice, so it is copied."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    proc = run_tracker(["--db", str(tmp_path / "t.db"), "import", "/dev/stdin"],
                       env={**os.environ, "TMPDIR": str(folder)}, stdin=subprocess.PIPE)
    _, stderr = proc.communicate(json.dumps(OFFER) + "\n" + json.dumps(HELD) + "\n", timeout=60)
    assert proc.returncode == 0, stderr
    assert "recorded 2 developments" in stderr
    assert spools(folder) == []


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_device_is_refused_rather_than_read_for_ever(tmp_path):
    proc = run_tracker(["--db", str(tmp_path / "t.db"), "import", "/dev/zero"], env=dict(os.environ))
    try:
        _, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 2, stderr
    assert "/dev/zero is a device" in stderr
