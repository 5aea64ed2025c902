"""The actor registry: organisations, armed groups and others beyond the countries."""

from __future__ import annotations

from events.actors import Actor, ActorRegistered
from events.developments import Recordable
from events.errors import InvalidInput, RuleViolation
from events.values import ACTOR_CODE, printable
from tracker.actors import name_keys
from tracker.aggregates import registry_rules
from tracker.aggregates.base import Aggregate, aggregate_id

REGISTRY_ID = aggregate_id("registry", "actors")


class ActorRegistry(Aggregate):
    def __init__(self, id=REGISTRY_ID):
        super().__init__(id)
        self.actors: dict[str, Actor] = {}
        self.names: dict[str, str] = {}  # every registered name and alias, normalised → code

    def apply(self, record: Recordable, version: int) -> None:
        assert isinstance(record, ActorRegistered)
        actor = Actor(code=record.code, name=record.name, aliases=record.aliases, kind=record.kind)
        self.actors[record.code] = actor
        for key in name_keys(actor):
            self.names[key] = actor.code

    def register(self, record: ActorRegistered) -> bool:
        """Record a new actor; False when the same code and name are already registered."""
        code = record.code
        if not ACTOR_CODE.match(code):
            raise InvalidInput(
                f"'{printable(code, 40)}' is not an actor code; use 2–16 upper-case letters, digits or _"
            )
        known = self.actors.get(code)
        if known is not None and known.name == record.name:
            return False
        problems = registry_rules.violations(record, self.actors, self.names)
        if problems:
            raise RuleViolation(problems[0])
        self.trigger(record)
        return True
