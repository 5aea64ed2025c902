"""The command line: a thin click layer; the one place where errors become exit codes.

Commands are imported only when invoked, so `tracker --version` and `--help` stay quick.
"""

from __future__ import annotations

import os
import sys
import traceback
from importlib import import_module
from typing import Any

import click

from tracker import __version__
from tracker.cli.errors import INTERNAL_ERROR, one_line, translate  # noqa: F401 - INTERNAL_ERROR is public

#: command name → (module:function, short help), loaded lazily
COMMANDS = {
    "append": ("tracker.cli.append:append", "Record one development."),
    "import": ("tracker.cli.write:import_cmd", "Record developments from a JSON-lines file."),
    "export": ("tracker.cli.read:export", "Write actors and developments as JSON lines."),
    "status": ("tracker.cli.read:status", "The state of each mediation track."),
    "replay": ("tracker.cli.read:replay", "Step through developments up to a date."),
    "diff": ("tracker.cli.read:diff", "What changed between two dates."),
    "timeline": ("tracker.cli.read:timeline", "Developments in occurred order with sources."),
    "show": ("tracker.cli.read:show", "One development, its corrections and retraction."),
    "correct": ("tracker.cli.append:correct", "Correct fields of a recorded development."),
    "retract": ("tracker.cli.write:retract", "Retract a recorded development."),
    "actors": ("tracker.cli.write:actors", "List or register actors."),
    "demo": ("tracker.cli.write:demo", "Record the seed case and print the status table."),
    "rebuild": ("tracker.cli.read:rebuild", "Rebuild the read models from the event log."),
    "schema": ("tracker.cli.read:schema", "The JSON Schema of the development types."),
    "report": ("tracker.cli.report:report", "An HTML report with a timeline, or a Markdown brief."),
    "draft": ("tracker.cli.draft:draft", "Draft developments from GDELT, ACLED or PA-X files, to review."),
}


class LazyGroup(click.Group):
    """Loads a command's module only when that command runs (or its help is asked for)."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attr = self.lazy[cmd_name][0].partition(":")
            return getattr(import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.lazy[name][1]) for name in sorted(self.lazy)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class TrackerGroup(LazyGroup):
    """Turns every error into one `Error:` line and the exit code of SPEC §6."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Bytes that are not UTF-8 reach argv as lone surrogates, which no store can hold.
        for arg in args:
            if any(0xD800 <= ord(c) <= 0xDFFF for c in arg):
                raise click.UsageError(
                    f"the argument {arg!r} is not valid UTF-8 text; retype it", ctx
                )
            # no shell passes one, but a program may, and PostgreSQL text cannot hold it
            if "\x00" in arg:
                raise click.UsageError(f"the argument {arg!r} holds a NUL character; remove it", ctx)
        return super().parse_args(ctx, args)

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise one_line(exc) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # the reader stopped early (`tracker export | head`): not an error of ours
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the one place errors become exit codes
            code, message, details = translate(exc)
            if os.environ.get("TRACKER_DEBUG") == "1":
                traceback.print_exc()
            click.echo(f"Error: {message}", err=True)
            for line in details:
                click.echo(f"  {line}", err=True)
            ctx.exit(code)








@click.group(
    cls=TrackerGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    envvar="TRACKER_DB",
    default="./tracker.db",
    show_default=True,
    metavar="PATH|URL",
    help="SQLite file, or postgresql://user[:password]@host[:port]/dbname "
    "(password also from PGPASSWORD). Env: TRACKER_DB.",
)
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """Record and query diplomatic mediation efforts, event-sourced.

    \b
    Example:
      tracker demo
      tracker status --as-of 2025-11-01
      tracker append mediation-offered --mediators Iran --parties PAK,AFG \\
          --occurred 2025-10-28 --summary "Iran offers to mediate."
    """
    ctx.obj = db


def main() -> None:
    cli.main(prog_name="tracker")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
