"""The timeline's axis: stretches of developments drawn to scale, and breaks across the long
empty stretches between them (and before an as-of date far after the last development)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.report.data import ReportData
from tracker.report.ticks import shift

GAP_W = 48  # an axis break between two stretches of developments


@dataclass
class Segment:
    """A stretch of the axis drawn to scale; the axis breaks between two of them."""

    start: date
    end: date
    x0: float = 0.0
    x1: float = 0.0
    count: int = 0  # developments within it
    first: date | None = None  # its first and last development's days (no margins)
    last: date | None = None


class Scale:
    """Days onto x, segment by segment; a day inside a break falls within the break's width,
    so a band that runs across a break runs through it."""

    def __init__(self, segments: list[Segment]):
        self.segments = segments
        self.x0, self.x1 = segments[0].x0, segments[-1].x1

    def __call__(self, day: date, fraction: float = 0.0) -> float:
        at = day.toordinal() + fraction
        previous = None
        for i, seg in enumerate(self.segments):
            first, last = seg.start.toordinal(), seg.end.toordinal()
            if previous is not None and at < first:  # in the break before this segment
                gap_start = previous.end.toordinal()
                share = (at - gap_start) / max(first - gap_start, 1)
                return previous.x1 + share * (seg.x0 - previous.x1)
            if at <= last or i == len(self.segments) - 1:
                return seg.x0 + (at - first) * (seg.x1 - seg.x0) / max(last - first, 1)
            previous = seg
        raise AssertionError("unreachable: the last segment takes every later day")


def day(text: str) -> date:
    return date.fromisoformat(text)


#: at most this many breaks in one axis, and none across fewer days than this
MAX_BREAKS = 4
MIN_BREAK_DAYS = 91
#: an empty stretch is broken when it is more than this share of the part of the axis it lies
#: in, and that part is crowded (a break gives its developments room; a sparse part reads well
#: as it is); or when it is more than half of the whole axis
BREAK_SHARE = 0.3
CROWDED = 8
#: no segment narrower than this, so that its month and year can be named
MIN_SEGMENT_W = 110


def clusters(developments: list[dict[str, Any]], as_of: date) -> list[tuple[date, date, int]]:
    """(first day, last day, developments) of each stretch of the axis: the longest empty
    stretches are broken first, so a short history is never broken and a long one is read in
    parts that each get room."""
    spans = sorted(
        (day(d["occurred"]["start"]), max(day(d["occurred"]["start"]), min(day(d["occurred"]["end"]), as_of)))
        for d in developments
    )
    merged: list[list] = []  # [first, last, count] of overlapping spans
    for left, right in spans:
        if merged and left <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], right)
            merged[-1][2] += 1
        else:
            merged.append([left, right, 1])
    whole = (merged[-1][1] - merged[0][0]).days
    before = [0]  # developments before each merged span, so a part's count is one subtraction
    for m in merged:
        before.append(before[-1] + m[2])
    empty = sorted(range(len(merged) - 1), key=lambda i: merged[i + 1][0] - merged[i][1], reverse=True)
    breaks: list[int] = []
    for i in empty:
        gap = (merged[i + 1][0] - merged[i][1]).days
        if len(breaks) == MAX_BREAKS or gap <= MIN_BREAK_DAYS:
            break  # the rest are shorter still
        lo = max((b + 1 for b in breaks if b < i), default=0)
        hi = min((b for b in breaks if b > i), default=len(merged) - 1)
        part = (merged[hi][1] - merged[lo][0]).days
        crowded = before[hi + 1] - before[lo] >= CROWDED
        if gap > BREAK_SHARE * part and (crowded or gap > whole / 2):
            breaks.append(i)
    found = []
    for lo, hi in zip([0, *(b + 1 for b in sorted(breaks))], [*sorted(breaks), len(merged) - 1], strict=True):
        found.append((merged[lo][0], merged[hi][1], before[hi + 1] - before[lo]))
    return found


def date_range(data: ReportData) -> tuple[list[Segment], bool]:
    """The axis's segments (without x yet), and whether the as-of date lies beyond a break."""
    as_of = data.as_of
    if not data.developments:
        return [Segment(shift(as_of, -30), shift(as_of, 1))], False
    stretches = clusters(data.developments, as_of)
    segments = []
    for n, (first, last, count) in enumerate(stretches):
        pad = max(2, round(max((last - first).days, 14) * 0.03))
        # beside a break, the margin stays well inside the empty stretch
        before = pad if n == 0 else min(pad, (first - stretches[n - 1][1]).days // 4)
        after = pad if n == len(stretches) - 1 else min(pad, (stretches[n + 1][0] - last).days // 4)
        segments.append(Segment(shift(first, -before), shift(last, after), count=count,
                                first=first, last=last))
    first, last, _ = stretches[-1]
    span = max((last - first).days, 14)
    broken = (as_of - last).days > max(21, span * 0.3)
    if not broken:
        segments[-1].end = shift(as_of, 1 + max(2, round(span * 0.03)))
    return segments, broken


def place(segments: list[Segment], x0: float, x1: float) -> Scale:
    """Share the plot's width among the segments, half by the days each spans and half by the
    developments it holds (a crowded month gets more room than an empty year), with a break
    between two and none narrower than MIN_SEGMENT_W."""
    room = x1 - x0 - GAP_W * (len(segments) - 1)
    days = [max((s.end - s.start).days, 1) for s in segments]
    counts = [max(s.count, 1) for s in segments]
    widths = [room * (d / sum(days) + c / sum(counts)) / 2 for d, c in zip(days, counts, strict=True)]
    narrow = [w < MIN_SEGMENT_W for w in widths]
    if any(narrow) and not all(narrow):
        spare = room - MIN_SEGMENT_W * sum(narrow)
        wide = sum(w for w, n in zip(widths, narrow, strict=True) if not n)
        widths = [MIN_SEGMENT_W if n else w * spare / wide for w, n in zip(widths, narrow, strict=True)]
    x = x0
    for seg, width in zip(segments, widths, strict=True):
        seg.x0, seg.x1 = x, x + width
        x = seg.x1 + GAP_W
    return Scale(segments)


@dataclass
class Gap:
    """An axis break between two segments, drawn hatched and named."""

    x: float
    w: float
    label: str
    title: str


def gaps(segments: list[Segment]) -> list[Gap]:
    """The breaks between segments, each named by how long nothing happened."""
    found = []
    for left, right in zip(segments, segments[1:], strict=False):
        years = (right.first - left.last).days / 365.25  # type: ignore[operator]
        length, short = (
            (f"{years:.0f} years", f"{years:.0f} yrs") if years >= 1.5
            else (f"{years * 12:.0f} months", f"{years * 12:.0f} mo")
        )
        found.append(Gap(
            x=left.x1, w=right.x0 - left.x1, label=short,
            title=f"axis break: no development between {left.last} and {right.first} ({length})",
        ))
    return found
