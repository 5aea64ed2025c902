"""What happened, in order: the timeline, the replay, the diff between two dates, one
development shown with its corrections, and the export (SPEC §4–5)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from events.catalogue import actor_codes
from events.errors import NotFound
from projections.catchup import read_rows
from projections.fold import TrackFold
from projections.history import (
    Current,
    Row,
    counted,
    current_developments,
    number_rounds,
    row_from_db,
)
from projections.lookups import prefilter
from projections.models import Replay, Shown, Step, TrackDiff
from projections.status import StatusQueries


class HistoryQueries(StatusQueries):
    """The history reads; `diff` compares two `status` results, hence the base."""

    def timeline(
        self,
        *,
        track: str | None = None,
        conflict: str | None = None,
        actor: str | None = None,
        since: date | None = None,
        until: date | None = None,
        known_at: datetime | None = None,
        conflicts: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Developments in occurred order, corrected, retracted ones kept and marked; of a
        track, a conflict, several conflicts (`conflicts`) or everything."""
        key = self.track_key(track) if track else None
        devs = number_rounds(self._developments(known_at, key, conflict, conflicts=conflicts))
        if key and conflict:  # filters combine
            devs = [d for d in devs if d.row.conflict == conflict]
        participants = self._participants(devs) if actor else {}
        result = []
        for dev in sorted(devs, key=lambda c: (c.start, c.row.position)):
            if since and dev.start < since.isoformat():
                continue
            if until and dev.start > until.isoformat():
                continue
            if actor and not (
                actor in actor_codes(dev.values)
                or actor in participants.get(dev.row.track or "", set())
            ):
                continue
            result.append(dev.as_json())
        return result

    @staticmethod
    def _participants(devs: list[Current]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for dev in devs:
            if dev.row.track and dev.values["type"] in ("mediation-offered", "mediator-joined"):
                found[dev.row.track] |= actor_codes(dev.values)
        return found

    def replay(
        self,
        *,
        until: date,
        track: str | None = None,
        known_at: datetime | None = None,
        tracks: list[str] | None = None,
        conflict: str | None = None,
    ) -> Replay:
        """Every counted development up to a date in occurred order, with its track's state;
        of one track, several (`tracks`: their steps only), a conflict or everything."""
        key = self.track_key(track) if track else None
        keys = [self.track_key(t) for t in tracks] if tracks is not None else None
        meta = self.tracks(keys or ([key] if key else None), [conflict] if conflict else None)
        folds: dict[str, TrackFold] = {}
        steps: list[Step] = []
        devs = self._developments(known_at, key, conflict, as_of=until, tracks=keys)
        for dev in counted(number_rounds(devs), until):
            state = None
            track_key = dev.row.track
            if track_key:
                fold = folds.setdefault(track_key, TrackFold(track_key, meta[track_key][1]))
                fold.apply(dev.values)
                state = fold.state(until)
            steps.append(Step(development=dev.as_json(), track_state=state))
        tracks = [folds[k].state(until) for k in sorted(folds)]
        return Replay(steps=steps, tracks=tracks)

    def diff(
        self,
        *,
        start: date,
        end: date,
        known_at: datetime | None = None,
        tracks: list[str] | None = None,
        conflict: str | None = None,
    ) -> list[TrackDiff]:
        """For each track with counted developments in (start, end], its status at both; of
        the tracks named, of a conflict's tracks, or of every track."""
        keys = [self.track_key(t) for t in tracks] if tracks else None
        if keys and conflict:  # filters combine
            keys = [k for k in keys if self.tracks([k])[k][0] == conflict]
            if not keys:
                return []
        before = {s.track: s.status for s in self.status(keys, as_of=start, known_at=known_at,
                                                         conflict=conflict)}
        after = {s.track: s.status for s in self.status(keys, as_of=end, known_at=known_at,
                                                        conflict=conflict)}
        changed: dict[str, list[str]] = defaultdict(list)
        for dev in counted(self._between(start, end, known_at, keys, conflict), end):
            if dev.row.track and dev.start > start.isoformat():
                changed[dev.row.track].append(dev.row.id)
        return [
            TrackDiff(
                track=key,
                from_status=before.get(key),
                to_status=after.get(key),
                developments=ids,
            )
            for key, ids in sorted(changed.items())
        ]

    def _between(
        self, start: date, end: date, known_at: datetime | None,
        keys: list[str] | None, conflict: str | None,
    ) -> list[Current]:
        """The developments that may count in (start, end], with every correction and
        retraction in scope: the rows outside the window are never read."""
        where, scoped = self.scope(None, conflict, keys, None)
        window, params = prefilter(None, known_at)
        rows = self._rows(
            f"WHERE {where} AND {window} AND (type IN ('correction', 'retraction') OR "
            "(occurred_start > ? AND occurred_start <= ?) OR EXISTS (SELECT 1 FROM rm_records fix "
            "WHERE fix.target = rm_records.id AND fix.type='correction'))",
            (*scoped, *params, start.isoformat(), end.isoformat()),
        )
        return current_developments(rows, known_at)

    def show(self, record_id: str, known_at: datetime | None = None) -> Shown:
        row = self.db.one("SELECT track, conflict, type FROM rm_records WHERE id=?", (record_id,))
        if row is None:
            raise NotFound(f"no development with id {record_id}; see ids with `tracker timeline`")
        track, conflict, kind = row
        if kind in ("correction", "retraction"):
            target = self.db.one("SELECT target FROM rm_records WHERE id=?", (record_id,))
            raise NotFound(
                f"{record_id} is a {kind} of {target[0]}; show that development instead"  # type: ignore[index]
            )
        devs = number_rounds(self._developments(known_at, track, None if track else conflict))
        for dev in devs:
            if dev.row.id == record_id:
                return Shown(
                    development={**dev.row.body, "retracted": dev.retraction is not None,
                                 "corrected": bool(dev.corrections)},
                    corrections=[c.body for c in dev.corrections],
                    retraction=dev.retraction.body if dev.retraction else None,
                    current=dev.as_json(),
                )
        raise NotFound(f"development {record_id} was not yet recorded at that instant")

    def export(
        self, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        """Actors, then every record in event-log order, as recorded. With --as-of, the
        developments whose corrected date is on or before it, with their corrections and
        retractions; with --known-at, what was recorded by then."""
        limit = known_at
        for (body,) in self.db.all("SELECT body FROM rm_actors ORDER BY position"):
            record = json.loads(body)
            if limit is None or datetime.fromisoformat(record["recorded_at"]) <= limit:
                yield record
        kept: set[str] | None = None
        if as_of is not None:
            rows: Iterable[Row] = self._rows()
            day = as_of.isoformat()
            kept = {c.row.id for c in current_developments(rows, known_at) if c.start <= day}  # type: ignore[arg-type]
        else:  # the whole log, a few thousand rows at a time
            rows = (row_from_db(r) for r in self.db.stream(read_rows(self.db)))
        for row in rows:
            if limit is not None and datetime.fromisoformat(row.recorded_at) > limit:
                continue
            if kept is not None and (row.target or row.id) not in kept:
                continue
            yield row.body




