"""What every format shares: the conflict being drafted, names → actor codes, grades, dates,
candidates and the tally reported on stderr.

Grading (Admiralty: reliability A-F of the source, credibility 1-6 of the information):

- GDELT rows are machine-coded from news articles: the coder's reading of one article cannot
  be judged, so reliability is F. Credibility rises with the distinct articles behind one
  merged candidate: one article 6 (cannot be judged), two 4 (doubtful, but not alone), three
  or more 3 (possibly true: several articles report it).
- ACLED rows are curated by researchers from named sources: reliability B (usually reliable).
  Credibility 2 (probably true) where the date is exact, 3 (possibly true) where ACLED itself
  gives the date only to the week or the month (time_precision 2 or 3).
- PA-X rows are the texts of signed agreements: an agreement is A1. The offer that opens a
  track PA-X implies is A3: that a mediation took place is certain, when it was offered is not.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TextIO

from events.actors import Actor
from events.errors import InvalidInput
from tracker.actors import ActorDirectory, countries, normalise

#: how many distinct sources one merged candidate lists (the rest are counted in its summary)
MAX_SOURCES = 20


def gdelt_grade(distinct_sources: int) -> tuple[str, int]:
    """(reliability, credibility) of a GDELT candidate backed by so many distinct articles."""
    return "F", 6 if distinct_sources <= 1 else 4 if distinct_sources == 2 else 3


def acled_grade(time_precision: int) -> tuple[str, int]:
    return "B", 2 if time_precision <= 1 else 3


PAX_AGREEMENT_GRADE = ("A", 1)
PAX_INFERRED_OFFER_GRADE = ("A", 3)


@dataclass
class Tally:
    """What a draft did, for stderr: rows read, kept, dropped by reason, names unresolved."""

    read: int = 0
    kept: int = 0
    merged: int = 0
    dropped: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    unresolved: Counter = field(default_factory=Counter)
    hints: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped[reason] += n

    def lines(self, candidates: int, actors: int) -> list[str]:
        out = [
            f"rows read: {self.read}",
            f"rows kept: {self.kept}" + (f" ({self.merged} merged into other candidates)" if self.merged else ""),
        ]
        for reason, n in sorted(self.dropped.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  dropped {n}: {reason}")
        for reason, n in sorted(self.refused.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  candidate not drafted ({n}): {reason}")
        out.append(f"candidates: {candidates} developments" + (f", {actors} actor registrations" if actors else ""))
        if self.unresolved:
            out.append(f"names not resolved ({len(self.unresolved)}):")
            for name, n in self.unresolved.most_common(20):
                hint = self.hints.get(name)
                out.append(f"  {name!r} ({n} rows)" + (f": {hint}" if hint else ""))
            if len(self.unresolved) > 20:
                out.append(f"  … and {len(self.unresolved) - 20} more")
            out.append("  (register an actor with `tracker actors add CODE --name NAME [--alias A]` "
                       "and draft again to place its rows)")
        out.extend(self.notes)
        return out


class Names:
    """Resolves names through the directory, remembering each answer; a name that does not
    resolve exactly is counted with the directory's suggestions, never guessed."""

    def __init__(self, directory: ActorDirectory, tally: Tally):
        self.directory = directory
        self.tally = tally
        self._known: dict[str, str | None] = {}
        self._names: dict[str, str] | None = None
        self._registered: dict[str, str] | None = None

    def code(self, text: str, *, count: bool = True) -> str | None:
        found = self._known.get(text, "")
        if found == "":
            try:
                found = self.directory.resolve(text)
            except InvalidInput as exc:
                found = None
                hint = exc.message.partition("; ")[2].partition("? ")[0]
                self.tally.hints.setdefault(text, hint + "?" if hint else "")
            except LookupError:  # countrynames raises KeyError for a few names ("United Nations")
                found = None
            self._known[text] = found
        if found is None and count:
            self.tally.unresolved[text] += 1
        return found

    def exact(self, code: str) -> str | None:
        """The code itself when it is a country's or a registered actor's, else None: a
        dataset's code columns hold codes, never names."""
        return code if self.directory.get(code) is not None else None

    def hint(self, text: str, hint: str | None = None) -> None:
        if hint:
            self.tally.hints[text] = hint
        elif not self.tally.hints.get(text):
            self.tally.hints[text] = f"did you mean {self.directory.suggest(text)}?"

    def registered(self, text: str) -> str | None:
        """The registered actor (never a country) whose code, name or alias the text is."""
        if self._registered is None:
            from tracker.actors import name_keys

            self._registered = {k: a.code for a in self.directory.registered.values() for k in name_keys(a)}
        if text.strip().upper() in self.directory.registered:
            return text.strip().upper()
        return self._registered.get(normalise(text))

    def scan(self, text: str) -> tuple[list[str], list[str]]:
        """The actors a free text names ("Omani Government", "Minister for Foreign Affairs of
        the Russian Federation: Andrei V. Kozyrev"), longest names first: registered actors by
        name or alias, countries by name, common name, capital or adjective. Returns the codes
        and the pieces of the text (split at `/`, `;`, `,` and "and") that name none."""
        codes: list[str] = []
        unnamed: list[str] = []
        for piece in re.split(r"\s*(?:[/;,|\n]|\band\b|&)\s*", text):
            words = [w.strip(".:()[]\"'") for w in piece.split()]
            words = [w for w in words if w]
            found = []
            used: set[int] = set()
            for n in range(min(6, len(words)), 0, -1):
                for i in range(len(words) - n + 1):
                    if used & set(range(i, i + n)) or not words[i][:1].isupper():
                        continue
                    code = self._named(" ".join(words[i:i + n]))
                    if code:
                        found.append(code)
                        used.update(range(i, i + n))
            codes.extend(c for c in found if c not in codes)
            if words and not found:
                unnamed.append(clip(piece, 80))
        return codes, unnamed

    def _named(self, phrase: str) -> str | None:
        key = normalise(phrase)
        if self._names is None:
            from tracker.actors import country_names, name_keys

            self._names = dict(country_names())
            for actor in self.directory.registered.values():
                self._names.update((k, actor.code) for k in name_keys(actor))
        code = self._names.get(key)
        if code is None and len(key) >= 4:
            code = adjective(phrase)
        return self.code(code, count=False) if code else None

    def name(self, code: str) -> str:
        """A short name for summaries: "Iran" rather than "Iran, Islamic Republic of"."""
        return self.directory.name_of(code).partition(",")[0]


