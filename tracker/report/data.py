"""What a report shows, gathered from the read side's query results.

Everything here is the JSON that the read commands print (`status --json`, `timeline --json`,
`replay --json`, `show --json`, `diff --json`), so the report depends on the contract of SPEC §6
and not on how the read models are stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from events.catalogue import actor_codes
from events.errors import InvalidInput
from tracker.report.bands import Band, status_bands, status_changes, status_path, statuses_set
from tracker.report.ticks import shift

#: beyond these one page is no longer read: the report keeps every track's status but draws
#: and lists the developments of the most recently active tracks only
MAX_TRACKS = 200
MAX_DEVELOPMENTS = 5000


class Lane(BaseModel):
    """One row of the timeline: a track, or a conflict's incidents and statements."""

    kind: Literal["track", "conflict"]
    key: str
    conflict: str
    status: str | None = None
    bands: list[Band] = []
    developments: list[str] = []


class Change(BaseModel):
    track: str
    from_status: str | None
    to_status: str | None
    developments: list[str]
    #: the statuses passed through on the way from one to the other, within the window
    through: list[str | None] = []


class ReportData(BaseModel):
    title: str
    scope: str
    as_of: date
    known_at: datetime | None
    generated_at: datetime
    since: date | None
    states: list[dict[str, Any]]
    lanes: list[Lane]
    developments: list[dict[str, Any]]
    changes: list[Change]
    #: conflict-level developments dated on or after `since`
    conflict_changes: list[str]
    names: dict[str, str]
    #: the developments that changed their track's status, same-day ones included
    status_changes: list[str] = []
    #: each of those developments → the status it produced
    produced: dict[str, str | None] = {}
    #: why the picture and the list show only part of the scope, and how to narrow it
    limited: str | None = None


def conflict_of(dev: dict[str, Any]) -> str:
    return "-".join(sorted(dev.get("parties") or []))


def gather(
    queries: Any,
    *,
    as_of: date,
    known_at: datetime | None = None,
    conflict: str | None = None,
    tracks: list[str] | None = None,
    since: date | None = None,
    name_of: Callable[[str], str] | None = None,
    now: datetime | None = None,
) -> ReportData:
    """Everything a report shows, for tracks in scope, as of a date and known at an instant.

    Scope: every track; or those of `conflict`; or the `tracks` named, with the incidents and
    statements of their conflicts as context.
    """
    if since is not None and since > as_of:
        raise InvalidInput(f"--since {since} is after the as-of date {as_of}; give an earlier date")
    named = [queries.track_key(t) for t in tracks] if tracks else None
    states = [
        s.model_dump(mode="json")
        for s in queries.status(named, as_of=as_of, known_at=known_at, conflict=conflict)
    ]
    keys, too_many = readable(named, states)
    drawn = states if not too_many else [s for s in states if s["track"] in keys]  # type: ignore[operator]
    # every read below covers the scope only: a track's conflict, not the whole store
    meta: dict[str, tuple[str, list[str]]] = queries.tracks(keys, [conflict] if conflict else None)
    conflicts = sorted({meta[k][0] for k in keys}) if keys else ([conflict] if conflict else None)
    devs = scoped_developments(queries, as_of, known_at, keys, conflicts)
    steps = [
        s.model_dump(mode="json")
        for s in queries.replay(until=as_of, known_at=known_at, tracks=keys, conflict=conflict).steps
    ]
    found = devs
    devs = within_page(devs)
    limited = limits_note(states, drawn, found, devs) if too_many or len(devs) < len(found) else None
    lanes = build_lanes(drawn, devs, status_bands(steps, as_of), meta)
    changes, conflict_changes = changes_since(queries, since, as_of, known_at, keys, conflict,
                                              lanes, devs, steps)
    return ReportData(
        title=title(conflict, named),
        scope=scope_text(conflict, named, lanes, devs, states, limited),
        as_of=as_of,
        known_at=known_at,
        generated_at=now or datetime.now().astimezone(),
        since=since,
        states=states,
        lanes=lanes,
        developments=devs,
        changes=changes,
        conflict_changes=conflict_changes,
        names=actor_names(states, devs, name_of),
        status_changes=status_changes(steps),
        produced=statuses_set(steps),
        limited=limited,
    )


