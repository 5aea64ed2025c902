"""SELECT-only queries over the read models, returning read models (SPEC §4–6)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from events.catalogue import ACTOR_FIELDS
from events.developments import fixed_width
from events.errors import InvalidInput, NotFound
from projections.catchup import fold_track, read_rows
from projections.db import ReadModelDB
from projections.fold import TrackFold
from projections.history import (
    Current,
    Row,
    counted,
    current_developments,
    number_rounds,
    row_from_db,
)
from projections.models import Replay, Shown, Step, TrackDiff, TrackState

ACTOR_KEYS = ACTOR_FIELDS  # the fields that name actors, in any type


class Queries:
    def __init__(self, db: ReadModelDB):
        self.db = db

    # -- lookups -----------------------------------------------------------------------
    def locate(self, record_id: UUID) -> tuple[str, str] | None:
        """Where a record lives: ("track", key) or ("conflict", key); None if unknown."""
        key = str(record_id)
        return self.locate_many([key])[key]

    def locate_many(
        self, ids: list[str], stored: dict[str, tuple[str, bytes]] | None = None
    ) -> dict[str, tuple[str, str] | None]:
        """`locate` for many ids, in chunks of one query each; with `stored`, also puts the
        stored event (topic, state) of each record found there, read in the same query."""
        found: dict[str, tuple[str, str] | None] = dict.fromkeys(ids)
        what = f", {self.db.stored_event} FROM {self.db.records}" if stored is not None else " FROM rm_records"
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rid, track, conflict, *event in self.db.all(
                f"SELECT rm_records.id, track, conflict{what} WHERE rm_records.id IN ({marks})", tuple(chunk)
            ):
                found[rid] = ("track", track) if track else ("conflict", conflict)
                if event:
                    stored[rid] = (event[0], bytes(event[1]))  # type: ignore[index]
        return found

    def track_key(self, key: str) -> str:
        """The stored spelling of a track key; keys match case-insensitively."""
        row = self.db.one("SELECT key FROM rm_tracks WHERE folded=?", (key.casefold(),))
        if row is None:
            raise NotFound(f"unknown track '{key}'; see the known tracks with `tracker status`")
        return row[0]

    def tracks(
        self, keys: list[str] | None = None, conflicts: list[str] | None = None
    ) -> dict[str, tuple[str, list[str]]]:
        """Every track, or those named or of the conflicts named: key → (conflict, parties)."""
        where, params = "", ()
        if keys is not None:
            where, params = f"WHERE key IN ({marks(keys)})", tuple(keys)
        elif conflicts is not None:
            where, params = f"WHERE conflict IN ({marks(conflicts)})", tuple(conflicts)
        return {
            key: (conflict, json.loads(parties))
            for key, conflict, parties in self.db.all(
                f"SELECT key, conflict, parties FROM rm_tracks {where} ORDER BY key", params
            )
        }

    def _rows(self, where: str = "", params: tuple[Any, ...] = ()) -> list[Row]:
        return [
            row_from_db(r)
            for r in self.db.all(read_rows(self.db, where), params)
        ]

    def has_stream(self, kind: str, key: str) -> bool:
        """Whether a track (any casing) or a conflict with conflict-level records is known."""
        if kind == "track":
            return self.db.one("SELECT 1 FROM rm_tracks WHERE folded=?", (key.casefold(),)) is not None
        return self.db.one(
            "SELECT 1 FROM rm_records WHERE conflict=? AND track IS NULL LIMIT 1", (key,)
        ) is not None

    def actors(self) -> list[dict[str, Any]]:
        return [json.loads(body) for (body,) in self.db.all("SELECT body FROM rm_actors ORDER BY code")]

    # -- status ------------------------------------------------------------------------
    def status(
        self,
        tracks: list[str] | None = None,
        *,
        as_of: date,
        known_at: datetime | None = None,
        conflict: str | None = None,
    ) -> list[TrackState]:
        """The state of each track with counted developments, sorted by key."""
        wanted = [self.track_key(t) for t in tracks] if tracks else None
        if known_at is None:
            return self._cached_status(wanted, as_of, conflict)
        return self._folded_status(wanted, as_of, known_at, conflict)

    def status_text(
        self, tracks: list[str] | None = None, *, as_of: date, conflict: str | None = None
    ) -> str | None:
        """`status`'s compact JSON array, printed from the cached states as they are; None
        when a track's cached state does not hold as of that date (the caller folds)."""
        wanted = [self.track_key(t) for t in tracks] if tracks else None
        texts, stale = self._cached(wanted, as_of, conflict)
        return None if stale else "[" + ", ".join(texts) + "]"

    def _cached_status(
        self, wanted: list[str] | None, as_of: date, conflict: str | None
    ) -> list[TrackState]:
        """Today's states as the catch-up folded them; re-folded where a date reaches past."""
        texts, stale = self._cached(wanted, as_of, conflict)
        states = [TrackState.model_validate_json(text) for text in texts]
        if stale:
            states += self._folded_status(stale, as_of, None, conflict)
        return sorted(states, key=lambda s: s.track)

    def _cached(
        self, wanted: list[str] | None, as_of: date, conflict: str | None
    ) -> tuple[list[str], list[str]]:
        """The cached states (JSON, by key) that hold as of a date, and the keys of the tracks
        whose dates reach past it."""
        limit = as_of.isoformat()
        texts: list[str] = []
        stale: list[str] = []
        where, params = "", ()
        if wanted is not None:
            where, params = f"WHERE key IN ({marks(wanted)})", tuple(wanted)
        elif conflict:
            where, params = "WHERE conflict=?", (conflict,)
        for key, state, max_end, track_conflict in self.db.all(
            f"SELECT key, state, max_end, conflict FROM rm_tracks {where} ORDER BY key", params
        ):
            if (wanted is not None and key not in wanted) or (conflict and track_conflict != conflict):
                continue
            if max_end is not None and max_end > limit or state is not None and not sound(state):
                stale.append(key)  # re-folded from the log (a damaged cache is too)
            elif state is not None:
                texts.append(state)
        return texts, stale

    def _folded_status(
        self,
        wanted: list[str] | None,
        as_of: date,
        known_at: datetime | None,
        conflict: str | None,
    ) -> list[TrackState]:
        meta = self.tracks(wanted, [conflict] if conflict and wanted is None else None)
        keys = [k for k in (wanted or meta) if not conflict or meta[k][0] == conflict]
        window, params = prefilter(as_of, known_at)
        if wanted is not None and len(keys) <= 20:
            rows_by_track = {k: self._rows(f"WHERE conflict=? AND track=? AND {window}",
                                           (meta[k][0], k, *params)) for k in keys}
        else:
            scope = "conflict=? AND" if conflict else ""
            rows_by_track = defaultdict(list)
            for row in self._rows(f"WHERE {scope} track IS NOT NULL AND {window}",
                                  ((conflict,) if conflict else ()) + params):
                rows_by_track[row.track].append(row)  # type: ignore[index]
        states = []
        for key in sorted(keys):
            fold = fold_track(key, meta[key][1], rows_by_track.get(key, []), as_of, known_at)
            if fold.count:
                states.append(fold.state(as_of))
        return states

    # -- history -----------------------------------------------------------------------
    def _developments(
        self,
        known_at: datetime | None,
        track: str | None = None,
        conflict: str | None = None,
        *,
        as_of: date | None = None,
        tracks: list[str] | None = None,
        conflicts: list[str] | None = None,
    ) -> list[Current]:
        window, params = prefilter(as_of, known_at)
        where, scoped = self.scope(track, conflict, tracks, conflicts)
        return current_developments(self._rows(f"WHERE {where} AND {window}", (*scoped, *params)),
                                    known_at)

    def scope(
        self,
        track: str | None = None,
        conflict: str | None = None,
        tracks: list[str] | None = None,
        conflicts: list[str] | None = None,
    ) -> tuple[str, tuple[Any, ...]]:
        """SQL that keeps the records of one track, of a list of tracks (their own records
        only), of one conflict or of a list of conflicts (their tracks' records and their
        incidents and statements), or of everything; each by the (conflict, track) index."""
        if track:
            tracks = [track]
        if tracks is not None:
            found = sorted({c for c, _ in self.tracks(tracks).values()})
            if not found:
                return "1=0", ()
            return (f"conflict IN ({marks(found)}) AND track IN ({marks(tracks)})",
                    (*found, *tracks))
        if conflict:
            conflicts = [conflict]
        if conflicts is not None:
            return (f"conflict IN ({marks(conflicts)})", tuple(conflicts)) if conflicts else ("1=0", ())
        return "1=1", ()

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
                actor in named_actors(dev.values)
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
                found[dev.row.track] |= named_actors(dev.values)
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

    def resolve_id(self, text: str) -> str:
        """A full id from an id or a unique prefix of at least 8 characters (as tables show)."""
        text = text.strip().lower()
        if len(text) < 8 or len(text) > 36 or any(c not in "0123456789abcdef-" for c in text):
            raise InvalidInput(
                f"'{text}' is not a development id (a UUID, or its first 8 or more characters); "
                "see ids with `tracker timeline`"
            )
        if self.db.dialect == "sqlite":
            # a range of the unique index (SQLite's LIKE ignores case, so it scans every row):
            # ids are lower-case hex digits and hyphens, all before "g"
            found = self.db.all("SELECT id FROM rm_records WHERE id >= ? AND id < ? LIMIT 2",
                                (text, text + "g"))
        else:
            found = self.db.all("SELECT id FROM rm_records WHERE id LIKE ? LIMIT 2", (text + "%",))
        if len(found) != 1:
            raise NotFound(
                f"no development with id {text}; see ids with `tracker timeline`"
                if not found
                else f"the id prefix {text} is ambiguous; give more characters"
            )
        return found[0][0]

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


