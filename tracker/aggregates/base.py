"""A minimal event-sourced aggregate over pydantic records, for the library's repository."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self
from uuid import UUID, uuid5

from events.codec import Recorded
from events.developments import Recordable

#: namespace of aggregate ids: a track, a conflict or the registry is found by its key
AGGREGATE_NAMESPACE = UUID("5b0a3a0e-6f5e-5c43-9a53-6f1d0e2b7c41")


def aggregate_id(kind: str, key: str) -> UUID:
    """The id of the aggregate of a track, a conflict or the registry; keys match caselessly."""
    return uuid5(AGGREGATE_NAMESPACE, f"{kind}:{key.casefold()}")


class Aggregate:
    """Decides in command methods, mutates only in `apply`; pending events wait for `save`."""

    def __init__(self, id: UUID):
        self.id = id
        self.version = 0
        self._pending: list[Recorded] = []

    def apply(self, record: Recordable, version: int) -> None:
        raise NotImplementedError

    def trigger(self, record: Recordable) -> Recorded:
        event = Recorded(originator_id=self.id, originator_version=self.version + 1, record=record)
        self.apply(record, event.originator_version)
        self.version = event.originator_version
        self._pending.append(event)
        return event

    def collect_events(self) -> list[Recorded]:
        events, self._pending = self._pending, []
        return events

    @classmethod
    def project(cls, aggregate: Self | None, events: Iterable[Recorded]) -> Self | None:
        """The library's projector function: fold stored events into the aggregate."""
        for event in events:
            if aggregate is None:
                aggregate = cls(event.originator_id)
            aggregate.apply(event.record, event.originator_version)
            aggregate.version = event.originator_version
        return aggregate
