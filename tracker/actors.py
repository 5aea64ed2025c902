"""Who an actor is: ISO 3166 countries from maintained libraries, plus the registry.

Resolution order (SPEC §2): an exact code (registered or alpha-3) wins; then registered names
and aliases; then country names (see `tracker.countries`). A name resolves only by an exact
match, ignoring case, accents and extra spaces; two-letter ISO codes are never aliases. A name
several countries go by, a former country's name and anything unknown are refused with the
candidates, the successor states or the closest known names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from events.actors import Actor
from events.errors import InvalidInput
from events.values import printable
from tracker.countries import (
    EXTRA_ALIASES,
    SUCCESSORS,
    ambiguous_names,
    countries,
    country_names,
    former_countries,
    former_name,
    label,
    name_keys,
    normalise,
    press_name,
)

__all__ = ["EXTRA_ALIASES", "ActorDirectory", "countries", "country_names", "name_keys",
           "normalise", "press_name"]

REGISTER_HINT = "Register others with `tracker actors add CODE --name NAME`."


def country_code(key: str) -> str | None:
    """The alpha-3 code a normalised name means, if it means exactly one current country."""
    for variant in dict.fromkeys([key, normalise(key.replace(".", "")), normalise(key.replace("-", " "))]):
        if variant in ambiguous_names():
            return None
        code = country_names().get(variant) or press_name(variant)
        if code:
            return code
    return None


def listing(codes: Iterable[str]) -> str:
    """`A (Name), B (Name) or C (Name)`."""
    named = [f"{code} ({label(code)})" for code in codes]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"


class ActorDirectory:
    """Resolves what a user typed to an actor code, countries and registered actors alike."""

    def __init__(self, registered: Iterable[Actor] = ()):
        self.registered: dict[str, Actor] = {}
        self._registered_names: dict[str, str] = {}
        self.version = 0  # how many actors it has learnt: names may resolve otherwise since
        for actor in registered:
            self.add(actor)

    def add(self, actor: Actor) -> None:
        """Know one more registered actor."""
        self.version += 1
        self.registered[actor.code] = actor
        for key in name_keys(actor):
            self._registered_names[key] = actor.code

    def get(self, code: str) -> Actor | None:
        return self.registered.get(code) or countries().get(code)

    def name_of(self, code: str) -> str:
        actor = self.get(code)
        return actor.name if actor else code

    def resolve(self, text: str) -> str:
        """The code for a code or a known name; InvalidInput with suggestions otherwise."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("an actor cannot be empty; give a code such as PAK or a name")
        upper = text.strip().upper()
        if upper in self.registered or upper in countries():
            return upper
        key = normalise(text)
        code = self._registered_names.get(key) or country_code(key)
        if code:
            return code
        shown = printable(text.strip())
        if key in ambiguous_names():
            raise InvalidInput(
                f"'{shown}' may mean {listing(ambiguous_names()[key])}; give the code or the "
                "full name"
            )
        former = former_countries().get(key) or former_countries().get(normalise(text.replace(".", "")))
        if former:
            name = former_name(former)
            what = "a former country" if normalise(name) == key else f"{name}, a former country"
            successors = SUCCESSORS[former]
            which = "its successor" if len(successors) == 1 else "one of its successor states"
            raise InvalidInput(f"'{shown}' is {what}; name {which} instead: {listing(successors)}")
        raise InvalidInput(f"unknown actor '{shown}'; did you mean {self.suggest(text)}? {REGISTER_HINT}")

    def suggest(self, text: str, n: int = 3) -> str:
        """The closest known actors, as `CODE (Name)`."""
        names = {**country_names(), **self._registered_names}
        codes = {c.lower(): c for c in [*countries(), *self.registered]}
        key = normalise(text)
        hits: list[str] = []
        for cutoff in (0.6, 0.3):
            for match in difflib.get_close_matches(key, list(names) + list(codes), n=8, cutoff=cutoff):
                code = names.get(match) or codes[match]
                if code not in hits:
                    hits.append(code)
            if hits:
                break
        return ", ".join(f"{c} ({self._label(c)})" for c in hits[:n]) or "`tracker actors list --countries`"

    def _label(self, code: str) -> str:
        return self.registered[code].name if code in self.registered else label(code)
