"""An article's text as a headline, a dateline and paragraphs of sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: the most characters of text drafted from one article (a long feature is about 30,000)
MAX_CHARS = 500_000
#: a "sentence" longer than this is not prose (a table, a dump) and is cut into pieces
MAX_SENTENCE = 1_500

SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
# a full stop after these ends an abbreviation or an initial, not a sentence
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Sen|Rep|Gov|No|vs|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|U\.S|U\.N)|\b[A-Z])\.$")
# "ISLAMABAD:", "OHRID, North Macedonia (AP) —", "NEW DELHI/ISLAMABAD (Reuters) -", "LUANDA, July 31 (AFP) -"
DATELINE = re.compile(r"^([A-Z][A-Z .'/-]{2,40}?)(?:,\s*[A-Z][A-Za-z .]+?)?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
                      r"\s*(?:\([^)]*\))?\s*[:—–-]\s+")
BOILERPLATE = re.compile(r"^(?:you may also like|read more|related|advertisement|share this|follow us)\b", re.I)


@dataclass
class Sentence:
    text: str
    paragraph: int
    number: int  # 1-based, in the article


@dataclass
class Article:
    headline: str = ""
    dateline: str = ""
    #: short lines without a full stop: the headline, a kicker, subheads
    headings: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    #: how the conflict was told from the text, where --conflict did not say
    conflict_how: str = ""


def sentences_of(paragraph: str) -> list[str]:
    pieces: list[str] = []
    for piece in SPLIT.split(paragraph):
        if pieces and (ABBREVIATION.search(pieces[-1]) or pieces[-1].count("“") > pieces[-1].count("”")):
            pieces[-1] += " " + piece
        else:
            pieces.append(piece)
    out = []
    for piece in pieces:
        piece = piece.strip()
        while len(piece) > MAX_SENTENCE:
            cut = piece.rfind(" ", 0, MAX_SENTENCE)
            cut = cut if cut > 0 else MAX_SENTENCE
            out.append(piece[:cut])
            piece = piece[cut:].strip()
        if piece:
            out.append(piece)
    return out


def parse(text: str) -> Article:
    """Paragraphs are one a line; short lines without a full stop are headings, the first of
    them the headline; a leading `CITY:` or `CITY, Country —` is the dateline."""
    article = Article()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs: list[str] = []
    for line in lines:
        if not line or BOILERPLATE.match(line):
            continue
        if len(line) < 120 and not line.endswith((".", "”", '"', "!", "?", ":")):
            article.headline = article.headline or line
            article.headings.append(line)
            continue
        paragraphs.append(line)
    number = 0
    for index, paragraph in enumerate(paragraphs):
        if m := DATELINE.match(paragraph):
            article.dateline = article.dateline or m[1].strip().title()
            paragraph = paragraph[m.end():]
        for piece in sentences_of(paragraph):
            number += 1
            article.sentences.append(Sentence(piece, index, number))
    return article
