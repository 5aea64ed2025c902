"""`tracker draft`: candidate developments from a dataset file, for a person to review and import.

It writes nothing to the store: it reads the actors and the conflict's tracks from the store
that `--db` names, when there is one, and drafts against the countries alone otherwise.
"""

from __future__ import annotations

import io
import os
import sys
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from events.errors import InvalidInput, StoreUnavailable
from tracker.cli.common import write_whole
from tracker.cli.options import parse_day, today

#: format → module with `read(handle, path, conflict, names, tally) -> candidates`
FORMATS = {
    "gdelt": "tracker.draft.gdelt",
    "acled": "tracker.draft.acled",
    "pax": "tracker.draft.pax",
}


def store_context(ctx: click.Context, conflict_text: str, parties_of: Any = None) -> Any:
    """The conflict with what the store knows of it; countries alone where no store exists.
    `parties_of(directory)` tells the parties where --conflict does not (an article's text)."""
    from tracker.actors import ActorDirectory
    from tracker.cli.common import open_store
    from tracker.draft.shared import Conflict, KnownTrack, parse_conflict
    from tracker.store import StoreConfig

    if parties_of is None:
        def parties_of(directory):
            return parse_conflict(conflict_text, directory)

    config = StoreConfig.parse(ctx.find_root().obj)
    if config.exists():
        try:
            with open_store(ctx, write=False) as store:
                directory = store.app.directory()
                parties, proposed = parties_of(directory)
                key = "-".join(parties)
                states = store.queries.status(None, as_of=date.max, conflict=key)
                recorded = store.queries.timeline(conflict=key)
            tracks = {s.track: KnownTrack(s.track, tuple(s.parties), set(s.mediators)) for s in states}
            return Conflict(parties, directory, tracks, recorded, proposed)
        except StoreUnavailable as exc:
            if not exc.message.startswith("no tracker store"):
                raise
    click.echo(f"no store at {config.display}: drafting against the countries alone", err=True)
    directory = ActorDirectory()
    parties, proposed = parties_of(directory)
    return Conflict(parties, directory, proposed=proposed)


def sniff(path: str) -> str:
    """The format of a file given without --format: a dataset's by its first line (GDELT's
    tab-separated rows, ACLED's or PA-X's header), else a news article."""
    if path == "-":
        return "text"
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").lower()
    except OSError:
        return "text"
    if head.count("\t") >= 56:
        return "gdelt"
    columns = {c.strip().strip('"') for c in head.split(",")}
    if {"event_id_cnty", "event_type"} <= columns or {"data_id", "event_type"} <= columns:
        return "acled"
    if {"agtid", "thrdpart"} <= columns:
        return "pax"
    return "text"


@click.command()
@click.argument("file", metavar="FILE")
@click.option("--format", "fmt", type=click.Choice(sorted([*FORMATS, "text"])),
              help="What the file is: a dataset (gdelt, acled, pax) or a news article (text). "
              "Default: a dataset recognised by its first line, else text.")
@click.option("--conflict", metavar="PARTIES",
              help="The conflict's parties: AFG-PAK, or Pakistan,Afghanistan; a party not "
              "registered yet as CODE=Name (PAK,TTP=Tehrik-i-Taliban Pakistan) is proposed "
              "as an armed group. Required for datasets; for an article, read from its "
              "\"between A and B\" where not given.")
@click.option("--since", metavar="D", help="Only rows that occurred on or after D.")
@click.option("--until", metavar="D", help="Only rows that occurred on or before D.")
@click.option("--published", metavar="DAY", help="An article's publication day (YYYY-MM-DD), "
              "against which its dates (\"on Monday\", \"earlier this month\") are resolved.")