def scoped_developments(
    queries: Any,
    as_of: date,
    known_at: datetime | None,
    keys: list[str] | None,
    conflicts: list[str] | None,
) -> list[dict[str, Any]]:
    """The timeline of the scope, each development with its lane and, when corrected or
    retracted, its corrections, its retraction and what was first recorded."""

    def in_scope(dev: dict[str, Any]) -> bool:
        if dev.get("track"):
            return dev["track"] in keys if keys else True
        return conflicts is None or conflict_of(dev) in conflicts

    devs = [
        d for d in queries.timeline(until=as_of, known_at=known_at, conflicts=conflicts) if in_scope(d)
    ]
    for dev in devs:
        dev["lane"] = dev.get("track") or conflict_of(dev)
        dev["corrections"], dev["retraction"], dev["as_recorded"] = [], None, None
        if dev["retracted"] or dev["corrected"]:
            shown = queries.show(dev["id"], known_at).model_dump(mode="json")
            dev["corrections"] = shown["corrections"]
            dev["retraction"] = shown["retraction"]
            dev["as_recorded"] = shown["development"]
    return devs


def changes_since(
    queries: Any,
    since: date | None,
    as_of: date,
    known_at: datetime | None,
    keys: list[str] | None,
    conflict: str | None,
    lanes: list[Lane],
    devs: list[dict[str, Any]],
    steps: list[dict[str, Any]],
) -> tuple[list[Change], list[str]]:
    """The tracks drawn whose status changed from `since` (inclusive) to the as-of date, with
    the listed developments that changed it; and the conflict-level developments since then.
    Without `since`, none."""
    if since is None:
        return [], []
    # "since D" includes D itself: diff counts what happened after the day before
    day_before = shift(since, -1)
    lane_keys = {lane.key for lane in lanes if lane.kind == "track"}
    listed = {d["id"] for d in devs}
    changes = [
        Change(**{**d.model_dump(), "developments": [i for i in d.developments if i in listed],
                  "through": status_path(steps, d.track, since.isoformat(), d.from_status,
                                         d.to_status)})
        for d in queries.diff(start=day_before, end=as_of, known_at=known_at, tracks=keys,
                              conflict=conflict)
        if d.track in lane_keys
    ]
    conflict_changes = [
        d["id"] for d in devs
        if not d.get("track") and not d["retracted"] and d["occurred"]["start"] >= since.isoformat()
    ]
    return changes, conflict_changes


def readable(
    named: list[str] | None, states: list[dict[str, Any]]
) -> tuple[list[str] | None, bool]:
    """The tracks whose picture and developments a report shows, and whether that is fewer than
    the scope holds: beyond MAX_TRACKS tracks or MAX_DEVELOPMENTS developments, the most
    recently active tracks that fit (None: every track of the scope, as asked)."""
    total = sum(s["developments"] for s in states)
    if len(states) <= MAX_TRACKS and total <= MAX_DEVELOPMENTS:
        return named, False
    ranked = sorted(states, key=lambda s: (s["last_occurred"] or "", s["track"]), reverse=True)
    keys: list[str] = []
    count = 0
    for state in ranked:
        if keys and (len(keys) == MAX_TRACKS or count + state["developments"] > MAX_DEVELOPMENTS):
            break
        keys.append(state["track"])
        count += state["developments"]
    return sorted(keys), True


