"""The rules on corrections and retractions (SPEC §3), checked without any storage."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from events.developments import Correction, Retraction, TalksHeld
from tracker.aggregates import stream_rules, track_rules
from tracker.aggregates.facts import Fact

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



def test_an_imported_record_is_recorded_after_what_it_depends_on():
    earlier, later = datetime(2025, 5, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC)
    target = Fact(type="talks-held", start=date(2025, 4, 1), end=date(2025, 4, 1),
                  precision="day", recorded_at=later)
    fix = Retraction(target=DEV, reason="r", recorded_at=earlier)
    [reason] = stream_rules.check_recorded_after_target(fix, target)
    assert reason.startswith("it is recorded at 2025-05-01") and "before its target" in reason
    assert stream_rules.check_recorded_after_target(fix.model_copy(update={"recorded_at": later}), target) == []

    talks = TalksHeld(track="K", occurred="2025-04-01", summary="s", recorded_at=earlier)
    [reason] = track_rules.check_recorded_after_opening("K", later, talks)
    assert "before any offer opened track K" in reason
    assert track_rules.check_recorded_after_opening("K", earlier, talks) == []
