"""The track aggregate decides (SPEC §3), without any storage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from events.catalogue import RECORD_TYPES
from events.codec import content_id
from events.errors import RuleViolation
from tracker.aggregates.base import aggregate_id
from tracker.aggregates.streams import MediationTrack

KEY = "NOR:RSF-SDN"


def make(kind, **fields):
    data = {"type": kind, **fields}
    if kind not in ("correction", "retraction"):
        data.setdefault("occurred", "2025-05-01")
        data.setdefault("summary", f"{kind}.")
    record = RECORD_TYPES[kind].model_validate(data)
    return record.model_copy(update={"id": content_id(record), "recorded_at": datetime.now(UTC)})


DECIDED = {}  # what these tests recorded, by id: the "store" a duplicate check may read


def decide(track, record):
    fresh = track.record(record, DECIDED.__getitem__)
    DECIDED.setdefault(record.id, record)
    return fresh


@pytest.fixture
def track():
    track = MediationTrack(aggregate_id("track", KEY))
    decide(track, make("mediation-offered", mediators=["NOR"], parties=["SDN", "RSF"], track=KEY))
    return track


def test_a_response_from_a_non_party_is_refused(track):
    with pytest.raises(RuleViolation, match="TCD is not a party"):
        decide(track, make("mediation-response", track=KEY, party="TCD", response="welcomed"))
    assert track.version == 1


def test_a_mediator_cannot_leave_before_it_joined_in_occurred_order(track):
    decide(track, make("mediator-joined", track=KEY, mediator="QAT", occurred="2025-06-01"))
    with pytest.raises(RuleViolation, match="QAT is not a mediator"):
        decide(track, make("mediator-left", track=KEY, mediator="QAT", occurred="2025-05-15"))
    decide(track, make("mediator-left", track=KEY, mediator="QAT", occurred="2025-06-15"))
    assert track.version == 3


def test_an_earlier_leave_that_invalidates_a_later_one_is_refused(track):
    decide(track, make("mediator-left", track=KEY, mediator="NOR", occurred="2025-07-01"))
    with pytest.raises(RuleViolation, match="NOR is not a mediator"):
        decide(track, make("mediator-left", track=KEY, mediator="NOR", occurred="2025-06-01",
                          reason="earlier"))


def test_the_same_content_again_is_a_duplicate_and_a_reused_id_is_refused(track):
    first = make("talks-held", track=KEY, venue="Oslo")
    assert decide(track, first) is True
    assert decide(track, first.model_copy(update={"recorded_at": datetime.now(UTC)})) is False
    other = make("talks-held", track=KEY, venue="Geneva").model_copy(update={"id": first.id})
    with pytest.raises(RuleViolation, match="different content"):
        decide(track, other)


def test_a_later_offer_must_name_the_same_parties(track):
    with pytest.raises(RuleViolation, match="is for RSF-SDN"):
        decide(track, make("mediation-offered", mediators=["QAT"], parties=["SDN", "TCD"], track=KEY))


def test_retracting_the_opening_offer_while_others_count_is_refused(track):
    offer_id = track.developments[0]
    decide(track, make("talks-held", track=KEY, venue="Oslo"))
    with pytest.raises(RuleViolation, match="without its opening offer"):
        decide(track, make("retraction", target=str(offer_id), reason="wrong"))


def test_a_correction_that_moves_a_leave_before_the_join_is_refused(track):
    decide(track, make("mediator-joined", track=KEY, mediator="QAT", occurred="2025-06-01"))
    decide(track, make("mediator-left", track=KEY, mediator="QAT", occurred="2025-06-15"))
    left = track.developments[-1]
    with pytest.raises(RuleViolation, match="correcting .* would leave"):
        decide(track, make("correction", target=str(left), changes={"occurred": {
            "start": "2025-05-20", "end": "2025-05-20", "precision": "day"}}, reason="r"))


def test_talks_suspended_by_an_outsider_are_refused(track):
    with pytest.raises(RuleViolation, match="TCD is neither a party nor a mediator"):
        decide(track, make("talks-suspended", track=KEY, by="TCD"))
    decide(track, make("talks-suspended", track=KEY, by="NOR"))
    assert track.version == 2


def test_a_party_joining_as_its_own_mediator_is_refused(track):
    with pytest.raises(RuleViolation, match="SDN is a party of track NOR:RSF-SDN and cannot mediate it"):
        decide(track, make("mediator-joined", track=KEY, mediator="SDN"))
    assert track.version == 1