def adjective(text: str) -> str | None:
    """The country an adjective or press name stands for ("Omani", "Russian"), from the
    curated countrynames list; None for anything it does not hold exactly."""
    import countrynames

    try:
        code = countrynames.to_code_3(text)
    except LookupError:  # it raises KeyError for a few names without an alpha-3 code
        return None
    return code if code in countries() else None


@dataclass
class KnownTrack:
    key: str
    parties: tuple[str, ...]
    mediators: set[str]


@dataclass
class Conflict:
    """The conflict being drafted, what the store knows of it, and the date window."""

    parties: tuple[str, ...]
    directory: ActorDirectory
    tracks: dict[str, KnownTrack] = field(default_factory=dict)
    #: counted developments the store holds for the conflict (timeline JSON)
    recorded: list[dict[str, Any]] = field(default_factory=list)
    #: actors the draft proposes to register (from --conflict CODE=Name)
    proposed: list[Actor] = field(default_factory=list)
    since: date | None = None
    until: date | None = None

    @property
    def key(self) -> str:
        return "-".join(self.parties)

    def in_window(self, day: date) -> bool:
        return not ((self.since and day < self.since) or (self.until and day > self.until))


def parse_conflict(text: str, directory: ActorDirectory) -> tuple[tuple[str, ...], list[Actor]]:
    """`AFG-PAK`, `Pakistan,Afghanistan`, or with a party to register: `PAK,TTP=Tehrik-i-Taliban
    Pakistan` (an armed group named in the data but not registered yet)."""
    parts = [p.strip() for p in (text.split(",") if "," in text else text.split("-")) if p.strip()]
    codes: list[str] = []
    proposed: list[Actor] = []
    for part in parts:
        code, eq, name = part.partition("=")
        code, name = code.strip().upper(), name.strip()
        if eq:
            if code.upper() in countries() or code.upper() in directory.registered:
                codes.append(code.upper())
                continue
            if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,15}", code) or not name:
                raise InvalidInput(
                    f"--conflict: '{part}' is not CODE=Name; e.g. TTP=Tehrik-i-Taliban Pakistan"
                )
            actor = Actor(code=code, name=name, kind="armed-group")
            directory.add(actor)
            proposed.append(actor)
            codes.append(code)
        else:
            codes.append(directory.resolve(code))
    unique = tuple(sorted(set(codes)))
    if len(unique) < 2:
        raise InvalidInput(f"--conflict: '{text}' names fewer than two parties; e.g. AFG-PAK")
    return unique, proposed


