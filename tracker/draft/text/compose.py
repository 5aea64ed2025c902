"""Readings → candidates: those that state the same development merged (the most precise date
wins), track developments kept within their track's offer, a track the article never says was
offered opened by an inferred, uncertain offer, and each given its summary and source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tracker.draft.shared import Candidate, clip
from tracker.draft.text.dates import When
from tracker.draft.text.reader import Found

TRACKED = {"mediation-offered", "mediation-response", "talks-held", "talks-collapsed", "talks-suspended",
           "agreement-reached", "mediator-joined", "mediator-left"}
#: the stances of a routine reaction, which a bystander's statement is not drafted for
ROUTINE = ("endorses", "appeals")
#: how far back an offer inferred from later talks may lie
INFERRED_SPAN = timedelta(days=180)
NAMED_SOURCE = r"\b(?:said|told|according to|announced|stated|in a statement|quoted)\b"


@dataclass
class Meta:
    published: date
    url: str | None = None
    outlet: str | None = None


@dataclass
class Draft:
    """One development being drafted, with every sentence that states it."""

    found: Found
    also: list[int] = field(default_factory=list)

    @property
    def key(self) -> tuple[Any, ...]:
        r = self.found.reading
        detail = {"mediation-response": ("party", "response"), "agreement-reached": ("kind",),
                  "incident-reported": ("kind",), "statement-issued": ("actor", "stance"),
                  "mediator-joined": ("mediator",), "mediator-left": ("mediator",)}.get(r.type, ())
        return (r.type, r.mediators if r.type in TRACKED else (), *(r.fields.get(k) for k in detail))


def overlaps(a: When, b: When) -> bool:
    return a.start <= b.end and b.start <= a.end


def merged(found: list[Found]) -> list[Draft]:
    """One draft per development: readings with the same key and overlapping dates are one."""
    drafts: list[Draft] = []
    for f in found:
        if f.reading.type in TRACKED - {"mediation-offered"} and not f.reading.mediators:
            drafts.append(Draft(f))
            continue
        same = next((d for d in drafts if _same(d, Draft(f)) and overlaps(d.found.when, f.when)), None)
        if same is None:
            drafts.append(Draft(f))
            continue
        keep, other = (f, same.found) if _better(f, same.found) else (same.found, f)
        if keep.reading.any_kind and not other.reading.any_kind:  # the kind stated wins
            keep.reading.fields["kind"], keep.reading.any_kind = other.reading.fields["kind"], False
        same.also.append(other.sentence.number)
        same.found = keep
    return drafts


def bystanders(drafts: list[Draft], parties: tuple[str, ...] | set[str]) -> tuple[list[Draft], list[Draft]]:
    """(kept, left out): an actor that is neither a party of the conflict nor a mediator of one of
    its drafted tracks welcoming a deal or calling for calm is a bystander's routine reaction, not
    the conflict's news; the reviewer sees it among the skipped sentences instead. A bystander's
    warning, accusation or denial takes a position in the conflict and is kept."""
    mediators = {code for d in drafts if d.found.reading.type in TRACKED for code in d.found.reading.mediators}
    mediators |= {d.found.reading.fields.get("mediator") for d in drafts if d.found.reading.type == "mediator-joined"}
    kept, out = [], []
    for d in drafts:
        r = d.found.reading
        actor = r.fields.get("actor")
        (out if r.type == "statement-issued" and r.fields.get("stance") in ROUTINE and actor not in parties and actor not in mediators else kept).append(d)
    return kept, out


def _same(a: Draft, b: Draft) -> bool:
    """The same development; "the agreement", with no word of its kind, is the one of its track
    already reported, whatever its kind."""
    if a.key == b.key:
        return True
    ra, rb = a.found.reading, b.found.reading
    return ra.type == rb.type == "agreement-reached" and ra.mediators == rb.mediators and (ra.any_kind or rb.any_kind)


def _better(a: Found, b: Found) -> bool:
    """Whether reading a should stand for the development rather than b: the narrower date,
    then the one stated outright rather than in passing."""
    return (a.when.width, a.reading.weak) < (b.when.width, b.reading.weak)


def within_offers(drafts: list[Draft]) -> None:
    """An undated response or round can start no earlier than the offer of its track."""
    offers = {d.found.reading.mediators: d.found.when for d in drafts if d.found.reading.type == "mediation-offered"}
    for d in drafts:
        offer = offers.get(d.found.reading.mediators)
        when = d.found.when
        if d.found.reading.type != "mediation-offered" and offer and when.start < offer.start <= when.end:
            d.found.when = When(offer.start, when.end, "interval" if offer.start != when.end else "day",
                                when.phrase, when.at, when.vague)
            d.found.date_note += "; from the day of its track's offer"


def candidates(drafts: list[Draft], parties: tuple[str, ...], meta: Meta, name: Any) -> list[Candidate]:
    out: list[Candidate] = []
    opened = {d.found.reading.mediators for d in drafts if d.found.reading.type == "mediation-offered"}
    for d in sorted(drafts, key=lambda d: d.found.when.start):
        cand = candidate(d, parties, meta, name)
        mediators = d.found.reading.mediators
        if d.found.reading.type in TRACKED and mediators and mediators not in opened \
                and d.found.reading.type != "mediation-offered":
            cand.opens_with = inferred_offer(d, parties, meta, name)
            opened.add(mediators)
        out.append(cand)
    return out


def source(d: Draft, meta: Meta) -> dict[str, Any]:
    import re

    named = bool(re.search(NAMED_SOURCE, d.found.sentence.text))
    return {"url": meta.url, "outlet": meta.outlet, "published": meta.published.isoformat(),
            "reliability": "C", "credibility": 2 if named else 3, "quote": clip(d.found.sentence.text, 4000)}


def candidate(d: Draft, parties: tuple[str, ...], meta: Meta, name: Any) -> Candidate:
    r, when = d.found.reading, d.found.when
    fields = {k: v for k, v in r.fields.items() if v not in (None, "")}
    if r.type in ("mediation-offered", "incident-reported", "statement-issued"):
        fields["parties"] = list(parties)
    if r.type == "mediation-offered":
        fields["mediators"] = list(r.mediators)
        fields["conditional"] = bool(r.fields.get("conditional"))
    if r.type == "statement-issued" and r.mediators:
        fields.pop("parties", None)
    place = ("mediators", r.mediators) if r.mediators and r.type != "mediation-offered" else \
        ("conflict",) if r.type in TRACKED - {"mediation-offered"} else None
    if r.type == "mediation-offered":
        place = None
    said = summary(r, parties, name)
    if r.type == "statement-issued":
        said += f": “{clip(r.fields.get('text') or d.found.sentence.text, 300)}”"
    return Candidate(r.type, start=when.start, occurred=when.occurred, summary=clip(said, 4000),
                     fields=fields, sources=[source(d, meta)], place=place,
                     occurred_note=clip(d.found.date_note, 500))


def inferred_offer(d: Draft, parties: tuple[str, ...], meta: Meta, name: Any) -> Candidate:
    mediators = d.found.reading.mediators
    end = d.found.when.start
    start = end - INFERRED_SPAN
    who = " and ".join(name(m) for m in mediators)
    return Candidate(
        "mediation-offered", start=start, occurred=f"{start.isoformat()}..{end.isoformat()}",
        summary=clip(f"Inferred: {who} mediating between {' and '.join(name(p) for p in parties)}, "
                     f"as the article reports {d.found.reading.type.replace('-', ' ')} they mediated.", 4000),
        fields={"mediators": list(mediators), "parties": list(parties)},
        sources=[{**source(d, meta), "credibility": 6}],
        occurred_note="uncertain: inferred; the article reports this track's talks but not when it was offered",
    )


def summary(r: Any, parties: tuple[str, ...], name: Any) -> str:
    f = r.fields
    between = " and ".join(name(p) for p in parties)
    by = " and ".join(name(m) for m in r.mediators) or "unnamed mediators"
    match r.type:
        case "mediation-offered":
            return f"{by} offers to mediate between {between}" + (" if requested" if f.get("conditional") else "") + "."
        case "mediation-response":
            return f"{name(f['party'])} {f['response']} {by}'s offer of mediation."
        case "talks-held":
            return f"Talks between {between}, mediated by {by}" + (f", in {f['venue']}" if f.get("venue") else "") + "."
        case "talks-collapsed":
            return f"Talks between {between}, mediated by {by}, collapse" + (f" in {f['venue']}" if f.get("venue") else "") + "."
        case "talks-suspended":
            return f"Talks between {between}, mediated by {by}, are suspended" + (f" by {name(f['by'])}" if f.get("by") else "") + "."
        case "agreement-reached":
            return f"{between} reach an agreement ({f['kind']}), mediated by {by}."
        case "mediator-joined":
            return f"{name(f['mediator'])} joins the mediation between {between}."
        case "mediator-left":
            return f"{name(f['mediator'])} steps aside as a mediator between {between}."
        case "incident-reported":
            dead = f.get("fatalities")
            return f"{f['kind'].replace('-', ' ').capitalize()} between {between}" + \
                (f" in {f['location']}" if f.get("location") else "") + (f"; fatalities: {dead}" if dead is not None else "") + "."
        case _:
            return f"{name(f['actor'])} {f['stance']}"


def last_day(occurred: str) -> date:
    """The last day an occurred string spans: `2025-10` → 31 October."""
    import calendar

    text = occurred.split("..")[-1]
    if len(text) == 4:
        return date(int(text), 12, 31)
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:])
        return date(year, month, calendar.monthrange(year, month)[1])
    return date.fromisoformat(text)


def held(cand: Candidate, recorded: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The development the store already holds that the candidate states again: the same
    type, track mediators and answer, kind or stance, dated within the candidate's interval
    (an article's "recently" is not a second offer)."""
    end = last_day(cand.occurred)
    mediators = set(cand.fields.get("mediators") or (cand.place[1] if cand.place and cand.place[0] == "mediators" else ()))
    for dev in recorded:
        if dev.get("retracted") or dev["type"] != cand.type:
            continue
        day = date.fromisoformat(dev["occurred"]["start"])
        if not cand.start <= day <= end:
            continue
        theirs = set(dev.get("mediators") or []) | set((dev.get("track") or ":").split(":")[0].split("+")) - {""}
        if mediators and not mediators <= theirs:
            continue
        if any(cand.fields.get(k) != dev.get(k) for k in ("party", "response", "kind", "stance", "actor") if k in cand.fields):
            continue
        return dev
    return None
