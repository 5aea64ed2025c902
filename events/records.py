"""What every stored record is (`Recordable`) and what every development has (`Development`).

The development types themselves are in `events.developments`, whose module name their stored
topics carry.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar
from uuid import UUID

from pydantic import Field, ValidationInfo, field_serializer, field_validator

from events.values import MAX_SOURCES, Date, Frozen, FuzzyDate, Source, at_most

#: how far ahead of UTC a calendar can be (UTC+14, Kiribati): a development may have occurred
#: on the date it is somewhere on Earth at the moment it is recorded, and no later
AHEAD_OF_UTC = timedelta(hours=14)


@lru_cache(maxsize=256)
def fixed_width(moment: datetime) -> str:
    """A UTC time as fixed-width text, so that text order is time order (cached: an import
    stamps every line with the same time)."""
    return moment.isoformat(timespec="microseconds")


def _after_recorded(value: FuzzyDate, info: ValidationInfo) -> str | None:
    """The day a record is recorded, if a date being entered starts after it anywhere on
    Earth (None also for stored records, which are read back as they were written)."""
    if info.context is None:
        return None
    moment = info.data.get("recorded_at") or datetime.now(UTC)
    try:
        latest = (moment + AHEAD_OF_UTC).date()
    except OverflowError:  # recorded on the calendar's last day: nothing is later
        return None
    return moment.date().isoformat() if value.start > latest else None


class Recordable(Frozen):
    """What every stored record carries: an id, who recorded it and when."""

    class_version: ClassVar[int] = 1
    #: the CAMEO codes of the type, as documented (some depend on a field's value)
    cameo: ClassVar[str] = "—"
    #: the fields that hold actor codes, for `timeline --actor` and for display
    actor_fields: ClassVar[tuple[str, ...]] = ()
    #: the field naming the actor that the rules of a track (SPEC §3) judge the record by:
    #: who offers, answers, joins, leaves or suspends
    acting_field: ClassVar[str | None] = None
    #: the status that the record gives its track in the fold of SPEC §4, if it sets one
    sets_status: ClassVar[str | None] = None
    #: the fields the fold reads beyond type, id and dates (the read side parses only those)
    fold_reads: ClassVar[tuple[str, ...]] = ()
    #: the fields of a complete example, for `tracker append TYPE --help`
    example: ClassVar[dict[str, Any]] = {}
    #: whether the Markdown brief lists every development of this type among its key ones
    in_brief: ClassVar[bool] = False

    if TYPE_CHECKING:  # each type declares its own: a field here would move it in stored JSON
        type: str

    id: UUID | None = Field(default=None, description="A UUID; derived from the content when omitted.")
    # Without a value, validation takes the context's `recorded_at` / `recorded_by`, if any:
    # an import stamps the lines that have none while it validates them (no model copy later).
    recorded_at: datetime | None = Field(
        default=None, validate_default=True, description="When it was recorded (UTC); stamped by the store.")
    recorded_by: str | None = Field(default=None, max_length=200, validate_default=True,
                                    description="Who records it (default: your login name).")

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



class Development(Recordable):
    """A development in the world, with when it occurred and on whose word."""

    occurred: Date = Field(description="When it happened: a day, a month, a year, or START..END.",
                           examples=["2025-11-17", "2025-11", "2025-11-01..2025-11-16"])
    occurred_note: str | None = Field(default=None, max_length=500, description="The reported phrase.",
                                      examples=["late Sunday"])
    summary: str = Field(min_length=1, max_length=4000, description="One or two sentences.")
    sources: Annotated[list[Source], at_most(MAX_SOURCES, "sources")] = Field(
        default_factory=list, json_schema_extra={"maxItems": MAX_SOURCES},
        description="Where it was reported: URLs or {url, outlet, published, reliability, "
        "credibility, quote}.")

    @field_validator("occurred")
    @classmethod
    def _has_happened(cls, value: FuzzyDate, info: ValidationInfo) -> FuzzyDate:
        """What is being entered happened before it is recorded: `recorded_at` as given or
        stamped, or now (stored records are read back as they were written)."""
        late = _after_recorded(value, info)
        if late:
            raise ValueError(f"{value.label()} is after the development was recorded ({late}); "
                             "record what has happened (talks to come are a talks-scheduled "
                             "with --scheduled-for)")
        return value

    @field_validator("sources")
    @classmethod
    def _published_before(cls, value: list[Source], info: ValidationInfo) -> list[Source]:
        """A report of a development was published before the development was recorded."""
        for number, source in enumerate(value, 1):
            late = source.published is not None and _after_recorded(source.published, info)
            if late:
                raise ValueError(f"source {number} is published {source.published.label()}, after "
                                 f"the development was recorded ({late}); check its date")
        return value
