"""How records become stored events and back, and how content-derived ids are made."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, get_origin
from uuid import UUID, uuid5

from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic

from events.developments import Recordable
from events.values import FuzzyDate, Source

#: the fixed namespace of content-derived development ids (README, SPEC §2)
ID_NAMESPACE = UUID("c11ed874-2d4e-5501-b8d0-af81e517893b")

_NOT_CONTENT = {"id", "recorded_at", "recorded_by", "occurred_note"}


def _strip_date_text(value: Any) -> Any:
    if isinstance(value, dict):
        if {"start", "end", "precision"} <= value.keys():
            return {k: v for k, v in value.items() if k != "text"}
        return {k: _strip_date_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_date_text(v) for v in value]
    return value


#: one encoder for every canonical document (json.dumps with options builds one per call)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_SORTED = json.JSONEncoder(sort_keys=True)
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


@cache
def _content_fields(cls: type) -> dict[str, Any] | None:
    """What `model_dump` leaves out of a class's content: the non-content fields and the
    `text` of its dates (its own, and its sources' publication dates). None for a class with
    a free-form field (a correction's changes), whose dates are found by walking the dump."""
    exclude: dict[str, Any] = dict.fromkeys(_NOT_CONTENT, True)
    for name, field in cls.model_fields.items():  # type: ignore[attr-defined]
        if field.annotation is FuzzyDate:
            exclude[name] = {"text": True}
        elif field.annotation == list[Source]:
            exclude[name] = {"__all__": {"published": {"text": True}}}
        elif get_origin(field.annotation) is dict or field.annotation is Any:
            return None
    return exclude


def canonical_json(record: Recordable) -> str:
    """The canonical JSON of a record's content (SPEC §2): sorted keys, no whitespace."""
    exclude = _content_fields(type(record))
    if exclude is None:
        data = _strip_date_text(record.model_dump(mode="json", exclude=_NOT_CONTENT))
    else:
        data = record.model_dump(mode="json", exclude=exclude)
    if data.get("sources"):
        data["sources"] = sorted(data["sources"], key=_SORTED.encode)
    return _CANONICAL.encode(data)


def content_id(record: Recordable) -> UUID:
    """uuid5 of the canonical JSON under the fixed namespace."""
    return uuid5(ID_NAMESPACE, canonical_json(record))


class Recorded(NamedTuple):
    """The domain event the library stores: one record at one version of one aggregate."""

    originator_id: UUID
    originator_version: int
    record: Recordable

    @property
    def timestamp(self) -> datetime | None:
        return self.record.recorded_at


@cache
def topic_of(cls: type) -> str:
    return get_topic(cls)


class JSONLinesTranscoder(Transcoder):
    """Plain JSON: records are dumped in pydantic's JSON mode before they get here."""

    def encode(self, obj: Any) -> bytes:
        return _COMPACT.encode(obj).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return json.loads(data)


class RecordMapper(Mapper):
    """Maps pydantic records to stored events, honouring `class_version` and upcasters."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        topic, state = self.encode(domain_event.record)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=topic,
            state=state,
        )

    def encode(self, record: Recordable, text: str | None = None) -> tuple[str, bytes]:
        """A record's topic and stored state; `text` is its `model_dump_json()`, if at hand.

        pydantic's own JSON is the document the transcoder would write from `model_dump`
        (compact, keys in field order, non-ASCII as is), without building a dict first; a
        later class version adds its `class_version` as the last key."""
        cls = type(record)
        if text is None:
            text = record.model_dump_json()
        if cls.class_version > 1:
            text = f'{text[:-1]},"class_version":{cls.class_version}}}'
        data = text.encode("utf-8")
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return topic_of(cls), data

    def to_domain_event(self, stored_event: StoredEvent) -> Recorded:
        return Recorded(
            originator_id=UUID(str(stored_event.originator_id)),
            originator_version=stored_event.originator_version,
            record=self.decode_record(stored_event.topic, stored_event.state),
        )

    def decode_record(self, topic: str, data: bytes) -> Recordable:
        """Rebuild a record from its stored state, upcasting old class versions."""
        cls = resolve_topic(topic)
        if cls.class_version == 1 and not (self.cipher or self.compressor):
            return cls.model_validate_json(data)  # as stored, no upcasting: pydantic's own JSON
        return cls.model_validate(self.decode_state(topic, data))

    def decode_state(self, topic: str, data: bytes) -> dict[str, Any]:
        """A record's stored state as today's class would dump it, without building the model
        (the read side's catch-up only needs the JSON)."""
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        state: dict[str, Any] = self.transcoder.decode(data)
        cls = resolve_topic(topic)
        version = state.pop("class_version", 1)
        while version < cls.class_version:
            getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
            version += 1
        return state
