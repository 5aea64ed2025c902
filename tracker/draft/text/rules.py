"""One sentence → the developments it states, by the patterns of patterns.toml.

Each reading says why it was drafted (the words that matched), for the reviewer. A sentence
may state several developments (a party welcoming two offers, an offer restated in a
response); statements are read only where nothing else was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tracker.draft.text import patterns as pt
from tracker.draft.text.dates import When
from tracker.draft.text.mentions import Mention
from tracker.draft.text.roles import (
    SIGNED,
    actors,
    envoys,
    group_before,
    mediators_named,
    others_signed,
    principal,
    statement_subject,
)

RESPONSES = ("rejected", "noncommittal", "accepted", "welcomed")
KINDS = ("ceasefire-extension", "final", "framework", "declaration", "ceasefire")
INCIDENTS = ("ceasefire-violation", "clash", "strike", "attack")
STANCES = ("denies", "accuses", "warns", "appeals", "endorses")
MONTHS_AND_DAYS = re.compile(r"^(?:January|February|March|April|May|June|July|August|September|October|"
                             r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$")
VENUE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?((?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+){0,2})")
FATAL = re.compile(r"(?:at least |more than |over |nearly |some |about |almost )?(\d[\d,]*|dozens|scores|hundreds|several|a few|a handful)"
                   r"(?: of)?(?: [a-z]+){0,2} (?:were |was |have been |had been )?(?:killed|dead|deaths|died|lives)"
                   r"|\bkill(?:ed|ing) (?:at least |more than |over |about |nearly |some |almost )?(\d[\d,]*|dozens|scores|hundreds|several)", re.I)
QUOTE = re.compile(r"[“\"]([^”\"]{8,})[”\"]")


@dataclass
class Reading:
    """A development a sentence states, before it is dated and placed."""

    type: str
    fields: dict[str, Any]
    why: str
    at: int  # where its words are in the sentence, for the nearest date
    mediators: tuple[str, ...] = ()  # the track it belongs to, where the sentence says
    look_around: bool = False  # its mediators may be named in a neighbouring sentence
    weak: bool = False  # restated in passing (an offer named by its response)
    any_kind: bool = False  # "the agreement" with no word of its kind: the one already reported
    dated_by: list[When] = field(default_factory=list)


#: words after which a date or an agreement is a reference point, not the news
REFERENCE = re.compile(r"\b(?:before|after|since|until|when|as|followed|follows|following)\b[^.,]{0,12}$", re.I)


#: a verb joined to the sentence's main verb by "and", sharing its subject
COORDINATED = re.compile(r",\s*and\s+(?:also\s+)?$")
#: talks named in passing to say who an actor is ("Saudi Arabia, which hosted the meetings, …")
#: or what a party thanks it for: talks reported elsewhere, not another round
ASIDE = re.compile(r",\s*(?:which|who)\s+(?:had\s+|has\s+)?$|\bthank(?:s|ed)?\b[^.]{0,80}\bfor\s+$", re.I)
FOLLOWED = re.compile(r"\b(?:followed|follows|came after|preceded|precedes)\b", re.I)
#: what a sentence tells as part of an agreement already reported
PART_OF = re.compile(r"\bas (?:a )?part of (?:the|that|this) (?:agreement|deal|swap|exchange|accord|truce|ceasefire)\b", re.I)
#: a clause with a subject of its own begins ("…, but the government refused")
NEW_CLAUSE = re.compile(r"(?:[,;]\s*(?:but|while|whereas|although)|;)\s+(?:the\s+)?[\w-]+", re.I)
#: words that make the fighting named after them a thing to stop, not a thing that happened
HALTED = re.compile(r"\b(?:halt|stop|end|cease|ban|pause|suspend|refrain from|moratorium on|freeze on)\b(?:\s+[\w-]+){0,2}\s*$", re.I)


def fatalities(text: str) -> int | str | None:
    m = FATAL.search(text)
    if not m:
        return None
    word = (m[1] or m[2]).lower().replace(",", "")
    if word.isdigit():
        return int(word)
    return "high" if word in ("dozens", "scores", "hundreds") else "low"


def venue(text: str) -> str | None:
    for m in VENUE.finditer(text):
        words = m[1].split()
        while words and MONTHS_AND_DAYS.match(words[-1]):
            words.pop()
        if words and not MONTHS_AND_DAYS.match(words[0]):
            return " ".join(words).rstrip("’'s") if not words[-1].endswith(("’s", "'s")) else " ".join(words)[:-2]
    return None


def subject(mentions: list[Mention], before: int, text: str = "") -> Mention | None:
    """The actor nearest before the words that matched: the sentence's subject, most often."""
    found = [m for m in (principal(text, mentions) if text else actors(mentions)) if m.end <= before]
    return found[-1] if found else None


