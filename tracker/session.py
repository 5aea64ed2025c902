"""A unit of work: route each record to its aggregate, let the aggregate decide, keep the
decided events (`Decisions`) until they are saved together.

Aggregates are loaded from the store plus what this session already decided for them, and only
the most recently used ones stay in memory, so an import's memory does not grow with its size.
"""

from __future__ import annotations

import getpass
import re
from collections import OrderedDict
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any, Protocol
from uuid import UUID

from pydantic import ValidationError

from events.actors import ActorRegistered
from events.codec import content_id
from events.developments import (
    Correction,
    Development,
    MediationOffered,
    Recordable,
    Retraction,
)
from events.errors import InvalidInput, NotFound, RuleViolation
from events.values import printable
from tracker.actors import ActorDirectory
from tracker.aggregates import stream_rules
from tracker.aggregates.base import aggregate_id
from tracker.aggregates.registry import ActorRegistry
from tracker.aggregates.streams import Conflict, MediationTrack, Stream, refuse
from tracker.unsaved import Decisions
from tracker.validation import article, explain

STORE_SET = {"recorded_at"}
KINDS: dict[str, type[Stream]] = {"track": MediationTrack, "conflict": Conflict}
#: records (a few hundred bytes each) that the aggregates of a session hold at the most
HELD = 300_000


class Locator(Protocol):
    """The write side's port to the read models' index of what the store holds."""

    def __call__(self, record_id: UUID) -> tuple[str, str] | None:
        """Where a recorded id lives: ("track"|"conflict", key), or None."""

    def prefetch(self, ids: list[UUID | str]) -> None:
        """Look many ids up at once, before they are asked for one by one."""

    def stored(self, record_id: UUID) -> tuple[str, bytes] | None:
        """The stored event (topic, state) of a record, where a prefetch read it."""

    def may_exist(self, kind: str, key: str) -> bool:
        """Whether the store may hold the stream of a track or conflict key."""

    def refresh(self) -> None:
        """Catch up with other writers, after a write conflicted with theirs."""