def within_page(devs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most MAX_DEVELOPMENTS developments: the tracks' own first, whole (a track drawn
    without its opening offer would mislead), then the latest of their conflicts' incidents
    and statements that still fit; only a single track longer than a page loses its earliest."""
    if len(devs) <= MAX_DEVELOPMENTS:
        return devs
    own = [d for d in devs if d.get("track")]
    if len(own) >= MAX_DEVELOPMENTS:
        kept = {d["id"] for d in own[-MAX_DEVELOPMENTS:]}
    else:
        context = [d for d in devs if not d.get("track")]
        room = MAX_DEVELOPMENTS - len(own)
        kept = {d["id"] for d in own} | {d["id"] for d in context[len(context) - room:]}
    return [d for d in devs if d["id"] in kept]


def limits_note(
    states: list[dict[str, Any]], drawn: list[dict[str, Any]], found: list[dict[str, Any]],
    devs: list[dict[str, Any]],
) -> str:
    """What a limited report shows and what it leaves out, counted as the status table counts
    (retracted developments aside): `found` is what the drawn tracks and their conflicts hold,
    `devs` what one page lists of it, `drawn` the states of the tracks drawn."""
    def count(records: list[dict[str, Any]], of_track: bool) -> int:
        return sum(1 for d in records if bool(d.get("track")) == of_track and not d["retracted"])

    own_total = sum(s["developments"] for s in states)
    own, context = count(devs, True), count(devs, False)
    own_found, context_found = count(found, True), count(found, False)
    shown_conflicts = len({s["conflict"] for s in drawn})
    if own < own_found:
        what = (f"the latest {own:,} of the {own_found:,} developments "
                f"of {plural(len(drawn), 'track')}")
    elif len(drawn) < len(states):
        what = f"the {len(drawn):,} most recently active tracks with all {own:,} of their developments"
    else:
        what = f"all {plural(len(drawn), 'track')} with all {own:,} of their developments"
    latest = "the latest " if context < context_found else "all "
    what += (f", and {latest}{context:,} of the {context_found:,} incidents and statements of their "
             f"{plural(shown_conflicts, 'conflict')}" if context_found else "")
    hidden = len(states) - len(drawn)
    left_out = (f"; not shown: the {own_total - own:,} developments of the other {hidden:,} tracks "
                "and the incidents and statements of the other conflicts" if hidden else "")
    return (
        f"{plural(len(states), 'track')} with {own_total:,} developments of their own (retracted "
        f"ones aside) are more than "
        f"one page can usefully show: the status table lists every track; the picture and the "
        f"list of developments show {what}{left_out}; see the others with --track T or "
        "--conflict C, or narrow the dates with --as-of D"
    )


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def build_lanes(
    states: list[dict[str, Any]],
    devs: list[dict[str, Any]],
    bands: dict[str, list[Band]],
    meta: dict[str, tuple[str, list[str]]],
) -> list[Lane]:
    """Lanes grouped by conflict (its own lane first), tracks by when they began."""
    by_key: dict[str, Lane] = {}
    for state in states:
        by_key[state["track"]] = Lane(
            kind="track", key=state["track"], conflict=state["conflict"], status=state["status"],
            bands=bands.get(state["track"], []),
        )
    for dev in devs:
        key = dev["lane"]
        if key not in by_key:  # a track whose developments are all retracted, or a conflict
            kind = "track" if dev.get("track") else "conflict"
            conflict = meta[key][0] if kind == "track" else key
            by_key[key] = Lane(kind=kind, key=key, conflict=conflict)
        by_key[key].developments.append(dev["id"])
    for lane in list(by_key.values()):
        if lane.conflict not in by_key:
            by_key[lane.conflict] = Lane(kind="conflict", key=lane.conflict, conflict=lane.conflict)
    first: dict[str, str] = {}
    for dev in devs:
        first.setdefault(dev["lane"], dev["occurred"]["start"])
    for key in by_key:
        first.setdefault(key, "9999")
    conflict_first = {
        c: min(first[k] for k, lane in by_key.items() if lane.conflict == c)
        for c in {lane.conflict for lane in by_key.values()}
    }
    return sorted(
        by_key.values(),
        key=lambda lane: (
            conflict_first[lane.conflict], lane.conflict, lane.kind == "track", first[lane.key], lane.key
        ),
    )


def title(conflict: str | None, keys: list[str] | None) -> str:
    if keys:
        return "Mediation report: " + ", ".join(keys)
    return "Mediation report: " + (conflict or "all tracks")


def scope_text(
    conflict: str | None, keys: list[str] | None, lanes: list[Lane], devs: list[dict[str, Any]],
    states: list[dict[str, Any]] | None = None, limited: str | None = None,
) -> str:
    if limited is not None and states is not None:
        where = "the tracks named" if keys else f"every track of conflict {conflict}" if conflict \
            else "every track of every conflict"
        return f"{where}; {limited}"
    tracks = sum(1 for lane in lanes if lane.kind == "track")
    conflicts = sum(1 for lane in lanes if lane.kind == "conflict")
    where = (
        "the tracks named, with their conflicts' incidents and statements"
        if keys
        else f"every track of conflict {conflict}" if conflict else "every track of every conflict"
    )
    return (
        f"{where}: {tracks} track{'s' * (tracks != 1)} in {conflicts} "
        f"conflict{'s' * (conflicts != 1)}, {len(devs)} development{'s' * (len(devs) != 1)}"
    )


def actor_names(
    states: list[dict[str, Any]], devs: list[dict[str, Any]], name_of: Callable[[str], str] | None
) -> dict[str, str]:
    codes = set().union(*(actor_codes(record) for record in [*states, *devs]))
    return {code: (name_of(code) if name_of else code) for code in sorted(codes)}
