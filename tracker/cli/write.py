"""Write commands: import, retract, actors, demo."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click

from events.errors import InvalidInput, RuleViolation, TrackerError
from tracker.cli.append import run_append
from tracker.cli.common import emit_json, open_store, status_table, table
from tracker.cli.options import json_option, today
from tracker.jsontext import JsonLines

#: how many bad lines an import names (the rest are counted): the first few show what is
#: wrong with a file, and a file of bad lines would otherwise print megabytes
SHOWN_ERRORS = 20


def run_import(store: Any, lines: Any, *, show_progress: bool, batch: int | None = None) -> Any:
    """Import from a callable that yields (line number, object) pairs."""
    locate = store.locator()
    bar = None
    if show_progress:
        bar = click.progressbar(length=lines.count, label="importing", file=sys.stderr)
        bar.__enter__()
    try:
        importer = store.importer(**({"batch_size": batch} if batch else {}))
        report = store.app.import_records(lines, locate, importer, bar.update if bar else None)
    finally:
        if bar:
            bar.__exit__(None, None, None)
    if report.errors:
        malformed = any(err.exit_code == 2 for _, err in report.errors)
        details = [f"line {n}: {err.message}" for n, err in report.errors[:SHOWN_ERRORS]]
        if len(report.errors) > SHOWN_ERRORS:
            details.append(f"… and {len(report.errors) - SHOWN_ERRORS:,} more bad lines")
        error_cls = InvalidInput if malformed else RuleViolation
        raise error_cls(
            f"{len(report.errors)} of {lines.count} lines are invalid; nothing was recorded",
            details,
        )
    store.catch_up_after_write()
    return report


@click.command("import")
@click.argument("file", metavar="FILE")
@click.option("--batch", type=click.IntRange(min=1), metavar="N",
              help="Lines written per transaction (default 50,000; at most 10,000 on PostgreSQL); "
                   "smaller batches hold the store's write lock for less time at once, larger "
                   "ones write faster.")
@json_option
@click.pass_context
def import_cmd(ctx: click.Context, file: str, batch: int | None, as_json: bool) -> None:
    """Record a JSON-lines file (- for stdin), one development a line, as `export` writes.

    The whole file is validated first: if any line is invalid nothing is stored and every
    bad line is reported. It is then written in batches of one transaction each; lines
    already recorded are skipped, so running the same file again completes it exactly once.

    \b
    Example:
      tracker import pak-afg.jsonl
      tracker export | tracker --db copy.db import - --batch 10000
    """
    lines = JsonLines(file)
    if lines.count == 0:
        lines.close()
        click.echo(f"{file} holds no lines: nothing to import", err=True)
        if as_json:
            emit_json({"recorded": 0, "actors": 0, "duplicates": 0, "batches": 0})
        return
    try:
        with open_store(ctx, write=True, catch_up=False) as store:
            report = run_import(store, lines, show_progress=sys.stderr.isatty() and lines.count > 200,
                                batch=batch)
    finally:
        lines.close()
    summary = {
        "recorded": report.recorded,
        "actors": report.actors,
        "duplicates": report.duplicates,
        "batches": report.batches,
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"recorded {report.recorded} developments and {report.actors} actors; "
            f"skipped {report.duplicates} already recorded",
            err=True,
        )


@click.command()
@click.argument("development_id", metavar="ID")
@click.option("--reason", required=True, help="Why it no longer counts.")
@json_option
@click.pass_context
def retract(ctx: click.Context, development_id: str, reason: str, as_json: bool) -> None:
    """Retract a development: it stays in history, marked, but no longer counts.

    \b
    Example:
      tracker retract 3f2a9c1e --reason "duplicate of the Dawn report"
    """
    with open_store(ctx, write=False) as store:
        full = store.queries.resolve_id(development_id)
    run_append(ctx, {"type": "retraction", "target": full, "reason": reason}, as_json)


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout (with no subcommand).")
@click.pass_context
def actors(ctx: click.Context, as_json: bool) -> None:
    """List or register actors (organisations, armed groups …); countries are known.

    \b
    Example:
      tracker actors add TTP --name "Tehrik-i-Taliban Pakistan" --alias "Pakistani Taliban" --kind armed-group
      tracker actors list --json
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_actors, as_json=as_json)


