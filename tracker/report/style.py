"""The report's visual vocabulary: one colour per status, one shape per development type.

Kept in one place so the picture, its legend, the status table and the Markdown brief agree.
Status colours run from pale (an offer) to strong (talks, agreement), failures in warm colours;
types differ by shape first, so the picture still reads in greyscale or to a colour-blind eye.
"""

from __future__ import annotations

from dataclasses import dataclass

#: status → (band fill, text colour on it, description)
STATUSES: dict[str, tuple[str, str, str]] = {
    "offered": ("#a5d8ff", "#0b3d66", "mediation offered, no answer that changes it yet"),
    "welcomed": ("#b2f2bb", "#14532d", "a party welcomed the offer"),
    "accepted": ("#51cf66", "#0b3d1a", "every party accepted"),
    "rejected": ("#ffa8a8", "#7a1111", "a party rejected the offer"),
    "talks-scheduled": ("#d0bfff", "#3b1f80", "talks are scheduled"),
    "in-talks": ("#8468e8", "#ffffff", "talks held (rounds under way)"),
    "suspended": ("#ffd43b", "#5c4200", "talks suspended"),
    "agreement": ("#2b8a3e", "#ffffff", "an agreement was reached"),
    "collapsed": ("#d9480f", "#ffffff", "talks collapsed"),
    "withdrawn": ("#adb5bd", "#212529", "no mediator left"),
}
UNKNOWN_STATUS = ("#e9ecef", "#212529", "")


@dataclass(frozen=True)
class Mark:
    """How a development type is drawn: a shape from the template's <defs>, and a colour."""

    shape: str
    colour: str
    label: str
    hollow: bool = False


#: how each development type is drawn: the report's own vocabulary, not what a type is, so it is
#: kept here beside the status colours; a type without a mark is drawn as OTHER_TYPE
TYPES: dict[str, Mark] = {
    "mediation-offered": Mark("diamond", "#1c3d8c", "mediation offered"),
    "mediation-response": Mark("circle", "#2b8a3e", "response (colour: welcomed, accepted, rejected, noncommittal)"),
    "mediator-joined": Mark("triangle-up", "#1c3d8c", "mediator joined"),
    "mediator-left": Mark("triangle-down", "#c2410c", "mediator left"),
    "talks-scheduled": Mark("square", "#4c2a9e", "talks scheduled", hollow=True),
    "talks-held": Mark("square", "#4c2a9e", "talks held (a round)"),
    "talks-suspended": Mark("pause", "#b45309", "talks suspended"),
    "talks-collapsed": Mark("cross", "#111827", "talks collapsed"),
    "agreement-reached": Mark("star", "#f59f00", "agreement reached"),
    "incident-reported": Mark("warning", "#c92a2a", "incident (clash, strike, attack, violation)"),
    "statement-issued": Mark("speech", "#495057", "statement"),
}
OTHER_TYPE = Mark("circle", "#495057", "other")

RESPONSE_COLOURS = {
    "welcomed": "#2b8a3e",
    "accepted": "#0b5d1e",
    "rejected": "#c92a2a",
    "noncommittal": "#868e96",
}

#: Admiralty code (NATO AJP-2.1): source reliability letters and information credibility digits
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


def status_style(status: str | None) -> tuple[str, str, str]:
    return STATUSES.get(status or "", UNKNOWN_STATUS)


def mark_for(dev: dict) -> Mark:
    """The marker of a development; a response is coloured by what the party answered."""
    mark = TYPES.get(dev.get("type", ""), OTHER_TYPE)
    if dev.get("type") == "mediation-response":
        return Mark(mark.shape, RESPONSE_COLOURS.get(dev.get("response") or "", mark.colour), mark.label)
    return mark


def grade(source: dict) -> str:
    """The Admiralty grade of a source, e.g. `B2`; `?` for a missing half, empty for none."""
    rel, cred = source.get("reliability"), source.get("credibility")
    if rel is None and cred is None:
        return ""
    return f"{rel or '?'}{cred or '?'}"


def grade_meaning(source: dict) -> str:
    rel, cred = source.get("reliability"), source.get("credibility")
    parts = []
    if rel:
        parts.append(f"source {RELIABILITY.get(rel, rel)}")
    if cred:
        parts.append(f"information {CREDIBILITY.get(cred, cred)}")
    return "; ".join(parts)
