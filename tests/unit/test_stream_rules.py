"""The rules on corrections and retractions (SPEC §3), checked without any storage."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from events.developments import Correction, Retraction
from tracker.aggregates import stream_rules, track_rules

DEV, FIX, GONE = uuid4(), uuid4(), uuid4()
KINDS = {DEV: "talks-held", FIX: "correction", GONE: "talks-held"}


def retraction(target) -> Retraction:
    return Retraction(target=target, reason="r")


def test_a_correction_cannot_change_what_or_where_a_development_is():
    for name in ("type", "id", "track"):
        [message] = stream_rules.check_field_may_change(name)
        assert f"cannot change '{name}'" in message and "record it anew" in message
    assert stream_rules.check_field_may_change("venue") == []


def test_a_correction_cannot_move_a_development_to_another_conflict():
    [message] = stream_rules.check_conflict_kept({"parties": ["AFG", "IND"]})
    assert "cannot change 'parties'" in message
    assert stream_rules.check_conflict_kept({"kind": "strike"}) == []


def test_only_a_counted_development_is_corrected_or_retracted():
    def check(target):
        record = Correction(target=target, changes={"venue": "Doha"}, reason="r")
        return stream_rules.check_target_counts(record, KINDS, [DEV, GONE], {GONE})

    assert check(DEV) == []
    assert check(FIX) == [f"{FIX} is a correction and cannot be corrected or retracted"]
    assert "already retracted" in check(GONE)[0]


def test_the_opening_offer_is_retracted_last():
    first, later = uuid4(), uuid4()
    offers = [(date(2025, 5, 1), 3, later), (date(2025, 4, 1), 1, first)]
    [message] = track_rules.check_opening_offer_kept("IRN:AFG-PAK", retraction(first), offers, 3)
    assert "without its opening offer while 2 other development(s) count" in message
    assert track_rules.check_opening_offer_kept("IRN:AFG-PAK", retraction(later), offers, 3) == []
    assert track_rules.check_opening_offer_kept("IRN:AFG-PAK", retraction(first), offers[1:], 1) == []
