#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the project and its test tools into
# .venv, starts a throwaway PostgreSQL cluster where the binaries exist (installing them on CI
# where they are missing), installs Chromium on CI where it is missing (the report is checked
# in a real headless browser), checks the import contracts, then runs pytest.
#   scripts/test.sh            # everything
#   scripts/test.sh -k import  # pytest arguments pass through
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv=${TRACKER_VENV:-$root/.venv}
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"

if [ ! -x /usr/bin/chromium ] && [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing Chromium" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] && [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing PostgreSQL" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi

if [ -n "$pgbin" ] && [ -z "${TRACKER_TEST_PG_URL:-}" ]; then
    pgdir=$(mktemp -d /tmp/tracker-pg.XXXXXX)
    chmod 755 "$pgdir"
    port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password=$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(12))')
    echo "$password" > "$pgdir/pwfile"
    as_pg=()
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres "$pgdir"
        as_pg=(runuser -u postgres --)
    fi
    stop_pg() {
        "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$pgdir"
    }
    trap stop_pg EXIT
    "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U tracker --pwfile="$pgdir/pwfile" \
        -A scram-sha-256 >/dev/null
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
        -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null
    export TRACKER_TEST_PG_URL="postgresql://tracker:$password@127.0.0.1:$port/postgres"
    echo "test.sh: throwaway PostgreSQL on 127.0.0.1:$port" >&2
fi
if [ "${CI:-}" = "true" ]; then
    export TRACKER_REQUIRE_PG=1   # on CI the PostgreSQL tests must run, never skip
fi

"$venv/bin/lint-imports" --no-cache
"$venv/bin/python" -m pytest "$@"
