"""The timeline's geometry: dates to x, lanes to y, markers spread apart, labels that fit.

Pure arithmetic on the gathered data; the SVG markup lives in templates/timeline.svg.j2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.report.axis import Gap, Segment, date_range, day, gaps, place
from tracker.report.data import Lane, ReportData
from tracker.report.dates import occurred_label
from tracker.report.style import mark_for, status_style
from tracker.report.ticks import Tick, month_spans, ticks

WIDTH = 1200
LANE_H = 30
HEADER_H = 62
FOOTER_H = 34
STATUS_W = 132
MARK = 12
BREAK_W = 40
FONT = 12


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of sans-serif text width, so labels never run into each other."""
    return len(text) * size * 0.6


@dataclass
class BandBox:
    x: float
    w: float
    fill: str
    status: str
    title: str
    text: str = ""
    text_x: float = 0
    text_fill: str = ""


@dataclass
class MarkerBox:
    id: str
    x: float
    true_x: float
    shape: str
    colour: str
    hollow: bool
    retracted: bool
    type: str
    title: str
    x_end: float | None = None  # an interval date: where it ends


@dataclass
class LaneBox:
    kind: str
    key: str
    label: str
    y: float
    status: str | None
    chip_fill: str = ""
    chip_text: str = ""
    chip_label: str = ""
    bands: list[BandBox] = field(default_factory=list)
    markers: list[MarkerBox] = field(default_factory=list)


@dataclass
class Timeline:
    width: int
    height: int
    x0: float
    x1: float
    lanes_top: float
    lanes_bottom: float
    asof_x: float
    asof_label: str
    ticks: list[Tick]
    months: list[Tick]
    lanes: list[LaneBox]
    break_x: float | None
    label_w: float
    footer_axis: bool
    gaps: list[Gap] = field(default_factory=list)
    break_title: str = ""


def spread(
    xs: list[float], gap: float, limit: float = float("inf"), floor: float = float("-inf")
) -> list[float]:
    """Positions at least `gap` apart, each group of crowded markers centred on its dates, and
    none past `limit` (the as-of line or a break) nor before `floor` (the lane labels or a
    break): a group that would cross either moves back inside. Where more markers share the
    room than fit `gap` apart, they close up evenly rather than leave it."""
    if len(xs) > 1 and limit - floor < gap * (len(xs) - 1):
        gap = max(limit - floor, 0) / (len(xs) - 1)
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    groups = [[i] for i in order]

    def placed(group: list[int]) -> list[float]:
        centre = sum(xs[i] for i in group) / len(group)
        return [centre + (k - (len(group) - 1) / 2) * gap for k in range(len(group))]

    merged = True
    while merged:
        merged, kept = False, [groups[0]] if groups else []
        for group in groups[1:]:
            if placed(kept[-1])[-1] + gap > placed(group)[0] + 1e-6:
                kept[-1] = kept[-1] + group
                merged = True
            else:
                kept.append(group)
        groups = kept
    result = [0.0] * len(xs)
    for group in groups:
        for i, x in zip(group, placed(group), strict=True):
            result[i] = x
    for i in reversed(order):
        result[i] = min(result[i], limit)
        limit = result[i] - gap
    for i in order:
        result[i] = max(result[i], floor)
        floor = result[i] + gap
    return result


def band_label(band: BandBox, markers: list[MarkerBox], breaks: list[Gap] = ()) -> None:
    """Write the status inside its band, in the widest stretch that no marker covers and that
    is not hatched over by an axis break."""
    edges = sorted(m.x for m in markers if band.x - MARK < m.x < band.x + band.w + MARK)
    walls = [(g.x, g.x + g.w) for g in breaks]
    stops = sorted([band.x, *edges, *(x for wall in walls for x in wall if band.x < x < band.x + band.w),
                    band.x + band.w])
    best_left, best_width = 0.0, 0.0
    for left, right in zip(stops, stops[1:], strict=False):
        if any(a <= left and right <= b for a, b in walls):
            continue
        lo = left + (MARK / 2 + 3 if left in edges else 4)
        hi = right - (MARK / 2 + 3 if right in edges else 4)
        if hi - lo > best_width:
            best_left, best_width = lo, hi - lo
    text = band.status
    if text_width(text, 11) <= best_width:
        band.text, band.text_x = text, best_left + best_width / 2


