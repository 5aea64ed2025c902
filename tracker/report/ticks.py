"""Axis ticks for any span, from a few days to centuries: the density follows the span."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

MIN_TICK_GAP = 42  # pixels between two labelled ticks


def shift(day: date, days: int) -> date:
    """`day` moved by `days`, kept within the calendar (a report as of 0001-01-01 still has
    an axis)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


@dataclass
class Tick:
    x: float
    label: str
    w: float = 0.0  # for spans: their width
    shade: bool = False


def _months(start: date, end: date, every: int) -> Iterator[date]:
    current = date(start.year, start.month, 1)
    while current <= end:
        if (current.month - 1) % every == 0 and current >= start:
            yield current
        year, month = divmod(current.month, 12)
        if current.year + year > date.max.year:
            return
        current = date(current.year + year, month + 1, 1)


def _days(start: date, end: date, keep: Callable[[date], bool]) -> Iterator[date]:
    current = start
    while current <= end:
        if keep(current):
            yield current
        if current == date.max:
            return
        current += timedelta(days=1)


#: years between labelled ticks (and between the header's shaded spans) on long spans
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


def _years(start: date, end: date, every: int) -> Iterator[date]:
    """1 January of each year divisible by `every`, within the span."""
    first = start.year if start == date(start.year, 1, 1) else start.year + 1
    first += -first % every
    for year in range(first, end.year + 1, every):
        yield date(year, 1, 1)


def year_step(start: date, end: date, x: Callable[..., float], room: float) -> int:
    """The fewest years between two marks that leaves `room` pixels for each."""
    per_year = (x(end) - x(start)) / max((end - start).days, 1) * 365.2
    return next((n for n in YEAR_STEPS if per_year * n >= room), YEAR_STEPS[-1])


def ticks(start: date, end: date, x: Callable[..., float]) -> list[Tick]:
    """Labelled ticks at the finest of: days, Mondays, 1st and 15th, months, quarters, years,
    and every 2, 5, 10 … years, that leaves room for each label."""
    width = x(end) - x(start)
    days = max((end - start).days, 1)
    candidates: list[tuple[float, Callable[[], Iterator[date]], Callable[[date], str]]] = [
        (1, lambda: _days(start, end, lambda d: True), lambda d: str(d.day)),
        (7, lambda: _days(start, end, lambda d: d.weekday() == 0), lambda d: str(d.day)),
        (15, lambda: _days(start, end, lambda d: d.day in (1, 15)), lambda d: str(d.day)),
        (30.4, lambda: _months(start, end, 1), lambda d: f"{d:%b}"),
        (91.3, lambda: _months(start, end, 3), lambda d: f"{d:%b}"),
    ]
    for step, dates, label in candidates:
        if width * step / days >= MIN_TICK_GAP:
            return [Tick(x(d), label(d)) for d in dates()]
    every = year_step(start, end, x, MIN_TICK_GAP)
    return [Tick(x(d), f"{d.year}") for d in _years(start, end, every)]


def month_spans(start: date, end: date, x: Callable[..., float]) -> list[Tick]:
    """The header's row of months (or of years, or of decades, over long spans), shaded
    alternately, each named as fully as its width allows."""
    per_day = (x(end) - x(start)) / max((end - start).days, 1)
    by_year = per_day * 30.4 < 64  # "Jan 2025" would not fit: name years, ticks name months
    every = year_step(start, end, x, 44) if by_year else 0
    spans = []
    inner = _years(start, end, every) if by_year else _months(start, end, 1)
    edges = sorted({start, *inner, end})
    for i, (left, right) in enumerate(zip(edges, edges[1:], strict=False)):
        w = x(right) - x(left)
        if by_year:
            names = [f"{left.year}"]
        else:
            names = [f"{left:%B %Y}", f"{left:%b %Y}", f"{left:%b}", f"{left:%b}"[0]]
        label = next((n for n in names if len(n) * 7.4 + 8 <= w), "")
        spans.append(Tick(x(left), label, w=w, shade=i % 2 == 1))
    return spans
