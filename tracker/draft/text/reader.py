"""An article → readings with their dates, mediators and sentences: what the text states,
before readings that state the same development are merged."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.draft.text import dates as dt
from tracker.draft.text import patterns as pt
from tracker.draft.text import sides as side_cues
from tracker.draft.text.article import Article, Sentence
from tracker.draft.text.mentions import Gazetteer, Mention
from tracker.draft.text.roles import actors, mediators_named
from tracker.draft.text.rules import Reading, read, venue

PRONOUN = re.compile(r"^[“\"]?(?:He|She|They|The (?:ambassador|minister|envoy|spokesperson|spokesman|spokeswoman|president|prime minister))\b")
ATTRIBUTION = re.compile(r"[”\"],?\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})\s+(?:said|told|added|wrote|stated)")
#: a sentence worth a reviewer's look when it yields nothing
NOTEWORTHY = re.compile(r"mediat|negotiat|\btalks\b|ceasefire|truce|\boffer", re.I)


#: a sentence that lists several rounds ("the first in Muscat on April 12, and the second in
#: Rome on April 19"; "two earlier rounds …, in July and August")
ROUNDS = re.compile(r"\b(?:rounds|the second|the third|both)\b", re.I)


def rounds(reading: Reading, text: str, when: list[dt.When]) -> list[Reading]:
    """Talks held, once per date where the sentence lists several rounds, each at the venue
    named just before its date."""
    stop = re.compile(r"\b(?:but|while|whereas|planned|scheduled|postponed)\b").search(text, reading.at)
    days = [w for w in when if not w.vague and w.width <= 31 and reading.at - 10 <= w.at < (stop.start() if stop else len(text))]
    if reading.type != "talks-held" or len(days) < 2 or not ROUNDS.search(text):
        return [reading]
    out, start = [], 0
    for w in days:
        end = w.at + len(w.phrase)
        fields = {**reading.fields, "venue": venue(text[start:end]) or reading.fields.get("venue")}
        out.append(Reading(reading.type, fields, f"{reading.why} (a round of several: '{w.phrase}')", w.at,
                           reading.mediators, reading.look_around))
        start = end
    return out


@dataclass
class Found:
    reading: Reading
    sentence: Sentence
    when: dt.When
    date_note: str


#: a clause that tells of something earlier ("… a peace agreement that the two sides had
#: finalised in March"): its date is not the date of what the sentence reports
EARLIER = re.compile(r"\b(?:that|which|who)\b[^,.;]{0,60}\bhad\b[^,.;]*$")


#: a date that bounds or lies ahead ("will take effect on Aug. 3", "extended until Aug. 3",
#: "no later than August 8", "starting from August 4"): not when the reported thing happened
AHEAD = re.compile(r"(?:\b(?:until|till|through|no later than|by|starting|starting from|effective|effective from|as of)\s+(?:on\s+)?(?:the\s+)?(?:end of\s+)?"
                   r"|\b(?:will|would|is to|are to|due to|set to|expected to|scheduled to)\b[^,;.]{0,40})$")


#: what a party thanks a mediator for, with its own dates
THANKED_FOR = re.compile(r"\bfor\s+(?:their\s+|its\s+|his\s+|her\s+)?\w+ing\b", re.I)


def choose_date(reading: Reading, found: list[dt.When], inherited: dt.When | None, published: date,
                text: str = "") -> tuple[dt.When, str]:
    """The sentence's date expression nearest the reading's words (an exact one before a vague
    one); else the previous sentence's of the paragraph; else an interval ending at publication."""
    found = [w for w in found if not ((m := EARLIER.search(text[:w.at])) and reading.at < m.start())]
    found = [w for w in found if not AHEAD.search(text[:w.at])] or found
    if reading.type == "mediation-response":  # "thanked Iraq for hosting talks in 2021": the talks' date
        found = [w for w in found if not THANKED_FOR.search(text[reading.at:w.at])]
    exact = [w for w in found if not w.vague]
    pool = exact or found
    if pool:
        when = min(pool, key=lambda w: (0 if w.width == 0 else 1 if w.width <= 31 else 2, abs(w.at - reading.at)))
        note = f"'{when.phrase}' in the article, published {published.isoformat()}"
        if when.vague:
            note = "uncertain: " + note
        return when, note
    if inherited is not None:
        return inherited, f"'{inherited.phrase}' in the sentence before, published {published.isoformat()}"
    return dt.undated(published), "uncertain: undated in the article; an interval ending at its publication"


