"""Dates as a reader wants them printed: with the precision they were given.

Pure string work on ISO dates, light enough for `status` to import at start-up.
"""

from __future__ import annotations

from calendar import monthrange
from typing import Any


def span_label(start: str | None, end: str | None = None) -> str:
    """`2025-04-12`, `2025-04`, `2025` or `2025-04-01..2025-04-09`: what a span of days was
    given as. A span that is exactly a month or a year is named so, whichever way it was typed."""
    if not start:
        return ""
    if not end or end == start:
        return start
    y1, m1, d1 = start.split("-")
    y2, m2, d2 = end.split("-")
    if y1 == y2 and d1 == "01":
        if m1 == "01" and (m2, d2) == ("12", "31"):
            return y1
        if m1 == m2 and int(d2) == monthrange(int(y1), int(m1))[1]:
            return f"{y1}-{m1}"
    return f"{start}..{end}"


def occurred_label(occurred: dict[str, Any] | str | None) -> str:
    """A date object of `--json` (`{start, end, precision, text}`) as its short form; the text
    the user typed wins where it was kept."""
    if occurred is None:
        return ""
    if isinstance(occurred, str):
        return occurred
    if occurred.get("text"):
        return str(occurred["text"])
    return span_label(occurred.get("start"), occurred.get("end"))
