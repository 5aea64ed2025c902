"""Read commands: status, replay, diff, timeline, show, export, rebuild, schema."""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Any

import click

from events.errors import InvalidInput
from projections.models import json_text
from projections.stream import Streams
from tracker.cli.common import (
    clip,
    emit_json,
    open_store,
    output_error,
    status_table,
    table,
)
from tracker.cli.options import (
    OutputPath,
    as_of_option,
    conflict_key,
    json_option,
    known_at_option,
    parse_day,
    parse_instant,
    today,
    track_filter,
)
from tracker.report.dates import occurred_label
from tracker.report.style import grade


@click.command()
@click.argument("tracks", nargs=-1, metavar="[TRACK]...")
@as_of_option
@known_at_option
@click.option("--conflict", metavar="C", help="Only tracks of this conflict, e.g. AFG-PAK.")
@json_option
@click.pass_context
def status(ctx, tracks, as_of, known_at, conflict, as_json):
    """The state of each mediation track (SPEC §4), sorted by track key.

    \b
    Example:
      tracker status
      tracker status IRN:AFG-PAK --as-of 2025-11-01 --json
      tracker status --conflict AFG-PAK --known-at 2025-11-20T12:00:00Z
    """
    day = parse_day(as_of, "--as-of") or today()
    instant = parse_instant(known_at)
    track_filter(*tracks)
    with open_store(ctx, write=False) as store:
        wanted, key = list(tracks) or None, conflict_key(store, conflict)
        if as_json and instant is None and not sys.stdout.isatty():  # compact: as cached
            text = store.queries.status_text(wanted, as_of=day, conflict=key)
            if text is not None:
                click.echo(text)
                return
        states = store.queries.status(wanted, as_of=day, known_at=instant, conflict=key)
    if as_json:
        emit_json([s.model_dump(mode="json") for s in states])
    elif states:
        click.echo(status_table(states))
        if any(s.uncertain for s in states):
            click.echo("? uncertain: a development dated as an interval may or may not have "
                       "happened by then", err=True)
    else:
        known = f", as known at {instant.isoformat()}" if instant else ""
        click.echo(f"no tracks as of {day.isoformat()}{known}", err=True)


@click.command()
@click.option("--until", required=True, metavar="DATE", help="Replay developments up to DATE.")
@click.option("--track", metavar="T", help="Only this track's steps.")
@known_at_option
@json_option
@click.pass_context
def replay(ctx, until, track, known_at, as_json):
    """Step through developments up to a date in occurred order, with the track's status.

    \b
    Example:
      tracker replay --until 2025-11-16
      tracker replay --until 2025-10-31 --track QAT+TUR:AFG-PAK --json
    """
    day = parse_day(until, "--until")
    track_filter(track)
    instant = parse_instant(known_at)
    with open_store(ctx, write=False) as store:
        if as_json and not track and not sys.stdout.isatty():  # the whole store: streamed
            steps = Streams(store.db).replay(until=day, known_at=instant)
            sys.stdout.write('{"steps": [')
            write_items((s.model_dump(mode="json") for s in steps), sys.stdout)
            sys.stdout.write('], "tracks": [')
            write_items((s.model_dump(mode="json") for s in steps.tracks()), sys.stdout)
            sys.stdout.write("]}\n")
            return
        result = store.queries.replay(until=day, track=track, known_at=instant)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    rows = []
    for step in result.steps:
        dev = step.development
        rows.append(
            [
                occurred_label(dev["occurred"]),
                dev["type"],
                dev.get("track") or "-".join(dev.get("parties") or []),
                step.track_state.status if step.track_state else "",
                clip(dev["summary"], 60),
            ]
        )
    click.echo(table(["DATE", "TYPE", "TRACK/CONFLICT", "STATUS AFTER", "SUMMARY"], rows))
    if result.tracks:
        click.echo()
        click.echo(status_table(result.tracks))


