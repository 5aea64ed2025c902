"""Bad input of every kind: one `Error:` line, the exit code of SPEC §6, nothing stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

KEY = "IRN:AFG-PAK"


def snapshot(cli):
    return cli.snapshot()


BAD = [
    (2, ["append", "talks-held", "--track", KEY, "--occurred", "2025-13-01", "--summary", "x"], "occurred"),
    (2, ["append", "talks-held", "--track", KEY, "--occurred", "2025-11-01"], "summary"),
    (2, ["append", "mediation-response", "--track", KEY, "--party", "Narnia", "--response",
         "welcomed", "--occurred", "2025-11-16", "--summary", "x"], "unknown actor 'Narnia'"),
    (2, ["append", "mediation-response", "--track", KEY, "--party", "PAK", "--response",
         "maybe", "--occurred", "2025-11-16", "--summary", "x"], "response"),
    (2, ["append", "talks-held", "--track", KEY, "--occurred", "2025-11-01", "--summary", "x",
         "--source", "not a url"], "sources"),
    (1, ["append", "talks-held", "--track", "has space!", "--occurred", "2025-11-01", "--summary", "x"],
     "unknown track"),
    (2, ["append", "mediation-offered", "--track", "has space", "--mediators", "QAT", "--parties", "PAK,IND",
         "--occurred", "2025-11-01", "--summary", "x"], "track"),
    (2, ["actors", "add", "x-1", "--name", "Lower"], "not an actor code"),
    (2, ["show", "zzzzzzzzzz"], "not a development id"),
    (2, ["append", "no-such-type"], "No such command"),
    (2, ["append", "talks-held", "--bogus", "1"], "No such option"),
    (2, ["status", "--as-of", "tomorrow"], "--as-of"),
    (2, ["status", "--known-at", "2025-99-99"], "--known-at"),
    (2, ["timeline", "--actor", "Atlantis"], "unknown actor"),
    (1, ["append", "mediation-response", "--track", KEY, "--party", "IND", "--response",
         "welcomed", "--occurred", "2025-11-16", "--summary", "x"], "not a party"),
    (1, ["append", "talks-held", "--track", "IRN:IND-PAK", "--occurred", "2025-11-01", "--summary", "x"],
     "unknown track"),
    (1, ["append", "mediator-left", "--track", KEY, "--mediator", "RUS", "--occurred", "2025-11-01",
         "--summary", "x"], "not a mediator"),
    (1, ["append", "mediation-offered", "--track", KEY, "--mediators", "IRN", "--parties", "PAK,IND",
         "--occurred", "2025-11-01", "--summary", "x"], "AFG-PAK"),
    (1, ["status", "NOPE:AFG-PAK"], "unknown track"),
    (1, ["show", "00000000-0000-0000-0000-000000000000"], "no development"),
    (1, ["actors", "add", "PAK", "--name", "Pakistan Army"], "ISO 3166"),
]


@pytest.mark.parametrize(("code", "args", "needle"), BAD, ids=[" ".join(a[:2]) + f"-{i}" for i, (_, a, _) in enumerate(BAD)])
def test_bad_input_is_one_error_line_and_changes_nothing(iran, code, args, needle):
    before = snapshot(iran)
    error = iran.fails(code, *args)
    assert needle.lower() in error.lower() or needle.lower() in iran(*args).stderr.lower()
    assert snapshot(iran) == before


def test_append_refuses_a_recorded_at(iran, tmp_path):
    path = tmp_path / "dev.json"
    path.write_text('{"track": "IRN:AFG-PAK", "occurred": "2025-11-01", "summary": "x", '
                    '"recorded_at": "2025-11-01T00:00:00Z"}')
    assert "recorded_at" in iran.fails(2, "append", "talks-held", "--from-json", str(path))


def test_append_from_json_on_stdin(iran):
    out = iran.json("append", "talks-held", "--from-json", "-",
                    input='{"track": "irn:afg-pak", "occurred": "2025-11-20", "summary": "Talks in Tehran.",'
                          ' "sources": [{"url": "https://example.org/t", "reliability": "B", "credibility": 2}]}')
    assert out["track"] == KEY and out["duplicate"] is False
    assert "not valid JSON" in iran.fails(2, "append", "talks-held", "--from-json", "-", input="{oops")


def test_a_read_on_a_missing_store_is_exit_3_and_creates_nothing(tmp_path):
    from tests.conftest import Cli

    path = tmp_path / "missing.db"
    cli = Cli(str(path))
    for args in (["status"], ["timeline"], ["export"], ["replay", "--until", "2025-01-01"], ["actors"]):
        assert "tracker demo" in cli.fails(3, *args)
    assert not path.exists()


def test_a_file_that_is_not_a_store_is_exit_3(tmp_path):
    from tests.conftest import Cli

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 10)
    assert "not a tracker store" in Cli(str(junk)).fails(3, "status")
    assert "not a tracker store" in Cli(str(junk)).fails(3, "append", "talks-held", "--track", "X",
                                                          "--occurred", "2025", "--summary", "x")
    assert junk.read_bytes().startswith(b"this is not")


def test_a_new_sqlite_store_is_readable_by_its_owner_only(sqlite_cli):
    sqlite_cli.ok("actors", "add", "UN", "--name", "United Nations")
    assert os.stat(sqlite_cli.db).st_mode & 0o077 == 0


def test_schema_and_help_need_no_store(tmp_path):
    from tests.conftest import Cli

    cli = Cli(str(tmp_path / "none.db"))
    schema = cli.ok("schema", "talks-held").stdout
    assert '"track"' in schema and '"x-cameo"' in schema
    assert cli.ok("--help").stdout.startswith("Usage")
    assert cli.fails(2, "schema", "nope")
    assert not (tmp_path / "none.db").exists()


def test_output_problems_are_usage_errors_and_a_closed_pipe_is_quiet(iran, tmp_path):
    assert "check the path" in iran.fails(2, "export", "-o", str(tmp_path / "missing" / "x.jsonl"))
    assert "check the path" in iran.fails(2, "report", "--format", "md", "-o", str(tmp_path / "no" / "b.md"))
    # the reader is gone before the first line is written (`tracker export | head -0`)
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "--db", iran.db, "export"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
    proc.stderr.close()


def test_import_explains_a_json_array_and_reads_a_byte_order_mark(iran, tmp_path):
    exported = iran.ok("export", "--json").stdout
    assert exported.startswith("[")
    path = tmp_path / "array.json"
    path.write_text(exported)
    assert "JSON array" in iran.fails(2, "import", str(path))
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + iran.ok("export").stdout.encode())
    assert iran.json("import", str(bom))["duplicates"] == 1


def test_append_help_lists_choices_and_describes_fields(iran):
    text = iran.ok("append", "agreement-reached", "--help").stdout
    assert "Record an agreement-reached" in text
    assert "[ceasefire|ceasefire-extension|declaration|framework|final]" in text
    assert "The track key" in text


def test_an_unexpected_exception_is_the_crash_code_never_a_refusal():
    from tracker.cli import INTERNAL_ERROR, translate

    code, message, _ = translate(KeyError("ZR"))
    assert code == INTERNAL_ERROR and code not in (0, 1, 2, 3)
    assert message.startswith("internal error (KeyError") and "TRACKER_DEBUG=1" in message


def test_the_real_cli_exits_with_the_crash_code_on_an_unexpected_exception(tmp_path):
    # A command that raises what no handler expects, through the real group.
    from click.testing import CliRunner

    from tracker.cli import INTERNAL_ERROR, cli

    @cli.command("boom", hidden=True)
    def boom() -> None:
        raise ZeroDivisionError("division by zero")

    try:
        result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "boom"])
    finally:
        cli.commands.pop("boom")
    assert result.exit_code == INTERNAL_ERROR
    assert result.stderr.strip() == (
        "Error: internal error (ZeroDivisionError: division by zero); "
        "rerun with TRACKER_DEBUG=1 and report it"
    )
    assert not (tmp_path / "t.db").exists()


def test_a_type_that_is_not_a_string_is_malformed_not_a_crash(sqlite_cli):
    sqlite_cli.ok("append", "mediation-offered", "--mediators", "TUR", "--parties", "RUS,UKR",
                  "--occurred", "2025-05-01", "--summary", "Offer.")
    line = json.dumps({"type": [], "track": "TUR:RUS-UKR", "occurred": "2025-05-16", "summary": "T"})
    result = sqlite_cli("import", "-", input=line + "\n")
    assert result.exit_code == 2 and "line 1: unknown type []" in result.stderr


def test_an_actor_name_with_a_lone_surrogate_is_malformed_not_a_crash(sqlite_cli):
    sqlite_cli.ok("append", "mediation-offered", "--mediators", "TUR", "--parties", "RUS,UKR",
                  "--occurred", "2025-05-01", "--summary", "Offer.")
    assert "not valid UTF-8" in sqlite_cli.fails(2, "status", "\ud800")
    assert "not valid UTF-8" in sqlite_cli.fails(2, "timeline", "--actor", "\ud800")


def test_append_without_a_type_is_one_error_naming_the_types(sqlite_cli):
    error = sqlite_cli.fails(2, "append")
    assert "give a development type" in error and "talks-held" in error


def test_empty_or_contradictory_filters_are_malformed_not_everything(iran):
    before = iran.snapshot()
    assert "--actor" in iran.fails(2, "timeline", "--actor", "")
    assert "not a track key" in iran.fails(2, "timeline", "--track", "")
    assert "--since" in iran.fails(2, "timeline", "--since", "2025-09-01", "--until", "2025-08-01")
    assert "two different parties" in iran.fails(2, "status", "--conflict", "THA-THA")
    assert iran.snapshot() == before


def test_no_tracks_known_at_an_instant_says_that_instant(iran):
    result = iran.ok("status", "--known-at", "2020-01-01")
    assert "as known at 2020-01-01" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("args", [
    ["append", "mediation-response", "--response", "acepted"],
    ["import", "-", "--batch", "0"],
    ["nosuch"],
    ["--bogus", "status"],
    ["replay", "--conflict", "AFG-PAK"],
])
def test_a_usage_error_is_one_error_line_that_says_where_the_help_is(sqlite_cli, args):
    result = sqlite_cli(*args, input="")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "--help" in lines[0]


def test_tracker_alone_shows_its_help_and_a_missing_command_is_one_line():
    from click.testing import CliRunner

    from tracker.cli import cli

    alone = CliRunner().invoke(cli, [], prog_name="tracker")
    assert "Usage: tracker" in alone.output and "Error" not in alone.output
    missing = CliRunner().invoke(cli, ["--db", "x.db"], prog_name="tracker")
    assert missing.exit_code == 2
    assert missing.stderr.strip() == "Error: Missing command; see `tracker --help`"


def test_an_article_published_in_the_future_is_refused_before_it_is_read(sqlite_cli, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Qatar offered on Monday to mediate between Pakistan and Afghanistan.\n")
    error = sqlite_cli.fails(2, "draft", str(article), "--published", "2999-01-01")
    assert "--published: 2999-01-01 is in the future" in error
