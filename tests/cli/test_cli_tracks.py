"""A track recorded out of order through the real CLI, queried now, in the past, replayed."""

from __future__ import annotations

import pytest

KEY = "NOR:RSF-SDN"


@pytest.fixture
def sudan(any_cli):
    cli = any_cli
    cli.ok("actors", "add", "RSF", "--name", "Rapid Support Forces", "--kind", "armed-group")
    # recorded out of order: the round first reported late, the response before the talks
    ids = {}
    ids["offer"] = cli.append("mediation-offered", "--mediators", "Norway", "--parties", "Sudan",
                              "--parties", "rapid support forces", "--occurred", "2025-05-01",
                              "--summary", "Norway offers to mediate.",
                              "--source", "https://example.org/oslo")["id"]
    ids["round2"] = cli.append("talks-held", "--track", KEY.lower(), "--venue", "Oslo",
                               "--occurred", "2025-06-10", "--summary", "Second round.")["id"]
    ids["response"] = cli.append("mediation-response", "--track", KEY, "--party", "SDN",
                                 "--response", "welcomed", "--occurred", "2025-05-03",
                                 "--summary", "Khartoum welcomes the offer.")["id"]
    ids["round1"] = cli.append("talks-held", "--track", KEY, "--venue", "Oslo",
                               "--occurred", "2025-05-20", "--summary", "First round, reported late.")["id"]
    ids["ceasefire"] = cli.append("agreement-reached", "--track", KEY, "--kind", "ceasefire",
                                  "--occurred", "2025-06-11", "--summary", "Ceasefire.")["id"]
    return cli, ids


def test_status_now_follows_occurred_order_not_recording_order(sudan):
    cli, ids = sudan
    [state] = cli.json("status")
    assert state["track"] == KEY
    assert state["conflict"] == "RSF-SDN"
    assert state["status"] == "agreement"
    assert state["rounds"] == 2
    assert state["responses"] == {"RSF": None, "SDN": "welcomed"}
    assert state["agreements"] == [{"id": ids["ceasefire"], "kind": "ceasefire", "occurred": {
        "start": "2025-06-11", "end": "2025-06-11", "precision": "day", "text": "2025-06-11"}}]
    assert (state["first_occurred"], state["last_occurred"]) == ("2025-05-01", "2025-06-11")
    assert state["developments"] == 5
    assert state["uncertain"] is False


@pytest.mark.parametrize(
    ("as_of", "status", "rounds", "count"),
    [("2025-05-02", "offered", 0, 1), ("2025-05-03", "welcomed", 0, 2),
     ("2025-05-31", "in-talks", 1, 3), ("2025-06-10", "in-talks", 2, 4)],
)
def test_status_as_of_past_dates(sudan, as_of, status, rounds, count):
    cli, _ = sudan
    [state] = cli.json("status", KEY, "--as-of", as_of)
    assert (state["status"], state["rounds"], state["developments"]) == (status, rounds, count)


def test_no_track_exists_before_its_earliest_development(sudan):
    cli, _ = sudan
    assert cli.json("status", "--as-of", "2025-04-30") == []


def test_replay_steps_in_occurred_order_with_the_status_after_each(sudan):
    cli, ids = sudan
    result = cli.json("replay", "--until", "2025-06-10")
    steps = [(s["development"]["id"], s["track_state"]["status"]) for s in result["steps"]]
    assert steps == [
        (ids["offer"], "offered"), (ids["response"], "welcomed"),
        (ids["round1"], "in-talks"), (ids["round2"], "in-talks"),
    ]
    assert result["tracks"][0]["rounds"] == 2


def test_timeline_filters_and_show(sudan):
    cli, ids = sudan
    devs = cli.json("timeline", "--track", KEY, "--since", "2025-05-02", "--until", "2025-06-10")
    assert [d["id"] for d in devs] == [ids["response"], ids["round1"], ids["round2"]]
    assert all(d["retracted"] is False and d["corrected"] is False for d in devs)
    assert [d["id"] for d in cli.json("timeline", "--actor", "Khartoum")][0] == ids["offer"]
    shown = cli.json("show", ids["offer"][:8])
    assert shown["development"]["sources"][0]["url"] == "https://example.org/oslo"
    assert shown["development"]["parties"] == ["RSF", "SDN"]
    assert shown["retraction"] is None and shown["corrections"] == []


def test_a_duplicate_append_is_a_no_op_and_a_reused_id_is_refused(sudan):
    cli, ids = sudan
    again = cli.append("talks-held", "--track", KEY, "--venue", "Oslo",
                       "--occurred", "2025-05-20", "--summary", "First round, reported late.")
    assert again["duplicate"] is True and again["id"] == ids["round1"]
    error = cli.fails(1, "append", "talks-held", "--id", ids["round1"], "--track", KEY,
                      "--occurred", "2025-05-21", "--summary", "Other content.")
    assert "different content" in error
    assert cli.json("status")[0]["developments"] == 5


def test_a_later_offer_joins_its_mediators_and_a_reused_key_for_another_conflict_is_refused(sudan):
    cli, _ = sudan
    cli.append("mediation-offered", "--track", KEY, "--mediators", "QAT", "--parties", "SDN,RSF",
               "--occurred", "2025-06-20", "--summary", "Qatar joins Norway.")
    assert cli.json("status")[0]["mediators"] == ["NOR", "QAT"]
    error = cli.fails(1, "append", "mediation-offered", "--track", KEY, "--mediators", "QAT",
                      "--parties", "SDN,TCD", "--occurred", "2025-06-21", "--summary", "x")
    assert "RSF-SDN" in error


def test_diff_between_two_dates(sudan):
    cli, ids = sudan
    [change] = cli.json("diff", "--from", "2025-05-10", "--to", "2025-06-10")
    assert change == {"track": KEY, "from_status": "welcomed", "to_status": "in-talks",
                      "developments": [ids["round1"], ids["round2"]]}


def test_a_track_key_with_its_parties_in_another_order_is_refused_with_the_stored_key(sudan):
    cli, _ = sudan
    error = cli.fails(1, "status", "NOR:SDN-RSF")
    assert "unknown track 'NOR:SDN-RSF'; did you mean NOR:RSF-SDN?" in error
    error = cli.fails(1, "diff", "--from", "2024-01-01", "--to", "2025-12-31", "--track", "nor:sdn-rsf")
    assert "did you mean NOR:RSF-SDN?" in error
