"""The development types of SPEC §3: immutable facts, one class each.

Stored topics are `events.developments:<Class>`; never rename a class or drop a field.
A new field gets a default; a changed one bumps `class_version` and adds an upcaster.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import (
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from events.values import (
    MAX_SOURCES,
    ActorCode,
    ActorList,
    Date,
    Frozen,
    FuzzyDate,
    Source,
    TrackKey,
    at_most,
)

#: how far ahead of UTC a calendar can be (UTC+14, Kiribati): a development may have occurred
#: on the date it is somewhere on Earth at the moment it is recorded, and no later
AHEAD_OF_UTC = timedelta(hours=14)

#: the most fatalities one incident may report (bounded, as a round's number is)
MAX_FATALITIES = 1_000_000


@lru_cache(maxsize=256)
def fixed_width(moment: datetime) -> str:
    """A UTC time as fixed-width text, so that text order is time order (cached: an import
    stamps every line with the same time)."""
    return moment.isoformat(timespec="microseconds")


class Recordable(Frozen):
    """What every stored record carries: an id, who recorded it and when."""

    class_version: ClassVar[int] = 1
    cameo_codes: ClassVar[tuple[str, ...]] = ()
    #: fields that hold actor codes, for `timeline --actor` and for display
    actor_fields: ClassVar[tuple[str, ...]] = ()

    id: UUID | None = None
    # Without a value, validation takes the context's `recorded_at` / `recorded_by`, if any:
    # an import stamps the lines that have none while it validates them (no model copy later).
    recorded_at: datetime | None = Field(default=None, validate_default=True)
    recorded_by: str | None = Field(default=None, max_length=200, validate_default=True)

    @field_validator("recorded_at")
    @classmethod
    def _utc(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        """Stored in UTC (a naive time is taken as UTC), so text order is time order."""
        if value is None:
            return info.context.get("recorded_at") if info.context else None
        try:
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        except OverflowError:
            raise ValueError(
                f"{value.isoformat()} is outside the years 1 to 9999 in UTC; give a time in UTC"
            ) from None

    @field_validator("recorded_by")
    @classmethod
    def _by(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return info.context.get("recorded_by") if info.context else None
        return value

    @field_serializer("recorded_at", when_used="json")
    def _fixed_width(self, value: datetime | None) -> str | None:
        return fixed_width(value) if value else None

    def cameo(self) -> tuple[str, ...]:
        return self.cameo_codes

    def actors(self) -> set[str]:
        """Every actor code this record names."""
        found: set[str] = set()
        for name in self.actor_fields:
            value = getattr(self, name, None)
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, list):
                found.update(value)
        return found


class Development(Recordable):
    """A development in the world, with when it occurred and on whose word."""

    occurred: Date
    occurred_note: str | None = Field(default=None, max_length=500)
    summary: str = Field(min_length=1, max_length=4000)
    sources: Annotated[list[Source], at_most(MAX_SOURCES, "sources")] = Field(
        default_factory=list, json_schema_extra={"maxItems": MAX_SOURCES})

    @field_validator("occurred")
    @classmethod
    def _has_happened(cls, value: FuzzyDate, info: ValidationInfo) -> FuzzyDate:
        """What is being entered happened before it is recorded: `recorded_at` as given or
        stamped, or now (stored records are read back as they were written)."""
        if info.context is None:
            return value
        moment = info.data.get("recorded_at") or datetime.now(UTC)
        try:
            latest = (moment + AHEAD_OF_UTC).date()
        except OverflowError:  # recorded on the calendar's last day: nothing is later
            return value
        if value.start > latest:
            raise ValueError(
                f"{value.label()} is after the development was recorded "
                f"({moment.date().isoformat()}); record what has happened (talks to come are a "
                "talks-scheduled with --scheduled-for)"
            )
        return value

    #: the track this development belongs to, if any
    @property
    def track_key(self) -> str | None:
        return getattr(self, "track", None)


class MediationOffered(Development):
    type: Literal["mediation-offered"] = "mediation-offered"
    cameo_codes: ClassVar[tuple[str, ...]] = ("039",)
    actor_fields: ClassVar[tuple[str, ...]] = ("mediators", "parties")

    mediators: ActorList = Field(min_length=1)
    parties: ActorList = Field(min_length=2)
    track: TrackKey | None = None
    speaker: str | None = Field(default=None, max_length=200)
    conditional: StrictBool = False

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
    actor_fields: ClassVar[tuple[str, ...]] = ("party",)

    track: str = Field(max_length=80)
    party: ActorCode
    response: Literal["welcomed", "accepted", "rejected", "noncommittal"]
    speaker: str | None = Field(default=None, max_length=200)

    def cameo(self) -> tuple[str, ...]:
        return {"welcomed": ("051",), "accepted": ("038",), "rejected": ("126",)}.get(
            self.response, ("010",)
        )


class MediatorJoined(Development):
    type: Literal["mediator-joined"] = "mediator-joined"
    cameo_codes: ClassVar[tuple[str, ...]] = ("039",)
    actor_fields: ClassVar[tuple[str, ...]] = ("mediator",)

    track: str = Field(max_length=80)
    mediator: ActorCode


class MediatorLeft(Development):
    type: Literal["mediator-left"] = "mediator-left"
    cameo_codes: ClassVar[tuple[str, ...]] = ("165",)
    actor_fields: ClassVar[tuple[str, ...]] = ("mediator",)

    track: str = Field(max_length=80)
    mediator: ActorCode
    reason: str | None = Field(default=None, max_length=4000)


class TalksScheduled(Development):
    type: Literal["talks-scheduled"] = "talks-scheduled"
    cameo_codes: ClassVar[tuple[str, ...]] = ("036",)

    track: str = Field(max_length=80)
    venue: str | None = Field(default=None, max_length=200)
    scheduled_for: Date


class TalksHeld(Development):
    type: Literal["talks-held"] = "talks-held"
    cameo_codes: ClassVar[tuple[str, ...]] = ("045", "046")

    track: str = Field(max_length=80)
    venue: str | None = Field(default=None, max_length=200)
    round: StrictInt | None = Field(default=None, ge=1, le=10_000)


class TalksSuspended(Development):
    type: Literal["talks-suspended"] = "talks-suspended"
    actor_fields: ClassVar[tuple[str, ...]] = ("by",)

    track: str = Field(max_length=80)
    by: ActorCode | None = None
    reason: str | None = Field(default=None, max_length=4000)

    def cameo(self) -> tuple[str, ...]:
        return ("164", "165")


class TalksCollapsed(Development):
    type: Literal["talks-collapsed"] = "talks-collapsed"
    cameo_codes: ClassVar[tuple[str, ...]] = ("164",)

    track: str = Field(max_length=80)
    venue: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=4000)


class AgreementReached(Development):
    type: Literal["agreement-reached"] = "agreement-reached"

    track: str = Field(max_length=80)
    kind: Literal["ceasefire", "ceasefire-extension", "declaration", "framework", "final"]
    terms: str | None = Field(default=None, max_length=4000)

    def cameo(self) -> tuple[str, ...]:
        return ("0871",) if self.kind.startswith("ceasefire") else ("057",)


class IncidentReported(Development):
    type: Literal["incident-reported"] = "incident-reported"
    actor_fields: ClassVar[tuple[str, ...]] = ("parties",)

    parties: ActorList = Field(min_length=2)
    kind: Literal["clash", "strike", "attack", "ceasefire-violation"]
    location: str | None = Field(default=None, max_length=200)
    fatalities: StrictInt | Literal["low", "high"] | None = Field(default=None)

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

    def cameo(self) -> tuple[str, ...]:
        return {"strike": ("195",), "ceasefire-violation": ("196",)}.get(self.kind, ("190",))


class StatementIssued(Development):
    """Version 2 added `speaker` (the person who spoke for the actor)."""

    type: Literal["statement-issued"] = "statement-issued"
    class_version: ClassVar[int] = 2
    actor_fields: ClassVar[tuple[str, ...]] = ("actor", "parties")

    actor: ActorCode
    parties: ActorList | None = None
    track: str | None = Field(default=None, max_length=80)
    stance: Literal["accuses", "denies", "endorses", "appeals", "warns", "other"]
    text: str | None = Field(default=None, max_length=4000)
    speaker: str | None = Field(default=None, max_length=200)

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

    def cameo(self) -> tuple[str, ...]:
        return {
            "accuses": ("112",),
            "denies": ("016",),
            "endorses": ("051",),
            "appeals": ("027",),
            "warns": ("130",),
        }.get(self.stance, ("010",))


class Correction(Recordable):
    """Changes fields of an earlier development; acts in recorded time only."""

    type: Literal["correction"] = "correction"
    target: UUID
    changes: dict[str, Any] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=4000)


class Retraction(Recordable):
    """Withdraws an earlier development: it stays in history but no longer counts."""

    type: Literal["retraction"] = "retraction"
    target: UUID
    reason: str = Field(min_length=1, max_length=4000)


#: types whose developments belong to a track (statement-issued may, with --track)
TRACK_TYPES = (
    MediationResponse,
    MediatorJoined,
    MediatorLeft,
    TalksScheduled,
    TalksHeld,
    TalksSuspended,
    TalksCollapsed,
    AgreementReached,
)
