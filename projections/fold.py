"""The fold of SPEC §4: a track's state from its counted developments in occurred order."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.models import Agreement, TrackState

PRE_TALKS = {None, "offered", "welcomed", "accepted", "rejected"}
REOPENABLE = {None, "withdrawn", "rejected", "collapsed"}
SIMPLE = {
    "talks-scheduled": "talks-scheduled",
    "talks-suspended": "suspended",
    "talks-collapsed": "collapsed",
}


class TrackFold:
    """Applies developments one at a time, so a replay can show the state after each."""

    def __init__(self, key: str, parties: list[str]):
        self.key = key
        self.parties = list(parties)
        self.status: str | None = None
        self.opened = False
        self.mediators: set[str] = set()
        self.responses: dict[str, str | None] = {p: None for p in parties}
        self.rounds = 0
        self.agreements: list[Agreement] = []
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
        status = self.status
        if kind == "mediation-offered":
            self.mediators |= set(dev["mediators"])
            if not self.opened:
                self.opened = True
                status = self._from_responses()
            elif status in REOPENABLE:
                status = "offered"
        elif kind == "mediation-response":
            self.responses[dev["party"]] = dev["response"]
            if status in PRE_TALKS:
                status = self._from_responses()
        elif kind == "talks-held":
            status = "in-talks"
            self.rounds += 1
        elif kind == "agreement-reached":
            status = "agreement"
            self.agreements.append(Agreement(id=dev["id"], kind=dev["kind"], occurred=dev["occurred"]))
        elif kind == "mediator-joined":
            self.mediators.add(dev["mediator"])
        elif kind == "mediator-left":
            self.mediators.discard(dev["mediator"])
            if not self.mediators:
                status = "withdrawn"
        elif kind in SIMPLE:
            status = SIMPLE[kind]
        if self.opened:
            self.status = status
        start, end = dev["occurred"]["start"], dev["occurred"]["end"]
        self.count += 1
        if self.first is None or (start, end) < (self.first, self.first_end or start):
            self.first, self.first_end = start, end
        if self.last is None or (start, end) > (self.last, self.last_end or start):
            self.last, self.last_end = start, end
        self.max_end = end if self.max_end is None else max(self.max_end, end)

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
            agreements=list(self.agreements),
            first_occurred=self.first,
            last_occurred=self.last,
            first_occurred_end=self.first_end,
            last_occurred_end=self.last_end,
            developments=self.count,
            uncertain=bool(limit and self.max_end and self.max_end > limit),
        )
