"""The application: one method per write command, over the library's event store.

It never prints and never imports click or the read side. Where it must find a record by id
in another aggregate (a correction's target, an id reused across tracks) it asks a `Locator`
that the composition root provides from the read models.
"""

from __future__ import annotations

import getpass
import json
from functools import cache
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic
from pydantic import ValidationError

from events.actors import Actor, ActorRegistered
from events.catalogue import RECORD_TYPES
from events.codec import JSONLinesTranscoder, RecordMapper, Recorded, content_id
from events.developments import (
    Correction,
    Development,
    MediationOffered,
    Recordable,
    Retraction,
)
from events.errors import InvalidInput, NotFound, RuleViolation, StoreUnavailable, TrackerError
from tracker.actors import ActorDirectory
from tracker.aggregates.base import aggregate_id
from tracker.aggregates.registry import REGISTRY_ID, ActorRegistry
from tracker.aggregates.streams import Conflict, MediationTrack, Stream
from tracker.validation import explain

#: keys that read commands add to a development and that `import` ignores
READ_ONLY_KEYS = ("retracted", "corrected")
UNCORRECTABLE = {"type", "id", "track"}
STORE_SET = {"recorded_at"}


class Locator(Protocol):
    """Finds where a recorded id lives: ("track"|"conflict", key), or None."""

    def __call__(self, record_id: UUID) -> tuple[str, str] | None: ...


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
            "recorded_at": self.recorded_at.isoformat(timespec="microseconds"),
            "duplicate": self.duplicate,
        }


@dataclass
class ImportReport:
    recorded: int = 0
    duplicates: int = 0
    actors: int = 0
    batches: int = 0
    errors: list[tuple[int, TrackerError]] = field(default_factory=list)


