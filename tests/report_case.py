"""A made-up case of many tracks, for the report tests: every status, every development type,
interval dates, a correction and a retraction. Deterministic, so pictures can be compared."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta
from typing import Any

NS = uuid.UUID("5b0c8d4e-0a3f-4f61-9d38-3c1e7a2b9f10")
CONFLICTS = [("ETH", "ERI"), ("SDN", "SSD"), ("ARM", "AZE"), ("COD", "RWA"), ("RSF", "SDN")]
MEDIATORS = ["NOR", "CHE", "QAT", "TUR", "KEN", "ZAF", "USA", "FRA", "DEU", "EGY", "SAU", "ARE", "IDN", "BRA", "JPN"]
SCENARIOS = [
    ["offer", "welcomed", "scheduled", "held", "held", "agreement"],
    ["offer", "rejected"],
    ["offer", "welcomed", "held", "suspended", "held", "collapsed"],
    ["offer"],
    ["offer", "accepted", "accepted", "held", "agreement", "left"],
    ["offer", "noncommittal", "scheduled"],
    ["offer", "welcomed", "held", "held", "held"],
]


def ident(*parts: Any) -> str:
    return str(uuid.uuid5(NS, "/".join(map(str, parts))))


def source(n: int) -> list[dict[str, Any]]:
    grades = [("A", 2), ("B", 2), ("C", 3), ("D", 4), ("F", 6)]
    rel, cred = grades[n % len(grades)]
    return [{"url": f"https://news.example.org/story/{n}", "outlet": f"Outlet {n % 7}",
             "reliability": rel, "credibility": cred}]


def many_tracks(n: int = 30, seed: int = 6) -> list[dict[str, Any]]:
    """JSON lines (as `tracker import` reads them) for `n` tracks over two years."""
    rng = random.Random(seed)
    lines: list[dict[str, Any]] = [
        {"type": "actor-registered", "code": "RSF", "name": "Rapid Support Forces", "kind": "armed-group"}
    ]
    start = date(2024, 1, 8)
    for c, parties in enumerate(CONFLICTS):
        for k in range(4):
            day = start + timedelta(days=rng.randrange(0, 700))
            lines.append({
                "type": "incident-reported", "id": ident("incident", c, k), "parties": list(parties),
                "kind": rng.choice(["clash", "strike", "attack", "ceasefire-violation"]),
                "location": "border", "occurred": day.isoformat(),
                "summary": f"Incident {k} on the {parties[0]}–{parties[1]} border.", "sources": source(k),
            })
    for t in range(n):
        parties = CONFLICTS[t % len(CONFLICTS)]
        mediators = sorted({MEDIATORS[t % len(MEDIATORS)], *([MEDIATORS[(t * 7 + 3) % len(MEDIATORS)]] if t % 4 == 0 else [])})
        key = f"{'+'.join(mediators)}:{'-'.join(sorted(parties))}:{t}"
        day = start + timedelta(days=rng.randrange(0, 420))
        answered: list[str] = []
        for step, what in enumerate(SCENARIOS[t % len(SCENARIOS)]):
            day += timedelta(days=rng.randrange(5, 70))
            line: dict[str, Any] = {"id": ident(t, step), "track": key, "occurred": day.isoformat(),
                                    "summary": f"Track {t}: {what}.", "sources": source(t + step)}
            if what == "offer":
                line.update(type="mediation-offered", mediators=mediators, parties=list(parties))
            elif what in ("welcomed", "accepted", "rejected", "noncommittal"):
                party = [p for p in parties if p not in answered][0] if what == "accepted" else parties[0]
                answered.append(party)
                line.update(type="mediation-response", party=party, response=what)
            elif what == "scheduled":
                line.update(type="talks-scheduled", venue="Geneva",
                            scheduled_for=(day + timedelta(days=20)).isoformat())
            elif what == "held":
                line.update(type="talks-held", venue="Geneva")
            elif what == "suspended":
                line.update(type="talks-suspended", by=parties[1], reason="walked out")
            elif what == "collapsed":
                line.update(type="talks-collapsed", venue="Geneva", reason="no agreement on sequencing")
            elif what == "agreement":
                line.update(type="agreement-reached", kind="ceasefire", terms="a ceasefire")
            elif what == "left":
                line.update(type="mediator-left", mediator=mediators[0], reason="mandate ended")
                if len(mediators) > 1:
                    lines.append({**line, "id": ident(t, step, "b"), "mediator": mediators[1]})
            lines.append(line)
    lines[1:] = sorted(lines[1:], key=lambda x: x["occurred"])
    lines.append({"type": "statement-issued", "id": ident("statement"), "actor": "ETH",
                  "parties": ["ERI", "ETH"], "stance": "accuses", "occurred": "2024-11",
                  "summary": "Addis Ababa accuses Asmara of massing troops.", "sources": source(3)})
    lines.append({"type": "correction", "target": ident(0, 1), "changes": {"summary": "Track 0: welcomed, with conditions."},
                  "reason": "the full statement adds conditions"})
    lines.append({"type": "retraction", "target": ident(2, 4), "reason": "the report was a hoax"})
    return lines


def as_jsonl(lines: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(line) + "\n" for line in lines)
