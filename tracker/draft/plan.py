"""Candidates onto tracks, checked as `import` will check them, then written in order.

A candidate is placed only where one track can be told: the track its mediators already run
(in the store or opened earlier in the draft), or a new one its own offer opens. It is dropped,
with the reason counted, where that is not so, where the store already has the same type on
the same track (or conflict) on the same day, or where a rule of SPEC §3 would refuse it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from pydantic import ValidationError

from events.catalogue import RECORD_TYPES
from tracker.draft.shared import Candidate, Conflict, KnownTrack, Tally, clip
from tracker.validation import explain

#: on one day, an offer is written before what happens on the track it opens
RANK = {"mediation-offered": 0, "mediator-joined": 1}


def day_of(dev: dict[str, Any]) -> str:
    return dev["occurred"]["start"]


def recorded_key(kind: str, scope: str, day: str, fields: dict[str, Any]) -> tuple[str, ...]:
    """What makes two developments the same one for a draft: type, track (or conflict) and
    day; incidents, of which a day may see several, by their location too, and responses by
    the party that answers."""
    detail = {"incident-reported": "location", "mediation-response": "party"}.get(kind)
    return (kind, scope, day, (fields.get(detail) or "") if detail else "")


class Plan:
    """Places candidates on the conflict's tracks, in occurred order."""

    def __init__(self, conflict: Conflict, tally: Tally):
        self.conflict = conflict
        self.tally = tally
        self.tracks: dict[str, KnownTrack] = {k: KnownTrack(t.key, t.parties, set(t.mediators))
                                              for k, t in conflict.tracks.items()}
        self.opened: dict[str, date] = {}  # tracks this draft opens → the day of their offer
        #: (type, track or conflict, day) of what the store holds, for nothing to be drafted twice
        self.recorded = {recorded_key(d["type"], d.get("track") or conflict.key, day_of(d), d)
                         for d in conflict.recorded if not d.get("retracted")}
        #: per track: (day, order, type, actor) of the mediator changes, store and draft
        self.changes: dict[str, list[tuple[str, int, str, str]]] = {}
        for d in conflict.recorded:
            if d.get("track") and not d.get("retracted"):
                for who in d.get("mediators") or [d.get("mediator") or d.get("by")]:
                    if who:
                        self.changes.setdefault(d["track"], []).append((day_of(d), 0, d["type"], who))

    def _tracks_of(self, mediators: Iterable[str]) -> list[str]:
        wanted = set(mediators)
        return sorted(k for k, t in self.tracks.items()
                      if t.parties == self.conflict.parties and wanted <= t.mediators)

    def place(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        ordered = sorted(candidates, key=lambda c: (c.start, RANK.get(c.type, 2)))
        placed: list[Candidate] = []
        # offers first, so that what follows on the same track finds it whatever its date
        for cand in ordered:
            if cand.type == "mediation-offered" or cand.opens_with is not None:
                placed.extend(self._open(cand))
        for cand in ordered:
            if cand.type != "mediation-offered" and cand.opens_with is None:
                if self._attach(cand):
                    placed.append(cand)
        placed.sort(key=lambda c: (c.start, RANK.get(c.type, 2)))
        return [c for c in placed if self._fresh(c) and self._rules_allow(c)]

    def _open(self, cand: Candidate) -> list[Candidate]:
        mediators = cand.place[1] if cand.place else cand.fields["mediators"]
        found = self._tracks_of(mediators)
        if len(found) > 1:
            self.tally.refused[f"{'+'.join(mediators)} mediate several tracks of {self.conflict.key} "
                               f"({', '.join(found)}): place by hand"] += 1
            return []
        if not found and cand.opens_with is not None:
            joined = self._joined(cand, mediators)
            if joined is not None:  # the track of some of its third parties, which the rest join
                return joined
        if found:
            key = found[0]
        else:
            key = f"{'+'.join(sorted(mediators))}:{self.conflict.key}"
            self.tracks[key] = KnownTrack(key, self.conflict.parties, set(mediators))
        out = []
        if cand.opens_with is not None:  # an agreement that implies a mediation
            if not found:
                offer = cand.opens_with
                offer.fields["track"] = key
                out.append(offer)
                self.opened.setdefault(key, offer.start)
            cand.fields["track"] = key
            out.append(cand)
            return out
        cand.fields["track"] = key
        self.tracks[key].mediators.update(mediators)
        if not found or key in self.opened:
            self.opened[key] = min(self.opened.get(key, cand.start), cand.start)
        return [cand]

    def _overlapping(self, mediators: Iterable[str]) -> list[str]:
        wanted = set(mediators)
        return sorted(k for k, t in self.tracks.items()
                      if t.parties == self.conflict.parties and wanted & t.mediators)

    def _joined(self, cand: Candidate, mediators: Iterable[str]) -> list[Candidate] | None:
        """An agreement whose third parties include the mediators of exactly one track, and
        more: it goes on that track, and the others join it on the agreement's day (rather
        than a parallel track of the same effort). None where no one track fits."""
        overlapping = self._overlapping(mediators)
        if len(overlapping) != 1:
            return None
        key = overlapping[0]
        track = self.tracks[key]
        offer = cand.opens_with
        assert offer is not None
        out = []
        for mediator in sorted(set(mediators) - track.mediators):
            out.append(Candidate(
                "mediator-joined", start=cand.start, occurred=cand.occurred,
                summary=clip(f"Inferred: {mediator} joins the mediation as a third party to "
                             f"'{cand.fields.get('terms', '')}'.", 4000),
                fields={"track": key, "mediator": mediator}, sources=offer.sources,
                occurred_note=clip(offer.occurred_note.replace("the offer came", "it joined")
                                   if offer.occurred_note else "", 500) or None,
            ))
        track.mediators.update(mediators)
        cand.fields["track"] = key
        return [*out, cand]

    def _attach(self, cand: Candidate) -> bool:
        if cand.place is None:
            return True
        if cand.place[0] == "conflict":
            found = sorted(k for k, t in self.tracks.items() if t.parties == self.conflict.parties)
            what = f"the conflict {self.conflict.key}"
        else:
            found = self._tracks_of(cand.place[1])
            what = f"{'+'.join(cand.place[1])} in {self.conflict.key}"
        if len(found) != 1:
            self.tally.refused[f"{cand.type}: no single track of {what} to place it on"
                               + (f" ({', '.join(found)})" if found else "")] += 1
            return False
        key = found[0]
        if key in self.opened and cand.start < self.opened[key]:
            self.tally.refused[f"{cand.type}: dated before the offer that opens its track"] += 1
            return False
        cand.fields["track"] = key
        return True

    def _fresh(self, cand: Candidate) -> bool:
        scope = cand.fields.get("track") or self.conflict.key
        if recorded_key(cand.type, scope, cand.start.isoformat(), cand.fields) in self.recorded:
            self.tally.refused[f"{cand.type}: the store already has one on {scope} that day"] += 1
            return False
        return True

    def _rules_allow(self, cand: Candidate) -> bool:
        """A mediator can leave (or suspend talks) only while it mediates: checked over the
        track's store and draft developments in occurred order, as `import` folds them."""
        track = cand.fields.get("track")
        if track is None:
            return True
        who = cand.fields.get("mediator") or cand.fields.get("by")
        mediators = cand.fields.get("mediators") or []
        changes = self.changes.setdefault(track, [])
        entry = [(cand.start.isoformat(), 1, cand.type, m) for m in (mediators or ([who] if who else []))]
        if cand.type in ("mediator-left", "talks-suspended") and not mediators_allow([*changes, *entry], self.conflict.parties):
            self.tally.refused[f"{cand.type}: {who} is not a mediator of {track} then"] += 1
            return False
        changes.extend(entry)
        return True


def mediators_allow(changes: list[tuple[str, int, str, str]], parties: tuple[str, ...]) -> bool:
    """Whether every leave and suspension in a track's changes comes from a mediator (or a
    party) of that time."""
    mediators: set[str] = set()
    for _, _, kind, who in sorted(changes):
        if kind in ("mediation-offered", "mediator-joined"):
            mediators.add(who)
        elif kind == "mediator-left":
            if who not in mediators:
                return False
            mediators.discard(who)
        elif kind == "talks-suspended" and who not in mediators and who not in parties:
            return False
    return True


def checked(cands: Iterable[Candidate], conflict: Conflict, tally: Tally) -> list[dict[str, Any]]:
    """The import lines of the candidates that the import's own models accept."""
    out = []
    context = {"resolve_actor": conflict.directory.resolve}
    for cand in cands:
        line = cand.line()
        try:
            RECORD_TYPES[cand.type].model_validate(line, context=context)
        except ValidationError as exc:
            tally.refused[f"{cand.type}: {explain(exc, cand.type).message}"] += 1
            continue
        out.append(line)
    return out


def opened_first(lines: list[dict[str, Any]], conflict: Conflict, tally: Tally) -> list[dict[str, Any]]:
    """Drop a track development whose track neither the store has nor an earlier offer of the
    draft opens (its offer was refused): `import` would refuse it."""
    known = set(conflict.tracks)
    out = []
    for line in lines:
        track = line.get("track")
        if line["type"] == "mediation-offered":
            known.add(track)
        elif track is not None and track not in known:
            tally.refused[f"{line['type']}: the offer that opens {track} was not drafted"] += 1
            continue
        out.append(line)
    return out


def registrations(conflict: Conflict) -> list[dict[str, Any]]:
    lines = []
    for actor in conflict.proposed:
        line = {"type": "actor-registered", "code": actor.code, "name": actor.name,
                "aliases": list(actor.aliases), "kind": actor.kind}
        RECORD_TYPES["actor-registered"].model_validate(line)
        lines.append(line)
    return lines


def write(lines: Iterable[dict[str, Any]], handle: TextIO) -> None:
    for line in lines:
        handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
