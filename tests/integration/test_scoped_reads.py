"""A read scoped by a track or a conflict reads only that scope, and says what the same read of
the whole store says about it (SPEC §6: diff, report, timeline, replay, status)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.report_case import many_tracks

AS_OF = "2026-12-31"


@pytest.fixture
def many(any_cli):
    lines = many_tracks(12)
    any_cli.json("import", "-", input="".join(json.dumps(line) + "\n" for line in lines))
    return any_cli


def conflicts_of(cli) -> dict[str, str]:
    return {s["track"]: s["conflict"] for s in cli.json("status")}


def test_diff_of_a_track_or_a_conflict_is_the_whole_diff_narrowed(many):
    whole = many.json("diff", "--from", "2025-03-01", "--to", AS_OF)
    assert len(whole) > 3
    tracks = conflicts_of(many)
    for change in whole:
        assert many.json("diff", "--from", "2025-03-01", "--to", AS_OF, "--track", change["track"]) == [change]
    for conflict in set(tracks.values()):
        narrowed = [c for c in whole if tracks[c["track"]] == conflict]
        assert many.json("diff", "--from", "2025-03-01", "--to", AS_OF, "--conflict", conflict) == narrowed
    first, second = whole[0]["track"], whole[-1]["track"]
    both = many.json("diff", "--from", "2025-03-01", "--to", AS_OF, "--track", second, "--track", first)
    assert both == [whole[0], whole[-1]]


def test_diff_of_a_track_outside_the_conflict_named_is_empty(many):
    tracks = conflicts_of(many)
    track, conflict = next(iter(tracks.items()))
    other = next(c for c in tracks.values() if c != conflict)
    assert many.json("diff", "--from", "2025-01-01", "--to", AS_OF, "--track", track,
                     "--conflict", other) == []


def test_diff_of_an_unknown_track_is_refused(many):
    error = many.fails(1, "diff", "--from", "2025-01-01", "--to", AS_OF, "--track", "NOPE:AAA-BBB")
    assert "unknown track" in error


def test_diff_as_known_at_an_instant_keeps_to_what_was_recorded(many):
    whole = many.json("diff", "--from", "2025-01-01", "--to", AS_OF, "--known-at", "2000-01-01")
    assert whole == []


def scoped_view(report: dict[str, Any], track: str, conflict: str) -> dict[str, Any]:
    """What a report of one track must show, cut out of a report of every track."""
    devs = [d for d in report["developments"]
            if d.get("track") == track or (not d.get("track") and d["lane"] == conflict)]
    lanes = [lane for lane in report["lanes"] if lane["key"] in (track, conflict)]
    return {"states": [s for s in report["states"] if s["track"] == track],
            "developments": devs, "lanes": lanes,
            "changes": [c for c in report["changes"] if c["track"] == track]}


def test_a_report_of_one_track_shows_what_the_whole_report_shows_of_it(many):
    whole = many.json("report", "--as-of", AS_OF, "--since", "2025-06-01")
    for track, conflict in conflicts_of(many).items():
        one = many.json("report", "--as-of", AS_OF, "--since", "2025-06-01", "--track", track)
        assert scoped_view(one, track, conflict) == scoped_view(whole, track, conflict), track


def test_a_report_of_a_conflict_shows_what_the_whole_report_shows_of_it(many):
    whole = many.json("report", "--as-of", AS_OF, "--since", "2025-06-01")
    for conflict in set(conflicts_of(many).values()):
        one = many.json("report", "--as-of", AS_OF, "--since", "2025-06-01", "--conflict", conflict)
        lanes = [lane for lane in whole["lanes"] if lane["conflict"] == conflict]
        assert one["lanes"] == lanes
        keys = {lane["key"] for lane in lanes}
        assert one["developments"] == [d for d in whole["developments"] if d["lane"] in keys]


def test_a_scoped_replay_and_status_as_of_a_date_agree_with_the_whole_store(many):
    whole = many.json("replay", "--until", "2025-09-30")
    states = {s["track"]: s for s in many.json("status", "--as-of", "2025-09-30", "--known-at", AS_OF)}
    for track in conflicts_of(many):
        one = many.json("replay", "--until", "2025-09-30", "--track", track)
        assert one["steps"] == [s for s in whole["steps"] if s["development"].get("track") == track]
        assert one["tracks"] == [s for s in whole["tracks"] if s["track"] == track]
        assert many.json("status", track, "--as-of", "2025-09-30", "--known-at", AS_OF) == \
            ([states[track]] if track in states else [])


def test_show_finds_an_id_by_its_prefix(many):
    dev = many.json("timeline")[5]
    assert many.json("show", dev["id"][:8])["current"]["id"] == dev["id"]
    many.fails(1, "show", "ffffffff")


def test_a_report_too_big_to_read_lists_every_status_and_draws_the_latest_tracks(many, monkeypatch, tmp_path):
    import tracker.report.data as data

    monkeypatch.setattr(data, "MAX_TRACKS", 4)
    report = many.ok("report", "--json", "--as-of", AS_OF, "--since", "2025-06-01")
    assert "more than one page can usefully show" in report.stderr and "--track T" in report.stderr
    whole = json.loads(report.stdout)
    assert len(whole["states"]) == len(conflicts_of(many)) > 4
    drawn = [lane["key"] for lane in whole["lanes"] if lane["kind"] == "track"]
    assert len(drawn) == 4
    latest = sorted(whole["states"], key=lambda s: (s["last_occurred"], s["track"]))[-4:]
    assert set(drawn) == {s["track"] for s in latest}
    assert {d["track"] for d in whole["developments"] if d.get("track")} <= set(drawn)
    assert whole["limited"] and "4 most recently active" in whole["scope"]
    for track in drawn:  # what is drawn is drawn as a report of that track alone would
        one = many.json("report", "--as-of", AS_OF, "--since", "2025-06-01", "--track", track)
        assert [lane for lane in whole["lanes"] if lane["key"] == track] == \
            [lane for lane in one["lanes"] if lane["key"] == track]
    brief = many.ok("report", "--format", "md", "--as-of", AS_OF).stdout
    assert all(s["track"] in brief for s in whole["states"])
    many.ok("report", "-o", str(tmp_path / "all.html"), "--as-of", AS_OF)


def test_a_report_with_too_many_developments_lists_the_latest(many, monkeypatch, tmp_path):
    import tracker.report.data as data

    monkeypatch.setattr(data, "MAX_DEVELOPMENTS", 10)
    whole = many.json("report", "--as-of", AS_OF, "--since", "2025-06-01")
    assert whole["limited"]
    assert 0 < len(whole["developments"]) <= 10
    listed = {d["id"] for d in whole["developments"]}
    assert all(set(c["developments"]) <= listed for c in whole["changes"])
    many.ok("report", "--format", "md", "--as-of", AS_OF, "--since", "2025-06-01")
    many.ok("report", "-o", str(tmp_path / "all.html"), "--as-of", AS_OF)


def test_a_report_within_the_limits_is_whole(many):
    whole = many.json("report", "--as-of", AS_OF)
    assert whole["limited"] is None
    assert len([lane for lane in whole["lanes"] if lane["kind"] == "track"]) == len(whole["states"])
