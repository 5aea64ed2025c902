"""News articles → candidate developments (`tracker draft ARTICLE.txt --format text`).

Rule-based and deterministic: the article is cut into sentences (`article`), each sentence's
actors are found through the country data, the store's registry and the article's own
introductions of officials (`mentions`), its date expressions resolved against the day of
publication (`dates`), and the patterns of `patterns.toml` say what it states (`rules`).
Readings of the same development are merged and dated (`reader`, `compose`); placing them on
tracks and checking them is the same path every dataset draft takes (`tracker.draft.plan`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from events.actors import Actor
from events.errors import InvalidInput
from tracker.actors import ActorDirectory
from tracker.draft.shared import Candidate, Conflict, Names, Tally, clip, parse_conflict
from tracker.draft.text.article import MAX_CHARS, Article, parse
from tracker.draft.text.compose import Meta, bystanders, candidates, held, merged, within_offers
from tracker.draft.text.mentions import Gazetteer
from tracker.draft.text.reader import Reader, conflict_parties

__all__ = ["Meta", "load", "parties_of", "draft_article"]


def load(path: str) -> Article:
    """The article at path (`-`: stdin), refused with one clear message where it is not text."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_CHARS * 4 + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_CHARS * 4 + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}; check the path") from None
    where = "stdin" if path == "-" else path
    if b"\x00" in data:
        raise InvalidInput(f"{where} is a binary file, not an article; give the article as UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{where} is not UTF-8 text; save the article as UTF-8 and draft again") from None
    if len(text) > MAX_CHARS:
        raise InvalidInput(f"{where} is longer than {MAX_CHARS:,} characters, more than an article; "
                           "draft its relevant part")
    article = parse(text)
    if not article.sentences:
        raise InvalidInput(f"{where} holds no sentences to draft from; give the article's text")
    return article


def parties_of(article: Article, conflict_text: str | None) -> Callable[[ActorDirectory], tuple[tuple[str, ...], list[Actor]]]:
    """How the conflict is told once the store's directory is known: --conflict where given,
    else from the article ("between A and B")."""

    def told(directory: ActorDirectory) -> tuple[tuple[str, ...], list[Actor]]:
        if conflict_text:
            return parse_conflict(conflict_text, directory)
        proposed: list[Actor] = []
        codes = conflict_parties(article, Gazetteer(directory, proposed))
        if len(codes) < 2:
            raise InvalidInput("cannot tell the conflict's parties from the article (no \"between A and B\" "
                               "in its headline or first sentences); give --conflict, e.g. AFG-PAK")
        return tuple(sorted(codes)), proposed

    return told


def draft_article(article: Article, conflict: Conflict, names: Names, meta: Meta,
                  tally: Tally) -> tuple[list[Candidate], list[str]]:
    """The candidates an article states, and the lines that tell a reviewer why each was drafted
    and which sentences were skipped."""
    gazetteer = Gazetteer(conflict.directory, conflict.proposed)
    reader = Reader(article, gazetteer, conflict.parties, meta.published)
    drafts, aside = bystanders(merged(reader.run()), conflict.parties)
    for d in aside:
        reader.skipped.append((d.found.sentence, f"a statement by {d.found.reading.fields['actor']}, "
                                                 "neither a party nor a mediator"))
    within_offers(drafts)
    cands = []
    for cand in candidates(drafts, conflict.parties, meta, lambda code: short_name(code, names)):
        if (dev := held(cand, conflict.recorded)) is not None:
            tally.refused[f"{cand.type}: the store already has it ({dev['id'][:8]}, {dev['occurred']['start']})"] += 1
        else:
            cands.append(cand)
    used = {str(v) for c in cands for v in _values(c)}
    conflict.proposed[:] = [a for a in conflict.proposed if a.code in used or a.code in conflict.parties]
    report = [f"sentences read: {len(article.sentences)}; conflict {conflict.key}"
              + (f" (from {article.conflict_how}: give --conflict if that is wrong)" if article.conflict_how else "")
              + (f"; headline: {clip(article.headline, 80)}" if article.headline else "")]
    for d in sorted(drafts, key=lambda d: d.found.sentence.number):
        f = d.found
        also = f" (also sentences {', '.join(map(str, sorted(d.also)))})" if d.also else ""
        report.append(f"  sentence {f.sentence.number}: {f.reading.type} {f.when.occurred}: {f.reading.why}{also}")
        report.append(f"    “{clip(f.sentence.text, 160)}”")
    for sentence, why in reader.skipped:
        report.append(f"  sentence {sentence.number} skipped ({why}): “{clip(sentence.text, 140)}”")
    return cands, report


def short_name(code: str, names: Names) -> str:
    """"Russia" rather than "Russian Federation", for summaries."""
    from tracker.countries import countries, label

    return label(code) if code in countries() else names.name(code)


def _values(cand: Candidate) -> list[Any]:
    out: list[Any] = []
    for value in cand.fields.values():
        out.extend(value if isinstance(value, list) else [value])
    if cand.place and cand.place[0] == "mediators":
        out.extend(cand.place[1])
    if cand.opens_with is not None:
        out.extend(_values(cand.opens_with))
    return out
