"""The application: one method per write command, over the library's event store.

It never prints and never imports click or the read side. Where it must find a record by id
in another aggregate (a correction's target, an id reused across tracks) it asks a `Locator`
that the composition root provides from the read models. A bulk import goes through an
importer (`tracker.bulk`) that the composition root builds for the store.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic
from pydantic import ValidationError

from events.catalogue import RECORD_TYPES
from events.codec import JSONLinesTranscoder, RecordMapper
from events.developments import Recordable, fixed_width
from events.errors import InvalidInput, StoreUnavailable
from events.values import first_control
from tracker.actors import ActorDirectory
from tracker.aggregates.registry import REGISTRY_ID, ActorRegistry
from tracker.jsontext import encodable
from tracker.session import Locator, Session
from tracker.unsaved import Unsaved
from tracker.validation import explain

if TYPE_CHECKING:
    from tracker.bulk import Importer, ImportReport, LineSource

#: keys that read commands add to a development and that `import` ignores
READ_ONLY_KEYS = ("retracted", "corrected")


@dataclass
class Outcome:
    """What `append` reports."""

    id: UUID
    type: str
    track: str | None
    recorded_at: datetime
    duplicate: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "track": self.track,
            "recorded_at": fixed_width(self.recorded_at),
            "duplicate": self.duplicate,
        }


class TrackerApplication(Application):
    """The write side of the tracker."""

    name = "tracker"
    env: ClassVar[dict[str, str]] = {
        "MAPPER_TOPIC": get_topic(RecordMapper),
        "TRANSCODER_TOPIC": get_topic(JSONLinesTranscoder),
    }
    max_attempts = 50

    # -- reading aggregates ------------------------------------------------------------
    def stored(self, cls: type, agg_id: UUID) -> Any:
        """An aggregate as the store has it, or None."""
        try:
            return self.repository.get(agg_id, projector_func=cls.project)
        except AggregateNotFoundError:
            return None

    def stored_record(self, agg_id: UUID, version: int) -> Recordable:
        [event] = self.events.get(agg_id, gt=version - 1, lte=version)
        return event.record  # type: ignore[attr-defined]

    def registry(self) -> ActorRegistry:
        return self.stored(ActorRegistry, REGISTRY_ID) or ActorRegistry()

    def directory(self) -> ActorDirectory:
        return ActorDirectory(self.registry().actors.values())

    # -- parsing -----------------------------------------------------------------------
    def parse(self, data: Any, directory: ActorDirectory, *, text_checked: bool = False,
              stamps: dict[str, Any] | None = None) -> Recordable:
        """Validate one JSON object into a record; InvalidInput with field-by-field reasons.

        `text_checked` says the caller already knows every string can be stored as UTF-8;
        `stamps` gives the `recorded_at` and `recorded_by` of a record that has none.
        """
        if not isinstance(data, dict):
            raise InvalidInput("a development must be a JSON object with a \"type\" key")
        kind = data.get("type")
        if not isinstance(kind, str) or kind not in RECORD_TYPES:
            raise InvalidInput(
                f"unknown type {kind!r}; choose one of: {', '.join(RECORD_TYPES)}"
            )
        if "retracted" in data or "corrected" in data:
            data = {k: v for k, v in data.items() if k not in READ_ONLY_KEYS}
        bad = None if text_checked or encodable(data) else first_unencodable(data)
        if bad is not None:
            raise InvalidInput(f"{bad}: text must be valid Unicode (it holds a lone surrogate)")
        control = first_control(data)
        if control is not None:
            raise InvalidInput(f"invalid {kind}: {control[0]}: {control[1]}")
        try:
            return RECORD_TYPES[kind].model_validate(
                data, context={"resolve_actor": directory.resolve, **(stamps or {})}
            )
        except ValidationError as exc:
            raise explain(exc, kind) from None

    # -- writing -----------------------------------------------------------------------
    def append(self, data: dict[str, Any], locate: Locator, *,
               allow_recorded_at: bool = False) -> Outcome:
        """Record one development (or correction, retraction, actor): its aggregate decides,
        and the application saves what it decided; retried on conflicts with other writers."""
        if "recorded_at" in data and not allow_recorded_at:
            raise InvalidInput(
                "recorded_at is set by the store on append; remove it "
                "(`tracker import` keeps the recorded_at of exported lines)"
            )
        for attempt in range(self.max_attempts):
            unsaved = Unsaved()
            session = Session(self, locate, unsaved)
            record = self.parse(data, session.directory)
            record, fresh, track = session.decide(
                record, datetime.now(UTC), keep_recorded_at=allow_recorded_at
            )
            try:
                if unsaved.events:
                    self.save(*unsaved.events)
            except IntegrityError:  # another writer got there first: look again
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
                locate.refresh()
                continue
            return Outcome(
                id=record.id,  # type: ignore[arg-type]
                type=record.type,  # type: ignore[attr-defined]
                track=track,
                recorded_at=record.recorded_at,  # type: ignore[arg-type]
                duplicate=not fresh,
            )
        raise StoreUnavailable(
            f"gave up after {self.max_attempts} attempts: other writers kept changing the "
            "same track; try again"
        )

    def import_records(self, lines: LineSource, locate: Locator, importer: Importer,
                       progress: Any = None) -> ImportReport:
        """Record JSON lines in bulk, through the importer the composition root built for
        this store (`tracker.bulk`): every line is validated before any is written."""
        return importer.run(self, lines, locate, progress)


def first_unencodable(value: Any, where: str = "development") -> str | None:
    """Where a value holds text that cannot be stored as UTF-8 (lone surrogates), if anywhere."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
    elif isinstance(value, dict):
        for key, item in value.items():
            found = first_unencodable(key, where) or first_unencodable(item, str(key))
            if found:
                return found
    elif isinstance(value, list):
        for item in value:
            found = first_unencodable(item, where)
            if found:
                return found
    return None