class Session:
    def __init__(self, app: Any, locate: Locator, pending: Decisions, *, keep: int = 5000):
        self.app = app
        self.locate = locate
        self.pending = pending
        self.keep = keep
        self.streams: OrderedDict[UUID, Stream | None] = OrderedDict()
        self.held = 0  # records held by the kept aggregates
        self.registry: ActorRegistry = app.registry()
        self.directory = ActorDirectory(self.registry.actors.values())
        self._ids: dict[tuple[str, str], UUID] = {}
        #: keys of the tracks this session opened: every record of theirs is pending
        self.opened: set[str] = set()

    # -- aggregates --------------------------------------------------------------------
    def _id(self, kind: str, key: str) -> UUID:
        found = self._ids.get((kind, key))
        if found is None:
            if len(self._ids) > 100_000:
                self._ids.clear()
            found = self._ids[(kind, key)] = aggregate_id(kind, key)
        return found

    def _load(self, kind: str, key: str, *, creating: bool = False) -> Any:
        """The aggregate as stored plus what this session decided for it, or None. A route
        that creates the aggregate when missing skips the store where the read models say it
        holds none."""
        agg_id = self._id(kind, key)
        if agg_id in self.streams:
            self.streams.move_to_end(agg_id)
            return self.streams[agg_id]
        cls = KINDS[kind]
        if creating and not self.locate.may_exist(kind, key):
            stream = None
        else:
            stream = self.app.stored(cls, agg_id)
        decided = self.pending.events_for(agg_id)
        if decided:
            stream = cls.project(stream, decided)
        self._keep(agg_id, stream)
        return stream

    def _create(self, kind: str, key: str) -> Any:
        if kind == "track":
            self.opened.add(key)
        stream = KINDS[kind](self._id(kind, key))
        self._keep(stream.id, stream)
        return stream

    def _keep(self, agg_id: UUID, stream: Stream | None) -> None:
        """Keep an aggregate; forget the least recently used beyond `keep` aggregates or
        `HELD` records in all (never the one just kept)."""
        self.streams[agg_id] = stream
        self.held += len(stream.versions) if stream else 0
        while len(self.streams) > 1 and (len(self.streams) > self.keep or self.held > HELD):
            _, old = self.streams.popitem(last=False)
            self.held -= len(old.versions) if old else 0

    def _track(self, key: str) -> MediationTrack:
        track = self._load("track", key)
        if track is None or track.key is None:
            raise RuleViolation(
                f"unknown track '{key}'; open it with `tracker append mediation-offered` "
                "or see the known tracks with `tracker status`"
            )
        return track

    def _where(self, record_id: UUID) -> tuple[str, str] | None:
        pending = self.pending.where(record_id)
        if pending is not None:
            return pending[1], pending[2]
        return self.locate(record_id)

    # -- routing -----------------------------------------------------------------------
    def _route(self, record: Recordable) -> tuple[Stream, str, str, Recordable]:
        """The aggregate a record belongs to (with its kind and key), and the record with its
        track key spelled as stored."""
        if isinstance(record, Correction | Retraction):
            found = self._where(record.target)
            if found is None or found[0] not in KINDS:
                raise NotFound(
                    f"no development with id {record.target}; see ids with `tracker timeline`"
                )
            return self._load(*found), found[0], found[1], record
        if isinstance(record, MediationOffered):
            key = record.track or record.derived_track()
            track = self._load("track", key, creating=True) or self._create("track", key)
            key = track.key or key
            if record.track != key:
                record = record.model_copy(update={"track": key})
            return track, "track", key, record
        key = record.__dict__.get("track")  # not every type has one
        if key is not None:
            track = self._track(key)
            if key != track.key:
                record = record.model_copy(update={"track": track.key})
            return track, "track", track.key, record  # type: ignore[return-value]
        conflict = "-".join(record.parties)
        stream = self._load("conflict", conflict, creating=True) or self._create("conflict", conflict)
        return stream, "conflict", conflict, record

    # -- deciding ----------------------------------------------------------------------
    def decide(
        self, record: Recordable, now: datetime, *, keep_recorded_at: bool = False,
        as_recorded: bool = True,
    ) -> tuple[Recordable, bool, str | None]:
        """Route, normalise, give an id and a time, and let the aggregate decide.

        Returns the record as decided, whether it is new, and its track's key if any; a
        duplicate as it was recorded, unless `as_recorded` is False (an import counts it).
        """
        if isinstance(record, ActorRegistered):
            record = stamped(record, now, keep_recorded_at)
            fresh = self.registry.register(record)
            if fresh:
                self._drain(self.registry, "registry", "actors")
                self.directory.add(self.registry.actors[record.code])  # type: ignore[attr-defined]
            return record, fresh, None
        if not as_recorded and record.id is not None and self._recorded_alike(record, now):
            # recognised without loading its aggregate: a re-import reads no stream
            found = self.locate(record.id)
            return record, False, found[1] if found and found[0] == "track" else None
        stream, kind, key, record = self._route(record)
        if isinstance(record, Correction):
            record = self._normalise_changes(stream, record)
        derived = record.id is None
        given_time = keep_recorded_at and record.recorded_at is not None
        record = stamped(record, now, keep_recorded_at)
        if given_time:
            check_recorded_time(stream, record, now)
        # A content-derived id names content that routes here, so it can live nowhere else.
        if not derived:
            self._check_elsewhere(record.id, stream, kind, key)  # type: ignore[arg-type]
        if not derived and record.id in stream.versions and self._recorded_alike(record, now):
            fresh = False
        else:
            fresh = stream.record(record, lambda dev_id: self.full_record(stream, dev_id))
        self.held += fresh
        self._drain(stream, kind, key)
        if not fresh and as_recorded:  # report the record as it was recorded, with its own time
            record = self.full_record(stream, record.id)  # type: ignore[arg-type]
        return record, fresh, key if kind == "track" else None

    def _drain(self, aggregate: Any, kind: str, key: str) -> None:
        conflict = aggregate.conflict if kind == "track" else key if kind == "conflict" else None
        for event in aggregate.collect_events():
            self.pending.add(event, kind, key, conflict)

    def _check_elsewhere(self, record_id: UUID, stream: Stream, kind: str, key: str) -> None:
        if record_id in stream.versions:
            return
        found = self._where(record_id)
        if found is not None and found != (kind, key):
            raise RuleViolation(
                f"id {record_id} is already recorded with different content (in "
                f"{found[0]} {found[1]}); omit the id to derive one from the content"
            )

    def full_record(self, stream: Stream, record_id: UUID) -> Recordable:
        """A record as recorded, from this session's decisions or from the store (as a
        prefetch read it, else on its own)."""
        found = self.pending.get(record_id)
        if found is not None:
            return found
        event = self.locate.stored(record_id)
        if event is not None:
            return self.app.mapper.decode_record(*event)  # type: ignore[no-any-return]
        return self.app.stored_record(stream.id, stream.versions[record_id])  # type: ignore[no-any-return]

    def _recorded_alike(self, record: Recordable, now: datetime) -> bool:
        """Whether the store holds this very record (a duplicate), judged from the stored
        event that a prefetch read, without decoding it: the same stored state, or the same
        but for when and by whom it was recorded where this record's time is the one stamped
        now (a time given with it must first pass the checks of `check_recorded_time`).
        False where this cannot tell; the aggregate then compares contents."""
        event = self.locate.stored(record.id)  # type: ignore[arg-type]
        if event is None:
            return False
        topic, state = self.app.mapper.encode(record)
        if topic != event[0]:
            return False
        return state == event[1] or (
            record.recorded_at == now and without_stamps(state) == without_stamps(event[1])
        )

    def _normalise_changes(self, stream: Stream, fix: Correction) -> Correction:
        """Check a correction's changes against its target's type and store them validated."""
        if fix.target not in stream.facts:
            return fix  # the aggregate refuses it with a clear message
        target = self.full_record(stream, fix.target)
        assert isinstance(target, Development)
        cls = type(target)
        for name in fix.changes:
            refuse(stream_rules.check_field_may_change(name))
            if name in STORE_SET or name not in cls.model_fields:
                fields = sorted(set(cls.model_fields) - set(stream_rules.UNCORRECTABLE) - STORE_SET)
                raise InvalidInput(
                    f"{article(target.type)} has no correctable field '{printable(name)}'; "
                    f"choose from: {', '.join(fields)}"
                )
        refuse(stream_rules.check_conflict_kept(fix.changes))
        values = target.model_dump(mode="json")
        for earlier in stream.corrections_of(fix.target):
            values.update(earlier.changes)
        values.update(fix.changes)
        try:
            corrected = cls.model_validate(values, context={"resolve_actor": self.directory.resolve})
        except ValidationError as exc:
            raise explain(exc, target.type) from None
        dumped = corrected.model_dump(mode="json")
        return fix.model_copy(update={"changes": {k: dumped[k] for k in fix.changes}})


