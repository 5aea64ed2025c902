"""The application: one method per write command, over the library's event store.

It never prints and never imports click or the read side. Where it must find a record by id
in another aggregate (a correction's target, an id reused across tracks) it asks a `Locator`
that the composition root provides from the read models.
"""

from __future__ import annotations

import gc
import json
import random
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, ClassVar, Protocol, Union
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.utils import get_topic
from pydantic import Field, TypeAdapter, ValidationError

from events.actors import ActorRegistered
from events.catalogue import RECORD_TYPES
from events.codec import JSONLinesTranscoder, RecordMapper
from events.developments import Recordable, fixed_width
from events.errors import InvalidInput, StoreUnavailable, TrackerError
from events.values import first_control, may_hold_control
from tracker.actors import ActorDirectory
from tracker.aggregates.registry import REGISTRY_ID, ActorRegistry
from tracker.jsontext import json_error
from tracker.pending import Decided, Pending
from tracker.redecide import Redecide
from tracker.session import Locator, Session, login_name
from tracker.validation import explain

#: keys that read commands add to a development and that `import` ignores
READ_ONLY_KEYS = ("retracted", "corrected")

#: lines written per transaction by `import` (its --batch): each commit rewrites every index
#: page its batch touched, and a batch of a file whose tracks interleave touches a page per
#: track in each index, so fewer, larger batches rewrite fewer pages; a larger batch holds
#: the write lock longer at once and keeps more in memory
IMPORT_BATCH = 50_000

#: at most this many a transaction through the library's `insert_events` (PostgreSQL): psycopg
#: 3.3 pipelines every row of a batch, and a pipeline as long as a SQLite batch can stall for
#: good (the server waiting for input, psycopg for results); a shorter one keeps clear of that
PIPELINED_BATCH = 10_000