@click.command()
@click.option("--from", "start", required=True, metavar="D1", help="Status before (a date).")
@click.option("--to", "end", required=True, metavar="D2", help="Status after (a date).")
@click.option("--track", "tracks", metavar="T", multiple=True, help="Only this track (repeatable).")
@click.option("--conflict", metavar="C", help="Only tracks of this conflict, e.g. AFG-PAK.")
@known_at_option
@json_option
@click.pass_context
def diff(ctx, start, end, tracks, conflict, known_at, as_json):
    """What changed between two dates: each track with developments in (D1, D2].

    \b
    Example:
      tracker diff --from 2025-10-20 --to 2025-11-20
      tracker diff --from 2025-10-20 --to 2025-11-20 --conflict AFG-PAK
      tracker diff --from 2025-10-20 --to 2025-11-20 --track IRN:AFG-PAK --json
    """
    d1, d2 = parse_day(start, "--from"), parse_day(end, "--to")
    if d1 > d2:  # type: ignore[operator]
        raise InvalidInput("--from is after --to; give the earlier date first")
    instant = parse_instant(known_at)
    track_filter(*tracks)
    with open_store(ctx, write=False) as store:
        result = store.queries.diff(start=d1, end=d2, known_at=instant,
                                    tracks=list(dict.fromkeys(tracks)) or None,
                                    conflict=conflict_key(store, conflict))
    if as_json:
        emit_json([d.model_dump(mode="json") for d in result])
        return
    rows = [[d.track, d.from_status or "(new)", d.to_status, len(d.developments)] for d in result]
    click.echo(table(["TRACK", "FROM", "TO", "DEVELOPMENTS"], rows))


@click.command()
@click.option("--track", metavar="T", help="Only this track.")
@click.option("--conflict", metavar="C", help="Only this conflict (tracks and incidents).")
@click.option("--actor", metavar="A", help="Only developments naming this actor or its tracks.")
@click.option("--since", metavar="D", help="Occurred on or after D.")
@click.option("--until", metavar="D", help="Occurred on or before D.")
@known_at_option
@json_option
@click.pass_context
def timeline(ctx, track, conflict, actor, since, until, known_at, as_json):
    """Developments in occurred order with their sources; retracted ones marked.

    \b
    Example:
      tracker timeline --conflict AFG-PAK --since 2025-10-01
      tracker timeline --actor Iran --json
    """
    since_day = parse_day(since, "--since", edge="start")
    until_day = parse_day(until, "--until")
    if since_day and until_day and since_day > until_day:
        raise InvalidInput(f"--since {since} is after --until {until}; swap them")
    if actor is not None and not actor.strip():
        raise InvalidInput("--actor is empty; give a code such as PAK or a name")
    track_filter(track)
    whole = not (track or conflict or actor or since or until)  # the whole log: checked first
    instant = parse_instant(known_at)
    with open_store(ctx, write=False, check=whole) as store:
        if as_json and not (track or conflict or actor) and not sys.stdout.isatty():
            sys.stdout.write("[")  # the whole store, streamed
            write_items(Streams(store.db).timeline(since=since_day, until=until_day, known_at=instant),
                        sys.stdout)
            sys.stdout.write("]\n")
            return
        actor_code = store.app.directory().resolve(actor) if actor else None
        devs = store.queries.timeline(
            track=track,
            conflict=conflict_key(store, conflict),
            actor=actor_code,
            since=since_day,
            until=until_day,
            known_at=instant,
        )
    if as_json:
        emit_json(devs)
        return
    rows = []
    for dev in devs:
        mark = " (retracted)" if dev["retracted"] else (" (corrected)" if dev["corrected"] else "")
        grades = ",".join(sorted({g for g in (grade(s) for s in dev["sources"]) if g}))
        rows.append(
            [
                label(dev["occurred"]),
                dev["id"][:8],
                dev["type"] + mark,
                dev.get("track") or "-".join(dev.get("parties") or []),
                clip(dev["summary"], 56),
                f"{len(dev['sources'])} {grades}".strip(),
            ]
        )
    click.echo(table(["OCCURRED", "ID", "TYPE", "TRACK/CONFLICT", "SUMMARY", "SOURCES"], rows))


def write_items(items: Any, handle: Any, dumps: Any = json_text) -> None:
    """The items of a JSON array, each as `--json` prints it, separated as `json.dumps`
    separates them, written a hundred at a time."""
    chunk: list[str] = []
    first = True
    for item in items:
        chunk.append(dumps(item))
        if len(chunk) == 100:
            handle.write(("" if first else ", ") + ", ".join(chunk))
            chunk, first = [], False
    if chunk:
        handle.write(("" if first else ", ") + ", ".join(chunk))


def label(occurred: dict) -> str:
    from events.values import FuzzyDate

    return FuzzyDate.model_validate(occurred).label()