@dataclass
class Candidate:
    """One development to propose, before it is placed on a track and checked.

    `place` says how its track is found: None (conflict-level), ("mediators", codes) for the
    track those mediators run, ("conflict",) for the one track of the conflict.
    """

    type: str
    start: date
    occurred: str
    summary: str
    fields: dict[str, Any]
    sources: list[dict[str, Any]]
    place: tuple[Any, ...] | None = None
    occurred_note: str | None = None
    #: a PA-X agreement opens the track of its mediators where none exists
    opens_with: Candidate | None = None

    def line(self) -> dict[str, Any]:
        data = {"type": self.type, "occurred": self.occurred, "summary": self.summary, **self.fields}
        if self.occurred_note:
            data["occurred_note"] = self.occurred_note
        data["sources"] = self.sources
        return data


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def week_of(day: date) -> str:
    """The Monday-to-Sunday week holding a day, as an interval."""
    monday = day - timedelta(days=day.weekday())
    return f"{monday.isoformat()}..{(monday + timedelta(days=6)).isoformat()}"


def month_of(day: date) -> str:
    last = calendar.monthrange(day.year, day.month)[1]
    return f"{day.isoformat()[:8]}01..{day.isoformat()[:8]}{last:02d}"


MONTHS = {normalise(calendar.month_name[i]): i for i in range(1, 13)} | {
    normalise(calendar.month_abbr[i]): i for i in range(1, 13)
}


def parse_day(text: str) -> date | None:
    """`2020-03-21`, `21 March 2020`, `21/03/2020`, or the spreadsheet's `9-May-20`; None
    for anything else."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{2}|\d{4})", text):
            month = MONTHS.get(normalise(m[2]))
            if month is None:
                return None
            year = int(m[3])
            if len(m[3]) == 2:  # a spreadsheet's two-digit year: the events are recent
                year += 2000 if year <= date.today().year % 100 else 1900
            return date(year, month, int(m[1]))
    except ValueError:
        return None
    return None


#: the longest line a dataset file may hold (a GDELT row is about 1 kB): a file with no line
#: ends (a device, a binary file) is refused instead of read into memory whole
MAX_LINE_CHARS = 1_000_000


class BoundedLines:
    """The lines of a text file, each at most MAX_LINE_CHARS long (one clear error past it)."""

    def __init__(self, handle: TextIO, path: str):
        self.handle, self.path = handle, path

    def __iter__(self) -> Iterator[str]:
        number = 0
        while True:
            line = self.handle.readline(MAX_LINE_CHARS + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_CHARS:
                raise InvalidInput(
                    f"{self.path}: line {number} is longer than {MAX_LINE_CHARS:,} characters; "
                    "is it a dataset file of the format given?"
                )
            yield line

    def close(self) -> None:
        self.handle.close()


def text_lines(path: str) -> BoundedLines:
    """The file (or stdin for `-`) as UTF-8 text lines, universal newlines left to the csv
    module."""
    if path == "-":
        return BoundedLines(io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline=""), "stdin")
    try:
        return BoundedLines(open(path, encoding="utf-8", newline=""), path)  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}; check the path") from None


def guarded(rows: Iterable[Any], path: str, where: Any) -> Iterator[Any]:
    """Rows, with a file that is not UTF-8 text turned into one clear error."""
    try:
        yield from rows
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{path} is not UTF-8 text (near line {where()}); save it as UTF-8 and draft again"
        ) from None


def header_rows(handle: TextIO, path: str, required: tuple[str, ...], what: str,
                tally: Tally) -> Iterator[Any]:
    """The rows of a CSV file with a header, each as a getter by lower-case column name ("" for
    a column the layout lacks); a missing required column or a row as wide as no header is one
    clear error."""
    reader = csv.reader(handle)
    rows = guarded(reader, path, lambda: reader.line_num + 1)
    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(rows, [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise InvalidInput(
                f"{path} is not {what}: no column {', '.join(missing)} in its header line; "
                "give the file with its header, or check --format"
            )
        index = {name: i for i, name in enumerate(header)}
        for row in rows:
            if not row or row == [""]:
                continue
            tally.read += 1
            if len(row) != len(header):
                raise InvalidInput(
                    f"line {reader.line_num} of {path} has {len(row)} columns, its header "
                    f"{len(header)}; repair the row (a stray comma or quote?) and draft again"
                )
            yield lambda name, row=row: row[index[name]] if name in index else ""
    except csv.Error as exc:
        raise InvalidInput(f"{path}, line {reader.line_num}: {exc}; is it {what}?") from None
