"""Values that cannot be true are refused with exit 2 on every path (append, --from-json, import,
correct, actors add), the message naming the field in the user's words, the store unchanged."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import import_errors_both_ways
from tracker.cli.write import JsonLines

NEXT_YEAR = str(date.today().year + 1)
OFFER = {"type": "mediation-offered", "mediators": ["Norway"], "parties": ["SDN", "SSD"],
         "occurred": "2025-03-01", "summary": "Norway offers.", "recorded_at": "2025-03-02T08:00:00+00:00"}
HELD = {"type": "talks-held", "track": "NOR:SDN-SSD", "venue": "Oslo", "occurred": "2025-03-10",
        "summary": "Talks in Oslo."}
TRACK = ["--track", "NOR:SDN-SSD"]
CONTROLS = ["\x00", "\x01", "\x1b[2J", "\r", "\x7f", "\x85", "\u202e", "\u2066", "\u2028"]


def jsonl(*records: Any) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def cli(any_cli):
    any_cli.ok("import", "-", input=jsonl(OFFER))
    any_cli.before = any_cli.ok("export").stdout
    return any_cli


def unchanged(cli) -> None:
    assert cli.ok("export").stdout == cli.before


def refused(cli, *records: Any) -> str:
    """What `import` says of lines it refuses (exit 2): its lines of detail included."""
    cli.fails(2, "import", "-", input=jsonl(*records))
    return cli("import", "-", input=jsonl(*records)).stderr


def held(cli, *args: str) -> str:
    return cli.fails(2, "append", "talks-held", *TRACK, "--summary", "Talks.", *args)


# -- occurred after it was recorded --------------------------------------------------------
def test_a_source_published_after_the_development_was_recorded_is_refused(cli):
    late = {"url": "https://example.org/a", "published": "2999-01-01"}
    result = cli("import", "-", input=jsonl({**HELD, "sources": [late]}))
    assert result.exit_code == 2
    assert "sources: source 1 is published 2999-01-01, after the development was recorded" in result.stderr
    unchanged(cli)
    cli.ok("import", "-", input=jsonl({**HELD, "sources": [{**late, "published": "2025-06"}]}))


def test_a_development_dated_after_it_is_recorded_is_refused(cli):
    for when in (f"{NEXT_YEAR}-01-05", NEXT_YEAR, f"{NEXT_YEAR}-02..{NEXT_YEAR}-03"):
        error = held(cli, "--occurred", when)
        assert "occurred: " in error and "is after the development was recorded" in error
    unchanged(cli)
    cli.ok("append", "talks-held", *TRACK, "--summary", "Talks.", "--occurred", date.today().isoformat())


def test_talks_may_be_scheduled_for_the_future_but_not_announced_from_it(cli):
    error = cli.fails(2, "append", "talks-scheduled", *TRACK, "--scheduled-for", f"{NEXT_YEAR}-02",
                      "--occurred", f"{NEXT_YEAR}-01-01", "--summary", "Next round set.")
    assert "occurred: " in error and "is after the development was recorded" in error
    unchanged(cli)
    cli.ok("append", "talks-scheduled", *TRACK, "--scheduled-for", f"{NEXT_YEAR}-02",
           "--occurred", "2025-03-05", "--summary", "Next round set.")


def test_an_imported_line_cannot_have_occurred_after_its_own_recorded_at(cli):
    recorded = "2025-06-01T12:00:00+00:00"
    late = {**HELD, "occurred": "2026-01", "recorded_at": recorded}
    future = {**HELD, "occurred": f"{NEXT_YEAR}-01-01", "summary": "Stamped now."}
    result = cli("import", "-", input=jsonl(late, future))
    assert result.exit_code == 2
    assert "line 1: invalid talks-held: occurred: 2026-01 is after the development was recorded (2025-06-01)" in result.stderr
    assert "line 2: invalid talks-held: occurred: " in result.stderr
    unchanged(cli)
    # a calendar somewhere is already on the next day at noon UTC (UTC+14), not two days on
    assert "line 1: " in refused(cli, {**HELD, "occurred": "2025-06-03", "recorded_at": recorded})
    cli.ok("import", "-", input=jsonl({**HELD, "occurred": "2025-06-02", "recorded_at": recorded}))


def test_a_correction_cannot_move_a_development_after_it_was_recorded(cli):
    made = cli.append("talks-held", *TRACK, "--occurred", "2025-03-10", "--summary", "Talks.")
    cli.before = cli.ok("export").stdout
    error = cli.fails(2, "correct", made["id"], "--occurred", f"{NEXT_YEAR}-01", "--reason", "later")
    assert "invalid talks-held: occurred: " in error and "is after the development was recorded" in error
    unchanged(cli)


# -- control characters -------------------------------------------------------------------
@pytest.mark.parametrize("bad", CONTROLS)
def test_control_characters_are_refused_in_every_text_naming_the_field(cli, bad):
    text = f"Talks{bad}held."
    assert "summary: holds the control character U+" in held(cli, "--occurred", "2025-03-10", "--summary", text) \
        if bad != "\x00" else True  # argv cannot carry NUL from a shell; the other paths can
    assert ("holds a NUL character" if bad == "\x00" else "venue: holds the control character") in held(
        cli, "--occurred", "2025-03-10", "--venue", f"Os{bad}lo")  # a NUL is refused as an argument
    data = {**HELD, "sources": [{"url": "https://example.org/a", "quote": text, "outlet": "Reuters"}]}
    path = cli.db + ".json" if "://" not in cli.db else None
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(data, out)
        assert "sources.0.quote: holds the control character" in cli.fails(
            2, "append", "talks-held", "--from-json", path)
    stdin = json.dumps({k: v for k, v in data.items() if k != "type"})
    assert "sources.0.quote: holds the control character" in cli.fails(
        2, "append", "talks-held", "--from-json", "-", input=stdin)
    outlet = {**HELD, "sources": [{"outlet": f"Reu{bad}ters"}]}
    assert "sources.0.outlet: holds the control character" in refused(cli, outlet)
    assert "summary: holds the control character" in refused(cli, {**HELD, "summary": text})
    assert "track: holds the control character" in refused(cli, {**HELD, "track": f"NOR:SDN-SSD{bad}"})
    assert "name: holds the control character" in refused(
        cli, {"type": "actor-registered", "code": "RSF", "name": f"Rapid{bad}Support Forces"})
    assert "aliases.0: holds the control character" in refused(
        cli, {"type": "actor-registered", "code": "RSF", "name": "Rapid Support Forces", "aliases": [f"R{bad}SF"]})
    unchanged(cli)


@pytest.mark.parametrize("bad", ["\x1b[31m", "\x07", "\u202e"])
def test_control_characters_are_refused_in_corrections_and_actor_names(cli, bad):
    made = cli.append("talks-held", *TRACK, "--occurred", "2025-03-10", "--summary", "Talks.")
    cli.before = cli.ok("export").stdout
    assert "summary: holds the control character" in cli.fails(
        2, "correct", made["id"], "--summary", f"Talks{bad}.", "--reason", "typo")
    assert "reason: holds the control character" in cli.fails(
        2, "correct", made["id"], "--summary", "Talks!", "--reason", f"ty{bad}po")
    assert "name: holds the control character" in cli.fails(2, "actors", "add", "RSF", "--name", f"R{bad}SF")
    assert "aliases.0: holds the control character" in cli.fails(
        2, "actors", "add", "RSF", "--name", "Rapid Support Forces", "--alias", f"R{bad}SF")
    assert "holds the control character" in cli.fails(
        2, "append", "mediation-offered", "--mediators", f"Nor{bad}way", "--parties", "SDN,SSD",
        "--occurred", "2025-03-01", "--summary", "x")
    unchanged(cli)


def test_newlines_tabs_and_right_to_left_marks_are_text(cli):
    summary = "Talks held.\n\tBoth sides \u200fعقدت\u200f attended."
    made = cli.append("talks-held", *TRACK, "--occurred", "2025-03-10", "--summary", summary)
    assert cli.json("show", made["id"])["development"]["summary"] == summary


# -- numbers and lists --------------------------------------------------------------------
def test_an_absurd_number_of_fatalities_is_refused_as_a_rounds_number_is(cli):
    incident = ["append", "incident-reported", "--parties", "SDN,SSD", "--kind", "clash",
                "--occurred", "2025-03-03", "--summary", "Clashes."]
    error = cli.fails(2, *incident, "--fatalities", "100000000000000000000000000000")
    assert "fatalities: must be a count from 0 to 1,000,000, not a 30-digit number" in error
    assert "not 1,000,001" in cli.fails(2, *incident, "--fatalities", "1000001")
    line = {"type": "incident-reported", "parties": ["SDN", "SSD"], "kind": "clash",
            "occurred": "2025-03-03", "summary": "Clashes.", "fatalities": 10**29}
    assert "fatalities: must be a count" in refused(cli, line)
    assert "round: " in held(cli, "--occurred", "2025-03-10", "--round", "10001")
    unchanged(cli)
    assert cli.append(*incident[1:], "--fatalities", "1000000")["type"] == "incident-reported"


def test_lists_and_texts_have_a_maximum_size(cli):
    sources = [f"https://example.org/{i}" for i in range(101)]
    error = refused(cli, {**HELD, "sources": sources})
    assert "sources: at most 100 sources, not 101" in error
    many = [f"A{i:02d}" for i in range(51)]
    cli.ok("import", "-", input=jsonl(*({"type": "actor-registered", "code": c, "name": f"Group {c}"} for c in many)))
    cli.before = cli.ok("export").stdout
    offer = {**OFFER, "mediators": ["NOR"], "parties": many}
    assert "parties: at most 50 actors, not 51" in refused(cli, offer)
    assert "mediators: at most 50 actors, not 51" in cli.fails(
        2, "append", "mediation-offered", "--mediators", ",".join(many), "--parties", "SDN,SSD",
        "--occurred", "2025-03-01", "--summary", "x")
    aliases = {"type": "actor-registered", "code": "RSF", "name": "RSF group", "aliases": [f"n{i}" for i in range(51)]}
    assert "aliases: at most 50 aliases, not 51" in refused(cli, aliases)
    assert "summary: String should have at most 4000 characters" in held(cli, "--occurred", "2025-03-10",
                                                                         "--summary", "x" * 4001)
    unchanged(cli)
    assert cli.ok("import", "-", input=jsonl({**HELD, "sources": sources[:100]}))


# -- messages in the user's words ---------------------------------------------------------
def test_messages_speak_of_dates_and_types_not_of_classes(cli, tmp_path):
    path = tmp_path / "dev.json"
    for occurred in ({"x": 1}, 5, {"start": "2025-01-01"}):
        path.write_text(json.dumps({"track": "NOR:SDN-SSD", "kind": "ceasefire", "summary": "x", "occurred": occurred}))
        error = cli.fails(2, "append", "agreement-reached", "--from-json", str(path))
        assert error == ("Error: invalid agreement-reached: occurred: not a date; use YYYY-MM-DD, YYYY-MM, "
                         "YYYY, START..END or {start, end, precision}")
    path.write_text(json.dumps({"track": "NOR:SDN-SSD", "kind": "ceasefire", "summary": "x"}))
    assert "occurred: required for an agreement-reached" in cli.fails(
        2, "append", "agreement-reached", "--from-json", str(path))
    path.write_text(json.dumps({**HELD, "sources": [3, {"url": "https://example.org", "published": 3}]}))
    result = cli("append", "talks-held", "--from-json", str(path))
    assert result.exit_code == 2 and "sources.0: not a source" in result.stderr
    assert "sources.1.published: not a date" in result.stderr and "instance of" not in result.stderr
    many = {"type": "incident-reported", "parties": ["SDN", "SSD"], "kind": "clash", "occurred": "2025-03-03",
            "summary": "x", "fatalities": "many"}
    assert "fatalities: should be a whole number, or 'low' or 'high'" in refused(cli, many)
    path.write_text(json.dumps({"type": "agreement-reached"}))
    assert cli.fails(2, "append", "talks-held", "--from-json", str(path)) == (
        "Error: --from-json holds an agreement-reached, not a talks-held")
    made = cli.append("talks-held", *TRACK, "--occurred", "2025-03-10", "--summary", "Talks.")
    error = cli.fails(2, "correct", made["id"], "--occurred", "garbage", "--reason", "r")
    assert "invalid talks-held: occurred: 'garbage' is not a date" in error
    error = cli.fails(2, "append", "correction", "--target", made["id"], "--changes", '{"colour\\u001b": "red"}',
                      "--reason", "r")
    assert "invalid correction: changes.colour\\u001b: the field's name holds the control character U+001B" in error


def test_import_refuses_the_same_lines_with_the_same_words_whether_read_fast_or_decoded(tmp_path):
    """`import` validates a line's bytes directly and falls back to decoding it: the new
    refusals read the same either way."""
    bad = [
        {**HELD, "summary": "a\x1b[31mred"},
        {**HELD, "occurred": "2025-07-01", "recorded_at": "2025-06-01T00:00:00+00:00"},
        {**HELD, "sources": [f"https://example.org/{i}" for i in range(101)]},
        {"type": "incident-reported", "parties": ["SDN", "SSD"], "kind": "clash", "occurred": "2025-03-03",
         "summary": "x", "fatalities": 10**29},
        {**HELD, "occurred": {"x": 1}},
        {"type": "incident-reported", "parties": ["Kenyaa", "SSD"], "kind": "clash", "occurred": "2025-03-03",
         "summary": "x"},
        {"type": "incident-reported", "parties": ["Congo", "SSD"], "kind": "clash", "occurred": "2025-03-03",
         "summary": "x"},
        {"type": "incident-reported", "parties": ["Zaire", "SSD"], "kind": "clash", "occurred": "2025-03-03",
         "summary": "x"},
    ]
    raw_text = [json.dumps({**HELD, "summary": f"Talks{c}held."}, ensure_ascii=False) + "\n"
                for c in ("\x85", "\u202e", "\u2066", "\x7f")]  # as written, not \u-escaped
    path = tmp_path / "lines.jsonl"
    path.write_text(jsonl(OFFER, *bad) + "".join(raw_text), encoding="utf-8")
    bad += raw_text
    assert all(isinstance(data, bytes) for _, data in JsonLines(str(path))())  # the fast way is taken
    outcomes = import_errors_both_ways(path, tmp_path)
    assert outcomes[0] == outcomes[1]
    assert [n for n, _, _ in outcomes[0]] == list(range(2, 2 + len(bad)))
    assert all(kind == "InvalidInput" for _, kind, _ in outcomes[0])


@pytest.mark.parametrize("command", [["status"], ["timeline", "--track"], ["replay", "--until", "2025-12-31", "--track"],
                                     ["report", "-o", "-", "--format", "md", "--track"]])
def test_a_track_asked_for_with_a_control_character_is_malformed_on_every_store(cli, command):
    assert "holds a NUL character" in cli.fails(2, *command, "NOR:SDN\x00-SSD")  # refused as an argument
    assert "is not a track key" in cli.fails(2, *command, "NOR:SDN-SSD\x1b[2J")


@pytest.mark.parametrize("url", ["http://[::1", "http://]/", "http://x:99999/", "https://"])
def test_a_source_url_that_does_not_parse_is_malformed_and_reports_stay_answerable(cli, url):
    error = cli.fails(2, "append", "talks-held", "--track", "NOR:SDN-SSD", "--occurred", "2025-03-10",
                      "--summary", "Talks.", "--source", url)
    assert "is not an http(s) URL" in error
    unchanged(cli)
    cli.ok("report", "--format", "md")


def test_a_source_url_scheme_is_case_insensitive(cli):
    made = cli.append("talks-held", "--track", "NOR:SDN-SSD", "--occurred", "2025-03-10",
                      "--summary", "Talks.", "--source", "HTTPS://EXAMPLE.ORG/report")
    assert made["id"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.binary(max_size=80),
    st.text(max_size=40).map(lambda t: json.dumps({"summary": t}).encode()),
    st.text(max_size=40).map(lambda t: json.dumps({"summary": t}, ensure_ascii=False).encode()),
))
def test_the_quick_control_check_of_a_raw_line_answers_as_the_regular_expression(raw):
    from events.values import may_hold_control, raw_control_search

    assert may_hold_control(raw) == raw_control_search(raw)
