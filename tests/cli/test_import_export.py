"""import / export (SPEC §6): validated as a whole, batched, idempotent, round-tripping."""

from __future__ import annotations

import json

from tests.conftest import Cli


def lines(*records):
    return "\n".join(json.dumps(r) for r in records) + "\n"


OFFER = {"type": "mediation-offered", "mediators": ["Norway"], "parties": ["SDN", "South Sudan"],
         "occurred": "2025-03-01", "summary": "Norway offers."}
HELD = {"type": "talks-held", "track": "NOR:SDN-SSD", "venue": "Oslo", "occurred": "2025-03-10",
        "summary": "Talks in Oslo."}


def test_export_then_import_into_a_fresh_store_reproduces_the_same_states(any_cli, tmp_path):
    any_cli.ok("demo")
    exported = any_cli.ok("export").stdout
    fresh = Cli(str(tmp_path / "copy.db"))
    summary = fresh.json("import", "-", input=exported)
    assert summary["recorded"] == 27 and summary["actors"] == 1 and summary["duplicates"] == 0
    assert fresh.ok("export").stdout == exported
    for args in (["status"], ["status", "--as-of", "2025-10-31"], ["timeline"],
                 ["replay", "--until", "2025-11-10"]):
        assert fresh.json(*args) == any_cli.json(*args)
    again = fresh.json("import", "-", input=exported)
    assert again["recorded"] == 0 and again["duplicates"] == 28


def test_every_bad_line_is_reported_and_nothing_is_stored(any_cli):
    text = lines(OFFER, HELD) + "{not json\n" + lines(
        {**HELD, "occurred": "2025-02-30"},
        {"type": "mediation-response", "track": "NOR:SDN-SSD", "party": "ETH", "response": "welcomed",
         "occurred": "2025-03-02", "summary": "x"},
        {**HELD, "colour": "red"},
    )
    result = any_cli("import", "-", input=text)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 4 of 6 lines are invalid; nothing was recorded")
    for n in (3, 4, 5, 6):
        assert f"line {n}: " in result.stderr
    assert "ETH is not a party" in result.stderr
    # the refused import was the first write: no store is left behind, on either backend
    assert any_cli("status").exit_code == 3


def test_only_rule_violations_are_exit_1(any_cli):
    text = lines(OFFER, {**HELD, "track": "NOR:ETH-SDN"})
    result = any_cli("import", "-", input=text)
    assert result.exit_code == 1
    assert "line 2: unknown track" in result.stderr


def test_lines_refer_to_lines_before_them_and_duplicates_are_counted(any_cli):
    summary = any_cli.json("import", "-", input=lines(OFFER, HELD, HELD))
    assert summary == {"recorded": 2, "actors": 0, "duplicates": 1, "batches": 1}


def test_import_keeps_recorded_at_and_ignores_read_only_keys(any_cli):
    offer = {**OFFER, "recorded_at": "2025-03-02T08:00:00+00:00"}
    held = {**HELD, "recorded_at": "2025-03-11T08:00:00+00:00", "retracted": False, "corrected": False}
    any_cli.json("import", "-", input=lines(offer, held))
    [dev] = any_cli.json("timeline", "--since", "2025-03-05")
    assert dev["recorded_at"] == "2025-03-11T08:00:00.000000+00:00"
    assert any_cli.json("status", "--known-at", "2025-03-11T07:59:59Z")[0]["developments"] == 1
    assert any_cli.json("status", "--known-at", "2025-03-02T07:59:59Z") == []


def test_a_long_file_is_written_in_batches(sqlite_cli):
    size = 2 * 1000 + 3
    records = [OFFER] + [{**HELD, "occurred": f"2025-03-{1 + i % 28:02d}", "summary": f"Round {i}."}
                         for i in range(size - 1)]
    text = lines(*records)
    assert "'--batch': 0 is not in the range" in sqlite_cli.fails(2, "import", "-", "--batch", "0", input=text)
    summary = sqlite_cli.json("import", "-", "--batch", "1000", input=text)
    assert summary["recorded"] == size and summary["batches"] == 3
    assert sqlite_cli.json("status")[0]["rounds"] == size - 1


