"""Inputs a hostile user tried on the seed case, each once a crash: every one is answered, or
refused with one `Error:` line and the exit code of SPEC §6, and the store is unchanged."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from tests.conftest import Cli, _pg_database


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request, tmp_path_factory):
    """The seed case on each backend, shared by the tests of this module (none may change it)."""
    if request.param == "sqlite":
        cli = Cli(str(tmp_path_factory.mktemp("hostile-cli") / "demo.db"))
        cli.ok("demo")
        yield cli
    else:
        for url in _pg_database():
            cli = Cli(url)
            cli.ok("demo")
            yield cli


def snapshot(cli: Cli) -> tuple[str, str]:
    return cli.snapshot()


def answered_or_refused(cli: Cli, *args: str, codes=(0, 2)) -> str:
    """Run a command that must succeed or be refused with one Error line; its stderr."""
    before = snapshot(cli)
    result = cli(*args)
    assert result.exit_code in codes, (args, result.exit_code, result.stderr)
    if result.exit_code:
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, (args, result.stderr)
    assert snapshot(cli) == before
    return result.stderr


EDGES = ["0001-01-01", "0001-01-03", "9999-12-31"]
INSTANTS = ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", EDGES)
def test_report_dates_at_the_ends_of_the_calendar_are_answered(demo, day):
    for args in (["report", "--as-of", day], ["report", "--since", day],
                 ["report", "--format", "md", "--as-of", day], ["report", "--format", "md", "--since", day],
                 ["report", "--json", "--since", day]):
        answered_or_refused(demo, *args)


@pytest.mark.parametrize("instant", INSTANTS)
def test_known_at_at_the_ends_of_the_calendar_is_answered_or_refused(demo, instant):
    some_id = demo.json("timeline")[0]["id"]
    for args in (["status"], ["timeline"], ["replay", "--until", "2025-12-01"], ["export"],
                 ["diff", "--from", "2025-10-01", "--to", "2025-12-01"], ["report"], ["show", some_id]):
        stderr = answered_or_refused(demo, *args, "--known-at", instant, codes=(0, 1, 2))
        assert "internal" not in stderr


@pytest.mark.parametrize("command", [["report"], ["report", "--format", "md"], ["export"]])
@pytest.mark.parametrize("path", ["", "a\x00b"], ids=["empty", "nul"])
def test_an_output_path_that_cannot_name_a_file_is_malformed(demo, command, path):
    error = demo.fails(2, *command, "-o", path)
    assert "-o" in error or "NUL" in error


def test_a_report_into_a_fifo_is_written_into_it_and_leaves_it_a_fifo(demo, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", f"import sys; sys.stdout.write(open({str(fifo)!r}).read())"],
                              stdout=subprocess.PIPE, text=True)
    try:
        result = demo("report", "--format", "md", "-o", str(fifo))
        assert result.exit_code == 0, result.stderr
        out, _ = reader.communicate(timeout=20)
    finally:
        reader.kill()
        reader.wait()
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert out.startswith("#")


def test_an_output_that_refuses_writes_is_named(demo, tmp_path):
    for command in (["export"], ["report"], ["report", "--format", "md"]):
        error = demo.fails(2, *command, "-o", "/proc/self/status")
        assert "/proc/self/status" in error or "/proc/" in error, error


@pytest.mark.parametrize("name", ["Zaire", "East Germany", "Netherlands Antilles", ":AN"])
def test_a_historical_country_name_as_a_timeline_actor_is_malformed(demo, name):
    demo.fails(2, "timeline", "--actor", name)


@pytest.mark.parametrize("args", [["status", "\x00"], ["timeline", "--track", "A\x00"],
                                  ["replay", "--until", "2025-12-01", "--track", "\x00"],
                                  ["report", "--track", "\x00"], ["show", "\x00"]])
def test_an_argument_holding_a_nul_is_malformed_on_both_backends(demo, args):
    assert "NUL" in demo.fails(2, *args)


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_an_import_line_recorded_outside_the_calendar_in_utc_is_malformed(demo, moment):
    line = ('{"type": "talks-held", "track": "QAT+TUR:AFG-PAK", "occurred": "2025-11-01", '
            f'"summary": "x", "recorded_at": "{moment}"}}\n')
    demo.fails(2, "import", "-", input=line)


def test_export_to_dash_is_stdout_not_a_file_named_dash(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert demo.ok("export", "-o", "-").stdout == demo.ok("export").stdout
    assert not (tmp_path / "-").exists()


def test_a_track_named_twice_is_reported_once(demo):
    brief = demo.ok("report", "--format", "md", "--track", "QAT+TUR:AFG-PAK", "--track", "QAT+TUR:AFG-PAK").stdout
    assert brief.splitlines()[0].count("QAT+TUR:AFG-PAK") == 1
