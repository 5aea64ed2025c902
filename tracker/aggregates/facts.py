"""What a track needs to remember of each development to check the rules of SPEC §3.

A fact is a few dozen bytes, where a whole development is kilobytes: an aggregate keeps facts,
so that importing a million developments does not hold a million models in memory.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from events.catalogue import DEVELOPMENT_TYPES
from events.developments import Development
from events.values import FuzzyDate

#: the field holding the actors that matter to the rules, per type that has one
WHO: dict[str, str] = {
    name: cls.acting_field for name, cls in DEVELOPMENT_TYPES.items() if cls.acting_field}


class Fact(NamedTuple):
    type: str
    start: date
    end: date
    precision: str
    who: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    track: str | None = None  # an offer's, which names a new track
    recorded_at: datetime | None = None

    @property
    def label(self) -> str:
        return FuzzyDate(start=self.start, end=self.end, precision=self.precision).label()  # type: ignore[arg-type]


def who_of(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def fact_of(dev: Development) -> Fact:
    values = dev.__dict__  # the model's fields, read without pydantic's attribute machinery
    kind = values["type"]
    field = WHO.get(kind)
    occurred = values["occurred"]
    return Fact(
        type=kind,
        start=occurred.start,
        end=occurred.end,
        precision=occurred.precision,
        who=who_of(values.get(field)) if field else (),
        parties=tuple(values.get("parties") or ()),
        track=values.get("track") if kind == "mediation-offered" else None,
        recorded_at=values.get("recorded_at"),
    )


def patched(fact: Fact, changes: dict[str, Any]) -> Fact:
    """The fact with a correction's (validated, JSON) changes applied."""
    updates: dict[str, Any] = {}
    if "occurred" in changes:
        when = FuzzyDate.model_validate(changes["occurred"])
        updates.update(start=when.start, end=when.end, precision=when.precision)
    field = WHO.get(fact.type)
    if field and field in changes:
        updates["who"] = who_of(changes[field])
    return fact._replace(**updates) if updates else fact
