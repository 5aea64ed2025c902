"""The one place where `--db` / `TRACKER_DB` becomes the library's settings.

A SQLite path or a `postgresql://` URL. The store is checked before the library touches it:
the library would create a missing file, add its tables to a foreign database, and report a
junk file or an unreachable server with a raw error.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from events.errors import InvalidInput, StoreUnavailable
from tracker.pgurl import URL_FORM, check_params, libpq_reason, parse_pg_url, unparsable
from tracker.store_errors import lock_timeout

#: the store layout this code writes; a store with a higher one is refused
#: 2: rm_records keyed by log position, keeping a record's JSON only where the log's differs
STORE_FORMAT = 2
SQLITE_HEADER = b"SQLite format 3\x00"
#: library settings read by tracker.pgstore: the extra libpq parameters (a JSON object), and
#: the bound on the time a statement may take retrying, in seconds
PARAMS_SETTING = "TRACKER_PG_PARAMS"
DEADLINE_SETTING = "TRACKER_PG_DEADLINE"
CREATE_HINT = "`tracker demo` or `tracker append` creates one"


@dataclass(frozen=True)
class StoreConfig:
    """Where the store is; `display` never contains a password."""

    kind: str
    display: str
    path: Path | None = None
    host: str = "localhost"
    port: int = 5432
    port_text: str = "5432"
    user: str = ""
    password: str = ""
    dbname: str = ""
    #: libpq parameters beyond the five the library passes (sslmode, connect_timeout, …)
    params: tuple[tuple[str, str], ...] = ()
    lock_timeout: float = field(default_factory=lock_timeout)

    @classmethod
    def parse(cls, value: str) -> StoreConfig:
        if value.startswith(("postgresql://", "postgres://")):
            return cls._parse_postgres(value)
        if "://" in value:
            raise InvalidInput(
                f"unsupported store URL scheme in '{value.split('://')[0]}://'; use a SQLite "
                "file path or postgresql://user@host/dbname"
            )
        path = Path(value).expanduser()
        return cls(kind="sqlite", display=str(path), path=path)

    @classmethod
    def _parse_postgres(cls, value: str) -> StoreConfig:
        """Parsed as libpq parses it; a URL that does not parse is never echoed (the password
        may be in it, or what looks like a host may be part of it)."""
        info = parse_pg_url(value)
        dbname = info.pop("dbname", "")
        if not dbname:
            raise InvalidInput(f"the PostgreSQL URL names no database; {URL_FORM}")
        host = info.pop("host", "") or "localhost"
        port = info.pop("port", "") or "5432"
        if "@" in dbname or "/" in dbname or "@" in host:
            unparsable("its user or password holds an unencoded '/' or '@'")
        if not all(p.isdigit() and 0 < int(p) < 65536 for p in port.split(",")):
            unparsable("its port is not a number from 1 to 65535")
        check_params(info)
        user = info.pop("user", "") or os.environ.get("PGUSER", "") or "postgres"
        password = info.pop("password", "") or os.environ.get("PGPASSWORD", "")
        shown = f"[{host}]" if ":" in host else host
        return cls(
            kind="postgres",
            display=f"postgresql://{user}@{shown}:{port}/{dbname}",
            host=host,
            port=int(port.split(",")[0]) if "," not in port else 5432,
            port_text=port,
            user=user,
            password=password,
            dbname=dbname,
            params=tuple(sorted(info.items())),
        )

    # -- library settings --------------------------------------------------------------
    @property
    def library_lock_timeout(self) -> int:
        """The library takes whole seconds (and 0 means its default or forever)."""
        return max(1, math.ceil(self.lock_timeout))

    def env(self, *, create_tables: bool = True, uri: str | None = None) -> dict[str, str]:
        """The library's settings, passed explicitly so no app-prefixed variable wins.

        On PostgreSQL the tables are created only by the first writer (under an advisory
        lock): several processes creating them at once fail with "tuple concurrently updated".
        """
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": uri or str(self.path),
                "SQLITE_LOCK_TIMEOUT": str(self.library_lock_timeout),
                "APPLICATION_RECORDER_TOPIC": "tracker.recorder:IndexingSQLiteRecorder",
            }
        return {
            "PERSISTENCE_MODULE": "tracker.pgstore:TrackerPostgresFactory",
            "APPLICATION_RECORDER_TOPIC": "tracker.pgstore:BoundedPostgresRecorder",
            PARAMS_SETTING: json.dumps(self.session_params()),
            DEADLINE_SETTING: str(self.lock_timeout),
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": self.port_text,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": dict(self.params).get("connect_timeout", "5"),
            "POSTGRES_LOCK_TIMEOUT": str(self.library_lock_timeout),
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
            # through a dangling symlink, the file it points to is the store
            target = path.resolve() if path.is_symlink() else path
            if not target.parent.exists():
                raise StoreUnavailable(
                    f"cannot create the store {path}: the folder {target.parent} does not exist"
                )
            # A new store is readable by its owner only (the WAL files follow its mode).
            try:
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreUnavailable(f"cannot create the store {path}: {exc.strerror}") from None
            return None
        if not path.is_dir() and not path.is_file():
            raise StoreUnavailable(
                f"{path} is not a regular file (a device, a FIFO or a socket); point --db at a "
                "tracker store or a new file"
            )
        if path.is_dir():
            raise StoreUnavailable(f"{path} is a folder, not a tracker store; give a file path")
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the store {path}: {exc.strerror}") from None
        if not header:
            if write:  # an empty file becomes a new store: private like any other
                try:
                    os.chmod(path, 0o600)
                except OSError:
                    pass
            return None  # an empty file: a store being created
        if header != SQLITE_HEADER:
            raise StoreUnavailable(
                f"{path} is not a tracker store (not a SQLite database); "
                "point --db at a tracker store or a new file"
            )
        try:
            conn = sqlite3.connect(self.read_only_uri(always=True), uri=True, timeout=self.lock_timeout)
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
            from tracker.store_errors import classify

            raise classify(exc, self) or StoreUnavailable(
                f"{path} is not a usable tracker store: {exc}"
            ) from None
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
            conn = psycopg.connect(**self.connect_args())
        except psycopg.OperationalError as exc:
            text = str(exc)
            if "password" in text or "authentication" in text:
                reason = "the password or user was refused"
            elif "does not exist" in text:
                reason = f"the database {self.dbname} does not exist"
            elif "SSL" in text or "GSS" in text or "session attributes" in text \
                    or "invalid" in text:
                # libpq's reason (never the password), e.g. the server does not support SSL
                reason = f"the connection's parameters cannot be met ({libpq_reason(text)})"
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
        """psycopg's arguments: the URL's, its parameters included."""
        return {
            "connect_timeout": 5,
            "host": self.host,
            "port": self.port_text,
            "user": self.user,
            "password": self.password or None,
            "dbname": self.dbname,
            **self.session_params(),
        }

    def session_params(self) -> dict[str, str]:
        """The URL's parameters, with every lock wait of the session bounded (the library's
        inserts set their own bound on their table lock)."""
        params = dict(self.params)
        bound = f"-c lock_timeout={max(1, int(self.lock_timeout * 1000))}"
        params["options"] = f"{params.get('options', '')} {bound}".strip()
        return params

    def read_only_uri(self, *, always: bool = False) -> str | None:
        """A URI that opens the store for reading only, when this user cannot write the file or
        the folder where SQLite keeps its WAL index (or `always`); None when both are writable.
        Without that index SQLite can open the file only as immutable: no one can be writing
        it then, since a writer needs the index too."""
        assert self.path is not None
        folder_ok = os.access(self.path.parent, os.W_OK)
        if not always and folder_ok and os.access(self.path, os.W_OK):
            return None
        target = quote(str(self.path.absolute()))
        if not folder_ok and not Path(f"{self.path}-shm").exists():
            return f"file:{target}?immutable=1"
        return f"file:{target}?mode=ro"

    def check_integrity(self) -> None:
        """SQLite's quick check of a whole store file (a no-op on PostgreSQL)."""
        if self.kind != "sqlite" or self.path is None or not self.path.exists():
            return
        from tracker.store_errors import damaged

        try:
            conn = sqlite3.connect(self.read_only_uri(always=True), uri=True, timeout=self.lock_timeout)
            try:
                found = conn.execute("PRAGMA quick_check(1)").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc):
                raise
            raise damaged(self, str(exc)) from None
        if found and found[0] != "ok":
            lines = [line for line in str(found[0]).splitlines() if not line.startswith("***")]
            raise damaged(self, lines[0] if lines else "")

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