def prefilter(as_of: date | None, known_at: datetime | None) -> tuple[str, tuple[Any, ...]]:
    """SQL that drops rows which cannot count before they are parsed: developments that
    occurred after the as-of date (unless a correction may move them) and records made after
    the known-at instant. Python applies the exact rules of SPEC §5 to what remains."""
    clauses, params = ["1=1"], []
    if as_of is not None:
        clauses.append(  # by the index on target: a scan of every correction is not flat
            "(occurred_start IS NULL OR occurred_start <= ? OR EXISTS (SELECT 1 FROM rm_records "
            "fix WHERE fix.target = rm_records.id AND fix.type='correction'))"
        )
        params.append(as_of.isoformat())
    if known_at is not None:
        clauses.append("recorded_at <= ?")
        params.append(fixed_width(known_at.astimezone(UTC)))
    return " AND ".join(clauses), tuple(params)


def marks(values: list[Any]) -> str:
    """Placeholders for an IN list."""
    return ",".join("?" * len(values))


def named_actors(values: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key in ACTOR_KEYS:
        value = values.get(key)
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found.update(value)
    return found


def sound(text: str) -> bool:
    """Whether a cached state parses as the catch-up wrote it: a flipped byte in the store's
    file must not be printed as a fact."""
    try:
        state = TrackState.model_validate_json(text)
        days = [state.first_occurred, state.last_occurred]
        for agreement in state.agreements:
            days += [agreement.occurred.get("start"), agreement.occurred.get("end")]
        for day in days:
            if day is not None:
                date.fromisoformat(day)
    except (ValueError, TypeError, AttributeError):  # pydantic's ValidationError is a ValueError
        return False
    return True