class Reader:
    def __init__(self, article: Article, gazetteer: Gazetteer, parties: tuple[str, ...], published: date):
        self.article = article
        self.gazetteer = gazetteer
        self.parties = set(parties)
        self.published = published
        self.found: list[Found] = []
        self.skipped: list[tuple[Sentence, str]] = []
        self.mentions: list[list[Mention]] = []

    def run(self) -> list[Found]:
        previous_speaker: Mention | None = None
        inherited: dt.When | None = None
        paragraph = -1
        last_offer: tuple[str, ...] = ()
        last_track: tuple[str, ...] = ()
        anchors: dict[str, dt.When] = {}  # the last agreement and talks dated, for "shortly after the truce"
        self._introductions()
        for sentence in self.article.sentences:
            if sentence.paragraph != paragraph:
                paragraph, inherited = sentence.paragraph, None
            text = sentence.text
            mentions = self.gazetteer.find(text)
            before = len(self.gazetteer.people), len(self.gazetteer.names)
            self.gazetteer.learn(text, mentions)
            if (len(self.gazetteer.people), len(self.gazetteer.names)) != before:
                mentions = self.gazetteer.find(text)
            mentions = [m for i, m in enumerate(mentions) if not self._qualifies(text, mentions, i)]
            self.mentions.append(mentions)
            speaker = self._speaker(text, mentions, previous_speaker)
            when = dt.find(text, self.published)
            if not any(not w.vague for w in when) and (after := dt.after_event(text, anchors, self.published)):
                when = [after]
            # "rejected any third-party mediation" answers the offer last named, else the
            # mediators of the talks or agreement last reported
            readings = read(text, mentions, self.parties, speaker, any(not w.vague for w in when),
                            last_offer or last_track)
            for reading in readings:
                if reading.type == "agreement-reached" and reading.any_kind and not reading.mediators and last_track:
                    # "the agreement", "also released … as part of the deal": the one last reported
                    reading.mediators, reading.look_around = last_track, False
                    reading.why += f"; the agreement of the track last reported ({'+'.join(last_track)})"
            for reading in [r for reading in readings for r in rounds(reading, text, when)]:
                if reading.type == "mediation-offered":
                    last_offer = reading.mediators
                elif reading.mediators and reading.type != "mediation-response":
                    last_track = reading.mediators
                chosen, note = choose_date(reading, when, inherited, self.published, text)
                if reading.type in ("agreement-reached", "talks-held") and not chosen.vague:
                    anchors["agreement" if reading.type == "agreement-reached" else "talks"] = chosen
                self.found.append(Found(reading, sentence, chosen, note))
            if not readings:
                named = {m.code for m in actors(mentions)}
                if NOTEWORTHY.search(text) or len(named) >= 2:
                    why = "names mediation or talks" if NOTEWORTHY.search(text) else f"names {', '.join(sorted(named))}"
                    self.skipped.append((sentence, why))
            exact = [w for w in when if not w.vague]
            inherited = exact[-1] if exact else inherited
            previous_speaker = speaker or previous_speaker
        self._look_around()
        return self.found

    def _introductions(self) -> None:
        """Officials the article ties to a country anywhere, learnt before it is read: "hosted by
        President William Ruto" speaks for Kenya where a later sentence says "Kenyan President Ruto".
        One never tied to a country stays no actor: left out, not guessed."""
        for sentence in self.article.sentences:
            self.gazetteer.learn(sentence.text, self.gazetteer.find(sentence.text))

    def _qualifies(self, text: str, mentions: list[Mention], i: int) -> bool:
        """A country named only as where a party is from ("Yemen's Houthi movement",
        "Colombia's ELN rebels") is no actor of the sentence."""
        m = mentions[i]
        after = mentions[i + 1] if i + 1 < len(mentions) else None
        return (m.code not in self.parties and after is not None and after.code in self.parties
                and bool(re.fullmatch(r"(?:'s|’s)\s+(?:[\w-]+\s+)?", text[m.end - 2:after.start])))

    def _speaker(self, text: str, mentions: list[Mention], previous: Mention | None) -> Mention | None:
        people = [m for m in mentions if m.how == "person"]
        if people:
            return people[-1] if ATTRIBUTION.search(text) else people[0]
        if PRONOUN.match(text) and previous is not None:
            return previous
        return None

    def _look_around(self) -> None:
        """Talks, collapses and agreements whose sentence names no mediator take them from the
        nearest sentence that does ("Despite attempts by mediators from Türkiye and Qatar …"),
        the next and the one before first, then the second next and the second before."""
        sentences = self.article.sentences
        for found in self.found:
            reading = found.reading
            if not reading.look_around:
                continue
            i = found.sentence.number - 1
            for j in (i + 1, i - 1, i + 2, i - 2):
                if 0 <= j < len(sentences) and abs(sentences[j].paragraph - found.sentence.paragraph) <= 1:
                    named = mediators_named(sentences[j].text, self.mentions[j], self.parties)
                    if named:
                        reading.mediators = named
                        reading.why += f"; mediators {'+'.join(named)} from sentence {j + 1}"
                        break


