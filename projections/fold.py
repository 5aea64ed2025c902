"""The fold of SPEC §4: a track's state from its counted developments in occurred order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from events.catalogue import DEVELOPMENT_TYPES
from projections.models import Agreement, TrackState

PRE_TALKS = {None, "offered", "welcomed", "accepted", "rejected"}
REOPENABLE = {None, "withdrawn", "rejected", "collapsed"}
#: the status each type sets, as its class declares (the steps below may decide otherwise)
SETS_STATUS = {name: cls.sets_status for name, cls in DEVELOPMENT_TYPES.items() if cls.sets_status}


class TrackFold:
    """Applies developments one at a time, so a replay can show the state after each.

    A streamed replay of the whole store keeps one fold per track, so a fold keeps plain
    values (slots, agreements as tuples) and builds the read model only when asked."""

    __slots__ = ("key", "parties", "status", "opened", "mediators", "responses", "rounds",
                 "agreements", "first", "last", "first_end", "last_end", "count", "max_end")

    def __init__(self, key: str, parties: list[str]):
        self.key = key
        self.parties = list(parties)
        self.status: str | None = None
        self.opened = False
        self.mediators: set[str] = set()
        self.responses: dict[str, str | None] = {p: None for p in parties}
        self.rounds = 0
        #: (id, kind, occurred) of each agreement, in the order folded
        self.agreements: list[tuple[str, str, dict[str, Any]]] = []
        self.first: str | None = None
        self.last: str | None = None
        #: where the first and the last development end: a month or an interval is printed
        #: as such, not as its first day
        self.first_end: str | None = None
        self.last_end: str | None = None
        self.count = 0
        self.max_end: str | None = None

    def apply(self, dev: dict[str, Any]) -> None:
        """Fold one development. Before the opening offer (a development dated earlier than
        any offer) counters and responses move but the status stays null: the opening offer
        sets it, from the responses already kept."""
        kind = dev["type"]
        status = SETS_STATUS.get(kind, self.status)
        step = STEPS.get(kind)
        if step is not None:
            status = step(self, dev, status)
        if self.opened:
            self.status = status
        start, end = dev["occurred"]["start"], dev["occurred"]["end"]
        self.count += 1
        if self.first is None or (start, end) < (self.first, self.first_end or start):
            self.first, self.first_end = start, end
        if self.last is None or (start, end) > (self.last, self.last_end or start):
            self.last, self.last_end = start, end
        self.max_end = end if self.max_end is None else max(self.max_end, end)

    # -- each type's step beyond the status its class sets: (fold, development, status) → status
    def _offered(self, dev: dict[str, Any], status: str | None) -> str | None:
        self.mediators |= set(dev["mediators"])
        if not self.opened:
            self.opened = True
            return self._from_responses()
        return "offered" if status in REOPENABLE else status

    def _response(self, dev: dict[str, Any], status: str | None) -> str | None:
        self.responses[dev["party"]] = dev["response"]
        return self._from_responses() if status in PRE_TALKS else status

    def _held(self, dev: dict[str, Any], status: str | None) -> str | None:
        self.rounds += 1
        return status

    def _agreement(self, dev: dict[str, Any], status: str | None) -> str | None:
        self.agreements.append((dev["id"], dev["kind"], dev["occurred"]))
        return status

    def _joined(self, dev: dict[str, Any], status: str | None) -> str | None:
        self.mediators.add(dev["mediator"])
        return status

    def _left(self, dev: dict[str, Any], status: str | None) -> str | None:
        self.mediators.discard(dev["mediator"])
        return "withdrawn" if not self.mediators else status

    def _from_responses(self) -> str:
        answers = [a for a in self.responses.values() if a is not None]
        if "rejected" in answers:
            return "rejected"
        if self.parties and all(self.responses.get(p) == "accepted" for p in self.parties):
            return "accepted"
        if "welcomed" in answers or "accepted" in answers:
            return "welcomed"
        return "offered"

    def state(self, as_of: date | None) -> TrackState:
        limit = as_of.isoformat() if as_of else None
        return TrackState(
            track=self.key,
            conflict="-".join(self.parties),
            mediators=sorted(self.mediators),
            parties=self.parties,
            status=self.status,
            responses=dict(self.responses),
            rounds=self.rounds,
            agreements=[Agreement(id=i, kind=k, occurred=o) for i, k, o in self.agreements],
            first_occurred=self.first,
            last_occurred=self.last,
            first_occurred_end=self.first_end,
            last_occurred_end=self.last_end,
            developments=self.count,
            uncertain=bool(limit and self.max_end and self.max_end > limit),
        )


STEPS: dict[str, Callable[[TrackFold, dict[str, Any], str | None], str | None]] = {
    "mediation-offered": TrackFold._offered,
    "mediation-response": TrackFold._response,
    "talks-held": TrackFold._held,
    "agreement-reached": TrackFold._agreement,
    "mediator-joined": TrackFold._joined,
    "mediator-left": TrackFold._left,
}
