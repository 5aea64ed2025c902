"""Who a sentence names: countries by name, capital or adjective ("Kabul", "Qatari"),
registered actors and well-known organisations by name or alias, officials by the name the
article gave them with their title ("Russian Ambassador to Pakistan, Albert Khorev" speaks for
Russia from then on, and so does "Khorev"), and institutions by their abbreviation ("Pakistan's
Foreign Office (FO)", then "the FO").

Adjectives and the press's names come from countrynames' curated list as the project reads it
(`tracker.countries`), not through countrynames' own lookup, whose index of every name in
every language takes seconds to build.

A capital or a city after "in", "at" or "to" is a place (the venue of talks), not an actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from events.actors import Actor
from tracker.actors import ActorDirectory, country_names, normalise
from tracker.countries import _press, ambiguous_names
from tracker.draft.text.patterns import raw

WORD = re.compile(r"[A-Z][\w.’'-]*[\w]|[A-Z]")
PLACE_BEFORE = re.compile(r"\b(?:in|at|to|near|from|outside|across|via|into)\s+(?:the\s+)?$", re.I)
#: cities the country data reads as their country, which are places when talks are held there
CITIES = {"istanbul", "jeddah", "geneva", "washington", "washington dc"}
#: "UN-brokered", "Qatar-mediated": the actor before the hyphen brokered it ("Rwanda-backed" is
#: left alone: backing is not mediating)
AGENT_PREFIX = re.compile(r"-(?:brokered|mediated|hosted|facilitated|sponsored)$", re.I)
#: an office in lower case after a country ("top diplomat", "chief negotiator", "security adviser")
LOWER_TITLE = r"(?:official|adviser|advisor|diplomat|envoy|negotiator|minister|spokesman|spokeswoman|spokesperson|chief|commander|leader|president|ambassador)"
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Mention:
    code: str
    start: int
    end: int
    text: str
    how: str  # name | adjective | person | institution
    place: str = ""  # "capital" or "city" where the name is used as a place

    def speaker(self) -> str | None:
        return self.text if self.how == "person" else None


class Gazetteer:
    """Names → codes for one draft; it learns the article's officials as it reads."""

    def __init__(self, directory: ActorDirectory, proposed: list[Actor]):
        self.directory = directory
        self.proposed = proposed
        data = raw()["actors"]
        self.names: dict[str, str] = dict(country_names())
        self.names.update((normalise(k), v) for k, v in data.get("aliases", {}).items())
        self.known: dict[str, Actor] = {}
        for item in data.get("known", []):
            actor = Actor(code=item["code"], name=item["name"], aliases=item.get("aliases", []), kind=item["kind"])
            for key in (actor.name, *actor.aliases):
                self.known[normalise(key)] = actor
        for actor in directory.registered.values():
            for key in (actor.code, actor.name, *actor.aliases):
                self.names[normalise(key)] = actor.code
        self.seen: set[str] = set()  # codes the article has named, for "Congo" once "DRC" is named
        self.people: dict[str, tuple[str, str]] = {}  # name or surname → (code, full name)
        spelt = [n for item in data.get("known", []) for n in (item["name"], *item.get("aliases", []))]
        spelt += [a for x in directory.registered.values() for a in x.aliases]
        lowered = sorted({n for n in spelt if " " in n and any(w[:1].islower() for w in n.split())}, key=len, reverse=True)
        self.lowered = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in lowered) + r")\b", re.I) if lowered else None
        self.not_names = set(data.get("not_names", []))
        self.blocked = {normalise(x) for x in data.get("not_actors", [])}
        self.honorifics = set(data.get("honorifics", []))
        titles = sorted(data.get("titles", []), key=len, reverse=True)
        self.title = "|".join(re.escape(t) for t in titles)
        institutions = sorted(data.get("institutions", []), key=len, reverse=True)
        self.institution = "|".join(re.escape(t) for t in institutions)

    def code(self, phrase: str) -> str | None:
        phrase = AGENT_PREFIX.sub("", phrase)
        key = normalise(POSSESSIVE.sub("", phrase))
        if not key:
            return None
        if key in self.names:
            return self.names[key]
        if key in self.known:
            return self._adopt(self.known[key])
        if key in ambiguous_names():  # "Congo": the one of its candidates the article names outright
            named = [c for c in ambiguous_names()[key] if c in self.seen]
            return named[0] if len(named) == 1 else None
        saint = re.sub(r"^st\.? ", "saint ", key)  # "St Vincent", "St. Lucia"
        for variant in dict.fromkeys([key.rstrip("."), key.replace(".", ""), key.replace("-", " "), saint]):
            if variant in self.names:
                return self.names[variant]
            if len(variant) >= 4 and (code := _press()[0].get(variant)):  # adjectives, press names: "Qatari"
                return code
        return None

    def kind(self, code: str) -> str:
        """"armed-group", "organisation" … for a registered or well-known actor; "" for a country."""
        actor = self.directory.get(code)
        return getattr(actor, "kind", "") or ""

    def _adopt(self, actor: Actor) -> str:
        """A well-known organisation or group the store does not know: proposed for registration."""
        if self.directory.get(actor.code) is None:
            self.directory.add(actor)
            self.proposed.append(actor)
        for key in (actor.code, actor.name, *actor.aliases):
            self.names[normalise(key)] = actor.code
        return actor.code

    def find(self, sentence: str) -> list[Mention]:
        """The actors of a sentence in text order, longest names first, each span once."""
        words = [(m.start(), m.end()) for m in WORD.finditer(sentence)]
        found: list[Mention] = []
        used: set[int] = set()
        # names with a word in lower case ("Sudanese army"), which the capitalised words miss
        if self.lowered is not None:
            for m in self.lowered.finditer(sentence):
                if code := self.code(m[0]):
                    found.append(Mention(code, m.start(), m.end(), m[0], "name"))
                    used.update(i for i, (s, e) in enumerate(words) if m.start() <= s < m.end())
        for n in range(min(5, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                if used & set(range(i, i + n)):
                    continue
                start, end = words[i][0], words[i + n - 1][1]
                phrase = sentence[start:end]
                if n > 1 and re.search(r"[,;:.!?“”\"()]\s", phrase):
                    continue
                if normalise(phrase) in self.blocked:  # "Latin American" is no American
                    used.update(range(i, i + n))
                    continue
                mention = self._mention(sentence, start, end, phrase)
                if mention:
                    found.append(mention)
                    used.update(range(i, i + n))
        self.seen.update(m.code for m in found)
        return sorted(found, key=lambda m: m.start)

    def _mention(self, sentence: str, start: int, end: int, phrase: str) -> Mention | None:
        person = self.people.get(normalise(POSSESSIVE.sub("", phrase)))
        if person:
            return Mention(person[0], start, end, person[1], "person")
        code = self.code(phrase)
        if code is None:
            return None
        bare = normalise(POSSESSIVE.sub("", phrase))
        how = "adjective" if bare not in self.names and bare not in self.known else "name"
        place = self._is_city(bare, code) if PLACE_BEFORE.search(sentence[:start]) else ""
        if PLACE_BEFORE.search(sentence[:start]) and re.match(r"\s+capital\b", sentence[end:]):
            place = "capital"  # "in the Qatari capital" is Doha
        return Mention(code, start, end, phrase, how, place)

    def _is_city(self, key: str, code: str) -> str:
        from tracker.countries import _gazetteer

        capital = (_gazetteer().get(code) or {}).get("capital") or ""
        return "capital" if key == normalise(capital) else "city" if key in CITIES else ""

    def learn(self, sentence: str, mentions: list[Mention]) -> None:
        """Officials and institutions that the sentence introduces with their country."""
        name = r"((?:[A-Z][\w’'.-]+\s+){0,5}[A-Z][\w’'-]+)"
        for m in mentions:
            if m.how == "person" or m.place:
                continue
            after = sentence[m.end:]
            title = re.match(rf"(?:'s|’s)?\s+(?:{self.title})(?:\s+(?:to|of|for)\s+(?:the\s+)?[A-Z][\w-]+)?,?\s+{name}", after)
            if title:
                self._person(title[1], m.code)
            if self.institution and (inst := re.match(rf"(?:'s|’s)?\s+(?:{self.institution})\s+\(([A-Z]{{2,6}})\)", after, re.I)):
                self.names.setdefault(normalise(inst[1]), m.code)
            # "Iran's top security official, Ali Shamkhani", "Saudi national security adviser Musaed Al-Aiban"
            if plain := re.match(rf"(?:'s|’s)?\s+(?:[a-z-]+\s+){{0,3}}{LOWER_TITLE},?\s+{name}", after):
                self._person(plain[1], m.code)
            before = sentence[:m.start]
            if appositive := re.search(rf"{name},\s+(?:the\s+)?$", before):
                if re.match(rf"(?:'s|’s)?\s+(?:{self.title})", after):
                    self._person(appositive[1], m.code)

    def _person(self, full: str, code: str) -> None:
        parts = [w for w in full.split() if w not in self.honorifics]
        # a surname that is only a country's adjective in another language ("Misri") is still
        # the official's name; one that is a country's own name ("Jordan") is not learnt
        if not parts or parts[0] in self.not_names or normalise(parts[-1]) in self.names:
            return
        full = " ".join(full.split())
        self.people[normalise(full)] = (code, full)
        for part in {parts[-1], parts[0]} if len(parts) > 1 else {parts[-1]}:
            if len(part) > 3 and part not in self.not_names and normalise(part) not in self.names:
                self.people.setdefault(normalise(part), (code, full))
