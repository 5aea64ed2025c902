"""The write service: `append` decides on the aggregate and saves through the library's
`save()`; a bulk import goes through the importer the composition root builds for the store's
kind; the fold beside an import changes the interpreter's switch interval only while it runs."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from tests.conftest import Cli
from tracker.aggregates.base import aggregate_id
from tracker.aggregates.streams import MediationTrack
from tracker.cli.root import Workspace

OFFER = {"type": "mediation-offered", "mediators": ["Norway"], "parties": ["COL", "VEN"],
         "occurred": "2025-01-01", "summary": "Norway offers."}


def test_an_append_is_saved_by_the_application_and_read_back_from_the_log(store_url, monkeypatch):
    """One `save()` a command, whose events the library's repository then reads back; the
    read models learn of it from the log, at the next catch-up."""
    store = Workspace(store_url).open(write=True)
    saved: list[tuple[Any, ...]] = []
    save = store.app.save
    monkeypatch.setattr(store.app, "save", lambda *events: saved.append(events) or save(*events))
    try:
        outcome = store.app.append(OFFER, store.locator())
        again = store.app.append(OFFER, store.locator())  # a duplicate saves nothing
        assert [len(events) for events in saved] == [1] and again.duplicate
        track = store.app.repository.get(aggregate_id("track", "NOR:COL-VEN"),
                                         projector_func=MediationTrack.project)
        assert track.key == "NOR:COL-VEN" and outcome.id in track.versions
    finally:
        store.close()
    [state] = Cli(store_url).json("status")
    assert state["track"] == "NOR:COL-VEN"


def test_an_append_that_meets_another_writer_is_decided_again_and_saved_once(tmp_path, monkeypatch):
    """Another process records on the track between the decision and the save: the save
    conflicts, the application looks again, and the development is recorded once."""
    db = str(tmp_path / "t.db")
    Cli(db).ok("append", "mediation-offered", "--mediators", "NOR", "--parties", "COL,VEN",
               "--occurred", "2025-01-01", "--summary", "Norway offers.")
    store = Workspace(db).open(write=True)
    save = store.app.save
    calls: list[int] = []

    def another_writer_first(*events: Any) -> Any:
        if not calls:
            Cli(db).ok("append", "talks-held", "--track", "NOR:COL-VEN", "--occurred",
                       "2025-02-01", "--summary", "Meanwhile.")
        calls.append(1)
        return save(*events)

    monkeypatch.setattr(store.app, "save", another_writer_first)
    try:
        store.app.append({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": "2025-03-01",
                          "summary": "Round two."}, store.locator())
    finally:
        store.close()
    assert len(calls) == 2
    assert Cli(db).json("status")[0]["rounds"] == 2


def test_the_importer_is_chosen_by_the_kind_of_store(store_url):
    from tracker.bulk.writers import LibraryRows, SQLiteCopy, SQLiteRows

    store = Workspace(store_url).open(write=True)
    try:
        importer = store.importer(batch_size=50_000)
        if store.config.kind == "sqlite":
            assert type(importer.writer) is SQLiteCopy and importer.batch_size == 50_000
            assert type(store.importer(staged=False).writer) is SQLiteRows
        else:  # psycopg pipelines a batch's rows: the batch is capped
            assert type(importer.writer) is LibraryRows
            assert importer.batch_size == LibraryRows.cap
    finally:
        store.close()


def test_the_fold_beside_an_import_restores_the_switch_interval_however_it_ends(tmp_path):
    from projections.bulk import BulkIndex

    store = Workspace(str(tmp_path / "t.db")).open(write=True)
    before = sys.getswitchinterval()
    index = BulkIndex(store.projector())
    try:
        with index.folding(str(tmp_path / "no-staging-file.db"), set()) as job:
            assert sys.getswitchinterval() < before  # the writer gets the lock back sooner
            job.keep = True
        assert sys.getswitchinterval() == before
        with pytest.raises(RuntimeError), index.folding(str(tmp_path / "none.db"), set()):
            raise RuntimeError("a batch failed")
        assert sys.getswitchinterval() == before
    finally:
        store.close()
