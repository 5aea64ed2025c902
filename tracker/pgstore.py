"""The library's PostgreSQL store, with the URL's libpq parameters and bounded lock waits.

The library hands psycopg only dbname, host, port, user and password, and retries an insert
that timed out on its table lock ten times: a write behind another session's lock would wait
ten times the bound, and `sslmode=require` would be silently dropped.
"""

from __future__ import annotations

import json
import time
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory

from events.errors import lock_timed_out
from tracker.store import DEADLINE_SETTING, PARAMS_SETTING


class TrackerPostgresFactory(PostgresFactory):
    def __init__(self, env: Any):
        super().__init__(env)
        params = json.loads(self.env.get(PARAMS_SETTING) or "{}")
        # the pool has not connected yet: its connections get the parameters
        self.datastore.pool.kwargs.update(params)  # type: ignore[union-attr]
        self.datastore.tracker_deadline = float(self.env.get(DEADLINE_SETTING) or 10)  # type: ignore[attr-defined]


def bounded(name: str) -> Any:
    """The library's method without its ten retries: one that timed out on a lock gives up at
    once, one whose connection dropped is retried only until the bound."""
    method = getattr(PostgresApplicationRecorder, name).__wrapped__

    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + getattr(self.datastore, "tracker_deadline", 10.0)
        while True:
            try:
                return method(self, *args, **kwargs)
            except (InterfaceError, OperationalError) as exc:
                if lock_timed_out(exc.__cause__) or time.monotonic() + 0.2 > deadline:
                    raise
                time.sleep(0.2)

    call.__name__ = name
    return call


class BoundedPostgresRecorder(PostgresApplicationRecorder):
    """Lock waits and dropped connections bounded by TRACKER_LOCK_TIMEOUT."""

    insert_events = bounded("insert_events")
    select_events = bounded("select_events")
    select_notifications = bounded("select_notifications")
    max_notification_id = bounded("max_notification_id")

