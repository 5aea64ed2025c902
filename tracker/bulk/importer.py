"""The importer: validate every line, decide it on its aggregate, stage what was decided,
then write it in batches of one transaction each."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from eventsourcing.persistence import IntegrityError

from events.actors import ActorRegistered
from events.errors import StoreUnavailable, TrackerError
from tracker.bulk.garbage import YoungGarbage
from tracker.bulk.lines import early, refs, segments, windows
from tracker.bulk.redecide import Redecide
from tracker.bulk.staging import Staging
from tracker.bulk.writers import Index, LibraryRows, SQLiteCopy, SQLiteRows
from tracker.jsontext import decode_line
from tracker.session import Locator, Session, login_name

#: lines written per transaction (`import --batch`): each commit rewrites every index page its
#: batch touched, and a batch of a file whose tracks interleave touches a page per track in
#: each index, so larger batches write faster; the write lock is held while a batch is written
IMPORT_BATCH = 50_000

#: lines validated ahead of deciding them, and whose ids are looked up in the store at once
WINDOW = 5000

#: (line number, the line: its raw bytes, a parsed JSON value or the error that it has none)
LineSource = Callable[[], Iterable[tuple[int, Any]]]


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


class Importer:
    """Imports JSON lines into one store.

    `writer` writes a batch and has the read models index it (see `tracker.bulk.writers`);
    `batch_size` lines go in each transaction; `staging` makes the store of what an import
    decided (`Staging`, on disk, unless given); `parse` validates one decoded line into a
    record (the application's own `parse` unless given).
    """

    def __init__(self, writer: LibraryRows, *, index: Index | None = None,
                 batch_size: int = IMPORT_BATCH, staging: Callable[..., Staging] | None = None,
                 parse: Callable[..., Any] | None = None):
        self.writer = writer
        self.index = index
        self.batch_size = min(batch_size, writer.cap or batch_size)
        self.staging = staging or partial(Staging, on_disk=True)
        self.parse = parse

    def run(self, app: Any, lines: LineSource, locate: Locator,
            progress: Callable[[int], None] | None = None) -> ImportReport:
        """Validate every line, then write in batches of one transaction each.

        What the lines decide waits on disk (see `Staging`), so memory does not grow with the
        file. A batch that another writer's events conflict with is decided again, alone,
        against the store as it is then (see `Redecide`); the batches written before it stay
        written, and `lines` is read again only for the lines of that batch.
        """
        with self.staging(app.mapper) as staging, YoungGarbage() as garbage:
            report = self.plan(app, lines(), locate, staging, garbage)
            if report.errors:
                return report
            redecide = Redecide(self, app, lines, locate, report)
            if self.index is None:
                self._write_all(staging, redecide, garbage, progress)
            elif self.writer.fold_beside:  # the fold reads the staging file while it is written
                with self.index.folding(staging.seal(), report.opened) as job:
                    self._write_all(staging, redecide, garbage, progress)
                    job.keep = not redecide.used  # a batch decided again makes it stale
            else:
                self._write_all(staging, redecide, garbage, progress)
                with self.index.folding(staging.seal(), report.opened) as job:
                    job.keep = not redecide.used
        return report

    def _write_all(self, staging: Staging, redecide: Redecide, garbage: YoungGarbage,
                   progress: Callable[[int], None] | None) -> None:
        for size in self._write(staging, redecide):
            garbage.done(size)
            if progress:
                progress(size)

    def _write(self, staging: Staging, redecide: Redecide) -> Iterator[int]:
        """Write what an import decided, a batch a transaction; yields each batch's size."""
        for first in range(1, staging.count + 1, self.batch_size):
            last = min(first + self.batch_size - 1, staging.count)
            try:
                self.writer.write(staging, first, last)
                redecide.report.batches += 1
            except IntegrityError:  # another writer got there first
                redecide(staging, first, last)
            yield last - first + 1

    def plan(self, app: Any, lines: Iterable[tuple[int, Any]], locate: Locator,
             staging: Staging, garbage: YoungGarbage) -> ImportReport:
        """Decide every line. A line may come as its raw bytes (see `decode_line`): pydantic
        then validates the JSON text itself, and a line it refuses is decoded and validated
        again the usual way, so that its error reads the same."""
        report = ImportReport()
        session = Session(app, locate, staging)
        now = datetime.now(UTC)
        stamps = {"recorded_at": now, "recorded_by": login_name()}
        context = {"resolve_actor": session.directory.resolve, **stamps}
        checked = getattr(lines, "text_checked", False)
        parse = self.parse or app.parse
        for window in windows(lines, WINDOW):
            garbage.done(len(window))
            for part in segments(window):
                version = session.directory.version
                found = [early(data, context) for _, data in part]
                locate.prefetch([ref for record, (_, data) in zip(found, part, strict=True)
                                 for ref in refs(record, data) if ref])
                for record, (number, data) in zip(found, part, strict=True):
                    if record is None or session.directory.version != version:
                        # an actor registered since may change what a name resolves to
                        record = self._parsed(parse, data, session, checked, stamps, report, number)
                    if record is not None:
                        self._decide(session, record, now, report, number)
        report.opened = session.opened
        return report

    @staticmethod
    def _parsed(parse: Callable[..., Any], data: Any, session: Session, checked: bool,
                stamps: dict[str, Any], report: ImportReport, number: int) -> Any:
        """A line decoded and validated the usual way; None, with its error in the report,
        where it is malformed."""
        if isinstance(data, bytes):
            data = decode_line(data)
        try:
            if isinstance(data, TrackerError):
                raise data
            return parse(data, session.directory, text_checked=checked, stamps=stamps)
        except StoreUnavailable:
            raise  # not the line's fault
        except TrackerError as exc:
            exc.__traceback__ = exc.__context__ = None  # keep the message, not the frames
            report.errors.append((number, exc))
            return None

    @staticmethod
    def _decide(session: Session, record: Any, now: datetime, report: ImportReport,
                number: int) -> None:
        try:
            _, fresh, _ = session.decide(record, now, keep_recorded_at=True, as_recorded=False)
        except StoreUnavailable:
            raise  # not the line's fault
        except TrackerError as exc:
            exc.__traceback__ = exc.__context__ = None
            report.errors.append((number, exc))
            return
        if not fresh:
            report.duplicates += 1
            return
        report.numbers.append(number)
        if isinstance(record, ActorRegistered):
            report.actors += 1
        else:
            report.recorded += 1


def importer_for(kind: str, recorder: Any, index: Index | None, **options: Any) -> Importer:
    """The importer of a store of this kind ("sqlite" or "postgres"); `options` as `Importer`
    takes them, and `staged=False` writes a SQLite store row by row instead of copying each
    batch from the staging file."""
    staged = options.pop("staged", True)
    if kind == "sqlite":
        writer: LibraryRows = (SQLiteCopy if staged else SQLiteRows)(recorder, index)
    else:
        writer = LibraryRows(recorder, index)
    return Importer(writer, index=index, **options)
