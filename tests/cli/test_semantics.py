"""Choices tracker makes where the contract is silent (docs/semantics.md), each held by a test."""

from __future__ import annotations

OFFER = ("append", "mediation-offered", "--mediators", "Iran", "--parties", "PAK,AFG",
         "--occurred", "2025-10-28", "--summary", "Iran offers to mediate.")
TRACK = "IRN:AFG-PAK"


def test_a_json_key_given_twice_keeps_its_last_value(any_cli):
    any_cli.ok(*OFFER)
    line = ('{"type": "mediation-response", "track": "IRN:AFG-PAK", "party": "PAK", '
            '"response": "rejected", "response": "welcomed", "occurred": "2025-11-01", '
            '"summary": "First.", "summary": "Last."}')
    any_cli.ok("import", "-", input=line + "\n")
    body = ('{"track": "IRN:AFG-PAK", "party": "AFG", "response": "rejected", '
            '"response": "noncommittal", "occurred": "2025-11-02", "summary": "A.", "summary": "B."}')
    any_cli.ok("append", "mediation-response", "--from-json", "-", input=body)
    responses = [(d["party"], d["response"], d["summary"]) for d in any_cli.json("timeline")
                 if d["type"] == "mediation-response"]
    assert responses == [("PAK", "welcomed", "Last."), ("AFG", "noncommittal", "B.")]


def test_the_same_correction_again_is_a_duplicate_and_one_confirming_the_value_is_recorded(sqlite_cli):
    sqlite_cli.ok(*OFFER)
    made = sqlite_cli.append("talks-held", "--track", TRACK, "--occurred", "2025-11-03",
                             "--summary", "Talks.")
    first = sqlite_cli.json("correct", made["id"], "--occurred", "2025-11-04", "--reason", "date")
    again = sqlite_cli.json("correct", made["id"], "--occurred", "2025-11-04", "--reason", "date")
    assert (first["duplicate"], again["duplicate"], again["id"]) == (False, True, first["id"])
    confirm = sqlite_cli.json("correct", made["id"], "--occurred", "2025-11-04", "--reason", "confirmed")
    assert confirm["duplicate"] is False
    assert len(sqlite_cli.json("show", made["id"])["corrections"]) == 2


def test_a_month_as_of_date_means_the_end_of_that_month(sqlite_cli):
    sqlite_cli.ok(*OFFER)
    assert [s["track"] for s in sqlite_cli.json("status", "--as-of", "2025-10")] == [TRACK]
    assert sqlite_cli.json("status", "--as-of", "2025-09") == []


def test_a_correction_cannot_move_a_development_to_another_conflict(sqlite_cli):
    sqlite_cli.ok(*OFFER)
    clash = sqlite_cli.append("incident-reported", "--parties", "PAK,AFG", "--kind", "clash",
                              "--occurred", "2025-11-02", "--summary", "A clash.")
    before = sqlite_cli.snapshot()
    error = sqlite_cli.fails(1, "correct", clash["id"], "--parties", "PAK,IND", "--reason", "r")
    assert "cannot change 'parties'" in error and "retract it and record it anew" in error
    assert sqlite_cli.snapshot() == before


def test_a_retracted_development_is_no_step_of_replay(sqlite_cli):
    sqlite_cli.ok(*OFFER)
    answer = sqlite_cli.append("mediation-response", "--track", TRACK, "--party", "PAK",
                               "--response", "welcomed", "--occurred", "2025-11-05", "--summary", "W.")
    sqlite_cli.ok("retract", answer["id"], "--reason", "a hoax")
    steps = sqlite_cli.json("replay", "--until", "2025-12-01")["steps"]
    assert [s["development"]["type"] for s in steps] == ["mediation-offered"]


def test_developments_of_one_day_fold_in_the_order_they_were_recorded(any_cli):
    any_cli.ok(*OFFER)
    any_cli.ok("append", "mediation-offered", "--mediators", "Russia", "--parties", "PAK,AFG",
               "--occurred", "2025-10-28", "--summary", "Russia offers to mediate.")
    for track, order in ((TRACK, ("talks-collapsed", "talks-held")),
                         ("RUS:AFG-PAK", ("talks-held", "talks-collapsed"))):
        for kind in order:
            any_cli.ok("append", kind, "--track", track, "--occurred", "2025-11-05",
                       "--summary", f"{kind} on {track}.")
    states = {s["track"]: s["status"] for s in any_cli.json("status")}
    assert states == {TRACK: "in-talks", "RUS:AFG-PAK": "collapsed"}
