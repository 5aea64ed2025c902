"""A thin layer over the read models' DB-API connection, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS tracker_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_position (name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_records (
        position INTEGER PRIMARY KEY,  -- the log position (BIGINT on PostgreSQL)
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        track TEXT,
        conflict TEXT,
        target TEXT,
        occurred_start TEXT,
        occurred_end TEXT,
        recorded_at TEXT NOT NULL,
        body TEXT  -- the record's JSON where it differs from the stored event's (old versions)
    )""",
    # one index serves both a conflict's records and a track's (`conflict=? AND track=?`: a
    # track belongs to one conflict); stores made before 2026-11 also have one on (track)
    "CREATE INDEX IF NOT EXISTS rm_records_conflict ON rm_records (conflict, track)",
    "CREATE INDEX IF NOT EXISTS rm_records_target ON rm_records (target) WHERE target IS NOT NULL",
    """CREATE TABLE IF NOT EXISTS rm_actors (
        code TEXT PRIMARY KEY, position BIGINT NOT NULL, body TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS rm_tracks (
        key TEXT PRIMARY KEY,
        folded TEXT NOT NULL,
        conflict TEXT NOT NULL,
        parties TEXT NOT NULL,
        state TEXT,
        max_end TEXT,
        dirty INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX IF NOT EXISTS rm_tracks_folded ON rm_tracks (folded)",
]

READ_MODEL_TABLES = ("rm_records", "rm_actors", "rm_tracks", "rm_position")


class ReadModelDB:
    """Runs `?`-style SQL on SQLite or PostgreSQL; one write transaction at a time."""

    def __init__(self, conn: Any, dialect: str):
        self.conn = conn
        self.dialect = dialect
        self.join_log("stored_events")

    def join_log(self, events_table: str) -> None:
        """Name the library's table of stored events: rm_records keeps a record's JSON only
        where it differs from the stored event's, so reads join the log by position."""
        if self.dialect == "sqlite":
            position, state = f"{events_table}.rowid", f"{events_table}.state"
        else:
            position = f"{events_table}.notification_id"
            state = f"convert_from({events_table}.state, 'UTF8')"
        self.records = f"rm_records JOIN {events_table} ON {position} = rm_records.position"
        self.stored_event = f"{events_table}.topic, {events_table}.state"
        self.body = f"COALESCE(rm_records.body, {state})"

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.dialect == "postgres" else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.sql(statement), params)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.dialect == "postgres":
            with self.conn.cursor() as cur:
                cur.executemany(self.sql(statement), rows)
        else:
            self.conn.executemany(statement, rows)

    def all(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(statement, params).fetchall())

    def stream(self, statement: str, params: Sequence[Any] = (), size: int = 500) -> Iterator[tuple[Any, ...]]:
        """The rows of a query a few hundred at a time, never all of them in memory (on
        PostgreSQL through a server-side cursor, inside a transaction of its own)."""
        if self.dialect == "postgres":
            with self.conn.transaction(), self.conn.cursor(name="tracker_stream") as cur:
                cur.itersize = size
                cur.execute(self.sql(statement), params)
                yield from cur
            return
        cursor = self.conn.execute(statement, params)
        while rows := cursor.fetchmany(size):
            yield from rows

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(statement, params).fetchone()

    @contextmanager
    def write(self) -> Iterator[None]:
        """A transaction that holds the write lock from its first statement; inside another
        one it is part of that one (a rebuild commits whole or not at all)."""
        if getattr(self, "writing", False):
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        self.writing = True
        try:
            yield
        except BaseException:
            self.writing = False
            with suppress(Exception):  # after a failed write the rollback may fail too
                self.conn.execute("ROLLBACK")
            raise
        self.writing = False
        self.conn.execute("COMMIT")

    @contextmanager
    def initialising(self) -> Iterator[None]:
        """Serialise the creation of a new store's tables between processes."""
        if self.dialect != "postgres":
            yield
            return
        self.conn.execute("SELECT pg_advisory_lock(7312001)")
        try:
            yield
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(7312001)")

    def ensure_schema(self, store_format: int, found: Callable[[Any, str], int | None]) -> None:
        """Create the tables of a new store; drop the read models of an older format (the
        next catch-up rebuilds them from the log). `found` reads the store's format from a
        connection of this dialect, inside the transaction that holds the write lock."""
        with self.write():
            if found(self.conn, self.dialect) not in (None, store_format):
                for table in READ_MODEL_TABLES:
                    self.execute(f"DROP TABLE IF EXISTS {table}")
                self.execute("UPDATE tracker_meta SET value=? WHERE key='store_format'",
                             (str(store_format),))
            for statement in SCHEMA:
                if self.dialect == "postgres":
                    statement = statement.replace("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY")
                self.execute(statement)
            self.execute(
                "INSERT INTO tracker_meta (key, value) VALUES ('store_format', ?) "
                "ON CONFLICT (key) DO NOTHING",
                (str(store_format),),
            )
            self.execute(
                "INSERT INTO rm_position (name, position) VALUES ('records', 0) "
                "ON CONFLICT (name) DO NOTHING"
            )

    def close(self) -> None:
        self.conn.close()
