"""A span of days printed from its two ends reads as the date a user typed for it: a day, a
month, a year or an interval, whichever of those the span is."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from events.values import FuzzyDate
from tracker.report.dates import occurred_label, span_label

days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
typed = st.one_of(
    days.map(lambda d: d.isoformat()),
    days.map(lambda d: d.isoformat()[:7]),
    days.map(lambda d: d.isoformat()[:4]),
    st.tuples(days, days).map(lambda p: f"{min(p).isoformat()}..{max(p).isoformat()}"),
)


@given(typed)
def test_a_span_prints_as_the_date_that_gives_it(text):
    when = FuzzyDate.model_validate(text)
    label = span_label(when.start.isoformat(), when.end.isoformat())
    again = FuzzyDate.model_validate(label)
    assert (again.start, again.end) == (when.start, when.end)
    if when.precision != "interval":
        assert label == when.label()


def test_the_text_a_user_typed_wins_and_a_whole_month_typed_as_an_interval_is_a_month():
    assert occurred_label({"start": "2025-04-01", "end": "2025-04-09", "text": "2025-04-01/2025-04-09"}) \
        == "2025-04-01/2025-04-09"
    assert occurred_label({"start": "2025-02-01", "end": "2025-02-28", "precision": "interval"}) == "2025-02"
    assert span_label("2024-02-01", "2024-02-28") == "2024-02-01..2024-02-28"  # a leap year
    assert span_label("2025-01-01", "2025-12-31") == "2025" and span_label("2025-04-12") == "2025-04-12"
