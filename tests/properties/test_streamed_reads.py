"""Whole-store output streamed from the index in occurred order gives exactly what the plain
queries give, sorting everything in memory: the same items, in the same order, ties and
corrections that move a development included (SPEC §4 order, §5 times, §6 output)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.models import json_text
from projections.stream import Streams
from tests.conftest import need_pg
from tests.properties.test_round_trip import BASE, fresh_store, history, step
from tracker.cli.root import Workspace

DAYS = [None, date(2025, 1, 31), date(2025, 2, 1), date(2025, 2, 2), date(2025, 2, 3)]


def plain_and_streamed(db: str, since: date | None, until: date | None,
                       known_at: datetime | None) -> tuple[list[Any], list[Any]]:
    store = Workspace(db).open(write=False)
    try:
        store.catch_up()
        queries, streams = store.queries, Streams(store.db)
        plain = [queries.timeline(since=since, until=until, known_at=known_at)]
        streamed = [list(streams.timeline(since=since, until=until, known_at=known_at))]
        if until is not None:
            replay = queries.replay(until=until, known_at=known_at)
            steps = streams.replay(until=until, known_at=known_at)
            plain.append([s.model_dump(mode="json") for s in replay.steps])
            streamed.append([s.model_dump(mode="json") for s in steps])
            plain.append([s.model_dump(mode="json") for s in replay.tracks])
            streamed.append([s.model_dump(mode="json") for s in steps.tracks()])
        return plain, streamed
    finally:
        store.close()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_streamed_timeline_and_replay_equal_the_plain_ones(backend, tmp_path_factory):
    if backend == "postgres":
        need_pg()

    @settings(max_examples=25 if backend == "sqlite" else 8, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(step, min_size=1, max_size=30), since=st.sampled_from(DAYS),
           until=st.sampled_from(DAYS), known=st.integers(0, 40) | st.none())
    def same(steps: list[tuple[str, int, int]], since: date | None, until: date | None,
             known: int | None) -> None:
        tmp = tmp_path_factory.mktemp("stream")
        like = "postgresql://" if backend == "postgres" else ""
        text = "".join(json.dumps(line) + "\n" for line in history(steps))
        known_at = None if known is None else BASE + timedelta(seconds=known)
        with fresh_store(like, tmp, "s") as cli:
            cli.json("import", "-", input=text)
            plain, streamed = plain_and_streamed(cli.db, since, until, known_at)
            assert streamed == plain

    same()


def test_the_commands_write_byte_for_byte_what_the_plain_queries_give(sqlite_cli):
    """What `timeline --json`, `replay --json` and `export --json` print in a pipe, streamed,
    is the plain answer as `--json` prints it, with corrections, retractions and ties."""
    steps = [("held", n % 3, 1 + n % 3) for n in range(12)] + [
        ("correct", 2, 3), ("retract", 4, 0), ("incident", 0, 2), ("correct", 7, 1), ("held", 1, 2)]
    sqlite_cli.json("import", "-", input="".join(json.dumps(line) + "\n" for line in history(steps)))
    store = Workspace(sqlite_cli.db).open(write=False)
    try:
        queries = store.queries
        timeline = json_text(queries.timeline())
        replay = json_text(queries.replay(until=date(2030, 1, 1)).model_dump(mode="json"))
        exported = json.dumps(list(queries.export()), ensure_ascii=False)
    finally:
        store.close()
    assert sqlite_cli.ok("timeline", "--json").stdout == timeline + "\n"
    assert sqlite_cli.ok("replay", "--until", "2030-01-01", "--json").stdout == replay + "\n"
    assert sqlite_cli.ok("export", "--json").stdout == exported + "\n"
    lines = sqlite_cli.ok("export").stdout.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(exported)


def test_an_empty_timeline_streams_as_an_empty_array(sqlite_cli):
    sqlite_cli.ok("actors", "add", "ELN", "--name", "National Liberation Army", "--kind", "armed-group")
    sqlite_cli.append("mediation-offered", "--mediators", "NOR", "--parties", "COL,ELN",
                      "--occurred", "2025-01-01", "--summary", "Norway offers.")
    assert sqlite_cli.json("timeline", "--until", "2024-12-31") == []
    assert sqlite_cli.json("replay", "--until", "2024-12-31") == {"steps": [], "tracks": []}