def test_import_refuses_times_that_could_not_have_been_recorded(any_cli):
    offer = {**OFFER, "recorded_at": "2025-03-02T08:00:00+00:00"}
    early = {**HELD, "occurred": "2025-03-01", "recorded_at": "2025-03-01T08:00:00+00:00"}
    future = {**HELD, "summary": "Later.", "recorded_at": "2999-01-01T00:00:00+00:00"}
    result = any_cli("import", "-", input=lines(offer, early, future))
    assert result.exit_code == 2
    assert "line 2: " in result.stderr and "before any offer opened" in result.stderr
    assert "line 3: " in result.stderr and "in the future" in result.stderr


def test_bad_values_are_not_coerced(any_cli):
    text = lines(OFFER, {**HELD, "round": True}, {**OFFER, "conditional": "yes", "summary": "again"},
                 {"type": "incident-reported", "parties": ["SDN", "SSD"], "kind": "clash",
                  "occurred": "2025-03-03", "summary": "x", "fatalities": True})
    result = any_cli("import", "-", input=text)
    assert result.exit_code == 2
    for n in (2, 3, 4):
        assert f"line {n}: " in result.stderr


def test_what_an_import_indexes_as_it_writes_equals_what_the_catch_up_reads_back(any_cli):
    """The read models index an import's batches from what it decided (not read back from the
    log): after more events, corrections and a retraction, a rebuild from the log gives the
    same answers, and every indexed row sits at its event's position in the log."""
    any_cli.ok("demo")
    held = [{**HELD, "occurred": f"2025-03-{10 + i:02d}", "summary": f"Round {i}."} for i in range(12)]
    any_cli.json("import", "-", input=lines(OFFER, *held))
    [first] = [d for d in any_cli.json("timeline", "--track", "NOR:SDN-SSD") if d["summary"] == "Round 0."]
    fixes = [{"type": "correction", "target": first["id"], "changes": {"venue": "Juba"}, "reason": "r"},
             {"type": "retraction", "target": first["id"], "reason": "wrong"}]
    any_cli.json("import", "-", input=lines(*fixes))
    queries = (["status"], ["status", "--as-of", "2025-03-15"], ["timeline"], ["export"],
               ["show", first["id"]], ["replay", "--until", "2025-12-31"])
    before = [any_cli.json(*q) for q in queries]
    # the cached states, printed as they are, equal a fold of everything known
    assert before[0] == any_cli.json("status", "--known-at", "2999-01-01")
    any_cli.ok("rebuild")
    assert [any_cli.json(*q) for q in queries] == before
    if any_cli.db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(any_cli.db) as conn:
            rows = conn.execute(
                "SELECT r.id, convert_from(e.state, 'UTF8')::json->>'id' FROM rm_records r "
                "JOIN tracker_events e ON e.notification_id = r.position").fetchall()
    else:
        import sqlite3

        conn = sqlite3.connect(any_cli.db)
        rows = conn.execute("SELECT r.id, json_extract(e.state, '$.id') FROM rm_records r "
                            "JOIN stored_events e ON e.rowid = r.position").fetchall()
        conn.close()
    assert len(rows) == 27 + 13 + 2 and all(a == b for a, b in rows)


