"""Mediation tracks and conflicts: streams of developments that enforce SPEC §3.

Both remember, for every development, its content id (to tell a duplicate from a reused id)
and a small fact (type, date, the actors the rules look at), plus its corrections and its
retraction; and decide whether a new record leaves every counted development valid. Tracks
fold their facts in occurred order (ties by version, which is their order in the log) to check
rules that depend on a point in time, such as a mediator leaving.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from uuid import UUID

from events.codec import content_id
from events.developments import (
    Correction,
    Development,
    MediationOffered,
    Recordable,
    Retraction,
)
from events.errors import RuleViolation
from tracker.aggregates import stream_rules, track_rules
from tracker.aggregates.base import Aggregate
from tracker.aggregates.facts import WHO, Fact, fact_of, patched, who_of
from tracker.aggregates.track_rules import OFFER, Counted


def refuse(problems: list[str]) -> None:
    if problems:
        raise RuleViolation(problems[0], problems[1:])


class Stream(Aggregate):
    """Developments of one track or one conflict, with their corrections and retractions."""

    def __init__(self, id: UUID):
        super().__init__(id)
        self.kinds: dict[UUID, str] = {}
        self.versions: dict[UUID, int] = {}
        self.developments: list[UUID] = []
        self.facts: dict[UUID, Fact] = {}
        self.corrections: dict[UUID, list[Correction]] = {}
        self.retractions: dict[UUID, Retraction] = {}
        #: developments by the actors their facts name, as recorded or as ever corrected
        self.naming: dict[str, list[UUID]] = {}
        self.offers: list[UUID] = []

    # -- state -------------------------------------------------------------------------
    def apply(self, record: Recordable, version: int) -> None:
        assert record.id is not None
        self.kinds[record.id] = record.type
        self.versions[record.id] = version
        if isinstance(record, Correction):
            self.corrections.setdefault(record.target, []).append(record)
            field = WHO.get(self.kinds.get(record.target, ""))
            if field in record.changes:
                for who in who_of(record.changes[field]):
                    self.naming.setdefault(who, []).append(record.target)
        elif isinstance(record, Retraction):
            self.retractions[record.target] = record
        else:
            assert isinstance(record, Development)
            self.developments.append(record.id)
            fact = self.facts[record.id] = fact_of(record)
            if fact.type == OFFER:
                self.offers.append(record.id)
            for who in fact.who:
                self.naming.setdefault(who, []).append(record.id)
            self._on_development(record)

    def _on_development(self, dev: Development) -> None:
        """Hook for state a subclass derives from developments as recorded."""

    def corrections_of(self, dev_id: UUID) -> list[Correction]:
        """The corrections of a development in the order they apply: later ones win."""
        fixes = self.corrections.get(dev_id, [])
        return sorted(fixes, key=lambda c: (c.recorded_at, self.versions[c.id]))  # type: ignore[index]

    def fact(self, dev_id: UUID) -> Fact:
        fact = self.facts[dev_id]
        for fix in self.corrections_of(dev_id):
            fact = patched(fact, fix.changes)
        return fact

    def counted(self, extra: Recordable | None = None, naming: set[str] | None = None) -> Counted:
        """(version, id, current fact) of every development that counts, as if `extra` were
        recorded next; if `naming` is given, only the offers and those whose current fact names
        one of its actors."""
        retracted = set(self.retractions)
        if isinstance(extra, Retraction):
            retracted.add(extra.target)
        if naming is None:
            candidates: Iterable[UUID] = self.developments
        else:
            candidates = {dev_id for who in naming for dev_id in self.naming.get(who, ())}
            candidates.update(self.offers)
        result = []
        for dev_id in candidates:
            if dev_id in retracted:
                continue
            fact = self.fact(dev_id)
            if isinstance(extra, Correction) and extra.target == dev_id:
                fact = patched(fact, extra.changes)
            if naming is None or fact.type == OFFER or naming.intersection(fact.who):
                result.append((self.versions[dev_id], dev_id, fact))
        if isinstance(extra, Development):
            fact = fact_of(extra)
            if naming is None or fact.type == OFFER or naming.intersection(fact.who):
                result.append((self.version + 1, extra.id, fact))  # type: ignore[arg-type]
        return result

    def affected(self, record: Recordable) -> set[str] | None:
        """The actors whose developments a new record can make invalid, when the rules can
        be checked over theirs alone; None when every counted development must be folded."""
        return None

    def fold_violations(self, record: Recordable) -> list[str]:
        """The rules broken once `record` is applied, folding only the developments of the
        actors it affects; a refusal is worded from the whole track (its messages name, say,
        every mediator of the time)."""
        naming = self.affected(record)
        problems = self.violations(self.counted(record, naming))
        if problems and naming is not None:
            problems = self.violations(self.counted(record))
        return problems

    # -- decisions ---------------------------------------------------------------------
    def is_duplicate(self, record: Recordable, recorded: Callable[[UUID], Recordable]) -> bool:
        """True when the same id holds the same content; refused when the content differs.

        A content-derived id that is already known names the same content; for an id a user
        chose, `recorded` gives the stored record to compare with.
        """
        if record.id not in self.versions:
            return False
        content = content_id(record)
        if content == record.id or content == content_id(recorded(record.id)):
            return True
        raise RuleViolation(
            f"id {record.id} is already recorded with different content; "
            "omit the id to derive one from the content, or correct the recorded one "
            "with `tracker correct`"
        )

    def record(self, record: Recordable, recorded: Callable[[UUID], Recordable]) -> bool:
        """Record a development, correction or retraction; False for a duplicate."""
        if self.is_duplicate(record, recorded):
            return False
        if isinstance(record, Correction | Retraction):
            self._check_target(record)
        problems = self.quick_violations(record)
        if problems is None:
            problems = self.fold_violations(record)
        if problems:
            verb = {"correction": "correcting", "retraction": "retracting"}.get(record.type, "")
            prefix = f"{verb} {record.target} would leave " if verb else ""  # type: ignore[attr-defined]
            raise RuleViolation(prefix + problems[0], problems[1:])
        self.trigger(record)
        return True

    def _check_target(self, record: Correction | Retraction) -> None:
        """Only a counted development can be corrected or retracted."""
        refuse(stream_rules.check_target_counts(record, self.kinds, self.facts, self.retractions))

    def violations(self, counted: Counted) -> list[str]:
        """Every rule a set of counted developments breaks (none for a conflict)."""
        return []

    def recorded_too_early(self, record: Recordable) -> str | None:
        """Why a record carrying its own recorded_at (an imported line) could not have been
        recorded then: before the development it corrects or retracts, or before any offer
        opened its track. None when it could."""
        if isinstance(record, Correction | Retraction) and record.target in self.facts:
            found = stream_rules.check_recorded_after_target(record, self.facts[record.target])
            return found[0] if found else None
        return None

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
        self._opened_at: datetime | None = None  # when the first offer was recorded

    def _on_development(self, dev: Development) -> None:
        if isinstance(dev, MediationOffered):
            if dev.recorded_at and (self._opened_at is None or dev.recorded_at < self._opened_at):
                self._opened_at = dev.recorded_at
            if self.key is None:
                self.key = dev.track
                self.parties = list(dev.parties)

    @property
    def conflict(self) -> str:
        return "-".join(self.parties)

    def _check_target(self, record: Correction | Retraction) -> None:
        super()._check_target(record)
        if isinstance(record, Retraction) and record.target in self.offers:
            offers = [(self.fact(i).start, self.versions[i], i)
                      for i in self.offers if i not in self.retractions]
            counting = len(self.developments) - len(self.retractions)
            refuse(track_rules.check_opening_offer_kept(self.key, record, offers, counting))

    def recorded_too_early(self, record: Recordable) -> str | None:
        early = super().recorded_too_early(record)
        if early or not isinstance(record, Development) or isinstance(record, MediationOffered):
            return early
        found = track_rules.check_recorded_after_opening(self.key, self._opened_at, record)
        return found[0] if found else None

    def quick_violations(self, record: Recordable) -> list[str] | None:
        """A development that cannot change whether others are valid, on a track with a
        counted offer, needs only its own checks: most appends and import lines take this path.
        """
        if self.key is None or not isinstance(record, Development):
            return None
        fact = fact_of(record)
        if not track_rules.judged_alone(self.parties, fact):
            return None
        if self.retractions and all(i in self.retractions for i in self.offers):
            return None  # no counted offer left
        return track_rules.violations_alone(self.key, self.parties, record.id, fact)

    def affected(self, record: Recordable) -> set[str] | None:
        """Each rule of a track (SPEC §3) judges a development by the actor it names (whether
        a leaving mediator had joined, a suspending actor takes part, ...), and only the
        developments naming that actor, and the offers, decide it; so, while an offer counts,
        a record can make invalid only the developments naming an actor it names, before or
        after it is applied. As the track was valid before, folding those and the offers is
        enough: a long track is not re-folded whole for every mediator who joins or leaves."""
        if self.key is None:
            return None
        gone = self.retractions.keys() | ({record.target} if isinstance(record, Retraction) else set())
        if all(i in gone for i in self.offers):
            return None  # no offer left to open the track: a rule over every development
        if isinstance(record, Correction | Retraction):
            if record.target not in self.facts:
                return None
            before = self.fact(record.target)
            after = patched(before, record.changes) if isinstance(record, Correction) else before
            return set(before.who) | set(after.who)
        fact = fact_of(record)  # type: ignore[arg-type]
        return set(fact.who) if fact.who else None

    def violations(self, counted: Counted) -> list[str]:
        return track_rules.violations(self.key, self.parties, counted)
