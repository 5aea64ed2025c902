"""The rules of SPEC §3 that a mediation track's history must keep, one pure function each.

A rule judges one counted development against the track as it stood at that point of its
history, in occurred order (ties by position in the log): `check_*(track, dev_id, fact)`
returns a message per thing wrong, empty when the development is valid. `violations` walks a
history once and runs every rule on every development, so its messages come in occurred order.

Each rule judges a development by the actor that its fact names (`Fact.who`) and by the track's
parties and mediators at its date: the narrow fold of `MediationTrack.affected` relies on that.
A new rule that reads anything else must widen `affected` too; the property test of
tests/properties/test_rules_property.py holds the two equal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from events.developments import Development, Retraction
from tracker.aggregates.facts import Fact

#: (position in the log, id, current fact) of each counted development
Counted = list[tuple[int, UUID, Fact]]
OFFER = "mediation-offered"


def describe(dev_id: UUID | None, fact: Fact) -> str:
    return f"the {fact.type} of {fact.label} ({dev_id})"


@dataclass
class TrackAt:
    """A track at one point of its history: its key and parties (which never change) and the
    mediators it has then."""

    key: str | None
    parties: list[str]
    mediators: set[str] = field(default_factory=set)

    @property
    def conflict(self) -> str:
        return "-".join(self.parties)

    def after(self, fact: Fact) -> None:
        """Move past a development: offers and joins add mediators, a leave removes one."""
        if fact.type in (OFFER, "mediator-joined"):
            self.mediators |= set(fact.who)
        elif fact.type == "mediator-left":
            self.mediators.difference_update(fact.who)


Rule = Callable[[TrackAt, UUID | None, Fact], list[str]]


def check_opened(track: TrackAt, ordered: Counted) -> list[str]:
    """A track's developments count only while an offer that opens the track counts."""
    if not ordered or any(fact.type == OFFER for _, _, fact in ordered):
        return []
    _, first_id, first = ordered[0]
    return [f"{describe(first_id, first)} on track {track.key} without any counted "
            "mediation-offered to open the track"]


def check_offer_names_the_parties(track: TrackAt, dev_id: UUID | None, fact: Fact) -> list[str]:
    """A later offer on a track names the track's parties: a key is one conflict's."""
    if fact.type != OFFER or set(fact.parties) == set(track.parties):
        return []
    return [f"{describe(dev_id, fact)} names parties {', '.join(fact.parties)} but track "
            f"{track.key} is for {track.conflict}; use another --track key or name the same parties"]


def check_response_from_a_party(track: TrackAt, dev_id: UUID | None, fact: Fact) -> list[str]:
    """Only a party of the track answers an offer."""
    if fact.type != "mediation-response" or set(fact.who) <= set(track.parties):
        return []
    return [f"{describe(dev_id, fact)}: {fact.who[0]} is not a party of track {track.key} "
            f"(its parties are {', '.join(track.parties)})"]


def check_joiner_is_not_a_party(track: TrackAt, dev_id: UUID | None, fact: Fact) -> list[str]:
    """A party cannot join as a mediator of its own conflict."""
    if fact.type != "mediator-joined" or not set(fact.who) & set(track.parties):
        return []
    return [f"{describe(dev_id, fact)}: {fact.who[0]} is a party of track {track.key} "
            "and cannot mediate it"]


def check_leaver_is_a_mediator(track: TrackAt, dev_id: UUID | None, fact: Fact) -> list[str]:
    """A mediator leaves only while it mediates the track, at the leave's date."""
    if fact.type != "mediator-left" or set(fact.who) <= track.mediators:
        return []
    return [f"{describe(dev_id, fact)}: {fact.who[0]} is not a mediator of track {track.key} on "
            f"{fact.label} (mediators then: {', '.join(sorted(track.mediators)) or 'none'})"]


def check_suspender_takes_part(track: TrackAt, dev_id: UUID | None, fact: Fact) -> list[str]:
    """Talks are suspended by a party or a mediator of the track at that date, if by anyone."""
    if fact.type != "talks-suspended" or set(fact.who) <= set(track.parties) | track.mediators:
        return []
    return [f"{describe(dev_id, fact)}: {fact.who[0]} is neither a party nor a mediator of "
            f"track {track.key} on {fact.label}"]


#: the rules each counted development of a track is checked against, at its point in time
RULES: tuple[Rule, ...] = (
    check_offer_names_the_parties,
    check_response_from_a_party,
    check_joiner_is_not_a_party,
    check_leaver_is_a_mediator,
    check_suspender_takes_part,
)


def check_opening_offer_kept(key: str | None, retraction: Retraction,
                             offers: list[tuple[date, int, UUID]], counting: int) -> list[str]:
    """The offer that opens a track (the earliest of its counted `offers`: date, position, id)
    is retracted last: while other developments count, they would be left without one."""
    if not offers or min(offers)[2] != retraction.target or counting <= 1:
        return []
    return [f"retracting {retraction.target} would leave track {key} without its opening offer "
            f"while {counting - 1} other development(s) count; retract those first, or correct "
            "the offer instead"]


def check_recorded_after_opening(key: str | None, opened_at: datetime | None,
                                 record: Development) -> list[str]:
    """A development that carries its own recorded_at (an imported line) was recorded once an
    offer had opened its track: why it could not have been, if so."""
    if opened_at and record.recorded_at and record.recorded_at < opened_at:
        return [f"it is recorded at {record.recorded_at.isoformat()}, before any offer opened "
                f"track {key} ({opened_at.isoformat()})"]
    return []


def in_occurred_order(counted: Iterable[tuple[int, UUID, Fact]]) -> Counted:
    return sorted(counted, key=lambda item: (item[2].start, item[0]))


#: the types that change who mediates a track, and so whether other developments are valid
#: (a leaver must have joined, a suspender must take part): never judged alone
CHANGES_MEDIATORS = ("mediator-left", "mediator-joined", OFFER)


def judged_alone(parties: list[str], fact: Fact) -> bool:
    """Whether the rules judge a development on a valid track by its own fields and the
    track's parties alone: it changes no mediator, and needs none (a suspension by an actor
    who is not a party needs the mediators at its date)."""
    if fact.type in CHANGES_MEDIATORS:
        return False
    return not (fact.type == "talks-suspended" and any(w not in parties for w in fact.who))


def violations_alone(key: str, parties: list[str], dev_id: UUID | None, fact: Fact) -> list[str]:
    """The rules a development breaks on a track that is valid without it, where the quick
    path of `MediationTrack.quick_violations` has found that only its parties matter to them
    (a development that cannot make others invalid, and that no mediator may be needed for)."""
    track = TrackAt(key, parties)
    return [problem for rule in RULES for problem in rule(track, dev_id, fact)]


def violations(key: str | None, parties: list[str], counted: Counted) -> list[str]:
    """Every rule that a track's counted developments break, in occurred order. A track not
    opened yet (no key) takes its key and parties from the offer among them that opens it."""
    if key is None:
        opening = next((f for _, _, f in counted if f.type == OFFER), None)
        if opening is not None:
            key, parties = opening.track, list(opening.parties)
    ordered = in_occurred_order(counted)
    track = TrackAt(key, list(parties))
    problems = check_opened(track, ordered)
    for _, dev_id, fact in ordered:
        for rule in RULES:
            problems += rule(track, dev_id, fact)
        track.after(fact)
    return problems