def read(text: str, mentions: list[Mention], parties: set[str], speaker: Mention | None,
         dated: bool = False, last_offer: tuple[str, ...] = ()) -> list[Reading]:
    """The developments one sentence states. `speaker` is who the sentence is attributed to,
    where it is said by someone named in it or just before ("He offered …"); `last_offer`, the
    mediators of the offer the article last named ("welcomed the offer"); `dated`, whether
    the sentence gives a date of its own (fighting is drafted only where it is dated or its
    dead are counted: "attacks on Pakistani soil" is not one event)."""
    third = [m for m in actors(mentions) if m.code not in parties]
    named = mediators_named(text, mentions, parties)

    def host(at: int, begin: int = -1) -> tuple[str, ...]:
        return _host(text, mentions, parties, named, at, begin)
    out = _offers(text, mentions, parties, speaker)
    out += _responses(text, mentions, parties, speaker, third, last_offer)
    out += _ended(text, mentions, host)
    if not out or out[-1].type not in ("talks-collapsed", "talks-suspended"):
        out += _agreement(text, mentions, parties, host)
    if (m := pt.first("talks", text)) and not _planned(text, m) and not ASIDE.search(text[:m.start()]):
        out.append(Reading("talks-held", {"venue": venue(text)}, f"talks: '{m[0]}'", m.start(), host(m.end(), m.start()),
                           look_around=not host(m.end(), m.start())))
    _share_hosts(out)
    out += _mediator_changes(text, mentions, parties, third)
    mediation = bool(out)
    if not any(r.type == "agreement-reached" for r in out):
        out += _incident(text, dated)
    if not mediation:
        out += _statements(text, mentions, speaker)
    return out


def _share_hosts(out: list[Reading]) -> None:
    """"The round ended in Mexico City with an agreement on …": an agreement the sentence names
    no mediator for is the one its talks' host oversaw, before any neighbouring sentence's."""
    hosted = [r.mediators for r in out if r.type == "talks-held" and r.mediators]
    for r in out:
        if r.type == "agreement-reached" and not r.mediators and hosted:
            r.mediators, r.look_around = hosted[0], False


