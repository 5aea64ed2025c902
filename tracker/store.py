"""The one place where `--db` / `TRACKER_DB` becomes the library's settings.

A SQLite path or a `postgresql://` URL. The store is checked before the library touches it:
the library would create a missing file, add its tables to a foreign database, and report a
junk file or an unreachable server with a raw error.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from events.errors import InvalidInput, StoreUnavailable

#: the store layout this code writes; a store with a higher one is refused
#: 2: rm_records keyed by log position, keeping a record's JSON only where the log's differs
STORE_FORMAT = 2
SQLITE_HEADER = b"SQLite format 3\x00"
CREATE_HINT = "`tracker demo` or `tracker append` creates one"


@dataclass(frozen=True)
class StoreConfig:
    """Where the store is; `display` never contains a password."""

    kind: str
    display: str
    path: Path | None = None
    host: str = "localhost"
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    lock_timeout: float = 10.0

    @classmethod
    def parse(cls, value: str) -> StoreConfig:
        if value.startswith(("postgresql://", "postgres://")):
            parts = urlsplit(value)
            if not parts.path.strip("/"):
                raise InvalidInput(
                    "the PostgreSQL URL names no database; use "
                    "postgresql://user[:password]@host[:port]/dbname"
                )
            try:
                port = parts.port or 5432
            except ValueError:
                raise InvalidInput("the PostgreSQL URL has an invalid port") from None
            user = unquote(parts.username or "") or os.environ.get("PGUSER", "") or "postgres"
            password = unquote(parts.password or "") or os.environ.get("PGPASSWORD", "")
            host = parts.hostname or "localhost"
            dbname = unquote(parts.path.strip("/"))
            return cls(
                kind="postgres",
                display=f"postgresql://{user}@{host}:{port}/{dbname}",
                host=host,
                port=port,
                user=user,
                password=password,
                dbname=dbname,
            )
        if "://" in value:
            raise InvalidInput(
                f"unsupported store URL scheme in '{value.split('://')[0]}://'; use a SQLite "
                "file path or postgresql://user@host/dbname"
            )
        path = Path(value).expanduser()
        return cls(kind="sqlite", display=str(path), path=path)

    # -- library settings --------------------------------------------------------------
    def env(self, *, create_tables: bool = True) -> dict[str, str]:
        """The library's settings, passed explicitly so no app-prefixed variable wins.

        On PostgreSQL the tables are created only by the first writer (under an advisory
        lock): several processes creating them at once fail with "tuple concurrently updated".
        """
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.path),
                "SQLITE_LOCK_TIMEOUT": str(int(self.lock_timeout)),
                "APPLICATION_RECORDER_TOPIC": "tracker.recorder:IndexingSQLiteRecorder",
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": str(int(self.lock_timeout)),
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "2",
            # The library's insert function does not lock the events table, so notification
            # ids could commit out of order and a catch-up skip an event; its plain insert
            # locks the table and keeps ids in commit order.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "CREATE_TABLE": "y" if create_tables else "n",
        }

    # -- checks ------------------------------------------------------------------------
    def prepare(self, *, write: bool) -> int | None:
        """Refuse a store that cannot be used; create a new SQLite file only for a write.

        Returns the store's format, None when it is not initialised yet (no tables).
        """
        if self.kind == "sqlite":
            found = self._prepare_sqlite(write)
        else:
            found = self._probe_postgres()
        if found is None and not write:
            raise StoreUnavailable(f"no tracker store at {self.display} yet; {CREATE_HINT}")
        return found

    def _prepare_sqlite(self, write: bool) -> int | None:
        path = self.path
        assert path is not None
        if not path.exists():
            if not write:
                raise StoreUnavailable(f"no tracker store at {path}; {CREATE_HINT}")
            if not path.parent.exists():
                raise StoreUnavailable(
                    f"cannot create the store {path}: the folder {path.parent} does not exist"
                )
            # A new store is readable by its owner only (the WAL files follow its mode).
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreUnavailable(f"cannot create the store {path}: {exc.strerror}") from None
            return None
        if path.is_dir():
            raise StoreUnavailable(f"{path} is a folder, not a tracker store; give a file path")
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the store {path}: {exc.strerror}") from None
        if not header:
            return None  # an empty file: a store being created
        if header != SQLITE_HEADER:
            raise StoreUnavailable(
                f"{path} is not a tracker store (not a SQLite database); "
                "point --db at a tracker store or a new file"
            )
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=self.lock_timeout)
            try:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                fmt = None
                if "tracker_meta" in tables:
                    row = conn.execute(
                        "SELECT value FROM tracker_meta WHERE key='store_format'"
                    ).fetchone()
                    fmt = int(row[0]) if row else None
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"{path} is not a usable tracker store: {exc}") from None
        if tables and "tracker_meta" not in tables:
            raise StoreUnavailable(
                f"{path} is a SQLite database but not a tracker store; "
                "point --db at a tracker store or a new file"
            )
        check_format(fmt, self.display)
        return fmt

    def _probe_postgres(self) -> int | None:
        """Connect once with a short timeout, to tell a closed port from a wrong password."""
        import psycopg

        try:
            conn = psycopg.connect(**self.connect_args(), connect_timeout=5)
        except psycopg.OperationalError as exc:
            text = str(exc)
            if "password" in text or "authentication" in text:
                reason = "the password or user was refused"
            elif "does not exist" in text:
                reason = f"the database {self.dbname} does not exist"
            else:
                reason = "the server cannot be reached"
            raise StoreUnavailable(
                f"cannot use the store {self.display}: {reason}; check the URL, the server "
                "and PGPASSWORD"
            ) from None
        with conn:
            row = conn.execute("SELECT to_regclass('tracker_meta') IS NOT NULL").fetchone()
            fmt = None
            if row and row[0]:
                found = conn.execute(
                    "SELECT value FROM tracker_meta WHERE key='store_format'"
                ).fetchone()
                fmt = int(found[0]) if found else None
        check_format(fmt, self.display)
        return fmt

    def connect_args(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password or None,
            "dbname": self.dbname,
        }

    def remove_if_unused(self) -> bool:
        """Remove a SQLite store (and its WAL files) that this command created, only when
        nothing was ever committed to its log: another user may have appended to it since, or
        this command's own batches committed before it failed. The log is checked under the
        write lock, held while the files go; in any doubt the file stays."""
        assert self.path is not None
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True,
                                   timeout=self.lock_timeout, isolation_level=None)
        except sqlite3.Error:
            return False
        try:
            conn.execute("BEGIN IMMEDIATE")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "stored_events" in tables and conn.execute("SELECT 1 FROM stored_events LIMIT 1").fetchone():
                return False
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return True
        except (sqlite3.Error, OSError):
            return False
        finally:
            conn.close()

    def exists(self) -> bool:
        return self.kind == "postgres" or bool(self.path and self.path.exists())


def check_format(fmt: int | None, display: str) -> None:
    if fmt is not None and fmt > STORE_FORMAT:
        raise StoreUnavailable(
            f"the store {display} was written by a newer version of tracker (format {fmt}, "
            f"this one reads {STORE_FORMAT}); upgrade tracker"
        )
