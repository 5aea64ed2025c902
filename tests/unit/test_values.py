"""Fuzzy dates, sources and content-derived ids (SPEC §2)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from events.codec import canonical_json, content_id
from events.developments import MediationOffered
from events.values import FuzzyDate, Source


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2025-11-17", "2025-11-17", "2025-11-17", "day"),
        ("2025-11", "2025-11-01", "2025-11-30", "month"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2025", "2025-01-01", "2025-12-31", "year"),
        ("2025-11-01..2025-11-16", "2025-11-01", "2025-11-16", "interval"),
        ("2025-11-01/2025-11-16", "2025-11-01", "2025-11-16", "interval"),
        ("2025-10..2025-11", "2025-10-01", "2025-11-30", "interval"),
    ],
)
def test_a_date_spans_the_interval_of_its_precision(text, start, end, precision):
    value = FuzzyDate.model_validate(text)
    assert (value.start.isoformat(), value.end.isoformat(), value.precision) == (start, end, precision)
    assert value.text == text


@pytest.mark.parametrize(
    "text", ["2025-13", "2025-02-30", "25-11-01", "yesterday", "2025-11-16..2025-11-01", "", "2025-1-5"]
)
def test_a_malformed_date_is_refused(text):
    with pytest.raises(ValidationError):
        FuzzyDate.model_validate(text)


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.integers(0, 400))
def test_any_day_or_interval_round_trips_through_its_object_form(day, length):
    end = min(day + timedelta(days=length), date(9999, 12, 31)) if day.year < 9999 else day
    for text in (day.isoformat(), f"{day.isoformat()}..{end.isoformat()}"):
        parsed = FuzzyDate.model_validate(text)
        again = FuzzyDate.model_validate(parsed.model_dump(mode="json"))
        assert again == parsed
        assert parsed.start <= parsed.end


def test_an_object_date_must_be_consistent_with_its_precision():
    with pytest.raises(ValidationError):
        FuzzyDate.model_validate({"start": "2025-11-01", "end": "2025-11-03", "precision": "day"})
    with pytest.raises(ValidationError):
        FuzzyDate.model_validate({"start": "2025-11-02", "end": "2025-11-30", "precision": "month"})


def test_a_source_needs_an_http_url_or_an_outlet_and_a_valid_grade():
    assert Source.model_validate("https://dawn.com/x").url == "https://dawn.com/x"
    assert Source.model_validate({"url": "https://a.b", "reliability": "B", "credibility": 2}).grade() == "B2"
    for bad in ({"url": "ftp://x"}, {"url": "https://a.b", "reliability": "G"},
                {"url": "https://a.b", "credibility": 7}, {}):
        with pytest.raises(ValidationError):
            Source.model_validate(bad)


def offer(**changes):
    data = {
        "type": "mediation-offered",
        "mediators": ["IRN"],
        "parties": ["PAK", "AFG"],
        "track": "IRN:AFG-PAK",
        "occurred": "2025-10-28",
        "summary": "Iran offers to mediate.",
        **changes,
    }
    return MediationOffered.model_validate(data)


def test_the_id_ignores_list_order_notes_recorder_and_the_typed_date_text():
    base = content_id(offer())
    assert content_id(offer(parties=["AFG", "PAK"])) == base
    assert content_id(offer(occurred_note="on Tuesday", recorded_by="someone")) == base
    assert content_id(offer(occurred={"start": "2025-10-28", "end": "2025-10-28", "precision": "day"})) == base
    assert content_id(offer(summary="Another summary.")) != base


def test_the_canonical_form_has_sorted_keys_and_no_whitespace():
    text = canonical_json(offer())
    assert " " not in text.replace("Iran offers to mediate.", "")
    assert text.index('"conditional"') < text.index('"mediators"') < text.index('"type"')
    assert '"text"' not in text


def _walked_canonical_json(record) -> str:
    """The canonical form as first written: dump, then walk it for date texts to drop."""
    from events.codec import _NOT_CONTENT, _strip_date_text

    data = _strip_date_text(record.model_dump(mode="json", exclude=_NOT_CONTENT))
    if data.get("sources"):
        data["sources"] = sorted(data["sources"], key=lambda s: json.dumps(s, sort_keys=True))
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_canonical_json_leaves_out_date_texts_exactly_as_walking_the_dump_does():
    """The per-class exclusions give the same text (and so the same ids) as walking the
    dump, for every type: the demo's lines, and dates typed as text with sources dated too."""
    from events.catalogue import RECORD_TYPES
    from tracker.actors import ActorDirectory
    from tracker.demo import demo_lines

    names = {"resolve_actor": ActorDirectory([]).resolve}
    records = [RECORD_TYPES[d["type"]].model_validate(d, context=names) for d in demo_lines()
               if d["type"] != "actor-registered"]
    dated = {"occurred": "2025-11-01..2025-11-16", "summary": "Ünïcode “quoted” 說明.",
             "sources": [{"url": "https://example.org/b", "published": "2025-11"},
                         {"outlet": "Dawn", "published": "2025-11-03", "reliability": "A",
                          "credibility": 1, "quote": "«Talks»"}]}
    for kind, cls in RECORD_TYPES.items():
        own = {k: v for k, v in cls.example.items() if k not in ("occurred", "summary", "sources")}
        fields = {"correction": {"target": "00000000-0000-4000-8000-000000000001", "reason": "r",
                                 "changes": {"occurred": {"start": "2025-11-02", "end": "2025-11-02",
                                                          "precision": "day", "text": "2025-11-02"}}},
                  "retraction": {"target": "00000000-0000-4000-8000-000000000001", "reason": "r"},
                  "actor-registered": {"code": "XYZ", "name": "Some group", "kind": "other"}}.get(kind, own)
        base = {} if kind in ("correction", "retraction", "actor-registered") else dated
        records.append(cls.model_validate({"type": kind, **base, **fields}, context=names))
    assert {type(r).__name__ for r in records} >= {c.__name__ for c in RECORD_TYPES.values()}
    assert any('"text":"2025-11"' in r.model_dump_json() for r in records)  # texts to leave out
    for record in records:
        assert canonical_json(record) == _walked_canonical_json(record), record
