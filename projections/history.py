"""Valid time and recorded time (SPEC §5): which developments count, with which values.

`--known-at` keeps records (developments, corrections, retractions) recorded at or before an
instant; corrections and retractions then apply whatever `--as-of` says, and `--as-of` keeps
the developments whose (corrected) `occurred.start` is on or before a date.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from events.catalogue import DEVELOPMENT_TYPES

NOT_DEVELOPMENTS = ("correction", "retraction")


@dataclass
class Row:
    """One record of the log as the read model keeps it; its JSON is parsed only if needed."""

    id: str
    position: int
    type: str
    track: str | None
    conflict: str | None
    target: str | None
    recorded_at: str
    raw: str
    start: str | None = None
    end: str | None = None
    _body: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def body(self) -> dict[str, Any]:
        if self._body is None:
            self._body = json.loads(self.raw)
        return self._body


#: types whose effect on a track's status needs fields beyond type, id and dates
NEEDS_BODY = {name for name, cls in DEVELOPMENT_TYPES.items() if cls.fold_reads}


@dataclass
class Current:
    """A development with its corrections applied, and whether it is retracted."""

    row: Row
    corrections: list[Row] = field(default_factory=list)
    retraction: Row | None = None
    _values: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def values(self) -> dict[str, Any]:
        if self._values is None:
            values = self.row.body
            for fix in self.corrections:
                values = {**values, **fix.body["changes"]}
            self._values = values
        return self._values

    @property
    def start(self) -> str:
        if self.corrections or self.row.start is None:
            return self.values["occurred"]["start"]
        return self.row.start

    def fold_view(self) -> dict[str, Any]:
        """What the fold needs: the full values only for types whose effect reads them."""
        if self.corrections or self.row.type in NEEDS_BODY or self.row.start is None:
            return self.values
        return {"type": self.row.type, "id": self.row.id,
                "occurred": {"start": self.row.start, "end": self.row.end}}

    @property
    def counts(self) -> bool:
        return self.retraction is None

    def as_json(self) -> dict[str, Any]:
        return {
            **self.values,
            "retracted": self.retraction is not None,
            "corrected": bool(self.corrections),
        }


def row_from_db(values: tuple[Any, ...]) -> Row:
    return Row(*values)


def stamp(recorded_at: str) -> datetime:
    return datetime.fromisoformat(recorded_at)


def current_developments(rows: list[Row], known_at: datetime | None) -> list[Current]:
    """Developments known at the instant, corrected and marked retracted, in log order."""
    limit = known_at
    visible = [r for r in rows if limit is None or stamp(r.recorded_at) <= limit]
    devs = {r.id: Current(r) for r in visible if r.type not in NOT_DEVELOPMENTS}
    fixes = sorted(
        (r for r in visible if r.type == "correction" and r.target in devs),
        key=lambda r: (stamp(r.recorded_at), r.position),
    )
    for fix in fixes:
        devs[fix.target].corrections.append(fix)  # type: ignore[index]
    for r in visible:
        if r.type == "retraction" and r.target in devs:
            devs[r.target].retraction = r  # type: ignore[index]
    return sorted(devs.values(), key=lambda c: c.row.position)


def occurred_order(devs: list[Current]) -> list[Current]:
    """Occurred order: by `occurred.start`, ties by position in the event log."""
    return sorted(devs, key=lambda c: (c.start, c.row.position))


def number_rounds(devs: list[Current]) -> list[Current]:
    """Give each counted talks-held without a round its number in its track's occurred
    order (SPEC §3: numbered automatically)."""
    counters: dict[str | None, int] = defaultdict(int)
    for dev in occurred_order([d for d in devs if d.counts and d.row.type == "talks-held"]):
        counters[dev.row.track] += 1
        if dev.values.get("round") is None:
            dev._values = {**dev.values, "round": counters[dev.row.track]}
    return devs


def counted(devs: list[Current], as_of: date | None) -> list[Current]:
    limit = as_of.isoformat() if as_of else None
    return occurred_order(
        [c for c in devs if c.counts and (limit is None or c.start <= limit)]
    )
