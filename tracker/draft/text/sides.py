"""Which actors an article's opening names as the conflict's sides, and which it names only as
a mediator, a host, a venue or a side's backer ("land in Qatar", "Saudi-backed government",
"hosted by Oman", "Oman hosted"): those are no side unless another mention makes them one."""

from __future__ import annotations

import re

from tracker.draft.text.mentions import Mention
from tracker.draft.text.roles import actors

#: "Saudi-backed", "Iranian-made", "US-brokered", "Qatari-mediated": an actor as a modifier
MODIFIER = re.compile(r"[-‑](?:backed|aligned|allied|led|made|built|supplied|brokered|mediated|hosted|facilitated|"
                      r"sponsored|supported|funded|armed|controlled|based|owned|linked)$", re.I)
#: a place or an agent: "land in Qatar", "talks in Muscat", "hosted by Oman", "under the auspices of the UN"
BEFORE = re.compile(r"\b(?:in|at|to|into|near|via|(?:hosted|co-hosted|brokered|mediated|facilitated|sponsored|convened) by|"
                    r"auspices of|mediators? (?:from|of)|mediation (?:of|by))\s+(?:the\s+)?$", re.I)
#: the subject of a mediator's verb: "Oman hosted", "Qatar brokers", "Egypt mediates"
AFTER = re.compile(r"^\s+(?:(?:has|had|will|to)\s+)?(?:co-)?(?:mediat|broker|host|facilitat|conven)\w*\b(?!\s+by\b)", re.I)
#: what tells a pair of sides in a lede sentence: what two sides do to or with each other
SIDE_CUE = re.compile(r"\b(?:exchang\w*|swap\w*|agree\w*|sign\w*|truce|ceasefire|cease-fire|war|conflict|clash\w*|"
                      r"fight\w*|talks|negotiat\w*|deal|release\w*|freed|prisoners?|hostages?|detainees?)\b", re.I)
#: words that may stand between two sides named together ("Yemen's Saudi-backed government and
#: the Iran-aligned Houthi movement"): what is left must be "and", a comma or a dash
FILLER = re.compile(r"(?:’s|'s)|\b[\w-]+[-‑](?:backed|aligned|allied|led|supported)\b|\b(?:the|government|forces|army|"
                    r"military|movement|rebels?|group|militias?|officials|authorities|leaders?|delegations?|"
                    r"negotiators?|administration|regime)\b", re.I)
JOINS = re.compile(r"\s*(?:,|and|&|-|–|—|/|vs\.?)\s*")


def third_role(text: str, mention: Mention) -> str:
    """Why a mention is not a side ("" where it may be one)."""
    tail = re.match(r"[-‑][\w-]+", text[mention.end:])
    if MODIFIER.search(word := mention.text + (tail[0] if tail else "")):
        return f"a modifier (“{word}”)"
    if AFTER.match(text[mention.end:]):
        return "the host or mediator"
    if found := BEFORE.search(text[:mention.start]):
        return "a place" if re.match(r"(?i)(?:in|at|to|into|near|via)\b", found[0]) else "a mediator"
    return ""


def candidates(text: str, found: list[Mention]) -> list[Mention]:
    """The actors of a text that may be sides."""
    return [m for m in actors(found) if not third_role(text, m)]


def set_aside(text: str, found: list[Mention], sides: list[str]) -> str:
    """The actors a text names that were not taken for sides, and why ("QAT as a place or a
    mediator"), for the reviewer to check."""
    out = {m.code: role for m in actors(found) if m.code not in sides and (role := third_role(text, m))}
    return ", ".join(f"{code} as {role}" for code, role in out.items())


def joined(text: str, a: Mention, b: Mention) -> bool:
    """Whether two sides are named together, past the words a side's description adds."""
    gap = FILLER.sub(" ", text[a.end:b.start])
    return len(text[a.end:b.start]) <= 80 and bool(JOINS.fullmatch(gap))


def lede_pair(text: str, found: list[Mention]) -> tuple[str, str] | None:
    """The two sides a lede sentence names together with what sides do ("Yemen's Saudi-backed
    government and the Iran-aligned Houthi movement completed the exchange of prisoners")."""
    if not SIDE_CUE.search(text):
        return None
    for a, b in zip(found, found[1:]):
        if a.code != b.code and joined(text, a, b):
            return a.code, b.code
    return None


#: one side's prisoners given for the other's: "released Alex Saab in exchange for 10 Americans"
IN_EXCHANGE = re.compile(r"\b(?:in (?:exchange|return) for|swapped for|traded for)\b", re.I)


#: where a side holds the other's people is that side ("five Iranians held in the United States")
HELD = re.compile(r"\b(?:held|detained|jailed|imprisoned)\s+(?:in|by)\s+(?:the\s+)?$", re.I)


def swap_pair(text: str, found: list[Mention]) -> tuple[str, str] | None:
    """The two sides of a prisoner swap: the nearest side named before "in exchange for" and
    the first after it, counting where each holds the other's people ("Five U.S. citizens detained
in Iran … in exchange for five Iranians held in the United States")."""
    if not (m := IN_EXCHANGE.search(text)):
        return None
    found = [x for x in actors(found) if not third_role(text, x) or HELD.search(text[:x.start])]
    before = [x for x in found if x.end <= m.start()]
    after = [x for x in found if x.start >= m.end()]
    if before and after and before[-1].code != after[0].code:
        return before[-1].code, after[0].code
    return None


def listed_places(window: str) -> bool:
    """Whether "between …" lists three or more ("between Sanaa, Aden, Marib and Riyadh"): the
    stops of a route, not two sides."""
    return "," in window.split(" and ")[0]


__all__ = ["candidates", "lede_pair", "listed_places", "set_aside", "swap_pair", "third_role"]
