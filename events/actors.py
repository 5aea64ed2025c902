"""Actors beyond the ISO 3166 countries: organisations, armed groups, movements."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from events.developments import Recordable
from events.values import ACTOR_CODE, Frozen

ActorKind = Literal["organisation", "armed-group", "movement", "government-body", "person", "other"]


class ActorRegistered(Recordable):
    """An actor code and its names became known to the registry."""

    type: Literal["actor-registered"] = "actor-registered"
    code: str = Field(pattern=ACTOR_CODE.pattern)
    name: str = Field(min_length=1, max_length=200)
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind = "organisation"


class Actor(Frozen):
    """A known actor as the registry and the country data describe it."""

    code: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str = "country"
