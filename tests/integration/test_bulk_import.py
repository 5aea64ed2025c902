"""How `import` goes fast without deciding or storing anything differently: lines
validated from their JSON text, batches copied by SQLite from the staging file, and the states
of the tracks an import opens folded while its batches are written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import Cli, import_errors_both_ways
from tracker.application import TrackerApplication, decode_line
from tracker.cli.root import Workspace
from tracker.cli.write import JsonLines

WHEN = "2025-06-01T00:00:00+00:00"  # every line's recorded_at, so that two stores compare


def jsonl(*records: Any) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def mixed_file() -> list[dict[str, Any]]:
    """Actors, two tracks whose lines interleave, a conflict-level incident, a statement of a
    later class version, corrections, a retraction."""
    records: list[dict[str, Any]] = [
        {"type": "actor-registered", "code": "TTP", "name": "Tehrik-i-Taliban Pakistan",
         "aliases": ["Pakistani Taliban"], "kind": "armed-group"},
        {"type": "mediation-offered", "mediators": ["Norway"], "parties": ["COL", "VEN"],
         "occurred": "2025-01-01", "summary": "Norway offers."},
        {"type": "mediation-offered", "mediators": ["Qatar"], "parties": ["PAK", "Pakistani Taliban"],
         "occurred": "2025-01-02", "summary": "Qatar offers."},
    ]
    for i in range(9):
        records.append({"id": f"00000000-0000-4000-8000-0000000000{i:02d}", "type": "talks-held",
                        "track": "NOR:COL-VEN", "occurred": f"2025-02-{1 + i % 3:02d}",
                        "summary": f"Oslo {i}.", "sources": [f"https://example.org/{i}"]})
        records.append({"type": "talks-held", "track": "qat:pak-ttp", "occurred": f"2025-03-{1 + i:02d}",
                        "summary": f"Doha {i}."})
    records += [
        {"type": "incident-reported", "parties": ["PAK", "TTP"], "kind": "strike",
         "occurred": "2025-03-05", "summary": "A strike.", "fatalities": 3},
        {"type": "statement-issued", "actor": "PAK", "parties": ["PAK", "TTP"], "stance": "warns",
         "occurred": "2025-03-06", "summary": "A warning.", "speaker": "FO spokesperson"},
        {"type": "correction", "target": "00000000-0000-4000-8000-000000000003",
         "changes": {"occurred": "2025-04-01"}, "reason": "later than said"},
        {"type": "retraction", "target": "00000000-0000-4000-8000-000000000004", "reason": "duplicate"},
    ]
    return [{**r, "recorded_at": WHEN} for r in records]


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "stored_events": conn.execute("SELECT rowid, * FROM stored_events ORDER BY rowid").fetchall(),
            "rm_records": conn.execute("SELECT * FROM rm_records ORDER BY position").fetchall(),
            "rm_actors": conn.execute("SELECT * FROM rm_actors ORDER BY code").fetchall(),
            "rm_tracks": conn.execute("SELECT * FROM rm_tracks ORDER BY key").fetchall(),
            "rm_position": conn.execute("SELECT * FROM rm_position").fetchall(),
        }
    finally:
        conn.close()


def test_the_store_copies_a_staged_batch_exactly_as_the_row_by_row_write_does(tmp_path, monkeypatch):
    """On SQLite a batch goes from the staging file into the store in one statement per table;
    the row-by-row write (PostgreSQL's, and SQLite's before) gives the very same tables."""
    from tracker.recorder import IndexingSQLiteRecorder

    monkeypatch.setitem(TrackerApplication.import_records.__kwdefaults__, "batch_size", 7)
    text = jsonl(*mixed_file())
    staged = Cli(str(tmp_path / "staged.db")).json("import", "-", input=text)
    monkeypatch.delattr(IndexingSQLiteRecorder, "insert_staged")
    by_row = Cli(str(tmp_path / "by-row.db")).json("import", "-", input=text)
    assert staged == by_row and staged["batches"] == 4
    copied, written = tables(tmp_path / "staged.db"), tables(tmp_path / "by-row.db")
    assert len(copied["stored_events"]) == len(mixed_file()) and len(copied["rm_actors"]) == 1
    assert copied == written


def test_an_import_keeps_the_states_it_folded_while_writing_for_the_tracks_it_opens(store_url, tmp_path):
    """The tracks an import opens are folded from its staging file while the batches are
    written, and their states kept at once; a track the store already held is left dirty for
    the catch-up to fold from the log. Both equal a fold of everything from the log."""
    cli = Cli(store_url)
    actor, first, *records = mixed_file()
    cli.json("import", "-", input=jsonl(actor, {**first, "occurred": "2024-12-01"}))
    path = tmp_path / "lines.jsonl"
    path.write_text(jsonl(*records))
    store = Workspace(store_url).open(write=True)
    try:
        catchup = store.projector()
        report = store.app.import_records(JsonLines(str(path)), store.locator(), indexer=catchup)
        assert not report.errors and report.opened == {"QAT:PAK-TTP"}, report.errors
        dirty = dict(store.db.all("SELECT key, dirty FROM rm_tracks"))
        assert dirty["QAT:PAK-TTP"] == 0 and dirty["NOR:COL-VEN"] != 0
        catchup.run()
        kept = store.db.all("SELECT key, state, max_end FROM rm_tracks ORDER BY key")
        with store.db.write():
            store.db.execute("UPDATE rm_tracks SET dirty=1")
        catchup.refresh_tracks()
        assert store.db.all("SELECT key, state, max_end FROM rm_tracks ORDER BY key") == kept
    finally:
        store.close()
    [nor, qat] = cli.json("status")
    assert (nor["rounds"], qat["rounds"]) == (8, 9)  # one retracted in Oslo


def test_a_state_folded_during_an_import_is_not_kept_for_a_track_another_writer_changed(
        store_url, tmp_path, monkeypatch):
    """Between the last batch and keeping the folded states another process appends to a
    track the import opened: its state (folded without that development) is not kept."""
    from projections.catchup import CatchUp

    original = CatchUp.store_folded

    def another_writer_first(self: CatchUp, job: Any, *, keep: bool) -> None:
        if keep:
            Cli(store_url).ok("append", "talks-held", "--track", "QAT:PAK-TTP", "--occurred",
                              "2025-05-01", "--summary", "Talks while the import ends.")
        original(self, job, keep=keep)

    monkeypatch.setattr(CatchUp, "store_folded", another_writer_first)
    cli = Cli(store_url)
    summary = cli.json("import", "-", input=jsonl(*mixed_file()))
    assert summary["recorded"] == len(mixed_file()) - 1
    states = {s["track"]: s for s in cli.json("status")}
    assert states["QAT:PAK-TTP"]["rounds"] == 10
    assert states["QAT:PAK-TTP"]["last_occurred"] == "2025-05-01"


def test_lines_validated_from_their_json_text_decide_and_fail_as_decoded_ones_do(tmp_path):
    """`import` validates a line's bytes directly, and a line that fails goes the usual way:
    good or bad, every line comes out as if it had been decoded first."""
    bad = [
        "{not json", "[1, 2]", '"text"', "{}", '{"type": "talks-done"}',
        json.dumps({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": "2025-02-30", "summary": "x"}),
        json.dumps({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": "2025-02-01", "summary": ""}),
        json.dumps({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": "2025-02-01", "summary": "x",
                    "colour": "red"}),
        json.dumps({"type": "talks-held", "track": "NOR:COL-VEN", "occurred": "2025-02-01", "summary": "x",
                    "round": True}),
        json.dumps({"type": "incident-reported", "parties": ["PAK", "Tehrik"], "kind": "clash",
                    "occurred": "2025-02-01", "summary": "x"}),
        json.dumps({"type": "mediation-response", "track": "NOR:COL-VEN", "party": "ETH",
                    "response": "welcomed", "occurred": "2025-02-01", "summary": "x"}),
        '{"type": "talks-held", "summary": "\\ud800", "track": "NOR:COL-VEN", "occurred": "2025-02-01"}',
    ]
    records = mixed_file()
    text = jsonl(*records[:2], *bad, *records[2:])
    path = tmp_path / "lines.jsonl"
    path.write_text(text)
    assert sum(isinstance(data, bytes) for _, data in JsonLines(str(path))()) >= len(records)  # the fast way
    outcomes = import_errors_both_ways(path, tmp_path)
    assert outcomes[0] == outcomes[1]
    assert [n for n, _, _ in outcomes[0]] == list(range(3, 3 + len(bad)))
    good = tmp_path / "good.jsonl"
    good.write_text(jsonl(*records))
    exports, parsed = [], []
    for lines in (JsonLines(str(good)), lambda: [(n, decode_line(d)) for n, d in JsonLines(str(good))()]):
        db = str(tmp_path / f"good{len(exports)}.db")
        store = Workspace(db).open(write=True)
        calls = []
        parse = store.app.parse
        store.app.parse = lambda *a, **k: calls.append(1) or parse(*a, **k)
        try:
            assert not store.app.import_records(lines, store.locator(), indexer=store.projector()).errors
        finally:
            store.close()
        exports.append(Cli(db).ok("export").stdout)
        parsed.append(len(calls))
    assert exports[0] == exports[1] and exports[0].count("\n") == len(records)
    assert parsed == [1, len(records)]  # the raw lines: only the actor line the usual way


def test_a_name_means_the_actor_registered_on_a_line_before_it_even_in_the_same_window(any_cli):
    """Lines are validated ahead of deciding them, in segments that end at each actor line;
    an actor line that is not seen as one (its name holds a \\u escape, so it is decoded
    first) still makes the lines after it validated again: "Burma" then means the new actor,
    not Myanmar."""
    actor = ('{"type": "actor-registered", "code": "BRM", "name": "Burma Group \\ud83d\\ude00", '
             '"aliases": ["Burma"], "kind": "armed-group"}')
    before = {"type": "incident-reported", "parties": ["Burma", "THA"], "kind": "clash",
              "occurred": "2025-03-01", "summary": "Before."}
    after = {**before, "occurred": "2025-03-02", "summary": "After."}
    summary = any_cli.json("import", "-", input=jsonl(before, actor, after))
    assert summary["recorded"] == 2 and summary["actors"] == 1
    parties = {d["summary"]: d["parties"] for d in any_cli.json("timeline")}
    assert parties == {"Before.": ["MMR", "THA"], "After.": ["BRM", "THA"]}


def test_a_child_process_writing_the_staging_file_changes_nothing_decided(tmp_path, monkeypatch):
    """An import's decided rows go to its staging file through a child process (from the first
    full batch of rows on); reading them back while deciding (corrections, aggregates
    forgotten and reloaded) sees every row, wherever it is on its way."""
    from tracker.pending import ForkedWriter

    monkeypatch.setattr("tracker.pending.FLUSH", 3)
    monkeypatch.setattr("tracker.session.HELD", 2)  # at most one aggregate kept at a time
    started = []
    start = ForkedWriter.start
    monkeypatch.setattr(ForkedWriter, "start", lambda *a: started.append(1) or start(*a))
    text = jsonl(*mixed_file())
    forked = Cli(str(tmp_path / "forked.db")).json("import", "-", input=text)
    assert started == [1]
    monkeypatch.setattr(ForkedWriter, "start", lambda *a: None)  # as where processes cannot fork
    direct = Cli(str(tmp_path / "direct.db")).json("import", "-", input=text)
    assert forked == direct
    assert tables(tmp_path / "forked.db") == tables(tmp_path / "direct.db")


def test_a_staging_writer_that_fails_stops_the_import_with_nothing_stored(tmp_path, monkeypatch):
    monkeypatch.setattr("tracker.pending.FLUSH", 3)
    monkeypatch.setattr("tracker.pending._serve", lambda path, insert, down, up: (
        up.write(b"OSError: [Errno 28] No space left on device\n"), 1)[1])
    cli = Cli(str(tmp_path / "t.db"))
    result = cli("import", "-", input=jsonl(*mixed_file()))
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith("Error: cannot write the import's temporary staging file "
                                    "(OSError: [Errno 28] No space left on device)")
    assert "Traceback" not in result.stderr
    check = cli("export")  # nothing was written: no store is left behind, or an empty one
    assert (check.exit_code, check.stdout) in ((3, ""), (0, ""))


def test_an_import_that_meets_another_writer_retries_and_records_everything_once(tmp_path, monkeypatch):
    """Another process appends to a track between the import's deciding and its write: the
    batch conflicts, the import decides it again against the store as it is, and writes it."""
    from tracker.recorder import IndexingSQLiteRecorder

    cli = Cli(str(tmp_path / "t.db"))
    actor, first, *records = mixed_file()
    cli.json("import", "-", input=jsonl(actor, first))
    insert = IndexingSQLiteRecorder.insert_staged
    calls = []

    def meet_another_writer(self: Any, *args: Any) -> Any:
        if not calls:
            Cli(str(tmp_path / "t.db")).ok("append", "talks-held", "--track", "NOR:COL-VEN",
                                         "--occurred", "2025-05-01", "--summary", "Meanwhile.")
        calls.append(1)
        return insert(self, *args)

    monkeypatch.setattr(IndexingSQLiteRecorder, "insert_staged", meet_another_writer)
    summary = cli.json("import", "-", input=jsonl(*records))
    assert summary["recorded"] == len(records) and len(calls) == 1  # refused, then decided again
    states = {s["track"]: s for s in cli.json("status")}
    assert states["NOR:COL-VEN"]["rounds"] == 9 and states["QAT:PAK-TTP"]["rounds"] == 9
    assert [d["summary"] for d in cli.json("timeline") if d["summary"] == "Meanwhile."] == ["Meanwhile."]
    assert states == {s["track"]: s for s in cli.json("status", "--known-at", "2999-01-01")}


def test_blank_lines_and_a_temporary_directory_with_odd_characters(tmp_path, monkeypatch):
    """Lines of spaces Python strips (U+001E, U+00A0) are blank, as before lines came as bytes;
    the staging file is opened read-only by URI, whatever its directory is called."""
    import tempfile

    odd = tmp_path / "tmp #1 ?x=%41"
    odd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    monkeypatch.setattr("tracker.pending.FLUSH", 3)
    text = jsonl(*mixed_file()[:5]) + "\x1e\n\u00a0\n" + jsonl(*mixed_file()[5:])
    summary = Cli(str(tmp_path / "t.db")).json("import", "-", input=text)
    assert summary["recorded"] + summary["actors"] == len(mixed_file())
    assert not list(odd.iterdir())  # the staging file is gone too


def test_on_postgresql_a_batch_is_cut_to_what_psycopg_pipelines_safely(store_url, monkeypatch):
    """The library's insert_events pipelines a batch's rows through psycopg, and a pipeline of
    50,000 inserts has stalled for good: batches written that way are cut to PIPELINED_BATCH.
    SQLite copies a batch inside SQLite and keeps --batch as given."""
    monkeypatch.setattr("tracker.application.PIPELINED_BATCH", 5)
    summary = Cli(store_url).json("import", "-", "--batch", "20", input=jsonl(*mixed_file()))
    assert summary["batches"] == (5 if store_url.startswith("postgresql://") else 2)


def test_a_line_that_another_writer_makes_invalid_meanwhile_stops_the_import_after_what_it_wrote(
        tmp_path, monkeypatch):
    """The batch that conflicts is decided again; a line that another writer's change now
    refuses (a correction of a development just retracted) is reported, and the batches
    written before it stay written, so a rerun of the fixed file completes it."""
    from tracker.recorder import IndexingSQLiteRecorder

    cli = Cli(str(tmp_path / "t.db"))
    actor, first, *records = mixed_file()
    target = "00000000-0000-4000-8000-000000000001"
    before = [r for r in records if r["type"] == "mediation-offered"] + \
        [r for r in records if r.get("id") == target]
    cli.json("import", "-", input=jsonl(actor, first, *before))
    fix = {"type": "correction", "target": target, "changes": {"venue": "Bergen"}, "reason": "r",
           "recorded_at": WHEN}
    later = [{"type": "talks-held", "track": "QAT:PAK-TTP", "occurred": f"2025-05-{1 + i:02d}",
              "summary": f"Later {i}.", "recorded_at": WHEN} for i in range(4)]
    insert = IndexingSQLiteRecorder.insert_staged
    calls = []

    def meet_another_writer(self: Any, *args: Any) -> Any:
        if len(calls) == 1:  # after the first batch: another user retracts the target
            Cli(str(tmp_path / "t.db")).ok("retract", target, "--reason", "did not happen")
        calls.append(1)
        return insert(self, *args)

    monkeypatch.setattr(IndexingSQLiteRecorder, "insert_staged", meet_another_writer)
    result = cli("import", "-", "--batch", "4", input=jsonl(*later, fix))
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error: 1 line became invalid through another writer's changes "
                                    "while the import was written; the lines before line 5 are recorded")
    assert f"line 5: {target} is already retracted" in result.stderr
    assert [d["summary"] for d in cli.json("timeline") if d["summary"].startswith("Later")] == \
        [f"Later {i}." for i in range(4)]
