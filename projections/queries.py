"""SELECT-only queries over the read models, returning read models (SPEC §4–6).

`Queries` is the one object the CLI and the report ask; its reads live by idea in
`projections.lookups` (where things are, and the SQL scope and time windows),
`projections.status` (track states) and `projections.chronicle` (timeline, replay, diff,
show, export).
"""

from __future__ import annotations

from projections.chronicle import HistoryQueries
from projections.lookups import Lookups, marks, prefilter
from projections.status import StatusQueries, sound

__all__ = [
    "Lookups", "Queries", "StatusQueries", "HistoryQueries",
    "marks", "prefilter", "sound",
]


class Queries(HistoryQueries):
    """Every read query over one read-model database."""