def test_an_import_that_forgets_aggregates_as_it_goes_decides_the_same(tmp_path, monkeypatch):
    """Aggregates beyond the session's budget are forgotten and reloaded from the store and
    from what the import already decided: the outcome is the same as keeping them all."""
    tracks = [("NOR", "COL", "VEN"), ("QAT", "AFG", "PAK"), ("CHE", "ARM", "AZE")]
    records = [{"type": "mediation-offered", "mediators": [m], "parties": [a, b],
                "occurred": "2025-01-01", "summary": f"{m} offers."} for m, a, b in tracks]
    for day in range(1, 11):  # interleaved: every line goes to another track than the last
        for m, a, b in tracks:
            records.append({"id": f"00000000-0000-4000-8000-{day:06d}{tracks.index((m, a, b)):06d}",
                            "type": "talks-held", "track": f"{m}:{a}-{b}",
                            "occurred": f"2025-02-{day:02d}", "summary": f"Round {day}."})
    fixes = [{"type": "correction", "target": f"00000000-0000-4000-8000-{day:06d}{t:06d}",
              "changes": {"occurred": f"2025-03-{day:02d}"}, "reason": "late"}
             for day in (2, 5) for t in range(3)]
    mediator_left = {"type": "mediator-left", "track": "NOR:COL-VEN", "mediator": "NOR",
                     "occurred": "2025-04-01", "summary": "Norway leaves."}
    when = {"recorded_at": "2025-05-01T00:00:00+00:00"}  # the same in both stores
    text = lines(*({**r, **when} for r in (*records, *fixes, mediator_left)))
    keeping = Cli(str(tmp_path / "all.db"))
    keeping.json("import", "-", input=text)
    monkeypatch.setattr("tracker.session.HELD", 2)  # at most one aggregate at a time
    forgetting = Cli(str(tmp_path / "forgetting.db"))
    summary = forgetting.json("import", "-", input=text)
    assert summary["recorded"] == len(records) + len(fixes) + 1
    for args in (["status"], ["status", "--as-of", "2025-02-28"], ["timeline"]):
        assert forgetting.json(*args) == keeping.json(*args)
    bad = forgetting("import", "-", input=lines({**mediator_left, "summary": "Again."}))
    assert bad.exit_code == 1 and "is not a mediator" in bad.stderr  # the rules still see it all


def test_interleaved_tracks_keep_the_order_of_the_file_in_one_batch(any_cli):
    """A batch is written in the file's line order, which decides ties in occurred order
    (SPEC §4): each track's rounds on one day are numbered in the order of its lines."""
    other = {**OFFER, "mediators": ["Qatar"], "summary": "Qatar offers."}
    held = []
    for i in range(6):  # the same day throughout: rounds are numbered by log position
        held.append({**HELD, "summary": f"Oslo {i}."})
        held.append({**HELD, "track": "QAT:SDN-SSD", "venue": "Doha", "summary": f"Doha {i}."})
    any_cli.json("import", "-", input=lines(OFFER, other, *held))
    for key, venue in (("NOR:SDN-SSD", "Oslo"), ("QAT:SDN-SSD", "Doha")):
        rounds = [(d["summary"], d["round"]) for d in any_cli.json("timeline", "--track", key)
                  if d["type"] == "talks-held"]
        assert rounds == [(f"{venue} {i}.", i + 1) for i in range(6)]
        [state] = any_cli.json("status", key)
        assert state["rounds"] == 6


def test_re_importing_recorded_lines_finds_them_in_bulk_not_one_query_per_line(any_cli, monkeypatch):
    """Lines already recorded are recognised from what the read models hand over for a whole
    window of lines: the store's event log is read once per track, never once per line. The
    same id with other content is still refused, and other stamps still make a duplicate."""
    from eventsourcing.persistence import EventStore

    tracks = ("NOR:COL-VEN", "QAT:AFG-PAK")
    records = [{"type": "mediation-offered", "mediators": [t[:3]], "parties": t[4:].split("-"),
                "occurred": "2025-01-01", "summary": "Offer."} for t in tracks]
    records += [{"id": f"00000000-0000-4000-8000-{i:012d}", "type": "talks-held", "track": tracks[i % 2],
                 "occurred": f"2025-02-{1 + i % 28:02d}", "summary": f"Round {i}."} for i in range(120)]
    text = lines(*records)
    any_cli.json("import", "-", input=text)
    exported = any_cli.ok("export").stdout
    reads = []
    original_get = EventStore.get
    monkeypatch.setattr(EventStore, "get", lambda self, *a, **k: reads.append(a) or original_get(self, *a, **k))
    for again in (text, exported):  # stamped anew, and with the stamps they were recorded with
        reads.clear()
        summary = any_cli.json("import", "-", input=again)
        assert summary == {"recorded": 0, "actors": 0, "duplicates": len(records), "batches": 0}
        assert len(reads) <= 1 + len(tracks), len(reads)  # the registry, each track once
    changed = {**records[5], "summary": "Another round."}
    refused = any_cli("import", "-", input=lines(changed))
    assert refused.exit_code == 1 and "line 1: id 00000000-0000-4000-8000-000000000003 is already " \
        "recorded with different content" in refused.stderr
    assert any_cli.ok("export").stdout == exported
