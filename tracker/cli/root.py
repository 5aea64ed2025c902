"""The composition root: opens the store, the application and the read models together."""

from __future__ import annotations

import sqlite3
import sys
from typing import TYPE_CHECKING, Any
from uuid import UUID

from events.errors import StoreUnavailable, first_line
from projections.catchup import CatchUp
from projections.db import ReadModelDB
from projections.queries import Queries
from tracker.store import STORE_FORMAT, StoreConfig, stored_format

if TYPE_CHECKING:
    from tracker.bulk import Importer


class Workspace:
    """The composition root for one command: the store configuration, the application (the
    event store), the read models and the catch-up between them."""

    def __init__(self, value: str):
        self.config = StoreConfig.parse(value)
        self._app: Any = None
        self._db: ReadModelDB | None = None
        #: whether this command created the store's tables (a new store)
        self.created = False
        #: a read of a store this user cannot write: it works while nothing needs catching up
        self.read_only: str | None = None

    def open(self, *, write: bool) -> Workspace:
        config = self.config
        found = config.prepare(write=write)
        self.created = found is None
        self.read_only = None if write or config.kind != "sqlite" else config.read_only_uri()
        if config.kind == "sqlite":
            conn = sqlite3.connect(
                self.read_only or str(config.path), timeout=config.lock_timeout,
                isolation_level=None, check_same_thread=False, uri=bool(self.read_only),
            )
            # Read models are derived from the log: in WAL mode NORMAL never corrupts them, and
            # a transaction lost to a power cut is re-applied from the position it carried.
            conn.execute("PRAGMA synchronous=NORMAL")
            self._db = ReadModelDB(conn, "sqlite")
        else:
            import psycopg

            conn = psycopg.connect(**config.connect_args(), autocommit=True)
            self._db = ReadModelDB(conn, "postgres")
        if found == STORE_FORMAT:
            self._app = self._construct(create_tables=config.kind == "sqlite" and not self.read_only)
        else:  # a new store, or an older format whose read models are rebuilt from the log
            with self._db.initialising():
                self._app = self._construct(create_tables=True)
                self._db.ensure_schema(STORE_FORMAT, stored_format)
        self._db.join_log(self._app.recorder.events_table_name)
        return self

    def _construct(self, *, create_tables: bool) -> Any:
        from tracker.application import TrackerApplication

        try:
            return TrackerApplication(env=self.config.env(create_tables=create_tables,
                                                          uri=self.read_only))
        except Exception as exc:  # noqa: BLE001 - the library reports store problems raw
            raise StoreUnavailable(
                f"cannot open the store {self.config.display}: {first_line(exc)}"
            ) from None

    @property
    def app(self) -> Any:
        return self._app

    @property
    def db(self) -> ReadModelDB:
        assert self._db is not None
        return self._db

    def catch_up(self, progress: Any = None) -> int:
        return self.projector().run(progress)

    def catch_up_after_write(self) -> None:
        """Bring the read models up to date after a write has committed: if another process
        holds their lock past the bound, the write stands and the next command catches up."""
        from tracker.store_errors import classify

        try:
            self.catch_up()
        except Exception as exc:
            meaning = classify(exc, self.config)
            if meaning is None:
                raise
            print(f"warning: recorded, but the read models could not catch up: {meaning.message}; "
                  "the next command that can write to the store catches them up", file=sys.stderr)

    def projector(self) -> CatchUp:
        return CatchUp(self.db, self.app.recorder, self.app.mapper)

    def importer(self, catchup: CatchUp | None = None, **options: Any) -> Importer:
        """The bulk importer of this store, chosen by its kind, whose batches the read models
        index as they are written (through `catchup`, a new one unless given); `options` as
        `tracker.bulk.Importer` takes them (batch_size, staging, parse) and `staged`."""
        from projections.bulk import BulkIndex
        from tracker.bulk import importer_for

        index = BulkIndex(catchup or self.projector())
        return importer_for(self.config.kind, self.app.recorder, index, **options)

    @property
    def queries(self) -> Queries:
        return Queries(self.db)

    def locator(self) -> Locate:
        return Locate(self)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        if self._app is not None:
            self._app.close()

    def discard_if_unused(self) -> None:
        """Undo the creation of a new store whose first write was refused: a SQLite file is
        removed, a PostgreSQL database left as empty as it was; only when nothing was ever
        committed to the log (another process may have written since)."""
        if self.config.kind == "sqlite":
            self.config.remove_if_unused()
        elif self.created and self._app is not None:
            drop_if_unused(self.config, self._app.recorder.events_table_name)


#: what the library creates beside its table in a PostgreSQL database
PG_LIBRARY_OBJECTS = ("DROP FUNCTION IF EXISTS es_insert_events_uuid",
                      "DROP TYPE IF EXISTS stored_event_uuid")


def drop_if_unused(config: StoreConfig, events_table: str) -> None:
    """Drop a new PostgreSQL store's tables if its log is empty, under the lock that creates
    them and the events table's own; in any doubt they stay."""
    import psycopg

    from projections.db import READ_MODEL_TABLES

    try:
        with psycopg.connect(**config.connect_args(), autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(7312001)")
            with conn.transaction():
                conn.execute(f"LOCK TABLE {events_table} IN ACCESS EXCLUSIVE MODE")
                if conn.execute(f"SELECT 1 FROM {events_table} LIMIT 1").fetchone():
                    return
                for table in (*READ_MODEL_TABLES, "tracker_meta", events_table):
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in PG_LIBRARY_OBJECTS:
                    conn.execute(statement)
    except psycopg.Error:
        return


class Locate:
    """The application's port to the read model's id index, kept caught up."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.known: dict[str, tuple[str, str] | None] = {}
        self.events: dict[str, tuple[str, bytes]] = {}
        self.refresh()

    def __call__(self, record_id: UUID) -> tuple[str, str] | None:
        if self.empty:
            return None
        key = str(record_id)
        if key not in self.known:
            self.known[key] = self.workspace.queries.locate(record_id)
        return self.known[key]

    def prefetch(self, ids: list[UUID | str]) -> None:
        """Look many ids up at once (an import's), instead of one query per line, with the
        stored events of those the store holds (a re-import compares its lines with them)."""
        if not self.empty:  # this window's
            self.events = {}
            self.known = self.workspace.queries.locate_many(list(dict.fromkeys(map(str, ids))), self.events)

    def stored(self, record_id: UUID) -> tuple[str, bytes] | None:
        """The stored event (topic, state) of a record, if the last prefetch found it."""
        if not self.events:  # an empty store, or a window of new lines: no id to spell out
            return None
        return self.events.get(str(record_id))

    def may_exist(self, kind: str, key: str) -> bool:
        """Whether the store may hold the track or conflict stream of a key: False means it
        did not when the read models last caught up (a writer that creates it since makes
        this import's write conflict, and the retry refreshes)."""
        return self.workspace.queries.has_stream(kind, key)

    def refresh(self) -> None:
        """Catch up; a store whose log is empty then has no record to look up (like an id
        looked up in a store that has some, a record another writer adds after this is not
        seen here)."""
        self.known.clear()
        self.events.clear()
        self.workspace.catch_up()
        self.empty = self.workspace.projector().position() == 0
