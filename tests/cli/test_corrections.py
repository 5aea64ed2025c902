"""Valid time and recorded time through the CLI (SPEC §3–6): corrections, retractions,
--known-at, show, export of a slice, and what the fold does with late and early news."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli

KEY = "KEN:SDN-SSD"


@pytest.fixture
def kenya(any_cli):
    cli = any_cli
    cli.append("mediation-offered", "--mediators", "Kenya", "--parties", "Sudan,South Sudan",
               "--occurred", "2025-01-01", "--summary", "Kenya offers to mediate.")
    return cli


def test_a_corrected_date_moves_the_development_in_the_fold(kenya):
    collapse = kenya.append("talks-collapsed", "--track", KEY, "--occurred", "2025-06-01",
                            "--summary", "Talks collapse.", "--reason", "walk-out")
    kenya.append("talks-held", "--track", KEY, "--occurred", "2025-03-01", "--summary", "Round.")
    assert kenya.json("status", "--as-of", "2025-04-01")[0]["status"] == "in-talks"
    before = kenya.append("talks-held", "--track", KEY, "--occurred", "2025-03-02", "--summary", "Another.")
    kenya.json("correct", collapse["id"][:8], "--occurred", "2025-03-15", "--reason", "date misread")
    assert kenya.json("status", "--as-of", "2025-04-01")[0]["status"] == "collapsed"
    # recorded time: before the correction we knew the collapse as of June
    assert kenya.json("status", "--as-of", "2025-04-01", "--known-at", before["recorded_at"])[0]["status"] == "in-talks"
    shown = kenya.json("show", collapse["id"])
    assert shown["development"]["occurred"]["start"] == "2025-06-01"
    assert shown["current"]["occurred"]["start"] == "2025-03-15"
    assert shown["current"]["reason"] == "walk-out"  # the development's own reason is untouched
    assert shown["corrections"][0]["reason"] == "date misread"
    assert shown["development"]["corrected"] is True and shown["current"]["corrected"] is True


def test_a_correction_can_change_the_developments_own_reason(kenya):
    collapse = kenya.append("talks-collapsed", "--track", KEY, "--occurred", "2025-06-01",
                            "--summary", "Talks collapse.", "--reason", "walk-out")
    kenya.json("correct", collapse["id"], "--new-reason", "no guarantees", "--reason", "FO briefing")
    assert kenya.json("show", collapse["id"])["current"]["reason"] == "no guarantees"


def test_a_later_correction_of_the_same_field_wins(kenya):
    held = kenya.append("talks-held", "--track", KEY, "--occurred", "2025-03-01", "--summary", "Round.")
    kenya.json("correct", held["id"], "--venue", "Nairobi", "--reason", "first")
    kenya.json("correct", held["id"], "--venue", "Juba", "--reason", "second")
    assert kenya.json("show", held["id"])["current"]["venue"] == "Juba"


def test_corrections_that_break_a_rule_or_are_malformed_are_refused(kenya):
    kenya.append("mediator-joined", "--track", KEY, "--mediator", "UGA", "--occurred", "2025-02-01", "--summary", "j")
    left = kenya.append("mediator-left", "--track", KEY, "--mediator", "UGA", "--occurred", "2025-05-01", "--summary", "l")
    before = kenya.ok("export").stdout
    assert "not a mediator" in kenya.fails(1, "correct", left["id"], "--occurred", "2025-01-15", "--reason", "r")
    assert "occurred" in kenya.fails(2, "correct", left["id"], "--occurred", "2025-02-30", "--reason", "r")
    assert "cannot change 'track'" in kenya.fails(1, "correct", left["id"], "--track", "X", "--reason", "r")
    assert "no development" in kenya.fails(1, "retract", "00000000-0000-0000-0000-000000000000", "--reason", "r")
    assert kenya.ok("export").stdout == before


def test_a_retraction_recorded_later_applies_to_earlier_as_of_dates(kenya):
    held = kenya.append("talks-held", "--track", KEY, "--occurred", "2025-03-01", "--summary", "Round.")
    kenya.json("retract", held["id"], "--reason", "duplicate report")
    [state] = kenya.json("status", "--as-of", "2025-03-31")
    assert state["status"] == "offered" and state["rounds"] == 0 and state["developments"] == 1
    [dev] = [d for d in kenya.json("timeline") if d["id"] == held["id"]]
    assert dev["retracted"] is True
    assert "already retracted" in kenya.fails(1, "retract", held["id"], "--reason", "again")


def test_retracting_the_opening_offer_while_others_count_is_refused(kenya):
    [offer] = kenya.json("timeline")
    kenya.append("talks-held", "--track", KEY, "--occurred", "2025-03-01", "--summary", "Round.")
    assert "without its opening offer" in kenya.fails(1, "retract", offer["id"], "--reason", "r")


def test_export_of_a_slice_uses_corrected_dates_and_reimports_the_same_states(kenya, tmp_path):
    late = kenya.append("talks-collapsed", "--track", KEY, "--occurred", "2025-06-01", "--summary", "c")
    kenya.json("correct", late["id"], "--occurred", "2025-02-10", "--reason", "earlier")
    lines = kenya.ok("export", "--as-of", "2025-03-01").stdout
    assert late["id"] in lines
    copy = Cli(str(tmp_path / "slice.db"))
    copy.ok("import", "-", input=lines)
    assert copy.json("status", "--as-of", "2025-03-01") == kenya.json("status", "--as-of", "2025-03-01")
    assert all("retracted" not in json.loads(line) for line in lines.splitlines())


def test_status_is_null_until_the_opening_offer_and_rounds_are_numbered(any_cli):
    cli = any_cli
    cli.append("mediation-offered", "--mediators", "UGA", "--parties", "SDN,SSD", "--occurred", "2025-05-01", "--summary", "o")
    cli.append("mediation-response", "--track", "UGA:SDN-SSD", "--party", "SSD", "--response", "welcomed",
               "--occurred", "2025-04-01", "--summary", "early")
    [early] = cli.json("status", "--as-of", "2025-04-15")
    assert early["status"] is None and early["responses"]["SSD"] == "welcomed"
    assert cli.json("status", "--as-of", "2025-05-01")[0]["status"] == "welcomed"
    cli.append("talks-held", "--track", "UGA:SDN-SSD", "--occurred", "2025-06-10", "--summary", "second")
    cli.append("talks-held", "--track", "UGA:SDN-SSD", "--occurred", "2025-06-01", "--summary", "first, late")
    rounds = [(d["summary"], d["round"]) for d in cli.json("timeline") if d["type"] == "talks-held"]
    assert rounds == [("first, late", 1), ("second", 2)]


def test_known_at_takes_basic_and_extended_dates_as_the_end_of_the_day(kenya):
    assert kenya.json("status", "--known-at", "20991231") == kenya.json("status")
    assert kenya.json("status", "--known-at", "2000-01-01") == []
