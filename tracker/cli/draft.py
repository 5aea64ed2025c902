"""`tracker draft`: candidate developments from a dataset file, for a person to review and import.

It writes nothing to the store: it reads the actors and the conflict's tracks from the store
that `--db` names, when there is one, and drafts against the countries alone otherwise.
"""

from __future__ import annotations

import io
import os
import sys
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from events.errors import InvalidInput, StoreUnavailable
from tracker.cli.common import write_whole
from tracker.cli.options import parse_day

#: format → module with `read(handle, path, conflict, names, tally) -> candidates`
FORMATS = {
    "gdelt": "tracker.draft.gdelt",
    "acled": "tracker.draft.acled",
    "pax": "tracker.draft.pax",
}


def store_context(ctx: click.Context, conflict_text: str) -> Any:
    """The conflict with what the store knows of it; countries alone where no store exists."""
    from tracker.actors import ActorDirectory
    from tracker.cli.common import open_store
    from tracker.draft.shared import Conflict, KnownTrack, parse_conflict
    from tracker.store import StoreConfig

    config = StoreConfig.parse(ctx.find_root().obj)
    if config.exists():
        try:
            with open_store(ctx, write=False) as store:
                directory = store.app.directory()
                parties, proposed = parse_conflict(conflict_text, directory)
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
    parties, proposed = parse_conflict(conflict_text, directory)
    return Conflict(parties, directory, proposed=proposed)


@click.command()
@click.argument("file", metavar="FILE")
@click.option("--format", "fmt", required=True, type=click.Choice(sorted(FORMATS)),
              help="The dataset the file comes from.")
@click.option("--conflict", required=True, metavar="PARTIES",
              help="The conflict's parties: AFG-PAK, or Pakistan,Afghanistan; a party not "
              "registered yet as CODE=Name (PAK,TTP=Tehrik-i-Taliban Pakistan) is proposed "
              "as an armed group.")
@click.option("--since", metavar="D", help="Only rows that occurred on or after D.")
@click.option("--until", metavar="D", help="Only rows that occurred on or before D.")
@click.option("-o", "--output", metavar="OUT", help="Write the draft to OUT instead of stdout.")
@click.pass_context
def draft(ctx, file, fmt, conflict, since, until, output):
    """Draft candidate developments from a dataset file (`-` for stdin), as JSON lines to import.

    It writes actor registrations it proposes, then developments in occurred order, each
    citing its rows and graded (GDELT F3-F6 by the number of articles, ACLED B2/B3, PA-X
    agreements A1 and the offers they imply A3).
    Review and edit the draft, then `tracker import` it. Nothing is written to the store;
    with --db naming an existing store, candidates attach to its tracks and what it already
    holds is not drafted again. Rows dropped, by reason, and names that did not resolve are
    reported on stderr.

    \b
    Example:
      tracker draft 20251107.export.CSV --format gdelt --conflict AFG-PAK -o draft.jsonl
      tracker import draft.jsonl
      tracker draft acled.csv --format acled --conflict "AFG,TAL=Taliban" --since 2020-01
      tracker --db pak-afg.db draft pax.csv --format pax --conflict AFG-PAK -o agreements.jsonl
    """
    from tracker.draft.plan import Plan, checked, opened_first, registrations, write
    from tracker.draft.shared import Names, Tally, text_lines

    window = parse_day(since, "--since", edge="start"), parse_day(until, "--until")
    if window[0] and window[1] and window[0] > window[1]:
        raise InvalidInput(f"--since {since} is after --until {until}; swap them")
    if output and file != "-" and os.path.exists(output) and os.path.exists(file) \
            and os.path.samefile(output, file):
        raise InvalidInput(f"-o {output} is the file it reads; write the draft elsewhere")
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
    actors = len(context.proposed)
    if output:
        text = io.StringIO()
        write(lines, text)
        write_whole(Path(output), text.getvalue())
    else:
        write(lines, sys.stdout)
    for line in tally.lines(len(lines) - actors, actors):
        click.echo(line, err=True)
