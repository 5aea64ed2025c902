"""The timeline's axis over any span, from a day to centuries: labels that never overlap, a
scale that keeps the order of days across breaks, and crowded markers kept apart and short of
the as-of line."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tracker.report.axis import Segment, place
from tracker.report.layout import spread
from tracker.report.ticks import MIN_TICK_GAP, month_spans, ticks

days = st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31))


def linear(start: date, end: date, width: float):
    return lambda d, f=0.0: 100 + ((d - start).days + f) * width / max((end - start).days, 1)


@given(days, st.integers(1, 120_000), st.floats(80, 1000))
def test_tick_labels_and_header_names_never_overlap(start, length, width):
    end = min(start + timedelta(days=length), date(2199, 12, 31))
    x = linear(start, end, width)
    placed = ticks(start, end, x)
    assert len(placed) <= width / MIN_TICK_GAP + 2
    wide = [len(t.label) * 11 * 0.6 for t in placed]
    assert all(b.x - a.x >= (wa + wb) / 2 + 6
               for a, b, wa, wb in zip(placed, placed[1:], wide, wide[1:]))
    spans = month_spans(start, end, x)
    assert all(len(s.label) * 7.4 + 8 <= s.w + 1e-6 for s in spans if s.label)


@given(st.lists(st.tuples(days, st.integers(0, 4000), st.integers(1, 40)), min_size=1, max_size=5))
def test_a_broken_scale_keeps_the_order_of_days(parts):
    segments, cursor = [], date(1800, 1, 1)
    for start, length, count in sorted(parts):
        start = max(start, cursor)
        end = start + timedelta(days=length)
        segments.append(Segment(start, end, count=count))
        cursor = end + timedelta(days=100)
    scale = place(segments, 150, 1050)
    probes = sorted({s.start for s in segments} | {s.end for s in segments}
                    | {s.start + (s.end - s.start) / 2 for s in segments})
    xs = [scale(d) for d in probes]
    assert xs == sorted(xs) and 150 - 1e-6 <= xs[0] and xs[-1] <= 1050 + 1e-6


@given(st.lists(st.floats(0, 1000), max_size=40), st.floats(200, 1200))
def test_spread_markers_stay_apart_and_short_of_the_limit(xs, limit):
    placed = spread(xs, 14, limit)
    ordered = sorted(placed)
    assert all(b - a >= 14 - 1e-6 for a, b in zip(ordered, ordered[1:]))
    assert all(x <= limit + 1e-6 for x in placed)


@given(st.lists(st.floats(0, 1000), max_size=120), st.floats(0, 400), st.floats(10, 800))
def test_spread_markers_stay_in_order_between_floor_and_limit_however_many(xs, floor, room):
    limit = floor + room
    placed = spread(xs, 14, limit, floor)
    assert all(floor - 1e-6 <= x <= limit + 1e-6 for x in placed)
    by_date = [placed[i] for i in sorted(range(len(xs)), key=lambda i: xs[i])]
    assert by_date == sorted(by_date)
    fits = len(xs) < 2 or room >= 14 * (len(xs) - 1)
    ordered = sorted(placed)
    assert all(b - a >= (14 if fits else room / (len(xs) - 1)) - 1e-6 for a, b in zip(ordered, ordered[1:]))


def dated(*days: str) -> list[dict]:
    return [{"occurred": {"start": d, "end": d}} for d in days]


def test_a_short_or_evenly_spread_history_is_never_broken():
    from tracker.report.axis import clusters

    monthly = [f"{y}-{m:02d}-15" for y in (2024, 2025) for m in range(1, 13)]
    assert len(clusters(dated(*monthly), date(2025, 12, 31))) == 1
    assert len(clusters(dated("2025-01-01", "2025-03-20", "2025-06-01"), date(2025, 7, 1))) == 1


def test_a_long_silence_is_broken_and_a_crowded_part_gets_its_own_break():
    from tracker.report.axis import clusters

    sparse = clusters(dated("1992-03-14", "2025-04-01"), date(2025, 12, 1))
    assert [(str(a), str(b), n) for a, b, n in sparse] == [
        ("1992-03-14", "1992-03-14", 1), ("2025-04-01", "2025-04-01", 1)]
    crowded = [f"2025-10-{d:02d}" for d in range(10, 30, 2)]
    parts = clusters(dated("1992-03-14", "1992-05-01", "2024-11-02", *crowded), date(2025, 12, 1))
    assert [n for _, _, n in parts] == [2, 1, 10]