class Indexer(Protocol):
    """The read models' side of a write, provided by the composition root: index a batch just
    written from its decided entries, without reading it back from the log."""

    def index(self, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """In a transaction of its own, after the batch is committed."""

    def index_within(self, cursor: Any, positions: Sequence[int], entries: Sequence[tuple[Any, ...]]) -> bool:
        """Inside the SQLite transaction that writes the batch."""

    def index_staged(self, cursor: Any, positions: range) -> bool:
        """Inside the SQLite transaction that copies a staged batch, whose entries are in the
        cursor's `temp.batch` (see `IndexingSQLiteRecorder.insert_staged`)."""

    def fold_staged(self, path: str, tracks: set[str]) -> Any:
        """Start folding the states of tracks that an import opens, from its staging file (on
        SQLite while its batches are written); returns a job for `store_folded`."""

    def store_folded(self, job: Any, *, keep: bool) -> None:
        """Wait for the job to end; if `keep`, keep the states the written batches left
        current."""


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


@dataclass
class ImportReport:
    recorded: int = 0
    duplicates: int = 0
    actors: int = 0
    batches: int = 0
    errors: list[tuple[int, TrackerError]] = field(default_factory=list)
    opened: set[str] = field(default_factory=set)  # keys of the tracks it opens
    #: the number of the line of each event decided, in the order decided
    numbers: array[int] = field(default_factory=lambda: array("q"))


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
    def append(
        self,
        data: dict[str, Any],
        locate: Locator,
        *,
        allow_recorded_at: bool = False,
        indexer: Indexer | None = None,
    ) -> Outcome:
        """Record one development (or correction, retraction, actor); retried on conflicts."""
        if "recorded_at" in data and not allow_recorded_at:
            raise InvalidInput(
                "recorded_at is set by the store on append; remove it "
                "(`tracker import` keeps the recorded_at of exported lines)"
            )
        for attempt in range(self.max_attempts):
            with Pending(self.mapper) as pending:
                session = Session(self, locate, pending)
                record = self.parse(data, session.directory)
                record, fresh, track = session.decide(
                    record, datetime.now(UTC), keep_recorded_at=allow_recorded_at
                )
                try:
                    for batch in pending.batches(100):
                        self._insert(batch, indexer)
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

    def import_records(
        self,
        lines: Callable[[], Iterable[tuple[int, Any]]],
        locate: Locator,
        *,
        batch_size: int = IMPORT_BATCH,
        progress: Callable[[int], None] | None = None,
        indexer: Indexer | None = None,
    ) -> ImportReport:
        """Validate every line, then write in batches of one transaction each.

        What the lines decide waits on disk (see `Pending`), so memory does not grow with the
        file. A batch that another writer's events conflict with is decided again, alone,
        against the store as it is then (see `Redecide`); the batches written before it stay
        written, and `lines` is read again only for the lines of that batch.
        """
        with Pending(self.mapper, on_disk=True) as pending, YoungGarbage() as garbage:
            report = self._plan(lines(), locate, pending, garbage)
            if report.errors:
                return report
            # SQLite writes a staged batch inside SQLite, so a thread folds beside it; on
            # PostgreSQL the fold waits for the writes, which psycopg then has to itself
            beside = hasattr(self.recorder, "insert_staged")
            folding = None
            if indexer is not None and beside:
                folding = indexer.fold_staged(pending.seal(), report.opened)
            written = False
            redecide = Redecide(self, lines, locate, indexer, report)
            try:
                for size in self._write(pending, batch_size, indexer, redecide):
                    garbage.done(size)
                    if progress:
                        progress(size)
                written = True
            finally:  # the fold reads the staging file: it ends before the file goes
                if indexer is not None and written and not beside:
                    folding = indexer.fold_staged(pending.seal(), report.opened)
                if folding is not None:  # a batch decided again makes the staged fold stale
                    indexer.store_folded(folding, keep=written and not redecide.used)
        return report

    def _write(self, pending: Pending, size: int, indexer: Indexer | None,
               redecide: Redecide) -> Iterator[int]:
        """Write what an import decided, `size` events a transaction; yields each batch's size.

        On SQLite the store copies each batch from the staging file in one statement."""
        staged = getattr(self.recorder, "insert_staged", None)
        if staged is None:  # the library's insert_events: psycopg pipelines a batch's rows
            size = min(size, PIPELINED_BATCH)
        else:
            pending.seal()
        for first in range(1, pending.count + 1, size):
            last = min(first + size - 1, pending.count)
            try:
                if staged is None:
                    self._insert(pending.rows(first, last), indexer)
                else:
                    staged(pending.path, first, last, indexer and indexer.index_staged)
                redecide.report.batches += 1
            except IntegrityError:  # another writer got there first
                redecide(pending, first, last)
            yield last - first + 1

    def _insert(self, batch: list[Decided], indexer: Indexer | None) -> None:
        """Write a batch of decided events in one transaction, and let the read models index
        it: in the same transaction on SQLite (see `IndexingSQLiteRecorder`), right after on
        PostgreSQL, where the library's own `insert_events` writes."""
        # In the order decided (the lines' order): the log's order breaks ties in occurred
        # order, across tracks too, and an export must come back from an import as it was.
        entries = [meta[2:] for *_, meta in batch]
        bulk = getattr(self.recorder, "insert_indexed", None)
        if bulk is not None:
            bulk([row[:4] for row in batch], indexer and (
                lambda cursor, positions: indexer.index_within(cursor, positions, entries)
            ))
            return
        positions = self.recorder.insert_events(
            [StoredEvent(UUID(hex=o), v, t, s) for o, v, t, s, _ in batch]
        )
        if indexer is not None and positions:
            indexer.index(positions, entries)

    def _plan(self, lines: Iterable[tuple[int, Any]], locate: Locator, pending: Pending,
              garbage: YoungGarbage) -> ImportReport:
        """Decide every line. A line may come as its raw bytes (see `decode_line`): pydantic
        then validates the JSON text itself, and a line it refuses is decoded and validated
        again the usual way, so that its error reads the same."""
        report = ImportReport()
        session = Session(self, locate, pending)
        now = datetime.now(UTC)
        stamps = {"recorded_at": now, "recorded_by": login_name()}
        context = {"resolve_actor": session.directory.resolve, **stamps}
        checked = getattr(lines, "text_checked", False)
        for window in windows(lines, 5000):
            garbage.done(len(window))
            for part in segments(window):
                version = session.directory.version
                early = [self._early(data, context) for _, data in part]
                locate.prefetch([
                    ref for record, (_, data) in zip(early, part, strict=True)
                    for ref in (record_refs(record) if record is not None else dict_refs(data)) if ref
                ])
                for record, (number, data) in zip(early, part, strict=True):
                    try:
                        if record is None or session.directory.version != version:
                            # an actor registered since may change what a name resolves to
                            if isinstance(data, bytes):
                                data = decode_line(data)
                            if isinstance(data, TrackerError):
                                raise data
                            record = self.parse(data, session.directory, text_checked=checked,
                                                stamps=stamps)
                        _, fresh, _ = session.decide(record, now, keep_recorded_at=True, as_recorded=False)
                    except StoreUnavailable:
                        raise  # not the line's fault
                    except TrackerError as exc:
                        exc.__traceback__ = exc.__context__ = None  # keep the message, not the frames
                        report.errors.append((number, exc))
                        continue
                    if not fresh:
                        report.duplicates += 1
                        continue
                    report.numbers.append(number)
                    if isinstance(record, ActorRegistered):
                        report.actors += 1
                    else:
                        report.recorded += 1
        report.opened = session.opened
        return report

    @staticmethod
    def _early(data: Any, context: dict[str, Any]) -> Recordable | None:
        """A raw line validated straight from its JSON text; None for an actor registration,
        which changes what names resolve to (its segment ends there), and where validation
        fails or its text may hold a control character (the line then takes the usual way,
        which words the error)."""
        if not isinstance(data, bytes) or ACTOR_LINE in data or may_hold_control(data):
            return None
        try:
            return record_adapter().validate_json(data, context=context)
        except (ValidationError, TrackerError, RecursionError):
            return None


class YoungGarbage:
    """Collect only young garbage while a bulk job runs, and only every `every` items.

    What an import builds lives until it ends, and its lines leave no cycles behind (the
    unreachable objects do not grow with the number of lines), so the collector would only
    scan live objects again and again; the rarer the collection, the less of that scanning.
    A collection every 500,000 items still bounds whatever cycles an odd file might leave.
    """

    def __init__(self, every: int = 500_000):
        self.every = every
        self.since = 0

    def __enter__(self) -> YoungGarbage:
        self.enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            gc.enable()

    def done(self, items: int) -> None:
        self.since += items
        if self.since >= self.every:
            self.since = 0
            gc.collect(1)


@cache
def record_adapter() -> TypeAdapter[Any]:
    """Every record type, told apart by its `type`: validates a line's JSON text directly."""
    return TypeAdapter(Annotated[Union[tuple(RECORD_TYPES.values())], Field(discriminator="type")])  # noqa: UP007


def record_refs(record: Recordable) -> tuple[Any, Any]:
    """The ids a record names: its own and its target's."""
    values = record.__dict__
    return values["id"], values.get("target")


def dict_refs(data: Any) -> tuple[Any, ...]:
    return (data.get("id"), data.get("target")) if isinstance(data, dict) else ()


def decode_line(raw: bytes) -> Any:
    """The value of one line of a JSON-lines file, or the InvalidInput that says why it has
    none. A reader may hand `import` a line as its bytes where it holds no \\udXXX escape (a
    lone surrogate cannot be stored) and is not blank; its first line without a byte-order
    mark."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return InvalidInput("not UTF-8 text; give a JSON-lines file")
    if "\\ud" in line.lower():  # a \\udXXX escape may be a lone surrogate
        try:
            storable = encodable(json.loads(line))
        except (ValueError, RecursionError):
            storable = True  # not JSON: the parse below says why
        if not storable:
            return InvalidInput("text must be valid Unicode (a lone surrogate)")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return InvalidInput(f"not valid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:  # thousands of digits, thousands of levels
        return InvalidInput(json_error(exc))


#: what marks a raw line that registers an actor
ACTOR_LINE = b'"actor-registered"'


def segments(window: list[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    """A window cut after each raw line that may register an actor: the lines of a segment are
    validated ahead of deciding them, with the actors known when the segment starts."""
    start = 0
    for i, (_, data) in enumerate(window):
        if isinstance(data, bytes) and ACTOR_LINE in data:
            yield window[start:i + 1]
            start = i + 1
    if start < len(window):
        yield window[start:]


def windows(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    window: list[Any] = []
    for item in items:
        window.append(item)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


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
