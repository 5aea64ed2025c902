"""Read models returned by the queries: what `--json` prints."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict


class Agreement(BaseModel):
    id: str
    kind: str
    occurred: dict[str, Any]


class TrackState(BaseModel):
    """A track's state (SPEC §4)."""

    model_config = ConfigDict(frozen=True)

    track: str
    conflict: str
    mediators: list[str]
    parties: list[str]
    status: str | None
    responses: dict[str, str | None]
    rounds: int
    agreements: list[Agreement]
    first_occurred: str | None
    last_occurred: str | None
    developments: int
    uncertain: bool
    #: where the first and last developments end (the same day unless dated as a month, a
    #: year or an interval), so that tables print them as dated
    first_occurred_end: str | None = None
    last_occurred_end: str | None = None


class Step(BaseModel):
    development: dict[str, Any]
    track_state: TrackState | None


class Replay(BaseModel):
    steps: list[Step]
    tracks: list[TrackState]


class Shown(BaseModel):
    development: dict[str, Any]
    corrections: list[dict[str, Any]]
    retraction: dict[str, Any] | None
    current: dict[str, Any]


class TrackDiff(BaseModel):
    track: str
    from_status: str | None
    to_status: str | None
    developments: list[str]


def json_text(value: Any) -> str:
    """Compact JSON as `--json` prints it in a pipe (cached track states are kept this way,
    so that `status --json` can print them as they are)."""
    return json.dumps(value, ensure_ascii=False, default=str)