@click.command()
@click.argument("development_id", metavar="ID")
@known_at_option
@json_option
@click.pass_context
def show(ctx, development_id, known_at, as_json):
    """One development as recorded, its sources, corrections, retraction and current values.

    ID may be a unique prefix of at least 8 characters, as tables show.

    \b
    Example:
      tracker show 3f2a9c1e
      tracker show 3f2a9c1e-... --json
    """
    instant = parse_instant(known_at)
    with open_store(ctx, write=False) as store:
        full = store.queries.resolve_id(development_id)
        shown = store.queries.show(full, instant)
    if as_json:
        emit_json(shown.model_dump(mode="json"))
        return
    cur = shown.current
    click.echo(f"{cur['type']}  {cur['id']}")
    click.echo(f"occurred:  {label(cur['occurred'])}" + (f"  ({cur['occurred_note']})" if cur.get("occurred_note") else ""))
    skip = {"type", "id", "occurred", "occurred_note", "sources", "retracted", "corrected", "summary"}
    click.echo(f"summary:   {cur['summary']}")
    for key, value in cur.items():
        if key not in skip and value not in (None, [], {}):
            click.echo(f"{key + ':':<10} {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}")
    for source in cur["sources"]:
        where = " ".join(str(p) for p in (source.get("url"), source.get("outlet")) if p)
        published = f" (published {label(source['published'])})" if source.get("published") else ""
        click.echo(f"source:    {where}  {grade(source)}{published}".rstrip())
        if source.get("quote"):
            click.echo(f"           “{source['quote']}”")
    for fix in shown.corrections:
        click.echo(f"corrected: {fix['recorded_at']}  {json.dumps(fix['changes'], ensure_ascii=False)}  ({fix['reason']})")
    if shown.retraction:
        click.echo(f"RETRACTED: {shown.retraction['recorded_at']}  ({shown.retraction['reason']})")


@click.command()
@as_of_option
@known_at_option
@click.option("-o", "--output", type=OutputPath(dir_okay=False, writable=True, allow_dash=True),
              help="Write to FILE instead of stdout (- is stdout).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of JSON lines.")
@click.pass_context
def export(ctx, as_of, known_at, output, as_json):
    """Write the registered actors, then every development, as JSON lines in log order.

    \b
    Example:
      tracker export > pak-afg.jsonl
      tracker --db other.db import pak-afg.jsonl
    """
    day = parse_day(as_of, "--as-of")
    instant = parse_instant(known_at)
    output = None if output == "-" else output
    if not output and sys.stdout is None:
        raise InvalidInput("stdout is closed; give -o FILE or redirect the output to a file")
    with open_store(ctx, write=False, check=True) as store:
        try:
            handle = open(output, "w", encoding="utf-8") if output else sys.stdout
        except OSError as exc:
            raise output_error(output, exc) from None
        try:
            records = store.queries.export(as_of=day, known_at=instant)
            if as_json and handle.isatty():
                json.dump(list(records), handle, ensure_ascii=False, indent=2)
                handle.write("\n")
            elif as_json:  # written as it goes, as json.dump would write it whole
                handle.write("[")
                write_items(records, handle, dumps=lambda r: json.dumps(r, ensure_ascii=False))
                handle.write("]\n")
            lines: list[str] = []
            for record in [] if as_json else records:
                lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                if len(lines) == 500:  # a write per line costs a system call each, unbuffered
                    handle.write("".join(lines))
                    lines = []
            handle.write("".join(lines))
            if output:
                handle.close()
        except OSError as exc:
            if output:
                raise output_error(output, exc) from None
            raise
        finally:
            if output and not handle.closed:
                with contextlib.suppress(OSError):  # already refused above
                    handle.close()


@click.command()
@json_option
@click.pass_context
def rebuild(ctx, as_json):
    """Drop the read models and rebuild them from the event log; the result is identical.

    \b
    Example:
      tracker rebuild
    """
    with open_store(ctx, write=False, catch_up=False, check=True) as store:
        applied = store.projector().rebuild()
    if as_json:
        emit_json({"events": applied})
    else:
        click.echo(f"rebuilt the read models from {applied} events", err=True)


@click.command()
@click.argument("type_name", metavar="[TYPE]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Accepted for symmetry: the schema is JSON.")
@click.pass_context
def schema(ctx, type_name, as_json):
    """The JSON Schema of a development type, or of all of them. Needs no store.

    \b
    Example:
      tracker schema talks-held
    """
    from events.catalogue import DEVELOPMENT_TYPES, json_schema

    if type_name is not None and type_name not in DEVELOPMENT_TYPES:
        raise InvalidInput(
            f"unknown type '{type_name}'; choose one of: {', '.join(DEVELOPMENT_TYPES)}"
        )
    emit_json(json_schema(type_name))