class TrackerApplication(Application):
    """The write side of the tracker."""

    name = "tracker"
    env: ClassVar[dict[str, str]] = {
        "MAPPER_TOPIC": get_topic(RecordMapper),
        "TRANSCODER_TOPIC": get_topic(JSONLinesTranscoder),
    }
    max_attempts = 50

    # -- reading aggregates ------------------------------------------------------------
    def _get(self, cls: type, agg_id: UUID) -> Any:
        try:
            return self.repository.get(agg_id, projector_func=cls.project)
        except AggregateNotFoundError:
            return None

    def registry(self) -> ActorRegistry:
        return self._get(ActorRegistry, REGISTRY_ID) or ActorRegistry()

    def directory(self) -> ActorDirectory:
        return ActorDirectory(self.registry().actors.values())

    # -- parsing -----------------------------------------------------------------------
    def parse(self, data: Any, directory: ActorDirectory) -> Recordable:
        """Validate one JSON object into a record; InvalidInput with field-by-field reasons."""
        if not isinstance(data, dict):
            raise InvalidInput("a development must be a JSON object with a \"type\" key")
        kind = data.get("type")
        if kind not in RECORD_TYPES:
            raise InvalidInput(
                f"unknown type {kind!r}; choose one of: {', '.join(RECORD_TYPES)}"
            )
        data = {k: v for k, v in data.items() if k not in READ_ONLY_KEYS}
        bad = None if encodable(data) else first_unencodable(data)
        if bad is not None:
            raise InvalidInput(f"{bad}: text must be valid Unicode (it holds a lone surrogate)")
        try:
            return RECORD_TYPES[kind].model_validate(
                data, context={"resolve_actor": directory.resolve}
            )
        except ValidationError as exc:
            raise explain(exc, kind) from None

    # -- writing -----------------------------------------------------------------------
    def append(
        self,
        data: dict[str, Any],
        locate: Locator,
        *,
        allow_recorded_at: bool = False,
    ) -> Outcome:
        """Record one development (or correction, retraction, actor); retried on conflicts."""
        if "recorded_at" in data and not allow_recorded_at:
            raise InvalidInput(
                "recorded_at is set by the store on append; remove it "
                "(`tracker import` keeps the recorded_at of exported lines)"
            )
        for attempt in range(self.max_attempts):
            session = Session(self, locate)
            record = self.parse(data, session.directory)
            record, fresh = session.decide(record, datetime.now(UTC), keep_recorded_at=allow_recorded_at)
            try:
                self.save(*session.touched())
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
                continue
            return Outcome(
                id=record.id,  # type: ignore[arg-type]
                type=record.type,  # type: ignore[attr-defined]
                track=getattr(record, "track", None) or session.track_of.get(record.id),  # type: ignore[arg-type]
                recorded_at=record.recorded_at,  # type: ignore[arg-type]
                duplicate=not fresh,
            )
        raise StoreUnavailable(
            f"gave up after {self.max_attempts} attempts: other writers kept changing the "
            "same track; try again"
        )

    def import_records(
        self,
        lines: Callable[[], Iterable[tuple[int, Any]]],
        locate: Locator,
        *,
        batch_size: int = 500,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Validate every line, then write in batches of one transaction each.

        `lines` is called again if another writer interleaves, so a retry re-plans against
        the store as it is; lines already recorded are skipped as duplicates.
        """
        for _attempt in range(self.max_attempts):
            report, events = self._plan(lines(), locate)
            if report.errors:
                return report
            try:
                self._write(events, batch_size, report, progress)
            except IntegrityError:
                locate_refresh = getattr(locate, "refresh", None)
                if locate_refresh:
                    locate_refresh()
                continue
            return report
        raise StoreUnavailable("gave up: other writers kept changing the same tracks; rerun the import")

    def _plan(
        self, lines: Iterable[tuple[int, Any]], locate: Locator
    ) -> tuple[ImportReport, list[Recorded]]:
        report = ImportReport()
        session = Session(self, locate)
        now = datetime.now(UTC)
        lines = list(lines)
        prefetch = getattr(locate, "prefetch", None)
        if prefetch:
            prefetch(
                [str(d.get("id")) for _, d in lines if isinstance(d, dict) and d.get("id")]
                + [str(d.get("target")) for _, d in lines if isinstance(d, dict) and d.get("target")]
            )
        for number, data in lines:
            try:
                if isinstance(data, TrackerError):
                    raise data
                record = self.parse(data, session.directory)
                _, fresh = session.decide(record, now, keep_recorded_at=True)
            except TrackerError as exc:
                report.errors.append((number, exc))
                continue
            if not fresh:
                report.duplicates += 1
            elif isinstance(record, ActorRegistered):
                report.actors += 1
            else:
                report.recorded += 1
        return report, session.pending_in_order()

    def _write(
        self,
        events: list[Recorded],
        batch_size: int,
        report: ImportReport,
        progress: Callable[[int], None] | None,
    ) -> None:
        for start in range(0, len(events), batch_size):
            chunk = events[start : start + batch_size]
            self.save(Batch(chunk))
            report.batches += 1
            if progress:
                progress(len(chunk))


class Batch:
    """Pending events of many aggregates, saved together in one transaction.

    Handing the library one object that collects them is much cheaper than handing it each
    event: it checks every object it is given against a runtime protocol.
    """

    def __init__(self, events: list[Recorded]):
        self.id = uuid4()
        self.events = events

    def collect_events(self) -> list[Recorded]:
        return self.events


class Session:
    """A unit of work: aggregates loaded once, decisions applied in memory, saved together."""

    def __init__(self, app: TrackerApplication, locate: Locator):
        self.app = app
        self.locate = locate
        self.loaded: dict[UUID, Any] = {}
        self.registry_ = app.registry()
        self.loaded[self.registry_.id] = self.registry_
        self.directory = ActorDirectory(self.registry_.actors.values())
        self.where: dict[UUID, UUID] = {}
        self.track_of: dict[UUID, str | None] = {}
        self._order: list[Recorded] = []
        self._ids: dict[tuple[str, str], UUID] = {}

    def _id(self, kind: str, key: str) -> UUID:
        found = self._ids.get((kind, key))
        if found is None:
            found = self._ids[(kind, key)] = aggregate_id(kind, key)
        return found

    def _load(self, cls: type, kind: str, key: str) -> Any:
        agg_id = self._id(kind, key)
        if agg_id not in self.loaded:
            self.loaded[agg_id] = self.app._get(cls, agg_id)
        return self.loaded[agg_id]

    def _create(self, cls: type, kind: str, key: str) -> Any:
        agg = cls(self._id(kind, key))
        self.loaded[agg.id] = agg
        return agg

    def touched(self) -> list[Any]:
        return [a for a in self.loaded.values() if a is not None and a._pending]

    def pending_in_order(self) -> list[Recorded]:
        return self._order

    # -- routing -----------------------------------------------------------------------
    def _track(self, key: str) -> MediationTrack:
        track = self._load(MediationTrack, "track", key)
        if track is None or track.key is None:
            raise RuleViolation(
                f"unknown track '{key}'; open it with `tracker append mediation-offered` "
                "or see the known tracks with `tracker status`"
            )
        return track

    def _route(self, record: Recordable) -> tuple[Stream, Recordable]:
        """The aggregate a record belongs to, and the record with its track key normalised."""
        if isinstance(record, Correction | Retraction):
            found = self._find(record.target)
            if found is None:
                raise NotFound(
                    f"no development with id {record.target}; see ids with `tracker timeline`"
                )
            return found, record
        if isinstance(record, MediationOffered):
            key = record.track or record.derived_track()
            track = self._load(MediationTrack, "track", key)
            if track is None:
                track = self._create(MediationTrack, "track", key)
            elif track.key is not None and track.parties != list(record.parties):
                raise RuleViolation(
                    f"track {track.key} is for the conflict {track.conflict}, not "
                    f"{'-'.join(record.parties)}; use another --track key or name the "
                    "same parties"
                )
            key = track.key or key
            return track, record if record.track == key else record.model_copy(update={"track": key})
        key = getattr(record, "track", None)
        if key is not None:
            track = self._track(key)
            return track, record if key == track.key else record.model_copy(update={"track": track.key})
        conflict_key = "-".join(record.parties)  # type: ignore[attr-defined]
        conflict = self._load(Conflict, "conflict", conflict_key) or self._create(
            Conflict, "conflict", conflict_key
        )
        return conflict, record

    def _find(self, record_id: UUID) -> Stream | None:
        if record_id in self.where:
            return self.loaded[self.where[record_id]]
        found = self.locate(record_id)
        if found is None:
            return None
        kind, key = found
        cls = MediationTrack if kind == "track" else Conflict
        return self._load(cls, kind, key)

    # -- deciding ----------------------------------------------------------------------
    def decide(
        self, record: Recordable, now: datetime, *, keep_recorded_at: bool = False
    ) -> tuple[Recordable, bool]:
        """Route, normalise, give an id and a time, and let the aggregate decide.

        Returns the record as stored (or as already stored) and whether it is new.
        """
        if isinstance(record, ActorRegistered):
            return self._register(record, now, keep_recorded_at)
        stream, record = self._route(record)
        if isinstance(record, Correction):
            record = self._normalise_changes(stream, record)
        stamp: dict[str, Any] = {}
        if record.recorded_by is None:
            stamp["recorded_by"] = login_name()
        derived = record.id is None
        if derived:
            stamp["id"] = content_id(record)
        if record.recorded_at is None or not keep_recorded_at:
            stamp["recorded_at"] = now
        if stamp:
            record = record.model_copy(update=stamp)
        # A content-derived id names content that routes here, so it can live nowhere else.
        elsewhere = None if derived else self._elsewhere(record.id, stream)  # type: ignore[arg-type]
        if elsewhere:
            raise RuleViolation(
                f"id {record.id} is already recorded with different content (in {elsewhere}); "
                "omit the id to derive one from the content"
            )
        fresh = stream.record(record)
        if not fresh:
            record = stream.records[record.id]  # type: ignore[index]
        else:
            self._order.append(stream._pending[-1])
        self.where[record.id] = stream.id  # type: ignore[index]
        if isinstance(stream, MediationTrack):
            self.track_of[record.id] = stream.key  # type: ignore[index]
        return record, fresh

    def _elsewhere(self, record_id: UUID, stream: Stream) -> str | None:
        if record_id in stream.records:
            return None
        if record_id in self.where:
            return None if self.where[record_id] == stream.id else "this input"
        found = self.locate(record_id)
        if found is None:
            return None
        kind, key = found
        return None if aggregate_id(kind, key) == stream.id else f"{kind} {key}"

    def _register(
        self, record: ActorRegistered, now: datetime, keep_recorded_at: bool
    ) -> tuple[Recordable, bool]:
        stamp: dict[str, Any] = {}
        if record.recorded_by is None:
            stamp["recorded_by"] = login_name()
        if record.recorded_at is None or not keep_recorded_at:
            stamp["recorded_at"] = now
        derived = record.id is None
        if derived:
            stamp["id"] = content_id(record)
        record = record.model_copy(update=stamp)
        fresh = self.registry_.register(record)
        if fresh:
            self._order.append(self.registry_._pending[-1])
            self.directory = ActorDirectory(self.registry_.actors.values())
        return record, fresh

    def _normalise_changes(self, stream: Stream, fix: Correction) -> Correction:
        """Check a correction's changes against its target's type and store them validated."""
        target = stream.records.get(fix.target)
        if not isinstance(target, Development):
            return fix  # the aggregate refuses it with a clear message
        cls = type(target)
        for name in fix.changes:
            if name in UNCORRECTABLE:
                raise RuleViolation(
                    f"a correction cannot change '{name}'; retract the development and "
                    "record it anew instead"
                )
            if name in STORE_SET or name not in cls.model_fields:
                fields = sorted(set(cls.model_fields) - UNCORRECTABLE - STORE_SET)
                raise InvalidInput(
                    f"a {target.type} has no correctable field '{name}'; "
                    f"choose from: {', '.join(fields)}"
                )
        if "parties" in fix.changes:
            raise RuleViolation(
                "a correction cannot change 'parties' (it would move the development to "
                "another conflict); retract it and record it anew"
            )
        values = stream.current(fix.target).model_dump(mode="json")
        values.update(fix.changes)
        try:
            corrected = cls.model_validate(values, context={"resolve_actor": self.directory.resolve})
        except ValidationError as exc:
            raise explain(exc, target.type) from None
        dumped = corrected.model_dump(mode="json")
        return fix.model_copy(update={"changes": {k: dumped[k] for k in fix.changes}})


def encodable(value: Any) -> bool:
    """True when every string in a JSON value can be stored as UTF-8 (the common case)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return False
    return True


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


@cache
def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


def registered_actors(app: TrackerApplication) -> list[Actor]:
    return sorted(app.registry().actors.values(), key=lambda a: a.code)
