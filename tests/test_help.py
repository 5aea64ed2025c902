"""Every command documents itself with an example (CONVENTIONS habit 8)."""

from __future__ import annotations

import click
from click.testing import CliRunner

from tracker.cli import cli


def walk(command, ctx, path):
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            yield from walk(sub, click.Context(sub, parent=ctx, info_name=name), [*path, name])


def test_every_command_has_help_with_an_example():
    root = click.Context(cli, info_name="tracker")
    seen = 0
    for path, command in walk(cli, root, []):
        seen += 1
        assert command.help and "Example" in command.help, path
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Example" in result.output, path
    assert seen > 25


def test_version_needs_no_store():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "tracker" in result.output
