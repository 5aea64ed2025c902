"""Actors beyond the ISO 3166 countries: organisations, armed groups, movements."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from events.developments import Recordable
from events.values import ACTOR_CODE, Frozen, at_most, printable

#: most aliases one actor may have
MAX_ALIASES = 50

ActorKind = Literal["organisation", "armed-group", "movement", "government-body", "person", "other"]


class ActorRegistered(Recordable):
    """An actor code and its names became known to the registry."""

    type: Literal["actor-registered"] = "actor-registered"
    code: str = Field(json_schema_extra={"pattern": ACTOR_CODE.pattern})
    name: str = Field(min_length=1, max_length=200)
    aliases: Annotated[list[Annotated[str, Field(max_length=200)]], at_most(MAX_ALIASES, "aliases")] = Field(
        default_factory=list)
    kind: ActorKind = "organisation"

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not ACTOR_CODE.match(value):
            raise ValueError(
                f"'{printable(value, 40)}' is not an actor code; use 2–16 upper-case letters, digits or _, "
                "starting with a letter (e.g. RSF, AU)"
            )
        return value

    @field_validator("name", "aliases")
    @classmethod
    def _not_blank(cls, value: str | list[str], info: ValidationInfo) -> str | list[str]:
        if info.context is None:  # a stored record, read back as it was written
            return value
        for name in [value] if isinstance(value, str) else value:
            if not name.strip():
                what = "a name" if info.field_name == "name" else "an alias"
                raise ValueError(f"{what} cannot be blank; give the name or leave it out")
        return value


class Actor(Frozen):
    """A known actor as the registry and the country data describe it."""

    code: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str = "country"
