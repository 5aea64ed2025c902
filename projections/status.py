"""The state of each track as of a date: from the cached states where they hold, else
folded from the log (SPEC §4)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from projections.catchup import fold_track
from projections.lookups import Lookups, marks, prefilter
from projections.models import TrackState


class StatusQueries(Lookups):
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
