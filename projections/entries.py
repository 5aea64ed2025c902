"""The read models' row of one stored record, known when the record is decided, so that a
bulk import can index what it writes without reading it back from the log."""

from __future__ import annotations

from typing import NamedTuple

from events.developments import Recordable, fixed_width


class Entry(NamedTuple):
    """How the read models index one stored record."""

    id: str
    type: str
    track: str | None  # the track it belongs to (a correction's or retraction's: its target's)
    conflict: str | None
    target: str | None
    start: str | None  # occurred, for developments
    end: str | None
    recorded_at: str  # fixed-width UTC text, so text order is time order
    body: str | None  # the record's JSON where the read models cannot take the stored state
    # (old class versions; actors, which rm_actors keeps whole); None: the stored state
    actor: str | None  # an actor-registered's code


#: the SQL columns of an `Entry`, in its order: an import's staging table (`tracker.bulk`) and
#: the read models' bulk indexing (`projections.bulk`) share them
ENTRY_COLUMNS = ("id", "type", "track", "conflict", "target", "occurred_start", "occurred_end",
                 "recorded_at", "body", "actor")

#: rm_records' columns after `position`: an `Entry` without the actor code
RECORD_COLUMNS = ENTRY_COLUMNS[:-1]


def entry_of(record: Recordable, track: str | None, conflict: str | None,
             text: str | None = None) -> Entry:
    """How the read models index a record; `text` is its `model_dump_json()`, if at hand."""
    values = record.__dict__  # the model's fields, read without pydantic's attribute machinery
    kind = values["type"]
    occurred = values.get("occurred")
    target = values.get("target")
    # pydantic's JSON spells the id, the first field, as str() does: no second formatting
    ident = text[7:43] if text is not None and text.startswith('{"id":"') else str(values["id"])
    return Entry(
        ident,
        kind,
        track,
        conflict,
        str(target) if target else None,
        occurred.start.isoformat() if occurred is not None else None,
        occurred.end.isoformat() if occurred is not None else None,
        fixed_width(values["recorded_at"]),
        (text or record.model_dump_json())
        if type(record).class_version > 1 or kind == "actor-registered" else None,
        values["code"] if kind == "actor-registered" else None,
    )
