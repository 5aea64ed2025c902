"""A thin layer over the read models' DB-API connection, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS tracker_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_position (name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_records (
        id TEXT PRIMARY KEY,
        position BIGINT NOT NULL,
        type TEXT NOT NULL,
        track TEXT,
        conflict TEXT,
        target TEXT,
        occurred_start TEXT,
        occurred_end TEXT,
        recorded_at TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS rm_records_track ON rm_records (track)",
    "CREATE INDEX IF NOT EXISTS rm_records_conflict ON rm_records (conflict)",
    "CREATE INDEX IF NOT EXISTS rm_records_target ON rm_records (target)",
    "CREATE INDEX IF NOT EXISTS rm_records_position ON rm_records (position)",
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

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(statement, params).fetchone()

    @contextmanager
    def write(self) -> Iterator[None]:
        """A transaction that holds the write lock from its first statement."""
        self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every query inside sees the same state."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")

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

    def ensure_schema(self, store_format: int) -> None:
        with self.write():
            for statement in SCHEMA:
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