def _host(text: str, mentions: list[Mention], parties: set[str], named: tuple[str, ...],
          at: int, begin: int = -1) -> tuple[str, ...]:
    """Talks or a signing "in Washington" or "in Doha", just after their words: the
    capital's government hosts them. Envoys who hold the talks themselves come first."""
    if begin >= 0 and (own := envoys(text, mentions, parties, begin)):
        return own
    if named:
        return named
    # the capital is where they met ("in Doha"), not a place their terms name ("the road from Port Sudan")
    hosts = {m.code for m in mentions if m.place == "capital" and m.code not in parties
             and (begin if begin >= 0 else at) <= m.start <= at + 40
             and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", text[:m.start])}
    if len(hosts) == 1:
        return tuple(hosts)
    return envoys(text, mentions, parties, begin) if begin >= 0 else ()


def _offers(text: str, mentions: list[Mention], parties: set[str], speaker: Mention | None) -> list[Reading]:
    if (m := pt.first("offer", text)) and pt.first("offer.negated", text[:m.start()]):
        m = None
    if not m or not (who := offerers(text, m, mentions, parties, speaker)):
        return []
    conditional = bool(re.search(r"\bif (?:requested|asked|both sides|the parties|invited)", text, re.I))
    return [Reading("mediation-offered", {"conditional": conditional, "speaker": _speaker(mentions, who)},
                    f"offer: '{m[0]}' by {'+'.join(who)}", m.start(), tuple(who),
                    weak=bool(pt.first("response.about", text) and _answer(text)))]


def _responses(text: str, mentions: list[Mention], parties: set[str], speaker: Mention | None,
               third: list[Mention], last_offer: tuple[str, ...]) -> list[Reading]:
    if not ((answer := _answer(text)) and pt.first("response.about", text)):
        return []
    out: list[Reading] = []
    kind, m = answer
    own = [x for x in principal(text, mentions) if x.code in parties]
    answering = group_before(text, own, m.start())
    if (near := [x for x in own if x.end <= m.start()]) and NEW_CLAUSE.search(text[near[-1].end:m.start()]):
        answering = []  # "X sent a delegation, but the government refused": not X's answer
    if speaker is not None and speaker.code in parties and COORDINATED.search(text[:m.start()]):
        answering = [speaker.code]  # "X said …, and thanked Qatar": X thanks, whoever was named between
    if not answering and speaker is not None and speaker.code in parties:
        answering = [speaker.code]
    offered = sorted({x.code for x in third}) or list(last_offer)
    # "thanked Qatar and Türkiye" after their joint talks answers that one track, not two
    tracks = [tuple(offered)] if len(offered) > 1 and tuple(offered) == tuple(last_offer) else [(x,) for x in offered]
    for party in answering:
        for track in tracks:
            out.append(Reading("mediation-response", {"party": party, "response": kind,
                                                      "speaker": _speaker(mentions, (party,))},
                               f"response: '{m[0]}' by {party} to {'+'.join(track)}", m.start(), track))
    return out


def _ended(text: str, mentions: list[Mention], host: Any) -> list[Reading]:
    """Talks that collapsed or were suspended: one reading at most."""
    for section, type_ in (("collapse", "talks-collapsed"), ("suspension", "talks-suspended")):
        if m := pt.first(section, text):
            fields: dict[str, Any] = {"venue": venue(text)}
            if type_ == "talks-suspended":
                by = subject(mentions, m.start())
                fields = {"by": by.code if by else None}
            return [Reading(type_, fields, f"{section}: '{m[0]}'", m.start(), host(m.end()), look_around=not host(m.end()))]
    return []


def _agreement(text: str, mentions: list[Mention], parties: set[str], host: Any) -> list[Reading]:
    m = pt.first("agreement", text)
    if m and (REFERENCE.search(text[:m.start()]) or FOLLOWED.search(m[0])):
        m = None  # "after the truce", "the deal followed an agreement signed in …": points of reference
    if m and any(others_signed(text, mentions, parties, x.start()) for x in SIGNED.finditer(text)):
        m = None
    if not m:
        return []
    # "the two sides also agreed to …": more terms of the agreement already reported
    restated = bool(re.search(r"\balso\s+$", text[:m.start()], re.I)) or bool(PART_OF.search(text[m.start():]))
    kind = pt.choose("agreement", ("ceasefire-extension",), text) \
        or pt.choose("agreement", KINDS, text[m.start():m.end() + 40], earliest=True) \
        or pt.choose("agreement", KINDS, text)
    return [Reading("agreement-reached", {"kind": kind[0] if kind else "declaration",
                                          "terms": QUOTE.search(text)[1] if QUOTE.search(text) else None},
                    f"agreement: '{m[0]}' ({kind[0] if kind else 'declaration'}"
                    f"{': ' + repr(kind[1][0]) if kind else ''})", m.start(), host(m.end()),
                    look_around=not host(m.end()), any_kind=kind is None or restated)]


def _mediator_changes(text: str, mentions: list[Mention], parties: set[str], third: list[Mention]) -> list[Reading]:
    out: list[Reading] = []
    for kind in ("joined", "left"):
        if (m := pt.first(f"mediator.{kind}", text)) and third:
            # "Qatar and the United Nations also took part": each of the group joins
            group = group_before(text, [x for x in principal(text, mentions) if x.end <= m.start()], m.start())
            who = subject(mentions, m.start(), text) or third[0]
            for code in [c for c in group if c not in parties] if who.code in group else [who.code]:
                if code not in parties:
                    out.append(Reading(f"mediator-{kind}", {"mediator": code}, f"mediator {kind}: '{m[0]}'",
                                       m.start(), (code,)))
    return out


def _incident(text: str, dated: bool) -> list[Reading]:
    """Fighting, where it is dated or its dead are counted."""
    if not ((kind := pt.choose("incident", INCIDENTS, text)) and (dated or fatalities(text) is not None)):
        return []
    if HALTED.search(text[:kind[1].start()]):  # "agreed to halt strikes on energy facilities"
        return []
    return [Reading("incident-reported", {"kind": kind[0], "fatalities": fatalities(text), "location": venue(text)},
                    f"incident: '{kind[1][0]}' ({kind[0]})", kind[1].start())]


def _statements(text: str, mentions: list[Mention], speaker: Mention | None) -> list[Reading]:
    out: list[Reading] = []
    for stance in STANCES:
        if not (m := pt.first(f"statement.{stance}", text)):
            continue
        who = statement_subject(text, mentions, m.start()) or speaker
        if who is not None and _stranger_between(text, mentions, who.end, m.start()):
            continue  # "… after President Donald Trump accused both": said by one the article never ties to a side
        if who is not None:
            quote = QUOTE.search(text)
            out.append(Reading("statement-issued", {"actor": who.code, "stance": stance,
                                                    "speaker": _speaker(mentions, (who.code,)),
                                                    "text": quote[1] if quote else None},
                               f"statement: '{m[0]}' by {who.code} ({stance})", m.start()))
    return out


def _stranger_between(text: str, mentions: list[Mention], start: int, end: int) -> bool:
    """Whether an official the article ties to no actor ("President Donald Trump") is named
    between an actor and the verb: then the official, not the actor, is the verb's subject."""
    titles = "|".join(sorted(map(re.escape, pt.raw()["actors"]["titles"]), key=len, reverse=True))
    for m in re.finditer(rf"\b(?:{titles})\s+((?:[A-Z][\w’'-]+\s+){{0,3}}[A-Z][\w’'-]+)", text[start:end]):
        at = start + m.start(1)
        if not any(x.start <= at < x.end or at <= x.start < start + m.end() for x in mentions):
            return True
    return False


def _planned(text: str, m: re.Match[str]) -> bool:
    """Whether the talks matched are ones to come ("will hold", "the next round"), not held."""
    return any(abs(p.start() - m.start()) < 40 for pattern in pt.patterns()["talks.scheduled"]
               for p in pattern.finditer(text))


def _answer(text: str) -> tuple[str, re.Match[str]] | None:
    return pt.choose("response", RESPONSES, text)


def offerers(text: str, m: re.Match[str], mentions: list[Mention], parties: set[str],
             speaker: Mention | None) -> list[str]:
    """Who makes the offer: the third parties just before its words ("Russia has extended an
    offer", "Iran's proposition", "Qatar and Egypt offered"), or after "from"/"by"."""
    third = [x for x in principal(text, mentions) if x.code not in parties]
    near = [x for x in third if m.start() - x.end < 120]
    if group := group_before(text, near, m.end()):
        return group
    after = re.match(r"[^.]{0,20}?\b(?:from|by)\s+", text[m.end():])
    if after:
        at = m.end() + after.end()
        follow = [x for x in third if at <= x.start <= at + 40]
        if follow:
            return [follow[0].code]
    if speaker is not None and speaker.code not in parties:
        return [speaker.code]
    return []


def _speaker(mentions: list[Mention], codes: tuple[str, ...] | list[str]) -> str | None:
    for m in mentions:
        if m.how == "person" and m.code in codes:
            return m.text
    return None
