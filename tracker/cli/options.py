"""The options commands share, and how their values are read: dates, moments, track and
conflict keys, output paths."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import click

from events.errors import InvalidInput
from events.values import CONTROL, printable


def today() -> date:
    return date.today()


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")


as_of_option = click.option(
    "--as-of", metavar="DATE", help="Valid time: only developments that occurred by DATE count."
)


known_at_option = click.option(
    "--known-at",
    metavar="TIMESTAMP",
    help="Recorded time: only what was recorded by TIMESTAMP counts (a date means its end, UTC).",
)


class OutputPath(click.Path):
    """A file to write (-o): refuses an empty name before the filesystem is asked."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail("give a file name", param, ctx)
        return super().convert(value, param, ctx)


def parse_day(value: str | None, option: str, *, edge: str = "end") -> date | None:
    """A date option given at any precision: its last day for bounds such as `--as-of` and
    `--until` (2025-11 means the end of November), its first day for `--since`."""
    if value is None:
        return None
    from events.values import parse_fuzzy

    try:
        return parse_fuzzy(value)[edge]
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None


def parse_instant(value: str | None, option: str = "--known-at") -> datetime | None:
    """An ISO date (the end of that day, UTC) or date-time (UTC unless it says otherwise)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not any(c in text for c in "T :"):  # a date, basic or extended: the end of that day
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{option}: '{value}' is not an ISO date or date-time; use e.g. 2025-11-17 "
            "or 2025-11-17T09:30:00Z"
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        moment.astimezone(UTC)  # a query compares it in UTC: 9999-12-31T23:59:59-12:00 leaves the calendar
    except OverflowError:
        raise InvalidInput(
            f"{option}: '{value}' is outside the years 1 to 9999 in UTC; give a moment within them"
        ) from None
    return moment


def track_filter(*keys: str | None) -> None:
    """A track key holds no control character (a store may not even take one in a query)."""
    for key in keys:
        if key is not None and (CONTROL.search(key) or not key.strip()):
            raise InvalidInput(f"'{printable(key)}' is not a track key; see the keys with `tracker status`")


def conflict_key(store: Any, text: str | None) -> str | None:
    """`AFG-PAK`, `PAK-AFG` or `Pakistan,Afghanistan` → the sorted conflict key."""
    if text is None:
        return None
    parts = text.split(",") if "," in text else text.split("-")
    if len([p for p in parts if p.strip()]) < 2:
        raise InvalidInput(f"--conflict: '{text}' names fewer than two parties; e.g. AFG-PAK")
    directory = store.app.directory()
    codes = sorted({directory.resolve(p) for p in parts if p.strip()})
    if len(codes) < 2:
        raise InvalidInput(f"--conflict: '{text}' needs at least two different parties; e.g. AFG-PAK")
    return "-".join(codes)
