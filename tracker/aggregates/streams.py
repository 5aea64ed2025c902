"""Mediation tracks and conflicts: streams of developments that enforce SPEC §3.

Both keep every development as recorded, its corrections and its retraction, and decide
whether a new record leaves every counted development valid. Tracks fold their developments
in occurred order (ties by version, which is their order in the log) to check rules that
depend on a point in time, such as a mediator leaving.
"""

from __future__ import annotations

from uuid import UUID

from events.codec import canonical_json
from events.developments import (
    Correction,
    Development,
    MediationOffered,
    MediationResponse,
    MediatorJoined,
    MediatorLeft,
    Recordable,
    Retraction,
    TalksSuspended,
)
from events.errors import RuleViolation
from tracker.aggregates.base import Aggregate


def describe(dev: Development) -> str:
    return f"the {dev.type} of {dev.occurred.label()} ({dev.id})"


class Stream(Aggregate):
    """Developments of one track or one conflict, with their corrections and retractions."""

    def __init__(self, id: UUID):
        super().__init__(id)
        self.records: dict[UUID, Recordable] = {}
        self.versions: dict[UUID, int] = {}
        self.developments: list[UUID] = []
        self.corrections: dict[UUID, list[Correction]] = {}
        self.retractions: dict[UUID, Retraction] = {}
        self._current: dict[UUID, Development] = {}

    # -- state -------------------------------------------------------------------------
    def apply(self, record: Recordable, version: int) -> None:
        assert record.id is not None
        self.records[record.id] = record
        self.versions[record.id] = version
        if isinstance(record, Correction):
            self.corrections.setdefault(record.target, []).append(record)
            self._current.pop(record.target, None)
        elif isinstance(record, Retraction):
            self.retractions[record.target] = record
        else:
            self.developments.append(record.id)
            self._on_development(record)  # type: ignore[arg-type]

    def _on_development(self, dev: Development) -> None:
        """Hook for state a subclass derives from developments as recorded."""

    def current(self, dev_id: UUID) -> Development:
        """The development with its corrections applied, later corrections winning."""
        cached = self._current.get(dev_id)
        if cached is not None:
            return cached
        dev = self.records[dev_id]
        assert isinstance(dev, Development)
        fixes = self.corrections.get(dev_id)
        if fixes:
            ordered = sorted(fixes, key=lambda c: (c.recorded_at, self.versions[c.id]))  # type: ignore[index]
            values = dev.model_dump(mode="json")
            for fix in ordered:
                values.update(fix.changes)
            dev = type(dev).model_validate(values)
        self._current[dev_id] = dev
        return dev

    def counted(self, extra: Recordable | None = None) -> list[tuple[int, Development]]:
        """(version, current development) of every development that counts, as if `extra`
        were recorded next."""
        retracted = set(self.retractions)
        patched: dict[UUID, Development] = {}
        if isinstance(extra, Retraction):
            retracted.add(extra.target)
        elif isinstance(extra, Correction):
            values = self.current(extra.target).model_dump(mode="json")
            values.update(extra.changes)
            patched[extra.target] = type(self.records[extra.target]).model_validate(values)  # type: ignore[assignment]
        result = [
            (self.versions[i], patched.get(i) or self.current(i))
            for i in self.developments
            if i not in retracted
        ]
        if isinstance(extra, Development):
            result.append((self.version + 1, extra))
        return result

    # -- decisions ---------------------------------------------------------------------
    def is_duplicate(self, record: Recordable) -> bool:
        """True when the same id holds the same content; refused when the content differs."""
        known = self.records.get(record.id)  # type: ignore[arg-type]
        if known is None:
            return False
        if canonical_json(known) == canonical_json(record):
            return True
        raise RuleViolation(
            f"id {record.id} is already recorded with different content; "
            "omit the id to derive one from the content, or correct the recorded one "
            "with `tracker correct`"
        )

    def record(self, record: Recordable) -> bool:
        """Record a development, correction or retraction; False for a duplicate."""
        if self.is_duplicate(record):
            return False
        if isinstance(record, Correction | Retraction):
            self._check_target(record)
        problems = self.quick_violations(record)
        if problems is None:
            problems = self.violations(self.counted(record))
        if problems:
            verb = {"correction": "correcting", "retraction": "retracting"}.get(record.type, "")  # type: ignore[attr-defined]
            prefix = f"{verb} {record.target} would leave " if verb else ""  # type: ignore[attr-defined]
            raise RuleViolation(prefix + problems[0], problems[1:])
        self.trigger(record)
        return True

    def _check_target(self, record: Correction | Retraction) -> None:
        target = self.records.get(record.target)
        if not isinstance(target, Development):
            raise RuleViolation(
                f"{record.target} is a {target.type} and cannot be corrected or retracted"  # type: ignore[union-attr]
            )
        if record.target in self.retractions:
            raise RuleViolation(
                f"{record.target} is already retracted; a retracted development cannot "
                "be corrected or retracted again"
            )

    def violations(self, counted: list[tuple[int, Development]]) -> list[str]:
        """Every rule a set of counted developments breaks (none for a conflict)."""
        return []

    def quick_violations(self, record: Recordable) -> list[str] | None:
        """The rules a new record breaks when they can be checked without a fold; None when
        only folding every counted development can tell."""
        return []


