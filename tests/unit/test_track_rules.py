"""Each rule of a track (SPEC §3), checked on a history of facts: no aggregate, no storage."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from tracker.aggregates import track_rules
from tracker.aggregates.facts import Fact
from tracker.aggregates.track_rules import TrackAt

KEY = "NOR:RSF-SDN"
PARTIES = ["RSF", "SDN"]


def fact(kind: str, day: str = "2025-05-01", who: tuple[str, ...] = (), **extra) -> Fact:
    when = date.fromisoformat(day)
    return Fact(type=kind, start=when, end=when, precision="day", who=who, **extra)


OPENING = fact("mediation-offered", "2025-04-01", ("NOR",), parties=tuple(PARTIES), track=KEY)


def history(*facts: Fact) -> list[tuple[int, UUID, Fact]]:
    return [(position, uuid4(), f) for position, f in enumerate(facts, start=1)]


def problems(*facts: Fact) -> list[str]:
    return track_rules.violations(KEY, PARTIES, history(OPENING, *facts))


def test_a_valid_history_breaks_no_rule():
    assert problems(
        fact("mediation-response", who=("SDN",)),
        fact("mediator-joined", "2025-05-02", ("QAT",)),
        fact("talks-suspended", "2025-05-03", ("QAT",)),
        fact("mediator-left", "2025-05-04", ("QAT",)),
        fact("talks-suspended", "2025-05-05", ("RSF",)),
        fact("talks-suspended", "2025-05-06"),  # by no one in particular
    ) == []


def test_developments_without_a_counted_offer_are_refused():
    found = track_rules.violations(KEY, PARTIES, history(fact("talks-held")))
    assert found == [found[0]] and "without any counted mediation-offered" in found[0]
    assert track_rules.check_opened(TrackAt(KEY, PARTIES), history(OPENING)) == []


def test_a_later_offer_naming_other_parties_is_refused():
    other = fact("mediation-offered", who=("QAT",), parties=("SDN", "TCD"))
    [message] = problems(other)
    assert f"names parties SDN, TCD but track {KEY} is for RSF-SDN" in message
    assert track_rules.check_offer_names_the_parties(
        TrackAt(KEY, PARTIES), None, fact("mediation-offered", who=("QAT",), parties=("RSF", "SDN"))
    ) == []


def test_a_response_from_a_non_party_is_refused():
    [message] = problems(fact("mediation-response", who=("TCD",)))
    assert "TCD is not a party of track NOR:RSF-SDN (its parties are RSF, SDN)" in message


def test_a_party_joining_as_its_own_mediator_is_refused():
    [message] = problems(fact("mediator-joined", who=("SDN",)))
    assert "SDN is a party of track NOR:RSF-SDN and cannot mediate it" in message


def test_a_mediator_cannot_leave_before_it_joined():
    [message] = problems(
        fact("mediator-left", "2025-05-01", ("QAT",)),
        fact("mediator-joined", "2025-06-01", ("QAT",)),
    )
    assert "QAT is not a mediator of track NOR:RSF-SDN on 2025-05-01 (mediators then: NOR)" in message


def test_a_mediator_cannot_leave_twice():
    [message] = problems(fact("mediator-left", "2025-05-01", ("NOR",)),
                         fact("mediator-left", "2025-06-01", ("NOR",)))
    assert "NOR is not a mediator" in message and "2025-06-01" in message and "then: none" in message


def test_talks_suspended_by_an_outsider_are_refused():
    [message] = problems(fact("talks-suspended", who=("TCD",)))
    assert "TCD is neither a party nor a mediator of track NOR:RSF-SDN on 2025-05-01" in message


def test_talks_suspended_by_a_mediator_who_has_left_are_refused():
    [message] = problems(
        fact("mediator-joined", "2025-05-01", ("QAT",)),
        fact("mediator-left", "2025-05-10", ("QAT",)),
        fact("talks-suspended", "2025-05-20", ("QAT",)),
    )
    assert "QAT is neither a party nor a mediator" in message


def test_problems_come_in_occurred_order_whatever_the_rule():
    found = problems(
        fact("talks-suspended", "2025-06-01", ("TCD",)),
        fact("mediation-response", "2025-05-01", ("EGY",)),
    )
    assert ["EGY" in found[0], "TCD" in found[1]] == [True, True]


def test_a_new_track_takes_its_key_and_parties_from_its_opening_offer():
    [message] = track_rules.violations(None, [], history(OPENING, fact("mediator-joined", who=("RSF",))))
    assert f"RSF is a party of track {KEY}" in message
