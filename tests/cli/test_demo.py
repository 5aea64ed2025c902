"""The seed case, checked against the article (shared/seed/article.txt)."""

from __future__ import annotations


def test_demo_records_the_article_and_is_idempotent(any_cli):
    first = any_cli("demo", "--json")
    assert first.exit_code == 0
    states = {s["track"]: s for s in __import__("json").loads(first.stdout)}
    assert any_cli("demo").exit_code == 0
    assert "0 developments" in any_cli("demo").stderr

    qt = states["QAT+TUR:AFG-PAK"]
    assert qt["status"] == "collapsed" and qt["mediators"] == ["QAT", "TUR"]
    assert qt["rounds"] == 3
    assert [a["kind"] for a in qt["agreements"]] == ["ceasefire", "ceasefire-extension"]

    iran = states["IRN:AFG-PAK"]
    assert (iran["status"], iran["responses"]["PAK"], iran["first_occurred"]) == ("welcomed", "welcomed", "2025-10-28")

    assert states["RUS:AFG-PAK"]["parties"] == ["AFG", "PAK"]
    assert states["RUS:IND-PAK"]["status"] == "offered"

    incidents = any_cli.json("timeline", "--conflict", "Pakistan-Afghanistan", "--until", "2025-10-31")
    clash = [d for d in incidents if d["type"] == "incident-reported" and d["kind"] == "clash"]
    assert clash and clash[0]["occurred"]["precision"] == "interval"
    denial = [d for d in any_cli.json("timeline", "--actor", "AFG") if d.get("stance") == "denies"]
    assert denial and denial[0]["actor"] == "AFG"


def test_demo_as_of_the_istanbul_collapse(any_cli):
    any_cli.ok("demo")
    states = {s["track"]: s["status"] for s in any_cli.json("status", "--as-of", "2025-11-07")}
    assert states == {"QAT+TUR:AFG-PAK": "collapsed", "IRN:AFG-PAK": "offered", "USA:AFG-PAK": "offered"}
    before = {s["track"]: s["status"] for s in any_cli.json("status", "--as-of", "2025-10-20")}
    assert before["QAT+TUR:AFG-PAK"] == "talks-scheduled"  # Istanbul set on the ceasefire day


def test_the_demo_file_is_in_the_import_format_and_records_the_same_case(sqlite_cli, tmp_path):
    """The seed case ships as package data that `tracker import` reads as it is."""
    from importlib.resources import files

    from tests.conftest import Cli

    shipped = files("tracker") / "data" / "demo.jsonl"
    copy = Cli(str(tmp_path / "imported.db"))
    copy.ok("import", "-", input=shipped.read_text(encoding="utf-8"))
    sqlite_cli.ok("demo")
    ids = [line.split('"recorded_at"')[0] for line in sqlite_cli.ok("export").stdout.splitlines()]
    assert [line.split('"recorded_at"')[0] for line in copy.ok("export").stdout.splitlines()] == ids
    assert copy.json("status") == sqlite_cli.json("status")
