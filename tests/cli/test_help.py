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


def test_the_cli_reference_in_docs_is_generated_from_the_help_as_it_is():
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "cli_reference.py"
    spec = importlib.util.spec_from_file_location("cli_reference", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.reference(), (
        "docs/cli.md is out of date: run .venv/bin/python scripts/cli_reference.py"
    )
