"""The actor registry: organisations, armed groups and others beyond the countries."""

from __future__ import annotations

from events.actors import Actor, ActorRegistered
from events.developments import Recordable
from events.errors import InvalidInput, RuleViolation
from events.values import ACTOR_CODE, printable
from tracker.actors import countries, country_names, listing, name_keys, normalise
from tracker.aggregates.base import Aggregate, aggregate_id
from tracker.countries import ambiguous_names

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
        if code in countries():
            raise RuleViolation(
                f"{code} is the ISO 3166 code of {countries()[code].name} and is known already; "
                "choose another code for this actor"
            )
        known = self.actors.get(code)
        if known is not None:
            if known.name == record.name:
                return False
            raise RuleViolation(
                f"the code {code} is taken by '{known.name}'; choose another code for "
                f"'{record.name}'"
            )
        for what, name in [("name", record.name), *(("alias", alias) for alias in record.aliases)]:
            taken = name.strip().upper()
            if taken in self.actors or taken in countries():
                owner = (self.actors.get(taken) or countries()[taken]).name
                raise RuleViolation(
                    f"the {what} '{name}' is the code of {owner}; give a name, not an actor code"
                )
        for name in [record.name, *record.aliases]:
            key = normalise(name)
            if key in ambiguous_names():
                raise RuleViolation(
                    f"the name '{name}' may mean {listing(ambiguous_names()[key])}; choose a "
                    "distinct name or alias"
                )
            owner = self.names.get(key) or country_names().get(key)
            if owner:
                raise RuleViolation(
                    f"the name '{name}' already belongs to {owner}; choose a distinct name or alias"
                )
        self.trigger(record)
        return True
