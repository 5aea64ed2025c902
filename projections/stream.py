"""Whole-store reads in bounded memory: `timeline` and `replay` item by item.

The plain queries (`Queries.timeline`, `Queries.replay`) hold every development of their scope
in memory and sort it there; they are the reference. These let the database sort (SQLite's
sorter and PostgreSQL's spill to temporary files past a bounded amount of memory; an index in
occurred order would cost every import its upkeep) and give the same items in the same order,
holding only the corrections and retractions (and the developments they correct) and one fold
per track. A property test holds the two side by side.
"""

from __future__ import annotations

import heapq
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from events.developments import fixed_width
from projections.db import ReadModelDB
from projections.fold import TrackFold
from projections.history import Current, Row, stamp
from projections.models import Step, TrackState

COLUMNS = "id, position, type, track, conflict, target, recorded_at, {body}, occurred_start, occurred_end"


class Streams:
    """Developments of the whole store in occurred order, as the plain queries give them."""

    def __init__(self, db: ReadModelDB):
        self.db = db

    def _select(self, where: str) -> str:
        return f"SELECT {COLUMNS.format(body=self.db.body)} FROM {self.db.records} WHERE {where}"

    def developments(self, known_at: datetime | None, until: date | None = None) -> Iterator[Current]:
        """Every development known at the instant, corrected and marked retracted, in occurred
        order (ties by log position), rounds numbered; those after `until` are left out."""
        known, params = "1=1", ()
        if known_at is not None:
            known, params = "recorded_at <= ?", (fixed_width(known_at.astimezone(UTC)),)
        fixes = [Row(*r) for r in self.db.all(
            self._select(f"target IS NOT NULL AND {known} ORDER BY position"), params)]
        corrections: dict[str, list[Row]] = defaultdict(list)
        for fix in sorted((f for f in fixes if f.type == "correction"),
                          key=lambda r: (stamp(r.recorded_at), r.position)):
            corrections[fix.target].append(fix)  # type: ignore[index]
        retractions = {f.target: f for f in fixes if f.type == "retraction"}
        moved = []  # corrected developments: their date may differ from the indexed one
        targets = sorted(corrections)
        for start in range(0, len(targets), 500):
            chunk = targets[start : start + 500]
            for values in self.db.all(self._select(
                    f"id IN ({','.join('?' * len(chunk))}) AND target IS NULL AND {known}"),
                    (*chunk, *params)):
                row = Row(*values)
                moved.append(Current(row, corrections[row.id], retractions.get(row.id)))
        moved.sort(key=order)
        collate = ' COLLATE "C"' if self.db.dialect == "postgres" else ""
        bound, bound_params = "", ()
        if until is not None:
            bound, bound_params = " AND occurred_start <= ?", (until.isoformat(),)
        indexed = (
            Current(row, [], retractions.get(row.id))
            for row in (Row(*values) for values in self.db.stream(
                self._select(f"target IS NULL AND {known}{bound} "
                             f"ORDER BY occurred_start{collate}, position"),
                (*params, *bound_params)))
            if row.id not in corrections
        )
        rounds: dict[str | None, int] = defaultdict(int)
        limit = until.isoformat() if until is not None else None
        for dev in heapq.merge(indexed, moved, key=order):
            if limit is not None and dev.start > limit:
                continue  # a correction moved it past the bound
            if dev.counts and dev.row.type == "talks-held":
                rounds[dev.row.track] += 1
                if dev.values.get("round") is None:
                    dev._values = {**dev.values, "round": rounds[dev.row.track]}
            yield dev

    def timeline(
        self, *, since: date | None = None, until: date | None = None,
        known_at: datetime | None = None,
    ) -> Iterator[dict[str, Any]]:
        """`Queries.timeline` of the whole store, one development at a time."""
        first = since.isoformat() if since else None
        for dev in self.developments(known_at, until):
            if first is None or dev.start >= first:
                yield dev.as_json()

    def replay(self, *, until: date, known_at: datetime | None = None) -> ReplayStream:
        """`Queries.replay` of the whole store: its steps one at a time, then its tracks."""
        return ReplayStream(self, until, known_at)


class ReplayStream:
    """The steps of a replay (iterate), then `tracks()` once they are consumed."""

    def __init__(self, streams: Streams, until: date, known_at: datetime | None):
        self.streams = streams
        self.until = until
        self.known_at = known_at
        self.folds: dict[str, TrackFold] = {}
        self.parties: dict[str, list[str]] = {}

    def __iter__(self) -> Iterator[Step]:
        for dev in self.streams.developments(self.known_at, self.until):
            if not dev.counts:
                continue
            state = None
            key = dev.row.track
            if key:
                fold = self.folds.get(key)
                if fold is None:
                    fold = self.folds[key] = TrackFold(key, self._parties(key))
                fold.apply(dev.values)
                state = fold.state(self.until)
            yield Step(development=dev.as_json(), track_state=state)

    def _parties(self, key: str) -> list[str]:
        found = self.streams.db.one("SELECT parties FROM rm_tracks WHERE key=?", (key,))
        return json.loads(found[0]) if found else []

    def tracks(self) -> list[TrackState]:
        return [self.folds[k].state(self.until) for k in sorted(self.folds)]


def order(dev: Current) -> tuple[str, int]:
    return (dev.start, dev.row.position)