def lay_out(data: ReportData) -> Timeline:
    """The whole picture's geometry."""
    segments, broken = date_range(data)
    label_w = min(max((text_width(lane_label(lane)) * (1.1 if lane.kind == "conflict" else 1) + 24
                       for lane in data.lanes), default=110), 280)
    x0, x1 = label_w + 8, WIDTH - STATUS_W - 8
    scale = place(segments, x0, x1 - (BREAK_W if broken else 0))
    breaks = gaps(segments)
    hatched = [*breaks, Gap(x=scale.x1, w=x1 - scale.x1, label="", title="")] if broken else breaks
    asof_x = x1 if broken else scale(data.as_of, 1)
    by_id = {d["id"]: d for d in data.developments}
    lanes: list[LaneBox] = []
    y = HEADER_H
    for lane in data.lanes:
        box = LaneBox(
            kind=lane.kind, key=lane.key, y=y, status=lane.status,
            label=fit(lane_label(lane), label_w - 20),
        )
        if lane.kind == "track":
            fill, ink, _ = status_style(lane.status)
            box.chip_fill, box.chip_text = fill, ink
            box.chip_label = lane.status or "no status"
        for n, band in enumerate(lane.bands):
            bx = scale(band.start)
            bend = asof_x if band.end == data.as_of else scale(band.end)
            fill, ink, meaning = status_style(band.status)
            until = lane.bands[n + 1].set_by if n + 1 < len(lane.bands) else None
            box.bands.append(BandBox(
                x=bx, w=max(bend - bx, 2), fill=fill, status=band.status, text_fill=ink,
                title=f"{lane.key}: {band.status} from {dated(by_id, band.set_by, band.start)} "
                      f"to {dated(by_id, until, band.end)} ({meaning})",
            ))
        devs = [by_id[i] for i in lane.developments]
        true_xs = [scale(day(d["occurred"]["start"]), 0.5) for d in devs]
        limit = (scale.x1 if broken else asof_x) - MARK / 2 - 1  # the as-of line, or its break
        for dev, true_x, x in zip(devs, true_xs, placed(devs, true_xs, segments, limit), strict=True):
            mark = mark_for(dev)
            occurred = dev["occurred"]
            end_day = min(day(occurred["end"]), data.as_of)
            box.markers.append(MarkerBox(
                id=dev["id"], x=x, true_x=true_x, shape=mark.shape, colour=mark.colour,
                hollow=mark.hollow, retracted=dev["retracted"], type=dev["type"],
                title=marker_title(dev),
                x_end=min(scale(end_day, 1), asof_x) if occurred["end"] != occurred["start"] else None,
            ))
        for band in box.bands:
            band_label(band, box.markers, hatched)
        lanes.append(box)
        y += LANE_H
    footer = len(lanes) > 12
    height = int(y + (FOOTER_H if footer else 16))
    return Timeline(
        width=WIDTH, height=height, x0=x0, x1=x1, lanes_top=HEADER_H, lanes_bottom=y,
        asof_x=asof_x, asof_label=f"as of {data.as_of:%d %b %Y}",
        ticks=[t for n, seg in enumerate(segments) for t in ticks(seg.start, seg.end, scale)
               if clear_of_breaks(t, seg, first=n == 0, last=n == len(segments) - 1)],
        months=[m for seg in segments for m in month_spans(seg.start, seg.end, scale)],
        lanes=lanes, break_x=scale.x1 if broken else None, label_w=label_w, footer_axis=footer,
        gaps=breaks, break_title=trailing_title(data, segments) if broken else "",
    )


def placed(devs: list[dict[str, Any]], true_xs: list[float], segments: list[Segment],
           limit: float) -> list[float]:
    """Each marker's x: spread apart within its own segment of the axis, so that none covers the
    lane labels or lies under an axis break however crowded its stretch is."""
    xs = [0.0] * len(devs)
    margin = MARK / 2 + 2  # the widest shape reaches this far either side of its centre
    for n, seg in enumerate(segments):
        last = n == len(segments) - 1
        mine = [i for i, dev in enumerate(devs)
                if (last or day(dev["occurred"]["start"]) <= seg.end)
                and (n == 0 or day(dev["occurred"]["start"]) > segments[n - 1].end)]
        room = spread([true_xs[i] for i in mine], MARK + 2,
                      limit if last else seg.x1 - margin, seg.x0 + margin)
        for i, x in zip(mine, room, strict=True):
            xs[i] = x
    return xs


def clear_of_breaks(tick: Tick, seg: Segment, *, first: bool, last: bool) -> bool:
    """Whether a tick's label stays within its segment where an axis break borders it."""
    half = text_width(tick.label, 11) / 2
    return (first or tick.x - half >= seg.x0) and (last or tick.x + half <= seg.x1)


def trailing_title(data: ReportData, segments: list[Segment]) -> str:
    return f"axis break: no development between {segments[-1].end} and the as-of date {data.as_of}"


def lane_label(lane: Lane) -> str:
    return lane.key if lane.kind == "track" else f"{lane.key} conflict"


def fit(text: str, width: float) -> str:
    """The text, cut with an ellipsis where it would run into the plot (the tooltip has it all)."""
    if text_width(text) <= width:
        return text
    keep = max(int(width / (FONT * 0.6)) - 1, 3)
    return text[:keep] + "…"


def dated(by_id: dict[str, dict[str, Any]], dev_id: str | None, fallback: date) -> str:
    """When a band begins or ends: the date of the development that set it, as given."""
    dev = by_id.get(dev_id) if dev_id else None
    return occurred_label(dev["occurred"]) if dev else fallback.isoformat()


def marker_title(dev: dict[str, Any]) -> str:
    """The tooltip: date, type, what, and a flag for retracted or corrected ones."""
    when = occurred_label(dev["occurred"])
    flag = " [RETRACTED]" if dev["retracted"] else " [corrected]" if dev["corrected"] else ""
    return f"{when} · {dev['type']}{flag}\n{dev['summary']}"
