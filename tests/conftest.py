"""Fixtures: a real SQLite file per test, a fresh database on a real PostgreSQL server
(started by scripts/test.sh), and the real CLI through click's CliRunner."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from tracker.cli import cli

PG_URL = os.environ.get("TRACKER_TEST_PG_URL")

# No example database: a run's outcome depends on its own seed, never on examples saved by
# another run. On CI (CI set) the examples are also derandomized, so a red build
# replays exactly; HYPOTHESIS_PROFILE picks a profile by name.
settings.register_profile("dev", database=None, print_blob=True)
settings.register_profile("ci", database=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def need_pg() -> None:
    """Skip a PostgreSQL test without a server, except where one is required (CI): fail there."""
    if not PG_URL:
        if os.environ.get("TRACKER_REQUIRE_PG") == "1":
            pytest.fail("TRACKER_REQUIRE_PG=1 but no PostgreSQL server: TRACKER_TEST_PG_URL is unset")
        pytest.skip("no PostgreSQL server (scripts/test.sh starts one where the binaries exist)")


def _pg_database() -> Iterator[str]:
    need_pg()
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(PG_URL)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty database on the throwaway PostgreSQL server."""
    yield from _pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A new store on each backend: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "tracker.db")
    else:
        yield from _pg_database()


def assert_no_crash(code: int | None, stderr: str, args: Any = ()) -> None:
    """Fails the test on a crash: the internal-error exit code, a traceback, or the word
    "internal" (SPEC §6: nothing a user can type reaches the crash code)."""
    assert code in (0, 1, 2, 3), (args, code, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr, (args, stderr)


class Cli:
    """Runs the real CLI against one store; stdout and stderr kept apart."""

    def __init__(self, db: str):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        result = self.runner.invoke(cli, ["--db", self.db, *args], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert_no_crash(result.exit_code, result.stderr, args)
        return result

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self(*args, input=input)
        assert result.exit_code == 0, result.stderr
        return result

    def json(self, *args: str, input: str | None = None) -> Any:
        return json.loads(self.ok(*args, "--json", input=input).stdout)

    def fails(self, code: int, *args: str, input: str | None = None) -> str:
        """Run a command that must fail with `code`; returns its `Error:` line."""
        result = self(*args, input=input)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, result.stderr
        assert "Traceback" not in result.stderr
        return errors[0]

    def append(self, kind: str, *args: str) -> dict[str, Any]:
        return self.json("append", kind, *args)

    def snapshot(self) -> tuple[str, str]:
        """What a refused command must leave as it was: the log and the states."""
        return self.ok("export").stdout, self.ok("status", "--json").stdout


@pytest.fixture
def sqlite_cli(tmp_path: Any) -> Cli:
    return Cli(str(tmp_path / "tracker.db"))


@pytest.fixture
def any_cli(store_url: str) -> Cli:
    """The CLI on a new store, once per backend."""
    return Cli(store_url)


@pytest.fixture
def iran(any_cli: Cli) -> Cli:
    """A store on each backend holding Iran's offer to mediate between Afghanistan and Pakistan."""
    any_cli.append("mediation-offered", "--mediators", "Iran", "--parties", "PAK,AFG",
                   "--occurred", "2025-10-28", "--summary", "Iran offers to mediate.")
    return any_cli


def import_errors_both_ways(path: Any, folder: Any) -> list[list[tuple[int, str, str]]]:
    """The errors of importing a file read fast (each line's bytes validated as JSON text) and
    read decoded (each line parsed first), each into a new store: (line, error class, message)."""
    from tracker.cli.root import Workspace
    from tracker.jsontext import JsonLines, decode_line

    raw = JsonLines(str(path))

    def decoded() -> list[tuple[int, Any]]:
        return [(n, decode_line(data) if isinstance(data, bytes) else data) for n, data in raw()]

    outcomes: list[list[tuple[int, str, str]]] = []
    for lines in (raw, decoded):
        store = Workspace(str(folder / f"both-ways-{len(outcomes)}.db")).open(write=True)
        try:
            report = store.app.import_records(lines, store.locator(), store.importer())
        finally:
            store.close()
        outcomes.append([(n, type(e).__name__, e.message) for n, e in report.errors])
    return outcomes
