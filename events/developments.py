"""The development types of SPEC §3: immutable facts, one class each.

Each class is the one source of what its type is: its fields (with the `description` and
`examples` that `tracker append TYPE --help` shows), and in class variables (declared on
`Recordable`) its CAMEO codes, the fields that name actors, the one the track's rules judge it
by, the status it sets and what the fold of SPEC §4 reads of it, and the command line's example.
The catalogue, the CLI, the aggregates, the fold, the queries and the report read these.

Stored topics are `events.developments:<Class>`; never rename a class or drop a field.
A new field gets a default; a changed one bumps `class_version` and adds an upcaster.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import (
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

# Recordable, Development and fixed_width are imported from here by the rest of the code
from events.records import Development, Recordable, fixed_width  # noqa: F401
from events.values import ActorCode, ActorList, Date, TrackKey

#: the most fatalities one incident may report (bounded, as a round's number is)
MAX_FATALITIES = 1_000_000

#: fields several types share, each with its limits and help in one place
#: its example is written in the text: after it, where `examples` go, click would wrap it at a hyphen
TRACK_HELP = "The track key, e.g. QAT+TUR:AFG-PAK (any casing)."
TrackRef = Annotated[str, Field(max_length=80, description=TRACK_HELP)]
Venue = Annotated[str | None, Field(max_length=200, description="Where.", examples=["Doha"])]
Reason = Annotated[str | None, Field(max_length=4000, description="Why, in a sentence.")]
Speaker = Annotated[str | None, Field(max_length=200, description="Who spoke.",
                                      examples=["Tahir Hussain Andrabi, FO spokesperson"])]
PARTIES_HELP = "Party codes or names (at least two), comma-separated or repeated."


class MediationOffered(Development):
    type: Literal["mediation-offered"] = "mediation-offered"
    cameo: ClassVar[str] = "039"
    actor_fields: ClassVar[tuple[str, ...]] = ("mediators", "parties")
    acting_field: ClassVar[str | None] = "mediators"
    fold_reads: ClassVar[tuple[str, ...]] = ("mediators",)
    example: ClassVar[dict[str, Any]] = {
        "mediators": ["Iran"], "parties": ["PAK", "AFG"], "occurred": "2025-10-28",
        "summary": "Pezeshkian offers to mediate.", "sources": ["https://example.org/a"]}

    mediators: ActorList = Field(min_length=1, examples=[["QAT", "TUR"]],
                                 description="Mediator codes or names, comma-separated or repeated.")
    parties: ActorList = Field(min_length=2, description=PARTIES_HELP, examples=[["AFG", "PAK"]])
    track: TrackKey | None = Field(
        default=None, description="The track's key; derived as MEDIATORS:PARTIES when omitted.")
    speaker: Speaker = None
    conditional: StrictBool = Field(default=False,
                                    description="The offer depends on being asked ('if requested').")

    @model_validator(mode="after")
    def _mediators_are_not_parties(self) -> MediationOffered:
        both = sorted(set(self.mediators) & set(self.parties))
        if both:
            raise ValueError(f"{', '.join(both)} cannot mediate a conflict it is a party to")
        object.__setattr__(self, "mediators", sorted(set(self.mediators)))
        object.__setattr__(self, "parties", sorted(set(self.parties)))
        if len(self.parties) < 2:
            raise ValueError("a conflict needs at least two different parties")
        return self

    def derived_track(self) -> str:
        return f"{'+'.join(self.mediators)}:{'-'.join(self.parties)}"


class MediationResponse(Development):
    type: Literal["mediation-response"] = "mediation-response"
    cameo: ClassVar[str] = "051 welcomed / 038 accepted / 126 rejected / 010 noncommittal"
    actor_fields: ClassVar[tuple[str, ...]] = ("party",)
    acting_field: ClassVar[str | None] = "party"
    fold_reads: ClassVar[tuple[str, ...]] = ("party", "response")
    example: ClassVar[dict[str, Any]] = {
        "track": "IRN:AFG-PAK", "party": "Pakistan", "response": "welcomed",
        "occurred": "2025-11-16", "summary": "FO welcomes the offer."}

    track: TrackRef
    party: ActorCode = Field(description="The party that answers (a party of the track).",
                             examples=["PAK"])
    response: Literal["welcomed", "accepted", "rejected", "noncommittal"]
    speaker: Speaker = None


class MediatorJoined(Development):
    type: Literal["mediator-joined"] = "mediator-joined"
    cameo: ClassVar[str] = "039"
    actor_fields: ClassVar[tuple[str, ...]] = ("mediator",)
    acting_field: ClassVar[str | None] = "mediator"
    fold_reads: ClassVar[tuple[str, ...]] = ("mediator",)
    example: ClassVar[dict[str, Any]] = {
        "track": "QAT+TUR:AFG-PAK", "mediator": "SAU", "occurred": "2025-11-30",
        "summary": "Saudi Arabia joins."}

    track: TrackRef
    mediator: ActorCode = Field(description="A mediator's code or name.", examples=["SAU"])


class MediatorLeft(Development):
    type: Literal["mediator-left"] = "mediator-left"
    cameo: ClassVar[str] = "165"
    actor_fields: ClassVar[tuple[str, ...]] = ("mediator",)
    acting_field: ClassVar[str | None] = "mediator"
    fold_reads: ClassVar[tuple[str, ...]] = ("mediator",)
    example: ClassVar[dict[str, Any]] = {
        "track": "QAT+TUR:AFG-PAK", "mediator": "QAT", "reason": "no result",
        "occurred": "2025-12", "summary": "Qatar steps back."}

    track: TrackRef
    mediator: ActorCode = Field(description="A mediator's code or name.", examples=["QAT"])
    reason: Reason = None


class TalksScheduled(Development):
    type: Literal["talks-scheduled"] = "talks-scheduled"
    cameo: ClassVar[str] = "036"
    sets_status: ClassVar[str | None] = "talks-scheduled"
    example: ClassVar[dict[str, Any]] = {
        "track": "QAT+TUR:AFG-PAK", "venue": "Istanbul", "scheduled_for": "2025-11-06",
        "occurred": "2025-10-30", "summary": "Next round set."}

    track: TrackRef
    venue: Venue = None
    scheduled_for: Date = Field(description="When the talks are to be held (any date precision).",
                                examples=["2025-11-06"])


class TalksHeld(Development):
    type: Literal["talks-held"] = "talks-held"
    cameo: ClassVar[str] = "045 + 046"
    sets_status: ClassVar[str | None] = "in-talks"
    in_brief: ClassVar[bool] = True
    example: ClassVar[dict[str, Any]] = {
        "track": "QAT+TUR:AFG-PAK", "venue": "Doha", "occurred": "2025-10-18",
        "summary": "First round in Doha."}

    track: TrackRef
    venue: Venue = None
    round: StrictInt | None = Field(default=None, ge=1, le=10_000,
                                    description="The round's number (numbered automatically when left out).")


class TalksSuspended(Development):
    type: Literal["talks-suspended"] = "talks-suspended"
    cameo: ClassVar[str] = "164 / 165"
    actor_fields: ClassVar[tuple[str, ...]] = ("by",)
    acting_field: ClassVar[str | None] = "by"
    sets_status: ClassVar[str | None] = "suspended"
    example: ClassVar[dict[str, Any]] = {
        "track": "QAT+TUR:AFG-PAK", "by": "PAK", "reason": "no guarantees",
        "occurred": "2025-11-07", "summary": "Talks on hold."}

    track: TrackRef
    by: ActorCode | None = Field(
        default=None, description="Who suspended the talks (a party or mediator of the track).",
        examples=["PAK"])
    reason: Reason = None


class TalksCollapsed(Development):
    type: Literal["talks-collapsed"] = "talks-collapsed"
    cameo: ClassVar[str] = "164"
    sets_status: ClassVar[str | None] = "collapsed"
    in_brief: ClassVar[bool] = True
    example: ClassVar[dict[str, Any]] = {
        "track": "QAT+TUR:AFG-PAK", "venue": "Istanbul", "occurred": "2025-11-07",
        "summary": "Talks collapse in Istanbul."}

    track: TrackRef
    venue: Venue = None
    reason: Reason = None


class AgreementReached(Development):
    type: Literal["agreement-reached"] = "agreement-reached"
    cameo: ClassVar[str] = "0871 ceasefire, ceasefire-extension / 057 otherwise"
    sets_status: ClassVar[str | None] = "agreement"
    fold_reads: ClassVar[tuple[str, ...]] = ("kind",)
    in_brief: ClassVar[bool] = True
    example: ClassVar[dict[str, Any]] = {
        "track": "QAT+TUR:AFG-PAK", "kind": "ceasefire", "occurred": "2025-10-19",
        "summary": "Doha ceasefire."}

    track: TrackRef
    kind: Literal["ceasefire", "ceasefire-extension", "declaration", "framework", "final"]
    terms: str | None = Field(default=None, max_length=4000, description="What was agreed.")


class IncidentReported(Development):
    type: Literal["incident-reported"] = "incident-reported"
    cameo: ClassVar[str] = "190 clash, attack / 195 strike / 196 ceasefire-violation"
    actor_fields: ClassVar[tuple[str, ...]] = ("parties",)
    in_brief: ClassVar[bool] = True
    example: ClassVar[dict[str, Any]] = {
        "parties": ["AFG", "PAK"], "kind": "clash", "location": "Kurram",
        "occurred": "2025-10-11..2025-10-12", "summary": "Border clashes."}

    parties: ActorList = Field(min_length=2, description=PARTIES_HELP, examples=[["AFG", "PAK"]])
    kind: Literal["clash", "strike", "attack", "ceasefire-violation"]
    location: str | None = Field(default=None, max_length=200, description="Where it happened.",
                                 examples=["Kurram"])
    fatalities: StrictInt | Literal["low", "high"] | None = Field(
        default=None, description="A number, or low / high.")

    @field_validator("fatalities")
    @classmethod
    def _plausible(cls, value: int | str | None, info: ValidationInfo) -> int | str | None:
        if not isinstance(value, int):
            return value
        if value < 0 or (value > MAX_FATALITIES and info.context is not None):
            shown = f"{value:,}" if len(str(value)) <= 16 else f"a {len(str(value))}-digit number"
            raise ValueError(
                f"must be a count from 0 to {MAX_FATALITIES:,}, not {shown}; or give low / high"
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> IncidentReported:
        object.__setattr__(self, "parties", sorted(set(self.parties)))
        if len(self.parties) < 2:
            raise ValueError("a conflict needs at least two different parties")
        return self


class StatementIssued(Development):
    """Version 2 added `speaker` (the person who spoke for the actor)."""

    type: Literal["statement-issued"] = "statement-issued"
    class_version: ClassVar[int] = 2
    cameo: ClassVar[str] = "112 accuses / 016 denies / 051 endorses / 027 appeals / 130 warns / 010 other"
    actor_fields: ClassVar[tuple[str, ...]] = ("actor", "parties")
    example: ClassVar[dict[str, Any]] = {
        "actor": "Kabul", "parties": ["AFG", "PAK"], "stance": "denies", "occurred": "2025-11",
        "summary": "Kabul denies sheltering militants."}

    actor: ActorCode = Field(description="Who made the statement (code or name).", examples=["AFG"])
    parties: ActorList | None = Field(default=None, description=PARTIES_HELP, examples=[["AFG", "PAK"]])
    track: str | None = Field(default=None, max_length=80, description=TRACK_HELP)
    stance: Literal["accuses", "denies", "endorses", "appeals", "warns", "other"]
    text: str | None = Field(default=None, max_length=4000, description="What was said.")
    speaker: Speaker = None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["speaker"] = None

    @model_validator(mode="after")
    def _one_scope(self) -> StatementIssued:
        if (self.parties is None) == (self.track is None):
            raise ValueError("a statement names either --parties (the conflict) or --track")
        if self.parties is not None:
            object.__setattr__(self, "parties", sorted(set(self.parties)))
            if len(self.parties) < 2:
                raise ValueError("a conflict needs at least two different parties")
        return self


class Correction(Recordable):
    """Changes fields of an earlier development; acts in recorded time only."""

    type: Literal["correction"] = "correction"
    example: ClassVar[dict[str, Any]] = {
        "target": "ID", "changes": {"occurred": "2025-10-18"}, "reason": "weekday"}

    target: UUID = Field(description="The id of the development to correct.")
    changes: dict[str, Any] = Field(min_length=1, description="A JSON object: field → new value.")
    reason: str = Field(min_length=1, max_length=4000, description="Why, in a sentence.")


class Retraction(Recordable):
    """Withdraws an earlier development: it stays in history but no longer counts."""

    type: Literal["retraction"] = "retraction"
    example: ClassVar[dict[str, Any]] = {"target": "ID", "reason": "duplicate report"}

    target: UUID = Field(description="The id of the development to retract.")
    reason: str = Field(min_length=1, max_length=4000, description="Why, in a sentence.")
