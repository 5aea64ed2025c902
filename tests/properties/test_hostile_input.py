"""Random and adversarial input (hypothesis): every command either succeeds, or fails with
exit 1, 2 or 3 and one `Error:` line, and a failed command leaves the store as it was."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Cli, _pg_database

KEY = "TUR:RUS-UKR"
HELD = {"type": "talks-held", "track": KEY, "venue": "Istanbul", "occurred": "2025-05-16", "summary": "Talks."}
OPTIONS = ["--track", "--occurred", "--summary", "--venue", "--party", "--response", "--parties",
           "--mediators", "--source", "--id", "--kind", "--fatalities", "--round", "--scheduled-for"]
TYPES = ["talks-held", "mediation-response", "mediation-offered", "incident-reported", "talks-scheduled"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "2025-02-30", "9999-12-31..0001-01-01", "-1", "1e309", "NaN", "Türkiye",
                     "\u202eKABUL", "\x00", "' OR 1=1 --", "PAK,,AFG", "https://", "a" * 5000,
                     "00000000-0000-0000-0000-000000000000", "\ud800"]),
)


def mutated_lines():
    field = st.sampled_from(list(HELD) + ["id", "recorded_at", "sources", "extra"])
    return st.one_of(
        json_values.map(json.dumps),
        st.tuples(field, json_values).map(lambda fv: json.dumps({**HELD, fv[0]: fv[1]})),
        st.text(max_size=60),
    )


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path_factory):
    if request.param == "sqlite":
        yield from make_store(str(tmp_path_factory.mktemp("hostile") / "tracker.db"))
    else:
        for url in _pg_database():
            yield from make_store(url)


def make_store(url):
    cli = Cli(url)
    cli.ok("append", "mediation-offered", "--mediators", "TUR", "--parties", "RUS,UKR",
           "--occurred", "2025-05-01", "--summary", "Türkiye offers to host talks.")
    yield cli


def check(cli: Cli, *args: str, input: str | None = None) -> None:
    before = (cli.ok("export").stdout, cli.ok("status", "--json").stdout)
    result = cli(*args, input=input)
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:
        assert any(line.startswith("Error: ") for line in result.stderr.splitlines()), result.stderr
        assert (cli.ok("export").stdout, cli.ok("status", "--json").stdout) == before


settings_ = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@settings_
@given(st.lists(mutated_lines(), min_size=1, max_size=5))
def test_import_of_hostile_json_lines(store, lines):
    check(store, "import", "-", input="\n".join(lines) + "\n")


@settings_
@given(st.sampled_from(TYPES), st.lists(st.tuples(st.sampled_from(OPTIONS), hostile_text), max_size=6))
def test_append_with_hostile_option_values(store, kind, options):
    args = [part for pair in options for part in pair]
    check(store, "append", kind, *args)


@settings_
@given(hostile_text, hostile_text)
def test_queries_with_hostile_dates_and_names(store, date_text, name):
    for args in (["status", "--as-of", date_text], ["status", "--known-at", date_text],
                 ["timeline", "--actor", name], ["timeline", "--conflict", name], ["show", name],
                 ["replay", "--until", date_text], ["status", name]):
        result = store(*args)
        assert result.exit_code in (0, 1, 2, 3), (args, result.stderr)
        assert "Traceback" not in result.stderr


short_settings = settings(max_examples=15, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
hostile_day = st.one_of(hostile_text, st.sampled_from(
    ["0001-01-01", "0000-01-01", "9999-12-31", "2025-02-30", "1900-01-01", "2100-12-31",
     "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "2025-05", "2025"]))


def first_id(cli: Cli) -> str:
    return json.loads(cli.ok("timeline", "--json").stdout)[0]["id"]


@short_settings
@given(hostile_day, hostile_day, hostile_text)
def test_reports_diffs_and_exports_with_hostile_dates_and_names(store, day, other, name):
    before = store.ok("export").stdout
    for args in (["report", "--as-of", day], ["report", "--format", "md", "--since", day, "--as-of", other],
                 ["report", "--json", "--known-at", day, "--conflict", name], ["report", "--track", name],
                 ["diff", "--from", day, "--to", other], ["diff", "--from", "2025-01-01", "--to", day, "--known-at", other],
                 ["export", "--as-of", day], ["export", "--known-at", day], ["timeline", "--since", day, "--until", other]):
        result = store(*args)  # read commands: the store is compared once, below
        if result.exit_code:
            assert any(line.startswith("Error: ") for line in result.stderr.splitlines()), result.stderr
    assert store.ok("export").stdout == before


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(OPTIONS + ["--new-reason", "--reason"]), hostile_text), max_size=4),
       hostile_text)
def test_correct_and_retract_with_hostile_values(store, options, reason):
    target = first_id(store)
    check(store, "correct", target, *[part for pair in options for part in pair], "--reason", reason or "r")
    check(store, "correct", reason, "--summary", "x", "--reason", "r")
    check(store, "retract", reason, "--reason", "r")


@short_settings
@given(hostile_text, hostile_text, st.lists(hostile_text, max_size=3),
       st.sampled_from(["organisation", "armed-group", "person"]))
def test_actors_add_with_hostile_codes_names_and_aliases(store, code, name, aliases, kind):
    args = ["actors", "add", code, "--name", name, "--kind", kind]
    for alias in aliases:
        args += ["--alias", alias]
    result = store(*args)
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.stderr)
    if result.exit_code:
        assert any(line.startswith("Error: ") for line in result.stderr.splitlines()), result.stderr