#: what joins the two sides a headline or a lede names as one: "India and Pakistan",
#: "Congo, M23 rebels", "Russia and the United States", "Congo and the Rwanda-backed M23"
PAIR = re.compile(r"\s*(?:,|and|&|-|–|—|/|vs\.?)\s*(?:the\s+)?(?:[\w-]+-(?:backed|aligned|led)\s+)?")


def pair_in(text: str, found: list[Mention]) -> tuple[str, str] | None:
    """The first two actors a text names side by side as the subject of what it reports."""
    for a, b in zip(found, found[1:]):
        if a.code != b.code and PAIR.fullmatch(text[a.end:b.start]):
            return a.code, b.code
    return None


#: "between two and 17", "between 2019 and 2021": a range, not two sides
NUMBER_RANGE = re.compile(r"\s*(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\b)",
                          re.IGNORECASE)


def conflict_parties(article: Article, gazetteer: Gazetteer) -> list[str]:
    """The conflict an article is about: "between A and B" in the headline, else the first
    sentence saying so, else a heading that names exactly two actors (less those named as
    mediators: "… in talks mediated by Türkiye"), else the first pair a heading or the lede
    names side by side ("Somalia and Ethiopia agreed", "Kinshasa and Kigali")."""
    texts = [article.headline, *[s.text for s in article.sentences[:12]]]
    for text in texts:
        for m in re.finditer(r"\bbetween\b", text or ""):
            window = re.split(r"(?<![A-Z])\.|[;:(]|\s[—–-]\s", text[m.end():m.end() + 120])[0]
            if " and " not in window or side_cues.listed_places(window)  or NUMBER_RANGE.match(window):
                continue
            codes = list(dict.fromkeys(x.code for x in actors(gazetteer.find(window))))
            if len(codes) >= 2:
                article.conflict_how = f"“between{window[:60]}”"
                return codes[:2]
    lede = [s.text for s in article.sentences[:2]]
    for text in [*lede, *article.headings]:  # the lede first, so that its "DR Congo" tells the headline's "Congo"
        gazetteer.find(text)
    for text in [*article.headings, *lede]:
        found = side_cues.candidates(text, gazetteer.find(text))
        by = pt.first("mediator.by", text)
        if by:  # "… in talks mediated by Türkiye": the mediator is not a side
            found = [x for x in found if x.start < by.start()]
        codes = list(dict.fromkeys(x.code for x in found))
        if len(codes) == 2 and text in article.headings:
            article.conflict_how = "the headline's two sides"
            if aside := side_cues.set_aside(text, gazetteer.find(text), codes):
                article.conflict_how = f"the headline's two sides, leaving out {aside}"
            return codes
        if pair := pair_in(text, found):  # "Armenia and Azerbaijan initial peace deal at White House summit"
            article.conflict_how = f"the pair named in “{text[:60]}”"
            return list(pair)
        if text in lede and (pair := side_cues.lede_pair(text, found)):
            article.conflict_how = f"the two sides named together in “{text[:60]}”"
            return list(pair)
        if text in lede and (pair := side_cues.swap_pair(text, gazetteer.find(text))):
            article.conflict_how = f"the two sides of the exchange in “{text[:60]}”"
            return list(pair)
    return most_named(article, gazetteer)


def most_named(article: Article, gazetteer: Gazetteer) -> list[str]:
    """Sides never named together ("… without the Sudanese army"; "the Rapid Support Forces had
    sent a delegation"): the two armed groups the opening names, else the two actors it names
    most, at least twice each and more than any other, leaving out those it names as
    mediators ("co-hosted by Saudi Arabia and Switzerland")."""
    counts: dict[str, int] = {}
    mediators: set[str] = set()
    for text in [*article.headings, *[s.text for s in article.sentences[:4]]]:
        found = actors(gazetteer.find(text))
        mediators.update(mediators_named(text, found, set()) if AGENTIVE.search(text) else ())
        for m in side_cues.candidates(text, found):
            counts[m.code] = counts.get(m.code, 0) + 1
    sides = {c: n for c, n in counts.items() if c not in mediators}
    groups = sorted((c for c in sides if gazetteer.kind(c) == "armed-group"), key=lambda c: -sides[c])
    if len(groups) >= 2:
        article.conflict_how = "the armed groups its opening names"
        return groups[:2]
    ranked = sorted(sides.items(), key=lambda cn: -cn[1])
    if len(ranked) >= 2 and ranked[1][1] >= 2 and (len(ranked) == 2 or ranked[1][1] > ranked[2][1]):
        article.conflict_how = "the two actors its opening names most, a weak cue"
        return [ranked[0][0], ranked[1][0]]
    return []


#: a sentence that names its mediators as agents, for telling them from the sides
AGENTIVE = re.compile(r"\b(?:mediated|brokered|facilitated|hosted|co-hosted|convened|sponsored) by\b|\bmediators? (?:from|of)\b", re.I)


__all__ = ["Found", "Reader", "conflict_parties", "pt"]