class Conflict(Stream):
    """Conflict-level developments: incidents and statements about the conflict as a whole."""


class MediationTrack(Stream):
    """One mediation effort in one conflict; its key and parties never change."""

    def __init__(self, id: UUID):
        super().__init__(id)
        self.key: str | None = None
        self.parties: list[str] = []
        self._offers: list[UUID] = []

    def _on_development(self, dev: Development) -> None:
        if isinstance(dev, MediationOffered):
            self._offers.append(dev.id)  # type: ignore[arg-type]
            if self.key is None:
                self.key = dev.track
                self.parties = list(dev.parties)

    @property
    def conflict(self) -> str:
        return "-".join(self.parties)

    def quick_violations(self, record: Recordable) -> list[str] | None:
        """A development that cannot change whether others are valid, on a track with a
        counted offer, needs only its own checks: most appends and import lines take this path.
        """
        if self.key is None or not isinstance(record, Development):
            return None
        if isinstance(record, MediatorLeft | MediationOffered | MediatorJoined):
            return None
        if isinstance(record, TalksSuspended) and record.by is not None and record.by not in self.parties:
            return None
        retracted = self.retractions
        if not any(
            isinstance(self.records[i], MediationOffered) and i not in retracted
            for i in self._offers
        ):
            return None
        if isinstance(record, MediationResponse) and record.party not in self.parties:
            return [
                f"{describe(record)}: {record.party} is not a party of track {self.key} "
                f"(its parties are {', '.join(self.parties)})"
            ]
        return []

    def violations(self, counted: list[tuple[int, Development]]) -> list[str]:
        key, party_list = self.key, self.parties
        if key is None:  # a new track: the offer being recorded defines it
            opening = next((d for _, d in counted if isinstance(d, MediationOffered)), None)
            if opening is not None:
                key, party_list = opening.track, list(opening.parties)
        ordered = sorted(counted, key=lambda pair: (pair[1].occurred.start, pair[0]))
        problems: list[str] = []
        if ordered and not any(isinstance(d, MediationOffered) for _, d in ordered):
            problems.append(
                f"{describe(ordered[0][1])} on track {key} without any counted "
                "mediation-offered to open the track"
            )
        mediators: set[str] = set()
        parties = set(party_list)
        for _, dev in ordered:
            when = dev.occurred.label()
            if isinstance(dev, MediationOffered):
                if set(dev.parties) != parties:
                    problems.append(
                        f"{describe(dev)} names parties {', '.join(dev.parties)} but track "
                        f"{key} is for {'-'.join(party_list)}"
                    )
                mediators |= set(dev.mediators)
            elif isinstance(dev, MediationResponse) and dev.party not in parties:
                problems.append(
                    f"{describe(dev)}: {dev.party} is not a party of track {key} "
                    f"(its parties are {', '.join(party_list)})"
                )
            elif isinstance(dev, MediatorJoined):
                if dev.mediator in parties:
                    problems.append(
                        f"{describe(dev)}: {dev.mediator} is a party of track {key} "
                        "and cannot mediate it"
                    )
                mediators.add(dev.mediator)
            elif isinstance(dev, MediatorLeft):
                if dev.mediator not in mediators:
                    problems.append(
                        f"{describe(dev)}: {dev.mediator} is not a mediator of track "
                        f"{key} on {when} (mediators then: "
                        f"{', '.join(sorted(mediators)) or 'none'})"
                    )
                mediators.discard(dev.mediator)
            elif isinstance(dev, TalksSuspended) and dev.by is not None:
                if dev.by not in parties | mediators:
                    problems.append(
                        f"{describe(dev)}: {dev.by} is neither a party nor a mediator of "
                        f"track {key} on {when}"
                    )
        return problems