@actors.command("list")
@click.option("--countries", is_flag=True, help="Also list the ISO 3166 countries.")
@json_option
@click.pass_context
def list_actors(ctx: click.Context, countries: bool = False, as_json: bool = False) -> None:
    """List registered actors (and with --countries, every known country).

    \b
    Example:
      tracker actors list --countries
    """
    with open_store(ctx, write=False) as store:
        found = [
            {"code": a["code"], "name": a["name"], "aliases": a["aliases"], "kind": a["kind"]}
            for a in store.queries.actors()
        ]
    if countries:
        from tracker.actors import countries as known

        found += [a.model_dump() for a in known().values()]
    if as_json:
        emit_json(found)
    else:
        click.echo(table(["CODE", "NAME", "KIND", "ALIASES"], [
            [a["code"], a["name"], a["kind"], ", ".join(a["aliases"][:4])] for a in found
        ]))
        if countries:
            from tracker.countries import AMBIGUOUS

            shared = ", ".join(f"{name} ({' or '.join(codes)})" for name, codes in AMBIGUOUS.items())
            click.echo(f"names several countries go by need the code or the full name: {shared}; "
                       "former countries (Zaire, USSR …) need one of their successors", err=True)


@actors.command("add")
@click.argument("code")
@click.option("--name", required=True, help="The actor's usual English name.")
@click.option("--alias", multiple=True, help="Another name it is known by; repeatable.")
@click.option(
    "--kind",
    type=click.Choice(["organisation", "armed-group", "movement", "government-body", "person", "other"]),
    default="organisation",
    show_default=True,
)
@json_option
@click.pass_context
def add_actor(ctx: click.Context, code: str, name: str, alias: tuple[str, ...], kind: str, as_json: bool) -> None:
    """Register an actor under a code (2–16 upper-case letters, digits or _).

    \b
    Example:
      tracker actors add UN --name "United Nations" --alias UNO
    """
    data = {"type": "actor-registered", "code": code, "name": name, "aliases": list(alias), "kind": kind}
    with open_store(ctx, write=True, catch_up=False) as store:
        outcome = store.app.append(data, store.locator())
        store.catch_up_after_write()
    if as_json:
        emit_json({"code": code, "name": name, "duplicate": outcome.duplicate})
    elif outcome.duplicate:
        click.echo(f"{code} is already registered as '{name}': nothing changed", err=True)
    else:
        click.echo(code)


class DemoLines:
    def __init__(self, records: list[dict[str, Any]]):
        self.records = records
        self.count = len(records)

    def __call__(self) -> Iterator[tuple[int, Any]]:
        return iter(enumerate(self.records, start=1))


@click.command()
@json_option
@click.pass_context
def demo(ctx: click.Context, as_json: bool) -> None:
    """Record the seed case (Pakistan–Afghanistan, late 2025) and print the status table.

    Running it again records nothing new.

    \b
    Example:
      tracker --db demo.db demo
    """
    from tracker.demo import demo_lines

    lines = DemoLines(demo_lines())
    with open_store(ctx, write=True, catch_up=False) as store:
        report = run_import(store, lines, show_progress=False)
        states = store.queries.status(as_of=today())
    click.echo(
        f"demo: recorded {report.recorded} developments and {report.actors} "
        f"actor{'' if report.actors == 1 else 's'} "
        f"({report.duplicates} already recorded)",
        err=True,
    )
    if as_json:
        emit_json([s.model_dump(mode="json") for s in states])
    else:
        click.echo(status_table(states))


__all__ = ["TrackerError", "actors", "demo", "import_cmd", "retract"]
