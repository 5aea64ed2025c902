"""Who does what in a sentence: its principal actors (outside relative clauses), the group
acting before a verb, the mediators an agent phrase names ("brokered by Qatar"), envoys who
hold talks themselves, the subject of a statement rather than its object, and signatories
who are not this conflict's parties."""

from __future__ import annotations

import re

from tracker.draft.text import patterns as pt
from tracker.draft.text.mentions import Mention

#: "between A and B": the parties a sentence is about, never its subject
BETWEEN = re.compile(r"\bbetween\b[^,.;]*")
RELATIVE = re.compile(r",\s+(?:who|which|whose|where)\b[^,]*,")


def actors(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if not m.place]


def principal(text: str, mentions: list[Mention]) -> list[Mention]:
    """The actors of a sentence outside its relative clauses (", who chairs ASEAN this year,")."""
    inner = [(m.start(), m.end()) for m in RELATIVE.finditer(text)]
    return [m for m in actors(mentions) if not any(s <= m.start < e for s, e in inner)]


def group_before(text: str, found: list[Mention], at: int) -> list[str]:
    """The codes of the actors nearest before position `at`, with those joined to them by
    "and" or commas ("Qatar, Egypt and the United States offered"); those after "between" are
    what the sentence is about, not who acts."""
    objects = [(m.start(), m.end()) for m in BETWEEN.finditer(text)]
    before = [x for x in found if x.end <= at and not any(s <= x.start < e for s, e in objects)]
    if not before:
        return []
    last = before[-1]
    group = [last.code]
    for x in reversed(before[:-1]):
        if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", text[x.end:last.start]) or x.code == last.code:
            group.append(x.code)
            last = x
        else:
            break
    return sorted(set(group))


#: the words after which a sentence names who mediates, as the agent ("brokered by Qatar",
#: "under the auspices of the AU", "with the help of Egypt", "mediators from Oman")
AGENT = re.compile(r"(?:\bby|\bof|\bfrom)\s*$")
JOINED = re.compile(r"\s*(?:,|and|,\s*and|as well as)\s*(?:the\s+)?$")


def agents(text: str, mentions: list[Mention], parties: set[str]) -> list[str]:
    """The third parties named right after an agent phrase, with those joined to them by
    "and" or commas: those, not every other actor of the sentence, mediate."""
    third = [m for m in principal(text, mentions) if m.code not in parties]
    out: list[str] = []
    for pattern in pt.patterns()["mediator.by"]:
        for m in pattern.finditer(text):
            if not AGENT.search(m[0]):
                continue
            at = m.end()
            for x in third:
                if x.start < at:
                    continue
                gap = text[at:x.start]
                if len(gap) > 45 or re.search(r"[,;.]\s|\b(?:and|who|which)\b", gap) and not JOINED.fullmatch(gap):
                    break
                out.append(x.code)
                at = x.end
    return sorted(set(out))


def mediators_named(text: str, mentions: list[Mention], parties: set[str]) -> tuple[str, ...]:
    """The third parties of a sentence that says who mediates ("mediated by", "hosted"): those
    an agent phrase names where it names any, else every third party outside "between …"."""
    if not pt.first("mediator.by", text):
        return ()
    if named := agents(text, mentions, parties):
        return tuple(named)
    if _only_anaphora(text):
        return ()  # "the mediators said …" refers back to those already named, not to this sentence's places
    objects = [(m.start(), m.end()) for m in BETWEEN.finditer(text)]  # "shuttled between Beirut and Jerusalem"
    return tuple(sorted({m.code for m in principal(text, mentions) if m.code not in parties
                         and not any(s <= m.start < e for s, e in objects)}))


def _only_anaphora(text: str) -> bool:
    """Whether every word of mediation in the sentence is "the mediators", a reference back."""
    found = [m for p in pt.patterns()["mediator.by"] for m in p.finditer(text)]
    return bool(found) and all(re.fullmatch(r"(?i)mediators?", m[0]) and re.search(r"(?i)\bthe\s+$", text[:m.start()])
                               for m in found)


#: a word after which an actor is an object, not who acts ("recognizing Kosovo", "of Russia")
OBJECT = re.compile(r"\b(?:[a-z]+ing|of|with|against|to|on|by|for|from|over|toward|towards)\s+(?:the\s+)?$")
OPENER = re.compile(r"^\W*(?:[A-Z][\w’'-]*\s+){0,3}?(?:said|says|told|added|stated)\b")


def statement_subject(text: str, mentions: list[Mention], at: int) -> Mention | None:
    """Who makes a statement: the nearest actor before its verb that is not an object
    ("… recognizing Kosovo, and accused Pristina" is Vucic's), else the sentence's opener
    where it is one who speaks ("Kurti told journalists that … and urged")."""
    found = [m for m in principal(text, mentions) if m.end <= at]
    acting = [m for m in found if not OBJECT.search(text[:m.start])]
    opener = found[0] if found and found[0].start < 30 and OPENER.match(text[found[0].start:]) else None
    if opener and acting and acting[-1] is not opener and at - acting[-1].end > 30:
        return opener
    return acting[-1] if acting else (found[-1] if found else None)


def envoys(text: str, mentions: list[Mention], parties: set[str], at: int) -> tuple[str, ...]:
    """Third parties that are themselves the subject of talks ("Saudi and Omani envoys held
    talks with Houthi leaders"): the actors just before the talks' words, less the parties."""
    begin = at
    group = group_before(text, [m for m in principal(text, mentions) if not OBJECT.search(text[:m.start])], begin)
    last = max((m.end for m in principal(text, mentions) if m.end <= begin), default=-100)
    if not re.fullmatch(r"(?:’s|'s)?\s*(?:[a-z]+\s+){0,2}", text[last:begin]) or re.search(r"\bto\b", text[last:begin]):
        return ()  # only "Omani envoys held talks", not "Oman's call to mediate follows talks"
    return tuple(sorted(c for c in group if c not in parties))


SIGNED = re.compile(r"\b(?:signed|initialled|initialed|agreed|reached|struck|concluded)\b")


def others_signed(text: str, mentions: list[Mention], parties: set[str], at: int) -> bool:
    """Whether an agreement is between others: its signatories, just before its words, are a
    party and an actor that is no party ("Congo and Rwanda signed a separate peace agreement",
    in an article about Congo and M23)."""
    group = group_before(text, [m for m in principal(text, mentions) if at - m.end < 60], at)
    return len(group) >= 2 and bool(set(group) & parties) and bool(set(group) - parties)
