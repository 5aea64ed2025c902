"""Where records and tracks are, and which rows a query reads.

The base of the read queries: finding a record's stream, a track's stored key, an id from its
prefix, the actors; and the SQL that narrows a read to its scope (tracks, conflicts) and to
what can count by a date and an instant (SPEC §5) before any row is parsed.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from events.developments import fixed_width
from events.errors import InvalidInput, NotFound
from projections.catchup import read_rows
from projections.db import ReadModelDB
from projections.history import Current, Row, current_developments, row_from_db


class Lookups:
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
            mediators, _, parties = key.rpartition(":")
            ordered = f"{mediators}:{'-'.join(sorted(parties.split('-'), key=str.casefold))}".casefold()
            near = self.db.one("SELECT key FROM rm_tracks WHERE folded=?", (ordered,)) if mediators else None
            hint = f"did you mean {near[0]}?" if near else "see the known tracks with `tracker status`"
            raise NotFound(f"unknown track '{key}'; {hint}")
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

