"""PostgreSQL URLs (SPEC §6): parsed as libpq parses them, parameters honoured or refused, and
a URL that does not parse is exit 2 without a word of it echoed."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import Cli
from tests.integration.test_store_faults import needs_catching_up, opened_store
from tests.integration.test_unusable_stores import closed_port

APPEND = ("append", "talks-held", "--track", "QAT:COD-RWA", "--occurred", "2025-04-01", "--summary", "Round one.")


@pytest.mark.parametrize("url, secret", [
    ("postgresql://tb@[::1:5432/x", "[::1"),
    ("postgresql://postgres:2024/Hunter2@127.0.0.1/db", "Hunter2"),
    ("postgresql://postgres:Hunt@r2@127.0.0.1/db", "r2@127"),
    ("postgresql://postgres:pw@127.0.0.1:65536/db", "pw@"),
    ("postgresql://postgres:pw@127.0.0.1/db?nosuchparam=Hunter2", "Hunter2"),
])
def test_a_url_that_does_not_parse_is_exit_2_and_never_echoed(url, secret):
    for args in (("status",), APPEND):
        result = Cli(url)(*args)
        assert result.exit_code == 2, (url, result.stderr)
        assert secret not in result.stderr + result.stdout
        assert "does not parse" in result.stderr


@pytest.mark.parametrize("query, named", [
    ("sslmode=bogus", "sslmode"),
    ("target_session_attrs=whatever", "target_session_attrs"),
    ("connect_timeout=soon", "connect_timeout"),
])
def test_an_invalid_parameter_value_is_exit_2_naming_the_parameter(query, named):
    error = Cli(f"postgresql://tracker:s3cret@127.0.0.1:{closed_port()}/db?{query}").fails(2, "status")
    assert named in error and "s3cret" not in error


@pytest.mark.postgres
def test_the_host_and_port_parameters_are_honoured(pg_url):
    error = Cli(f"{pg_url}?host=127.0.0.1&port={closed_port()}").fails(3, "status")
    assert "cannot be reached" in error


@pytest.mark.postgres
def test_sslmode_require_against_a_server_without_tls_is_exit_3_naming_ssl(pg_url):
    error = Cli(f"{pg_url}?sslmode=require").fails(3, *APPEND)
    assert "SSL" in error


@pytest.mark.postgres
def test_options_reach_both_the_log_and_the_read_model_connections(pg_url):
    opened_store(Cli(pg_url))
    before = Cli(pg_url).ok("export").stdout
    read_only = Cli(f"{pg_url}?options={quote('-c default_transaction_read_only=on')}")
    [state] = read_only.json("status")
    assert state["track"] == "QAT:COD-RWA"
    assert "read-only" in read_only.fails(3, *APPEND)
    assert Cli(pg_url).ok("export").stdout == before  # refused by the library's own insert
    needs_catching_up(pg_url)
    assert "read-only" in read_only.fails(3, "status")  # the read models' catch-up
    Cli(pg_url).ok("status")


@pytest.mark.postgres
def test_application_name_reaches_the_server(pg_url):
    import psycopg

    cli = Cli(f"{pg_url}?application_name=tracker-url-test")
    opened_store(cli)
    # a session's own name, as the server saw it, through the store's connection settings
    from tracker.store import StoreConfig

    config = StoreConfig.parse(f"{pg_url}?application_name=tracker-url-test")
    with psycopg.connect(**config.connect_args()) as conn:
        assert conn.execute("SHOW application_name").fetchone()[0] == "tracker-url-test"
        assert conn.execute("SHOW lock_timeout").fetchone()[0] == "10s"
