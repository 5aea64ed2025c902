"""Deciding an import's batch again after another writer's events conflicted with it."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import takewhile
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError

from events.errors import StoreUnavailable
from tracker.bulk.garbage import YoungGarbage
from tracker.bulk.staging import Staging
from tracker.session import Locator

if TYPE_CHECKING:
    from tracker.bulk.importer import Importer, ImportReport


class Redecide:
    """Decides a batch of an import again, after another writer's events conflicted with it,
    against the store as it is now, and writes it; the batches before it stay written.

    Deciding a batch takes longer than another writer's append, so while others keep writing
    to its tracks the batch is decided and written in smaller pieces after each conflict
    (larger again after each success): a piece is soon small enough to be written before
    anyone else writes, so the import always makes progress. It gives up after
    `max_attempts` conflicts in a row.
    """

    def __init__(self, importer: Importer, app: Any, lines: Callable[[], Iterable[tuple[int, Any]]],
                 locate: Locator, report: ImportReport):
        self.importer, self.app, self.lines, self.locate, self.report = importer, app, lines, locate, report
        self.used = False

    def __call__(self, staging: Staging, first: int, last: int) -> None:
        self.used = True
        numbers = self.report.numbers[first - 1:last]  # the lines whose events these were
        actors = sum(1 for row in staging.rows(first, last) if row[4][0] == "registry")
        self.report.actors -= actors
        self.report.recorded -= len(numbers) - actors
        done, piece, conflicts = 0, len(numbers), 0
        while done < len(numbers):
            wanted = numbers[done:done + piece]
            self.locate.refresh()
            try:
                self._decide_and_write(wanted)
            except IntegrityError:
                conflicts += 1
                if conflicts >= self.app.max_attempts:
                    raise StoreUnavailable(
                        f"gave up after {conflicts} attempts at line {wanted[0]} and on: other "
                        f"writers kept changing the same tracks; the lines before it are "
                        "recorded, and running the import again records the rest"
                    ) from None
                time.sleep(random.uniform(0, 0.005 * conflicts))
                piece = max(1, piece // 4)
                continue
            done += len(wanted)
            conflicts = 0
            piece = min(piece * 2, len(numbers))

    def _decide_and_write(self, numbers: Sequence[int]) -> None:
        """Decide the lines of these numbers against the store as it is, and write them in one
        transaction."""
        wanted, last = set(numbers), numbers[-1]
        source = self.lines()
        picked = Lines((number, data) for number, data in takewhile(
            lambda item: item[0] <= last, source) if number in wanted)
        picked.text_checked = getattr(source, "text_checked", False)
        with Staging(self.app.mapper) as staging, YoungGarbage() as garbage:
            report = self.importer.plan(self.app, picked, self.locate, staging, garbage)
            if report.errors:  # another writer's events refuse a line decided before them
                number, _ = report.errors[0]
                raise type(report.errors[0][1])(
                    f"{len(report.errors)} line{'s' if len(report.errors) > 1 else ''} became "
                    "invalid through another writer's changes while the import was written; the "
                    f"lines before line {number} are recorded; fix or remove "
                    f"{'them' if len(report.errors) > 1 else 'it'} and run the import again",
                    [f"line {n}: {err.message}" for n, err in report.errors],
                )
            if staging.count:
                self.importer.writer.insert(staging.rows(1, staging.count))
        self.report.recorded += report.recorded
        self.report.actors += report.actors
        self.report.duplicates += report.duplicates
        self.report.batches += 1


class Lines:
    """Lines picked from an import's lines, marked as checked as those were."""

    text_checked = False

    def __init__(self, items: Iterable[tuple[int, Any]]):
        self.items = items

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return iter(self.items)
