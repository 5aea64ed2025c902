"""When the machine, not the input, stops a command: the store's disk or folder is exit 3,
an output the user named is exit 2, and the message says what to do instead of "try again"
where trying again cannot help."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from tests.conftest import Cli

OFFER = ["append", "mediation-offered", "--mediators", "NOR", "--parties", "SDN,SSD",
         "--occurred", "2025-03-01", "--summary"]


def tracker(*args, limit=None, stdout=subprocess.PIPE):
    def cap():
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([sys.executable, "-m", "tracker.cli", *args], preexec_fn=cap,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60)


def one_error(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.mark.parametrize("limit", [32_768, 40_000])  # the read models' write fails, or the log's
def test_a_store_whose_disk_refuses_writes_is_exit_3_and_says_what_to_do(tmp_path, limit):
    """The file-size limit makes the store's writes fail as a full disk does, for any user;
    it leaves room for the shared-memory index, not for much of a write-ahead log."""
    db = str(tmp_path / "t.db")
    Cli(db).ok(*OFFER, "Norway offers to mediate.")
    for attempt in range(20):  # until a write meets the limit (the log grows by pages)
        before = Cli(db).ok("export").stdout
        result = tracker("--db", db, *OFFER, f"{attempt} " + "x" * 3000, limit=limit)
        if result.returncode or result.stderr:
            break
    if result.returncode == 0:  # the development was recorded, the read models could not follow
        assert result.stderr.startswith("warning: recorded, but the read models could not catch up")
        assert "try again" not in result.stderr and "free" in result.stderr, result.stderr
        assert result.stdout.strip() in Cli(db).ok("export").stdout  # and they catch up later
        return
    assert result.returncode == 3, result.stderr
    error = one_error(result.stderr)
    assert "try again" not in error and "free" in error, error
    assert Cli(db).ok("export").stdout == before


def test_a_store_path_under_a_file_is_exit_3_naming_the_store(tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("x")
    error = Cli(str(plain / "t.db")).fails(3, *OFFER, "x")
    assert str(plain / "t.db") in error and "store" in error


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("command", [["export"], ["status"], ["timeline", "--json"], ["report", "--format", "md"]])
def test_an_output_with_no_room_is_exit_2_and_says_so(tmp_path, command):
    db = str(tmp_path / "t.db")
    Cli(db).ok(*OFFER, "Norway offers to mediate.")
    with open("/dev/full", "w") as full:
        result = tracker("--db", db, *command, stdout=full)
    assert result.returncode == 2, result.stderr
    error = one_error(result.stderr)
    assert "No space left" in error and "output" in error and "try again" not in error, error


def test_export_with_stdout_closed_is_a_usage_error_not_a_crash(tmp_path):
    db = str(tmp_path / "t.db")
    Cli(db).ok(*OFFER, "Norway offers to mediate.")
    result = subprocess.run([sys.executable, "-m", "tracker.cli", "--db", db, "export"],
                            preexec_fn=lambda: os.close(1), stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "stdout" in one_error(result.stderr)
