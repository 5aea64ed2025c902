"""The rules of SPEC §3 on corrections and retractions, which every stream (a track or a
conflict) applies before the rules of its developments: one pure function each, returning a
message per thing wrong, empty when the record may go on.

A correction or retraction must also leave every counted development valid: that is the
stream's own rules (`track_rules` for a track) run on the history as it would be.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from uuid import UUID

from events.developments import Correction, Retraction
from tracker.aggregates.facts import Fact

#: fields a correction never changes: they say what and where a development is
UNCORRECTABLE = ("type", "id", "track")


def check_field_may_change(name: str) -> list[str]:
    """A correction changes what a development says, not what or where it is."""
    if name not in UNCORRECTABLE:
        return []
    return [f"a correction cannot change '{name}'; retract the development and record it anew instead"]


def check_conflict_kept(changes: Mapping[str, object]) -> list[str]:
    """A correction does not move a development to another conflict."""
    if "parties" not in changes:
        return []
    return ["a correction cannot change 'parties' (it would move the development to another "
            "conflict); retract it and record it anew"]


def check_target_counts(record: Correction | Retraction, kinds: Mapping[UUID, str],
                        developments: Collection[UUID], retracted: Collection[UUID]) -> list[str]:
    """Only a development that counts can be corrected or retracted: not a correction or a
    retraction, and not a retracted development."""
    if record.target not in developments:
        return [f"{record.target} is a {kinds.get(record.target)} and cannot be corrected or retracted"]
    if record.target in retracted:
        return [f"{record.target} is already retracted; a retracted development cannot be "
                "corrected or retracted again"]
    return []


def check_recorded_after_target(record: Correction | Retraction, target: Fact) -> list[str]:
    """A correction or retraction that carries its own recorded_at (an imported line) was
    recorded after the development it changes: why it could not have been, if so."""
    if target.recorded_at and record.recorded_at and record.recorded_at < target.recorded_at:
        return [f"it is recorded at {record.recorded_at.isoformat()}, before its target "
                f"({target.recorded_at.isoformat()})"]
    return []