@click.option("--url", metavar="URL", help="An article's address, cited in each source.")
@click.option("--outlet", metavar="NAME", help="An article's outlet, cited in each source.")
@click.option("-o", "--output", metavar="OUT", help="Write the draft to OUT instead of stdout.")
@click.pass_context
def draft(ctx, file, fmt, conflict, since, until, published, url, outlet, output):
    """Draft candidate developments from a dataset file or a news article (`-` for stdin),
    as JSON lines to import.

    It writes actor registrations it proposes, then developments in occurred order, each
    citing its rows and graded (GDELT F3-F6 by the number of articles, ACLED B2/B3, PA-X
    agreements A1 and the offers they imply A3; an article C3, C2 where it names its source).
    From an article, each development quotes its sentence, and stderr tells why each was
    drafted and which sentences naming mediation or two actors gave nothing.
    Review and edit the draft, then `tracker import` it. Nothing is written to the store;
    with --db naming an existing store, candidates attach to its tracks and what it already
    holds is not drafted again. Rows dropped, by reason, and names that did not resolve are
    reported on stderr.

    \b
    Example:
      tracker draft article.txt --published 2025-11-18 --url https://example.org/a -o draft.jsonl
      tracker draft 20251107.export.CSV --format gdelt --conflict AFG-PAK -o draft.jsonl
      tracker import draft.jsonl
      tracker draft acled.csv --format acled --conflict "AFG,TAL=Taliban" --since 2020-01
      tracker --db pak-afg.db draft pax.csv --format pax --conflict AFG-PAK -o agreements.jsonl
    """
    from tracker.draft.plan import write

    fmt = fmt or sniff(file)
    if output and file != "-" and os.path.exists(output) and os.path.exists(file) \
            and os.path.samefile(output, file):
        raise InvalidInput(f"-o {output} is the file it reads; write the draft elsewhere")
    if fmt == "text":
        if since or until:
            raise InvalidInput("--since and --until are for datasets; an article is drafted whole")
        lines, report = draft_text(ctx, file, conflict, published, url, outlet)
    else:
        lines, report = draft_dataset(ctx, file, fmt, conflict, since, until, published, url, outlet)
    if output:
        text = io.StringIO()
        write(lines, text)
        write_whole(Path(output), text.getvalue())
    else:
        write(lines, sys.stdout)
    for line in report:
        click.echo(line, err=True)


def draft_dataset(
    ctx, file, fmt, conflict, since, until, published, url, outlet
) -> tuple[list[dict[str, Any]], list[str]]:
    """The lines drafted from a dataset file (GDELT, ACLED, PA-X), and what to tell the reviewer."""
    from tracker.draft.plan import Plan, checked, opened_first, registrations
    from tracker.draft.shared import Names, Tally, text_lines

    if published or url or outlet:
        raise InvalidInput(f"--published, --url and --outlet are for an article, not --format {fmt}; "
                           "leave them out")
    if not conflict:
        raise InvalidInput(f"--format {fmt} needs --conflict; e.g. --conflict AFG-PAK")
    window = parse_day(since, "--since", edge="start"), parse_day(until, "--until")
    if window[0] and window[1] and window[0] > window[1]:
        raise InvalidInput(f"--since {since} is after --until {until}; swap them")
    context = store_context(ctx, conflict)
    context.since, context.until = window
    tally = Tally()
    names = Names(context.directory, tally)
    handle = text_lines(file)
    try:
        candidates = import_module(FORMATS[fmt]).read(handle, file, context, names, tally)
    finally:
        if file != "-":
            handle.close()
    placed = Plan(context, tally).place(candidates)
    lines = registrations(context) + opened_first(checked(placed, context, tally), context, tally)
    report = tally.lines(len(lines) - len(context.proposed), len(context.proposed))
    return lines, report


def draft_text(ctx, file, conflict, published, url, outlet) -> tuple[list[dict[str, Any]], list[str]]:
    """The lines drafted from a news article, and what to tell the reviewer."""
    from tracker.draft.plan import Plan, checked, opened_first, registrations
    from tracker.draft.shared import Names, Tally
    from tracker.draft.text import Meta, draft_article, load, parties_of

    if not published:
        raise InvalidInput("an article needs --published DAY (YYYY-MM-DD), against which its dates are "
                           "resolved; e.g. --published 2025-11-18")
    day = parse_day(published, "--published")
    if day is not None and day > today() + timedelta(days=1):  # UTC+14 is a day ahead at most
        raise InvalidInput(f"--published: {published} is in the future; give the day the article "
                           "was published")
    if url is not None and not url.startswith(("http://", "https://")):
        raise InvalidInput(f"--url '{url[:80]}' is not an http(s) address; give the article's URL")
    article = load(file)
    context = store_context(ctx, conflict or "", parties_of(article, conflict))
    tally = Tally()
    names = Names(context.directory, tally)
    # a source needs a url or an outlet: the headline, else the file, names the article
    named = f"'{article.headline[:180]}'" if article.headline else "an article on stdin" if file == "-" \
        else f"the article in {Path(file).name[:150]}"
    meta = Meta(published=day, url=url, outlet=outlet or named)
    candidates, report = draft_article(article, context, names, meta, tally)
    placed = Plan(context, tally).place(candidates)
    developments = opened_first(checked(placed, context, tally), context, tally)
    lines = registrations(context) + developments
    for reason, n in sorted(tally.refused.items()):
        report.append(f"  candidate not drafted ({n}): {reason}")
    actors = f", {len(context.proposed)} actor registrations" if context.proposed else ""
    report.append(f"candidates: {len(developments)} developments{actors}")
    return lines, report
