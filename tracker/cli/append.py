"""`tracker append TYPE` and `tracker correct ID`: options generated from each type's fields."""

from __future__ import annotations

import json
import shlex
import sys
import typing
from typing import Any

import click

from events.errors import InvalidInput
from events.values import printable
from tracker.cli.common import emit_json, open_store
from tracker.cli.options import json_option
from tracker.validation import article as with_article

SKIP = {"recorded_at", "type", "sources"}

def option_help(info: Any) -> str:
    """An option's help: its field's description, and its examples as a shell would take them."""
    text = info.description or ""
    if info.examples:
        shown = ", ".join(shell_word(example) for example in info.examples)
        text = f"{text.rstrip('.')}, e.g. {shown}."
    return text


def shell_word(value: Any) -> str:
    """A field's value as one word of an `append` command line."""
    if isinstance(value, list):
        value = ",".join(value)
    elif isinstance(value, dict):
        value = json.dumps(value)
    return shlex.quote(str(value))


def example_line(cls: Any) -> str:
    """The options of a type's example, in the order it gives them."""
    words = []
    for name, value in cls.example.items():
        if name == "sources":
            words += [f"--source {shell_word(url)}" for url in value]
        else:
            words.append(f"--{name.replace('_', '-')} {shell_word(value)}")
    return " ".join(words)


def literal_values(annotation: Any) -> list[str]:
    """The allowed values of a Literal field (optional or not), for click's choices."""
    for candidate in [annotation, *typing.get_args(annotation)]:
        if typing.get_origin(candidate) is typing.Literal:
            return [str(v) for v in typing.get_args(candidate)]
    return []


def _is_list(annotation: Any) -> bool:
    args = [annotation, *typing.get_args(annotation)]
    return any(typing.get_origin(a) is list or a is list for a in args) or "list[" in str(annotation)


def field_options(cls: type, *, for_correction: bool = False) -> list[click.Option]:
    """One option per field of a development type, `_` written as `-`."""
    options = []
    for name, info in cls.model_fields.items():
        if name in SKIP or (for_correction and name == "recorded_by"):
            continue
        flag = "--" + name.replace("_", "-")
        help_text = option_help(info)
        choices = literal_values(info.annotation)
        if for_correction and name == "reason":
            # --reason is the correction's own reason; the development's field is --new-reason
            options.append(click.Option(["--new-reason", "reason_field"], metavar="TEXT",
                                        help="A new value for the development's own reason."))
        elif info.annotation is bool or str(info.annotation) == "bool":
            options.append(click.Option([f"{flag}/--no-{flag[2:]}", name], default=None,
                                        help=f"{help_text} (false with --no-{flag[2:]})".strip()))
        elif for_correction and name in ("id", "track"):
            # refused by a rule (exit 1): an id and a track never change
            options.append(click.Option([flag], hidden=True))
        elif choices and name != "fatalities":
            required = info.is_required() and not for_correction
            options.append(click.Option(
                [flag], type=click.Choice(choices),
                help=(help_text or f"One of {', '.join(choices)}.") + (" [required]" if required else ""),
            ))
        elif _is_list(info.annotation):
            options.append(
                click.Option(
                    [flag], multiple=True, metavar="CODES",
                    help=(help_text or "Comma-separated codes or names, or the option repeated."),
                )
            )
        elif name == "changes":
            options.append(click.Option([flag], metavar="JSON", help=help_text))
        else:
            required = info.is_required() and not for_correction
            options.append(
                click.Option([flag], metavar=name.upper(), help=help_text + (" [required]" if required else ""))
            )
    if "sources" in cls.model_fields:
        options.append(
            click.Option(["--source"], multiple=True, metavar="URL",
                         help="A source URL; repeat for more (full records via --from-json).")
        )
    return options


def collect(cls: type, params: dict[str, Any]) -> dict[str, Any]:
    """The JSON object the given options describe (only options that were given)."""
    data: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        value = params.get(name)
        if value is None or value == ():
            continue
        if _is_list(info.annotation):
            data[name] = [part.strip() for item in value for part in item.split(",") if part.strip()]
        elif name == "changes":
            from tracker.jsontext import json_error

            try:
                data[name] = json.loads(value)
            except (ValueError, RecursionError) as exc:
                raise InvalidInput(f"--changes: {json_error(exc)}") from None
        elif name in ("round",) or (name == "fatalities" and value.strip().lstrip("-").isdigit()):
            try:
                data[name] = int(value)
            except ValueError:
                raise InvalidInput(f"--{name}: '{value}' is not a whole number") from None
        else:
            data[name] = value
    if params.get("source"):
        data["sources"] = [{"url": url} for url in params["source"]]
    return data


def read_json_object(path: str) -> dict[str, Any]:
    """The JSON object in a file (or stdin for `-`), read as `import` reads a line."""
    from tracker.jsontext import MAX_LINE_BYTES, decode, loads, too_large

    where = "stdin" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_LINE_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_LINE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"--from-json: cannot read {where}: {exc.strerror}; check the path") from None
    if len(raw) > MAX_LINE_BYTES:
        raise InvalidInput(f"--from-json: {where} is {too_large()}")
    try:
        data = loads(decode(raw))
    except InvalidInput as exc:
        raise InvalidInput(f"--from-json: {where}: {exc.message}") from None
    if not isinstance(data, dict):
        raise InvalidInput("--from-json: give one JSON object with the development's fields")
    return data


