"""Status over time: the coloured bands of the timeline, from a replay's steps."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel


class Band(BaseModel):
    """A stretch of time over which a track kept one status."""

    status: str
    start: date
    end: date
    #: the development whose fold set this status
    set_by: str


def status_bands(steps: list[dict[str, Any]], as_of: date) -> dict[str, list[Band]]:
    """Track key → its bands, from `Queries.replay(until=as_of)` steps (as JSON).

    Steps come in occurred order with the track's state after each development. Each day keeps
    the status after its last step (several developments on one day are folded in log order, as
    SPEC §4 says, and a band of zero days cannot be drawn); a band runs from the day its status
    was reached to the next day with another status, the last one to the as-of date. A null
    status (developments that predate the track's offer) draws nothing.
    """
    days: dict[str, dict[date, tuple[str | None, str]]] = {}
    for step in steps:
        state = step.get("track_state")
        if state is None:
            continue
        dev = step["development"]
        day = date.fromisoformat(dev["occurred"]["start"])
        days.setdefault(state["track"], {})[day] = (state["status"], dev["id"])
    bands: dict[str, list[Band]] = {}
    for track, points in days.items():
        lane: list[Band] = []
        current: Band | None = None
        for day in sorted(points):
            status, dev_id = points[day]
            if current is not None and current.status == status:
                continue
            if current is not None:
                current.end = day
            current = None
            if status is not None:
                current = Band(status=status, start=day, end=as_of, set_by=dev_id)
                lane.append(current)
        bands[track] = lane
    return bands


def status_changes(steps: list[dict[str, Any]]) -> list[str]:
    """The ids of the developments that changed their track's status, in occurred order: every
    one, even where several on one day leave only the last status to draw."""
    return list(statuses_set(steps))


def statuses_set(steps: list[dict[str, Any]]) -> dict[str, str | None]:
    """Each development that changed its track's status → the status it produced, in occurred
    order (dicts keep it)."""
    seen: dict[str, str | None] = {}
    changed: dict[str, str | None] = {}
    for step in steps:
        state = step.get("track_state")
        if state is None:
            continue
        if state["status"] != seen.get(state["track"]):
            changed[step["development"]["id"]] = state["status"]
        seen[state["track"]] = state["status"]
    return changed


def status_path(
    steps: list[dict[str, Any]], track: str, since: str, before: str | None, after: str | None
) -> list[str | None]:
    """The statuses a track passed through between `before` (its status the day before `since`)
    and `after` (its status at the end), both excluded: a collapse and a resumption within the
    window read `in-talks → collapsed → in-talks`, not `in-talks → in-talks`."""
    produced = statuses_set(steps)
    path = [before]
    for step in steps:
        dev = step["development"]
        if (step.get("track_state") or {}).get("track") != track or dev["occurred"]["start"] < since:
            continue
        if dev["id"] in produced and produced[dev["id"]] != path[-1]:
            path.append(produced[dev["id"]])
    if len(path) < 2 or path[-1] != after:
        return []  # the steps do not tell the same story as the diff: say only from and to
    return path[1:-1]
