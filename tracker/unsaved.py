"""What a session decided and has not saved yet: the events of one command, in memory."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from events.codec import Recorded
from events.developments import Recordable


class Decisions(Protocol):
    """Where a session keeps the events its aggregates decided, until they are saved: in
    memory for one command (`Unsaved`), staged on disk for an import (`tracker.bulk`)."""

    def add(self, event: Recorded, kind: str, key: str, conflict: str | None) -> None:
        """Keep a decided event of the aggregate of this kind and key."""

    def events_for(self, originator: UUID) -> list[Recorded]:
        """The events decided for one aggregate, in version order."""

    def where(self, record_id: UUID) -> tuple[UUID, str, str] | None:
        """(aggregate id, kind, key) of a decided record, if it is one."""

    def get(self, record_id: UUID) -> Recordable | None:
        """A decided record, if it is one."""


class Unsaved:
    """The events one command decided, for the application to `save()` together."""

    def __init__(self) -> None:
        self.events: list[Recorded] = []
        self._where: dict[UUID, tuple[UUID, str, str]] = {}

    def add(self, event: Recorded, kind: str, key: str, conflict: str | None) -> None:
        self.events.append(event)
        assert event.record.id is not None
        self._where[event.record.id] = (event.originator_id, kind, key)

    def events_for(self, originator: UUID) -> list[Recorded]:
        return [event for event in self.events if event.originator_id == originator]

    def where(self, record_id: UUID) -> tuple[UUID, str, str] | None:
        return self._where.get(record_id)

    def get(self, record_id: UUID) -> Recordable | None:
        for event in self.events:
            if event.record.id == record_id:
                return event.record
        return None
