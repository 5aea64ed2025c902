"""The status rules of SPEC §4, on the fold itself."""

from __future__ import annotations

from datetime import date

from projections.fold import TrackFold


def dev(type_, day="2025-05-01", **fields):
    return {"type": type_, "id": f"{type_}-{day}", "occurred": {"start": day, "end": day}, **fields}


def fold(*devs, parties=("RSF", "SDN")):
    state = TrackFold("T", list(parties))
    for d in devs:
        state.apply(d)
    return state.state(date(2025, 12, 31))


OFFER = dev("mediation-offered", mediators=["NOR"])


def test_responses_set_the_status_while_no_talks_have_begun():
    welcomed = dev("mediation-response", party="SDN", response="welcomed")
    assert fold(OFFER).status == "offered"
    assert fold(OFFER, welcomed).status == "welcomed"
    rejected = dev("mediation-response", party="RSF", response="rejected")
    assert fold(OFFER, welcomed, rejected).status == "rejected"
    accepted = [dev("mediation-response", party=p, response="accepted") for p in ("SDN", "RSF")]
    assert fold(OFFER, accepted[0]).status == "welcomed"
    assert fold(OFFER, *accepted).status == "accepted"
    assert fold(OFFER, dev("mediation-response", party="SDN", response="noncommittal")).status == "offered"


def test_a_late_response_changes_no_status_once_talks_began():
    held = dev("talks-held", "2025-05-02")
    late = dev("mediation-response", "2025-05-03", party="SDN", response="rejected")
    state = fold(OFFER, held, late)
    assert state.status == "in-talks"
    assert state.responses["SDN"] == "rejected"


def test_a_later_offer_reopens_a_collapsed_track_and_keeps_responses():
    welcomed = dev("mediation-response", party="SDN", response="welcomed")
    collapsed = dev("talks-collapsed", "2025-06-01")
    reoffer = dev("mediation-offered", "2025-07-01", mediators=["QAT"])
    state = fold(OFFER, welcomed, collapsed, reoffer)
    assert state.status == "offered"
    assert state.mediators == ["NOR", "QAT"]
    assert state.responses["SDN"] == "welcomed"
    assert fold(OFFER, dev("talks-held"), reoffer).status == "in-talks"


def test_rounds_agreements_and_withdrawal():
    state = fold(
        OFFER, dev("talks-held", "2025-05-02"), dev("talks-held", "2025-05-09"),
        dev("agreement-reached", "2025-05-10", kind="ceasefire"),
    )
    assert (state.status, state.rounds) == ("agreement", 2)
    assert [a.kind for a in state.agreements] == ["ceasefire"]
    assert fold(OFFER, dev("mediator-left", "2025-06-01", mediator="NOR")).status == "withdrawn"


def test_an_interval_reaching_past_the_as_of_date_is_uncertain():
    state = TrackFold("T", ["RSF", "SDN"])
    state.apply({"type": "mediation-offered", "id": "x", "mediators": ["NOR"],
                 "occurred": {"start": "2025-05-01", "end": "2025-05-31"}})
    assert state.state(date(2025, 5, 10)).uncertain is True
    assert state.state(date(2025, 6, 1)).uncertain is False
