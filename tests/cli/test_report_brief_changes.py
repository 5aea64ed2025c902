"""The Markdown brief lists every change of a track's status among its key developments, even
when several developments share a day (an opening offer and the first answer on one day, an
acceptance and the talks it led to)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cli
from tests.report_case import as_jsonl, ident, many_tracks

AS_OF = "2026-06-30"


def same_day_tracks() -> list[dict[str, Any]]:
    """Tracks whose status changes several times within one day."""
    lines = []
    for n, (mediator, parties) in enumerate([("NOR", ["ETH", "ERI"]), ("CHE", ["ARM", "AZE"])]):
        key = f"{mediator}:{'-'.join(sorted(parties))}"
        day = f"2025-0{n + 3}-10"
        lines += [
            {"type": "mediation-offered", "id": ident("same", n, 0), "mediators": [mediator],
             "parties": parties, "occurred": day, "summary": f"{mediator} offers."},
            {"type": "mediation-response", "id": ident("same", n, 1), "track": key, "party": parties[0],
             "response": "accepted", "occurred": day, "summary": f"{parties[0]} accepts."},
            {"type": "mediation-response", "id": ident("same", n, 2), "track": key, "party": parties[1],
             "response": "accepted", "occurred": "2025-05-02", "summary": f"{parties[1]} accepts."},
            {"type": "talks-held", "id": ident("same", n, 3), "track": key, "venue": "Geneva",
             "occurred": "2025-05-02", "summary": "First round."},
        ]
    return lines


def changes_of_status(cli: Cli) -> list[tuple[str, str]]:
    """(development id, status it set) for each step of the replay that changed its track's status."""
    seen: dict[str, str | None] = {}
    changes = []
    for step in cli.json("replay", "--until", AS_OF)["steps"]:
        state = step["track_state"]
        if state is None or step["development"]["retracted"]:
            continue
        if state["status"] != seen.get(state["track"]):
            changes.append((step["development"]["id"], state["status"]))
        seen[state["track"]] = state["status"]
    return changes


def test_every_change_of_status_is_a_key_development(sqlite_cli):
    sqlite_cli.ok("import", "-", input=as_jsonl(many_tracks(9) + same_day_tracks()))
    brief = sqlite_cli.ok("report", "--format", "md", "--as-of", AS_OF).stdout
    key = brief.split("## Key developments")[1].split("\n---")[0]
    listed = {dev["summary"] for dev in sqlite_cli.json("timeline")
              if dev["summary"] in key}
    by_id = {dev["id"]: dev for dev in sqlite_cli.json("timeline")}
    missing = [(by_id[i]["summary"], status) for i, status in changes_of_status(sqlite_cli)
               if by_id[i]["summary"] not in listed]
    assert missing == []
    assert {"NOR offers.", "ETH accepts.", "ERI accepts.", "CHE offers."} <= listed


def test_a_development_that_changed_no_status_stays_out(sqlite_cli):
    sqlite_cli.ok("import", "-", input=as_jsonl(same_day_tracks()))
    sqlite_cli.append("mediation-offered", "--mediators", "NOR", "--parties", "ETH,ERI",
                      "--occurred", "2025-03-20", "--summary", "Norway repeats its offer.")
    brief = sqlite_cli.ok("report", "--format", "md", "--as-of", AS_OF).stdout
    assert "Norway repeats its offer" not in brief.split("## Key developments")[1]
    assert brief.count("NOR offers.") == 1
