"""ACLED exports (CSV with a header): political violence between the conflict's parties.

Both layouts are read by their column names: the current one (`event_id_cnty`, `iso`,
`disorder_type`, `civilian_targeting`, `tags` …) and the older one (`data_id`, `iso3`,
`event_id_no_cnty` …). Dates come as `2020-03-21`, `21 March 2020` or, from a spreadsheet,
`9-May-20`.

Battles, explosions/remote violence and violence against civilians whose two actors are two
parties of the conflict become `incident-reported`: battles a clash; air or drone strikes and
shelling a strike; other remote violence and violence against civilians an attack. State
forces (`Military Forces of Afghanistan (2014-)`, `Police Forces of Afghanistan (2014-) Afghan
Local Police`) are the state; `Civilians (Pakistan)` are the state's side only in violence
against civilians. ACLED's `time_precision` 2 (the week is known) and 3 (the month is known)
become the Monday-to-Sunday week and the calendar month holding the date. One row is one
event: rows are not merged.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tracker.draft.shared import (
    Candidate,
    Conflict,
    Names,
    Tally,
    acled_grade,
    clip,
    header_rows,
    month_of,
    parse_day,
    week_of,
)

REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "actor2", "fatalities")
STATE_FORCES = re.compile(r"^(?:(?:Military|Police|Navy|Air) Forces?|Government) of (.+?) \(\d{4}-(?:\d{4})?\)")
CIVILIANS = re.compile(r"^Civilians \((.+)\)$")
STRIKES = ("air/drone strike", "shelling/artillery/missile attack")


def incident_kind(event_type: str, sub_event_type: str) -> str | None:
    kind = event_type.strip().lower()
    if kind.startswith("battle"):
        return "clash"
    if "remote violence" in kind:
        return "strike" if sub_event_type.strip().lower() in STRIKES else "attack"
    if kind == "violence against civilians":
        return "attack"
    return None


class AcledReader:
    def __init__(self, conflict: Conflict, names: Names, tally: Tally):
        self.conflict = conflict
        self.parties = set(conflict.parties)
        self.names = names
        self.tally = tally
        self._actors: dict[tuple[str, bool], str | None] = {}

    def actor(self, text: str, against_civilians: bool) -> str | None:
        """The party an ACLED actor name stands for; None where it cannot be told."""
        key = (text, against_civilians)
        if key not in self._actors:
            found = None
            if m := STATE_FORCES.match(text):
                found = self.names.code(re.sub(r"^the ", "", m[1], flags=re.I), count=False)
            elif m := CIVILIANS.match(text):
                found = self.names.code(m[1], count=False) if against_civilians else None
            else:
                head, colon, tail = text.partition(":")
                for option in (text, tail.strip() if colon else "", head.strip() if colon else ""):
                    if option and (found := self.names.code(option, count=False)):
                        break
            self._actors[key] = found
        return self._actors[key]

    def row(self, get: Any) -> Candidate | None:
        kind = incident_kind(get("event_type"), get("sub_event_type"))
        if kind is None:
            self.tally.drop(f"event type '{get('event_type')}' is not fighting")
            return None
        day = parse_day(get("event_date"))
        if day is None:
            self.tally.drop("no valid event_date")
            return None
        if not self.conflict.in_window(day):
            self.tally.drop("outside --since/--until")
            return None
        names = get("actor1").strip(), get("actor2").strip()
        against = (get("event_type").strip().lower() == "violence against civilians"
                   or bool(get("civilian_targeting").strip()))
        codes = [self.actor(n, against) if n else None for n in names]
        if not any(c in self.parties for c in codes):
            self.tally.drop("names no party of the conflict")
            return None
        if None in codes:
            missing = names[codes.index(None)]
            if missing:
                self.tally.unresolved[missing] += 1
                self.names.code(missing, count=False)
                self.tally.drop("an actor does not resolve")
            else:
                self.tally.drop("one-sided (no second actor)")
            return None
        if not all(c in self.parties for c in codes) or codes[0] == codes[1]:
            self.tally.drop("not between two parties of the conflict")
            return None
        precision = get("time_precision").strip()
        occurred = {"2": week_of(day), "3": month_of(day)}.get(precision, day.isoformat())
        start = date.fromisoformat(occurred[:10])
        event_id = get("event_id_cnty") or get("data_id")
        reliability, credibility = acled_grade(int(precision) if precision.isdigit() else 1)
        place = ", ".join(p for p in (get("location"), get("admin1"), get("country")) if p.strip())
        fatalities = get("fatalities").strip()
        deaths = int(fatalities) if fatalities.isdigit() else None
        what = get("sub_event_type") or get("event_type")
        summary = (f"{what}: {names[0]} and {names[1]}" + (f" in {place}" if place else "")
                   + (f"; {deaths} fatalities" if deaths is not None else "") + f" (ACLED {event_id}).")
        self.tally.kept += 1
        return Candidate(
            "incident-reported", start=start, occurred=occurred, summary=clip(summary, 4000),
            fields={"parties": list(self.conflict.parties), "kind": kind,
                    "location": clip(place, 200) or None, "fatalities": deaths},
            sources=[{"url": None, "outlet": clip(f"ACLED {event_id}" + (f" ({get('source')})" if get("source") else ""), 200),
                      "reliability": reliability, "credibility": credibility,
                      "quote": clip(get("notes"), 4000) or None}],
            occurred_note="ACLED gives the week only" if precision == "2"
            else "ACLED gives the month only" if precision == "3" else None,
        )


def read(handle: Any, path: str, conflict: Conflict, names: Names, tally: Tally) -> list[Candidate]:
    acled = AcledReader(conflict, names, tally)
    found = (acled.row(get) for get in header_rows(handle, path, REQUIRED, "an ACLED export", tally))
    return [cand for cand in found if cand is not None]
