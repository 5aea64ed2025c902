"""GDELT 1.0 and 2.0 event exports: tab-separated, no header, told apart by their width.

Column layouts from the GDELT event codebooks as listed in linwoodc3/gdeltPyR
(`data/events1.csv`: 1.0, 57 columns in the backfile, 58 with SOURCEURL in the daily files;
`data/events2.csv`: 2.0, 61 columns, each geography with an ADM2 code). Codes stay strings:
CAMEO codes have leading zeros.

With the conflict's parties P and a third party M, what GDELT codes become:

- 039 (intent to mediate), M toward a party → `mediation-offered` by M for P;
- 038 / 126 (accept / reject mediation), a party toward M → `mediation-response` on M's track;
- 045 (mediate), M toward a party → `talks-held` on M's track, venue from ActionGeo_FullName;
- 165 (halt mediation), M toward a party → `mediator-left` from M's track;
- roots 18, 19, 20 between two parties → `incident-reported` (195 strike, 196 ceasefire
  violation, other 19x clash, 18x and 20x attack), location from ActionGeo_FullName;
- 0871 / 057 between two parties → `agreement-reached` (ceasefire / declaration) and 164 →
  `talks-collapsed`, on the conflict's one track.

GDELT writes one story as many rows (per actor pair, article and mention): rows that make the
same development (type, mediator or conflict, day) become one candidate citing every article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from events.errors import InvalidInput
from events.values import URL
from tracker.draft.shared import (
    MAX_SOURCES,
    Candidate,
    Conflict,
    Names,
    Tally,
    clip,
    gdelt_grade,
)

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_EVENT = ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
          "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
_GEO1 = ["Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"]
_GEO2 = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]


def _columns(geo: list[str], tail: list[str]) -> list[str]:
    return (["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
            + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR] + _EVENT
            + [f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in geo] + tail)


#: column count → (layout name, column name → index)
LAYOUTS = {
    len(cols): (name, {c: i for i, c in enumerate(cols)})
    for name, cols in [
        ("GDELT 1.0 backfile", _columns(_GEO1, ["DATEADDED"])),
        ("GDELT 1.0 daily", _columns(_GEO1, ["DATEADDED", "SOURCEURL"])),
        ("GDELT 2.0", _columns(_GEO2, ["DATEADDED", "SOURCEURL"])),
    ]
}
assert sorted(LAYOUTS) == [57, 58, 61]

#: CAMEO known-group codes that the registry may hold under a name rather than the code
GROUP_NAMES = {"UNO": "United Nations", "AFU": "African Union", "EUR": "European Union",
               "ARL": "Arab League", "NAT": "NATO", "OIC": "Organisation of Islamic Cooperation"}

MEDIATION = {"039": "offer", "038": "accepted", "126": "rejected", "045": "talks", "165": "left"}
BETWEEN = {"0871": "ceasefire", "057": "declaration", "164": "collapsed"}
FIGHTING = frozenset({"18", "19", "20"})
RELEVANT = frozenset(MEDIATION) | frozenset(BETWEEN)
#: EventCode and EventRootCode come before the geographies: the same place in every layout
EVENT_CODE, ROOT_CODE = 26, 28
assert all(c["EventCode"] == EVENT_CODE and c["EventRootCode"] == ROOT_CODE for _, c in LAYOUTS.values())


def incident_kind(code: str) -> str:
    if code.startswith("195"):
        return "strike"
    if code.startswith("196"):
        return "ceasefire-violation"
    return "clash" if code.startswith("19") else "attack"


@dataclass
class Story:
    """The rows that make one development."""

    what: str
    day: date
    actors: tuple[str, ...]  # the mediator (and party) or the two parties named
    codes: Counter = field(default_factory=Counter)
    cites: dict[str, list[str]] = field(default_factory=dict)  # url or citation → row ids
    distinct: set[int] = field(default_factory=set)  # hashes of every citation, listed or not
    quotes: dict[str, str] = field(default_factory=dict)
    places: Counter = field(default_factory=Counter)
    rows: int = 0
    uncited: int = 0  # the most sources a row without a citation claims

    def add(self, row: list[str], col: dict[str, int]) -> None:
        self.rows += 1
        self.codes[row[col["EventCode"]]] += 1
        place = row[col["ActionGeo_FullName"]].strip()
        if place:
            self.places[place] += 1
        url = row[col["SOURCEURL"]].strip() if "SOURCEURL" in col else ""
        if not url:
            self.uncited = max(self.uncited, int(row[col["NumSources"]] or 0) if row[col["NumSources"]].isdigit() else 1)
        self.distinct.add(hash(url))
        if url not in self.cites and len(self.cites) >= MAX_SOURCES:
            return  # counted, not listed: a story's memory stays bounded
        ids = self.cites.setdefault(url, [])
        if len(ids) < 30:
            ids.append(row[col["GLOBALEVENTID"]])
        self.quotes.setdefault(url, f"{row[col['Actor1Name']]} → {row[col['Actor2Name']]}, CAMEO {row[col['EventCode']]}")


class GdeltReader:
    """Streams the rows of one file into stories; `candidates` turns them into candidates."""

    def __init__(self, conflict: Conflict, names: Names, tally: Tally):
        self.conflict = conflict
        self.parties = set(conflict.parties)
        self.names = names
        self.tally = tally
        self.stories: dict[tuple[Any, ...], Story] = {}
        self._actors: dict[tuple[str, str, str], str | None] = {}
        self.layouts: Counter = Counter()

    def actor(self, row: list[str], col: dict[str, int], side: str) -> str | None:
        """The actor of one side: a registered known group (the UN as IGOUNO), else the country."""
        raw, country, group = (row[col[f"{side}Code"]], row[col[f"{side}CountryCode"]],
                               row[col[f"{side}KnownGroupCode"]])
        key = (raw, country, group)
        if key not in self._actors:
            found = None
            if group:
                for text in (raw, group, GROUP_NAMES.get(group)):
                    if text and (found := self.names.registered(text)):
                        break
            if found is None and country:
                found = self.names.exact(country)
            self._actors[key] = found
        return self._actors[key]

    def read(self, lines: Iterable[str]) -> int:
        """Reads every line; returns the number of the last. Most rows of a daily file carry a
        code of no interest: they are counted without a call."""
        widths: Counter = Counter()
        skipped = number = 0
        for number, text in enumerate(lines, start=1):
            row = text.rstrip("\r\n").split("\t")
            layout = LAYOUTS.get(len(row))
            if layout is None:
                if len(row) == 1 and not row[0].strip():
                    continue
                raise InvalidInput(
                    f"line {number} has {len(row)} tab-separated columns; GDELT event files have "
                    "57 (1.0 backfile), 58 (1.0 daily) or 61 (2.0): check the file and --format"
                )
            widths[len(row)] += 1
            if row[EVENT_CODE] not in RELEVANT and row[ROOT_CODE] not in FIGHTING:
                skipped += 1
                continue
            self.row(row, layout[1])
        self.tally.read += sum(widths.values())
        if skipped:
            self.tally.drop("CAMEO code neither mediation nor fighting", skipped)
        self.layouts.update({LAYOUTS[w][0]: n for w, n in widths.items()})
        return number

    def row(self, row: list[str], col: dict[str, int]) -> None:
        code = row[col["EventCode"]]
        what = MEDIATION.get(code) or BETWEEN.get(code)
        if what is None and row[col["EventRootCode"]] in FIGHTING:
            what = "incident:" + incident_kind(code)
        if what is None:
            self.tally.drop("CAMEO code neither mediation nor fighting")
            return
        raw_day = row[col["SQLDATE"]]
        try:
            day = date(int(raw_day[:4]), int(raw_day[4:6]), int(raw_day[6:8]))
        except ValueError:
            self.tally.drop("no valid SQLDATE")
            return
        if not self.conflict.in_window(day):
            self.tally.drop("outside --since/--until")
            return
        a1, a2 = self.actor(row, col, "Actor1"), self.actor(row, col, "Actor2")
        if (a1 in self.parties) != (a2 in self.parties) and None in (a1, a2):
            side = "Actor1" if a1 is None else "Actor2"
            group, country, raw = (row[col[f"{side}KnownGroupCode"]], row[col[f"{side}CountryCode"]],
                                   row[col[f"{side}Code"]])
            name = raw if group else (country or raw)  # what was looked up, as the file says it
            if name:
                self.tally.unresolved[name] += 1
                known = GROUP_NAMES.get(group, "")
                self.names.hint(name, group and (
                    f"CAMEO known group {group}{f' ({known})' if known else ''}: register the actor "
                    f"with the alias {raw}, e.g. `tracker actors add CODE --name NAME --alias {raw}`"))
                self.tally.drop("an actor does not resolve")
            else:
                self.tally.drop("an actor is blank")
            return
        if a1 not in self.parties and a2 not in self.parties:
            self.tally.drop("names no party of the conflict")
            return
        if what in MEDIATION.values():
            if what in ("accepted", "rejected"):
                party, mediator = a1, a2
            else:
                mediator, party = a1, a2
            if mediator is None or mediator in self.parties or party not in self.parties:
                self.tally.drop(f"CAMEO {code} not between a third party and a party")
                return
            key: tuple[Any, ...] = (what, mediator, party if what in ("accepted", "rejected") else "", day)
            actors = (mediator, party)
        else:
            if a1 not in self.parties or a2 not in self.parties or a1 == a2:
                self.tally.drop(f"CAMEO {code} not between two parties of the conflict")
                return
            key, actors = (what, day), (a1, a2)
        self.tally.kept += 1
        story = self.stories.get(key)
        if story is None:
            story = self.stories[key] = Story(what, day, actors)
        else:
            self.tally.merged += 1
        story.add(row, col)

    def candidates(self) -> list[Candidate]:
        return [self.candidate(s) for s in self.stories.values()]

    def candidate(self, story: Story) -> Candidate:
        name, parties = self.names.name, self.conflict.parties
        between = " and ".join(name(p) for p in parties)
        place = story.places.most_common(1)[0][0][:200] if story.places else None
        at = f" in {place}" if place else ""
        sources = self.sources(story)
        cited, rows = len(story.distinct), story.rows
        said = (f" (GDELT CAMEO {', '.join(sorted(story.codes))}: {rows} row{'s' * (rows > 1)}, "
                f"{cited} source{'s' * (cited > 1)}"
                + (f", {cited - len(sources)} not listed" if cited > len(sources) else "") + ").")
        what, m = story.what, story.actors[0]
        track = ("mediators", (m,))
        if what == "offer":
            kind, text, place_on = "mediation-offered", f"{name(m)} expresses intent to mediate between {between}", None
            fields: dict[str, Any] = {"mediators": [m], "parties": list(parties)}
        elif what in ("accepted", "rejected"):
            p = story.actors[1]
            kind, text, place_on = "mediation-response", f"{name(p)} {what.removesuffix('ed')}s mediation by {name(m)}", track
            fields = {"party": p, "response": what}
        elif what == "talks":
            kind, text, place_on = "talks-held", f"{name(m)} mediates between {between}{at}", track
            fields = {"venue": place}
        elif what == "left":
            kind, text, place_on = "mediator-left", f"{name(m)} halts its mediation between {between}", track
            fields = {"mediator": m, "reason": "GDELT CAMEO 165: halt mediation"}
        elif what.startswith("incident:"):
            incident = what.partition(":")[2]
            kind, text, place_on = "incident-reported", f"{incident.capitalize()} between {between}{at}", None
            fields = {"parties": list(parties), "kind": incident, "location": place}
        elif what == "collapsed":
            kind, text, place_on = "talks-collapsed", f"{between} halt negotiations", ("conflict",)
            fields = {"venue": None}
        else:
            verb = "declare a ceasefire" if what == "ceasefire" else "sign a formal agreement"
            kind, text, place_on = "agreement-reached", f"{between} {verb}", ("conflict",)
            fields = {"kind": what}
        if kind == "mediation-offered":
            place_on = track
        return Candidate(kind, start=story.day, occurred=story.day.isoformat(), summary=text + said,
                         fields=fields, sources=sources, place=place_on)

    def sources(self, story: Story) -> list[dict[str, Any]]:
        reliability, credibility = gdelt_grade(max(len(story.distinct) - (hash("") in story.distinct), story.uncited))
        out = []
        for cite, ids in story.cites.items():
            outlet = "GDELT " + ", ".join(ids)
            if len(outlet) > 190:
                outlet = outlet[:180].rpartition(",")[0] + " …"
            url = cite if len(cite) <= 2000 and URL.match(cite) else None  # as a Source takes it
            if cite and url is None:
                outlet = clip(f"{outlet} ({cite})", 200)
            out.append({"url": url, "outlet": outlet, "reliability": reliability,
                        "credibility": credibility, "quote": clip(story.quotes[cite], 4000)})
        return out


def read(handle: Any, path: str, conflict: Conflict, names: Names, tally: Tally) -> list[Candidate]:
    gdelt = GdeltReader(conflict, names, tally)
    lines = iter(handle)
    try:
        gdelt.read(lines)
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text; save it as UTF-8 and draft again") from None
    if gdelt.layouts:
        tally.notes.append("layouts: " + ", ".join(f"{n} rows {k}" for k, n in gdelt.layouts.items()))
    return gdelt.candidates()
