"""Markup from templates: the HTML report (with the SVG timeline inlined) and the Markdown brief."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from events.catalogue import BRIEF_TYPES
from tracker import __version__
from tracker.report import style
from tracker.report.data import ReportData
from tracker.report.dates import occurred_label, span_label
from tracker.report.layout import lay_out

#: fields shown under a development's summary, in this order
DETAIL_FIELDS = (
    "mediators", "parties", "party", "response", "mediator", "actor", "stance", "speaker",
    "venue", "round", "scheduled_for", "by", "kind", "terms", "location", "fatalities", "text",
    "reason", "conditional",
)
#: characters that mean something inside a Markdown line or a GFM table cell (parentheses too,
#: so that no escaped text reads as a link's destination)
MD_SPECIAL = re.compile(r"([\\`*_\[\]()<|~])")
#: what a link destination may hold unencoded: RFC 3986's reserved and unreserved characters
#: but the brackets and parentheses that end or start Markdown links, and % for what is encoded
URL_SAFE = "/:?#@!$&'*+,;=%-._~"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tracker.report", "templates"),
        autoescape=lambda name: name is not None and not name.endswith(".md.j2"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        px=lambda value: f"{value:.1f}".rstrip("0").rstrip("."),
        md=md_escape,
        md_url=md_url,
        when=when,
        span=lambda start, end=None: span_label(start, end),
        day=lambda d: f"{d:%d %b %Y}" if isinstance(d, date) else d,
        instant=instant,
        host=host,
        grade=style.grade,
        grade_meaning=style.grade_meaning,
        details=details,
    )
    env.globals.update(
        style=style, status_style=style.status_style, mark_for=style.mark_for, version=__version__
    )
    return env


def html(data: ReportData) -> str:
    """The self-contained HTML report: styles inlined, the picture as inline SVG, no scripts."""
    env = environment()
    timeline = env.get_template("timeline.svg.j2").render(t=lay_out(data))
    return env.get_template("report.html.j2").render(
        d=data, timeline=timeline, by_id={dev["id"]: dev for dev in data.developments},
        key_ids=key_developments(data), glance=glance(data),
    )


def glance(data: ReportData) -> list[tuple[str | None, int]]:
    """How many tracks are in each status, in the order of the legend."""
    order = list(style.STATUSES)
    counts = Counter(s["status"] for s in data.states)
    return sorted(counts.items(), key=lambda item: order.index(item[0]) if item[0] in order else -1)


def markdown(data: ReportData) -> str:
    """The brief: status per track, what changed since a date, key developments with citations."""
    return environment().get_template("brief.md.j2").render(
        d=data, by_id={dev["id"]: dev for dev in data.developments}, key_ids=key_developments(data)
    )


def key_developments(data: ReportData) -> list[str]:
    """What a reader must not miss: each change of a track's status, every agreement and round of
    talks, and the conflicts' incidents. Retracted ones never are."""
    ids = set(data.status_changes) | {band.set_by for lane in data.lanes for band in lane.bands}
    for dev in data.developments:
        if dev["type"] in BRIEF_TYPES:
            ids.add(dev["id"])
    return [d["id"] for d in data.developments if d["id"] in ids and not d["retracted"]]


def md_escape(text: Any) -> str:
    return MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_url(url: str) -> str:
    """A URL as a Markdown link destination: what could end the link or start markup is
    percent-encoded, as a browser would send it, so the link goes to that URL and nowhere else."""
    return quote(url, safe=URL_SAFE)


def when(occurred: dict[str, Any] | str | None) -> str:
    """A date as given: `2025-11-17`, `2025-11`, `2025-11-17..2025-11-20`."""
    return occurred_label(occurred)


def instant(value: datetime | str | None) -> str:
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


def host(url: str | None) -> str:
    """The host a link points to; the URL itself where it names none (a store written before
    URLs were parsed on entry may hold one that does not parse)."""
    if not url:
        return ""
    try:
        name = urlsplit(url).hostname
    except ValueError:
        name = None
    return (name or url).removeprefix("www.")


def details(dev: dict[str, Any], names: dict[str, str]) -> list[tuple[str, str]]:
    """(field, value) pairs worth showing beneath a summary, actor codes spelled out."""
    pairs = []
    for key in DETAIL_FIELDS:
        value = dev.get(key)
        if value in (None, "", [], False):
            continue
        if key == "parties" and dev.get("track"):
            continue
        if isinstance(value, list):
            value = ", ".join(named(v, names) for v in value)
        elif isinstance(value, dict):
            value = when(value) if "start" in value else str(value)
        elif isinstance(value, str) and value in names:
            value = named(value, names)
        elif value is True:
            value = "yes"
        pairs.append((key.replace("_", " "), str(value)))
    return pairs


def named(code: str, names: dict[str, str]) -> str:
    name = names.get(code)
    return f"{name} ({code})" if name and name != code else code