#: a stored state's own recorded_at and recorded_by, which are not content (SPEC §2); the
#: first match is the record's own (quotes inside strings are escaped, nested objects have none)
STAMPS = re.compile(rb'"recorded_at":"[^"]*","recorded_by":(?:"(?:[^"\\]|\\.)*"|null),')


def without_stamps(state: bytes) -> bytes:
    return STAMPS.sub(b"", state, count=1)


@lru_cache(maxsize=1)
def latest_time(now: datetime) -> datetime:
    """The latest recorded_at a record may carry: now, give or take a clock's drift."""
    return now + timedelta(minutes=5)


def check_recorded_time(stream: Stream, record: Recordable, now: datetime) -> None:
    """An imported recorded_at must be a time the record could have been recorded."""
    assert record.recorded_at is not None
    if record.recorded_at > latest_time(now):
        raise InvalidInput(
            f"recorded_at {record.recorded_at.isoformat()} is in the future; "
            "give when it was recorded, or leave it out to stamp the time of import"
        )
    reason = stream.recorded_too_early(record)
    if reason:
        raise RuleViolation(f"the {record.type} {record.id} cannot have been recorded then: {reason}")


def stamped(record: Recordable, now: datetime, keep_recorded_at: bool) -> Recordable:
    """The record with who recorded it, when, and its content-derived id where it has none."""
    stamp: dict[str, Any] = {}
    if record.recorded_by is None:
        stamp["recorded_by"] = login_name()
    if record.recorded_at is None or not keep_recorded_at:
        stamp["recorded_at"] = now
    if record.id is None:
        stamp["id"] = content_id(record)
    return record.model_copy(update=stamp) if stamp else record


@cache
def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"
