"""`tracker report`: the HTML report and the Markdown brief, each written whole."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.common import emit_json, open_store, write_whole
from tracker.cli.options import (
    OutputPath,
    as_of_option,
    conflict_key,
    known_at_option,
    parse_day,
    parse_instant,
    today,
    track_filter,
)
from tracker.report.ticks import shift

#: how far back a brief looks for "what changed" when --since is not given
DEFAULT_BRIEF_DAYS = 7


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md", "json"]), default=None,
    help="html (default; md when -o ends in .md): a self-contained page with a timeline "
    "picture; md: a brief to paste into a newsletter; json: the report's data.",
)
@click.option(
    "-o", "--output", type=OutputPath(dir_okay=False, allow_dash=True), default="-",
    show_default=True, help="Write to FILE (replaced whole, never half-written); - is stdout.",
)
@as_of_option
@known_at_option
@click.option("--conflict", metavar="C", help="Only the tracks of this conflict, e.g. AFG-PAK.")
@click.option(
    "--track", "tracks", metavar="T", multiple=True,
    help="Only this track (repeatable); its conflict's incidents and statements come along.",
)
@click.option(
    "--since", metavar="D",
    help="Report what changed from D itself to the as-of date; a month or a year means its "
    f"first day (2003 = from 1 Jan 2003). md: default {DEFAULT_BRIEF_DAYS} days before the "
    "as-of date; html: only when given.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.pass_context
def report(ctx, fmt, output, as_of, known_at, conflict, tracks, since, as_json):
    """A briefing: the HTML report with a timeline picture, or a Markdown brief.

    The HTML is one file that opens offline (styles inlined, the picture as inline SVG, no
    scripts): one lane per track with its status as coloured bands over time, a marker per
    development, the conflicts' incidents and statements on their own lanes, the as-of date as
    a line; then the status table, every development in date order with its sources and their
    Admiralty grades (retracted ones struck through, corrected ones marked), and a legend.

    \b
    Example:
      tracker report -o report.html
      tracker report --conflict AFG-PAK --as-of 2025-11-10 -o afg-pak.html
      tracker report --track IRN:AFG-PAK --known-at 2025-11-20 -o iran.html
      tracker report --format md --since 2025-11-01 > brief.md
    """
    from tracker.report.data import gather
    from tracker.report.render import html, markdown

    if as_json:
        fmt = "json"
    if fmt is None:
        fmt = "md" if output.lower().endswith((".md", ".markdown")) else "html"
    day = parse_day(as_of, "--as-of") or today()
    instant = parse_instant(known_at)
    since_day = parse_day(since, "--since", edge="start")
    track_filter(*tracks)
    if since_day is None and fmt == "md":
        since_day = shift(day, -DEFAULT_BRIEF_DAYS)
    with open_store(ctx, write=False) as store:
        directory = store.app.directory()
        data = gather(
            store.queries, as_of=day, known_at=instant, conflict=conflict_key(store, conflict),
            tracks=list(dict.fromkeys(tracks)) or None, since=since_day, name_of=directory.name_of,
        )
    if data.limited:
        click.echo(f"note: {data.limited}", err=True)
    if fmt == "json":
        if output == "-":
            emit_json(data.model_dump(mode="json"))
            return
        text = data.model_dump_json(indent=2) + "\n"
    else:
        text = html(data) if fmt == "html" else markdown(data)
    if output == "-":
        click.echo(text, nl=False)
        return
    write_whole(Path(output), text)
    lanes = sum(1 for lane in data.lanes if lane.kind == "track")
    click.echo(
        f"wrote {output}: {lanes} track{'s' * (lanes != 1)}, {len(data.developments)} "
        f"development{'s' * (len(data.developments) != 1)}, as of {day}",
        err=True,
    )