def run_append(ctx: click.Context, data: dict[str, Any], as_json: bool) -> None:
    with open_store(ctx, write=True, catch_up=False) as store:
        outcome = store.app.append(data, store.locator())
        store.catch_up_after_write()
    if as_json:
        emit_json(outcome.as_json())
    else:
        click.echo(str(outcome.id))
        if outcome.duplicate:
            click.echo("already recorded: nothing new was stored", err=True)


def build_append_command(type_name: str) -> click.Command:
    from events.catalogue import DEVELOPMENT_TYPES

    cls = DEVELOPMENT_TYPES[type_name]

    @click.pass_context
    def callback(ctx: click.Context, from_json: str | None, as_json: bool, **params: Any) -> None:
        data = read_json_object(from_json) if from_json else {}
        if from_json and data.get("type", type_name) != type_name:
            held = data.get("type")
            held = printable(held) if isinstance(held, str) else repr(held)
            raise InvalidInput(f"--from-json holds {with_article(held)}, not {with_article(type_name)}")
        data.update(collect(cls, params))
        data["type"] = type_name
        run_append(ctx, data, as_json)

    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ and "Stored topics" not in cls.__doc__ else ""
    article = "an" if type_name[0] in "aeiou" else "a"
    help_text = (
        f"Record {article} {type_name} (CAMEO {cls.cameo}). {doc}\n\n"
        f"\b\nExample:\n  tracker append {type_name} {example_line(cls)}"
    )
    params: list[click.Parameter] = [
        *field_options(cls),
        click.Option(["--from-json"], metavar="FILE", help="Read the fields from a JSON object in FILE (- for stdin)."),
    ]
    command = click.Command(type_name, callback=callback, params=params, help=help_text)
    json_option(command)
    return command


class AppendGroup(click.Group):
    """Builds a type's subcommand only when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from events.catalogue import DEVELOPMENT_TYPES

        return list(DEVELOPMENT_TYPES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from events.catalogue import DEVELOPMENT_TYPES

        if cmd_name not in DEVELOPMENT_TYPES:
            return None
        return build_append_command(cmd_name)


@click.group(cls=AppendGroup, invoke_without_command=True)
@click.pass_context
def append(ctx: click.Context) -> None:
    """Record one development; `tracker append TYPE --help` lists its fields.

    \b
    Example:
      tracker append talks-held --track QAT+TUR:AFG-PAK --venue Doha \\
          --occurred 2025-10-18 --summary "First round in Doha."
      tracker append talks-held --from-json dev.json --json
    """
    if ctx.invoked_subcommand is None:
        from events.catalogue import DEVELOPMENT_TYPES

        raise click.UsageError(
            f"give a development type: one of {', '.join(DEVELOPMENT_TYPES)}; "
            "`tracker append TYPE --help` lists its fields"
        )


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("development_id", metavar="ID", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def correct(ctx: click.Context, development_id: str | None, args: tuple[str, ...]) -> None:
    """Correct fields of a recorded development: the same field options as its type's
    `append` (see `tracker correct ID --help`), plus --reason, the correction's reason; a
    development's own `reason` field is --new-reason. Acts in recorded time only.

    \b
    Example:
      tracker correct 3f2a9c1e --occurred 2025-10-18 --reason "Saturday was the 18th"
    """
    if development_id in ("-h", "--help"):
        click.echo(ctx.get_help())
        ctx.exit(0)
    if development_id is None:
        raise click.UsageError("Missing argument 'ID': give the id (or its first 8 characters)", ctx)
    from events.catalogue import DEVELOPMENT_TYPES

    with open_store(ctx, write=False) as store:
        full = store.queries.resolve_id(development_id)
        kind = store.queries.show(full).development["type"]
    cls = DEVELOPMENT_TYPES[kind]
    params = [
        *field_options(cls, for_correction=True),
        click.Option(["--reason"], required=True, help="Why the values change."),
        click.Option(["--json", "as_json"], is_flag=True, help="Print JSON on stdout."),
    ]
    sub = click.Command(
        f"correct {kind}",
        params=params,
        callback=lambda **kw: kw,
        help=f"Correct fields of the {kind} {full}; give only the fields that change.\n\n"
        f"\b\nExample:\n  tracker correct {full[:8]} --occurred 2025-10-18 --reason 'weekday'",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    with sub.make_context(f"tracker correct {development_id}", list(args)) as sub_ctx:
        values = sub.invoke(sub_ctx)
    field_reason = values.pop("reason_field", None)
    changes = collect(cls, {k: v for k, v in values.items() if k != "reason"})
    if field_reason is not None:
        changes["reason"] = field_reason
    if not changes:
        raise InvalidInput(f"give at least one field to change, e.g. --occurred; see `tracker correct {development_id} --help`")
    data = {"type": "correction", "target": full, "changes": changes, "reason": values["reason"]}
    run_append(ctx, data, values["as_json"])
