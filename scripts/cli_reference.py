"""Writes docs/cli.md, the command-line reference, from the commands' own `--help`.

    .venv/bin/python scripts/cli_reference.py          # rewrite docs/cli.md
    .venv/bin/python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is out of date

The test suite runs the check, so the reference cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from tracker.cli import cli

TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def walk(group: click.Group, path: list[str]) -> list[list[str]]:
    """Every command's path, depth first, in the order `--help` lists them."""
    ctx = click.Context(group, info_name=" ".join(path))
    found = [path]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        if isinstance(command, click.Group):
            found += walk(command, [*path, name])
        else:
            found.append([*path, name])
    return found


def reference() -> str:
    runner = CliRunner()
    parts = [
        "# Command-line reference\n",
        "Generated from each command's `--help` by `scripts/cli_reference.py`; do not edit by hand.\n",
    ]
    for path in walk(cli, []):
        result = runner.invoke(cli, [*path, "--help"], prog_name="tracker", terminal_width=100)
        if result.exit_code != 0:
            raise SystemExit(f"tracker {' '.join(path)} --help failed: {result.output}")
        title = " ".join(["tracker", *path])
        parts.append(f"## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def main() -> int:
    text = reference()
    if "--check" in sys.argv[1:]:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
