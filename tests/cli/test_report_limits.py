"""A report too big for one page says exactly what it shows and what it leaves out, with true
counts, and never cuts the history of a track it draws."""

from __future__ import annotations

import json
import re

import pytest

import tracker.report.data as data
from tests.conftest import Cli
from tests.report_case import as_jsonl, many_tracks

AS_OF = "2026-06-30"


@pytest.fixture
def many(sqlite_cli: Cli) -> Cli:
    sqlite_cli.ok("import", "-", input=as_jsonl(many_tracks(12)))
    return sqlite_cli


def counts(cli: Cli) -> tuple[list[dict], list[dict]]:
    """(track developments, conflict-level developments) in the store by the as-of date, as
    the status table counts them: retracted ones aside."""
    devs = [d for d in cli.json("timeline", "--until", AS_OF) if not d["retracted"]]
    return [d for d in devs if d.get("track")], [d for d in devs if not d.get("track")]


def number(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found, (pattern, text)
    return int(found.group(1).replace(",", ""))


def test_a_track_drawn_in_a_limited_report_keeps_its_whole_history(many, monkeypatch):
    own, _ = counts(many)
    monkeypatch.setattr(data, "MAX_TRACKS", 4)
    monkeypatch.setattr(data, "MAX_DEVELOPMENTS", 10_000)
    drawn_before = many.json("report", "--as-of", AS_OF)
    shown = {lane["key"] for lane in drawn_before["lanes"] if lane["kind"] == "track"}
    # room for the drawn tracks' developments but not for all their conflicts' incidents
    mine = [d for d in own if d["track"] in shown]
    monkeypatch.setattr(data, "MAX_DEVELOPMENTS", len(mine) + 2)
    whole = many.json("report", "--as-of", AS_OF)
    listed = {d["id"] for d in whole["developments"]}
    assert {d["id"] for d in mine} <= listed
    assert "the latest 2 of the" in whole["limited"] and "incidents and statements" in whole["limited"]
    assert any(d["type"] == "mediation-offered" for d in whole["developments"])
    assert len(listed) <= len(mine) + 2


def test_the_note_of_a_limited_report_counts_what_is_shown_and_what_is_not(many, monkeypatch):
    own, _ = counts(many)
    monkeypatch.setattr(data, "MAX_TRACKS", 4)
    result = many.ok("report", "--json", "--as-of", AS_OF)
    whole = json.loads(result.stdout)
    note = whole["limited"]
    assert f"note: {note}" in result.stderr
    shown_tracks = {lane["key"] for lane in whole["lanes"] if lane["kind"] == "track"}
    shown_own = [d for d in whole["developments"] if d.get("track") and not d["retracted"]]
    shown_context = [d for d in whole["developments"] if not d.get("track") and not d["retracted"]]
    assert number(note, r"([\d,]+) tracks") == len(whole["states"])
    assert number(note, r"([\d,]+) developments of their own") == len(own)
    assert number(note, r"([\d,]+) most recently active tracks") == len(shown_tracks) == 4
    assert number(note, r"all ([\d,]+) of their developments") == len(shown_own)
    assert number(note, r"([\d,]+) incidents and statements of their") == len(shown_context)
    assert number(note, r"not shown: the ([\d,]+) developments of the other") == len(own) - len(shown_own)
    assert number(note, r"of the other ([\d,]+) tracks") == len(whole["states"]) - 4
