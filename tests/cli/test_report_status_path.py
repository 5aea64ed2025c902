"""A track that collapsed and resumed within the brief's window shows each status it passed
through, not the same status twice; each development listed says the status it produced."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cli
from tests.report_case import as_jsonl, ident

TRACK = "UN:GCY-TCY"


def collapsed_and_resumed() -> list[dict[str, Any]]:
    """Talks that collapse at The Hague and resume the next year (the Cyprus track, 2002-2004)."""
    src = [{"url": "https://news.example.org/cyprus", "outlet": "Example"}]
    rows = [
        ("mediation-offered", "2002-01-10", {"mediators": ["UN"], "parties": ["GCY", "TCY"]}),
        ("mediation-response", "2002-01-12", {"track": TRACK, "party": "GCY", "response": "accepted"}),
        ("mediation-response", "2002-01-13", {"track": TRACK, "party": "TCY", "response": "accepted"}),
        ("talks-held", "2002-01-16", {"track": TRACK, "venue": "Nicosia"}),
        ("talks-held", "2003-03-10..2003-03-11", {"track": TRACK, "venue": "The Hague"}),
        ("talks-collapsed", "2003-03-11", {"track": TRACK, "venue": "The Hague", "reason": "no referendum deal"}),
        ("talks-held", "2004-02-10..2004-02-13", {"track": TRACK, "venue": "New York"}),
    ]
    return [{"type": kind, "id": ident("cy", n), "occurred": when, "summary": f"{kind} {when}.",
             "sources": src, **fields} for n, (kind, when, fields) in enumerate(rows)]


def imported(cli: Cli) -> Cli:
    for code, name in [("UN", "United Nations"), ("GCY", "Greek Cypriots"), ("TCY", "Turkish Cypriots")]:
        cli.ok("actors", "add", code, "--name", name)
    cli.ok("import", "-", input=as_jsonl(collapsed_and_resumed()))
    return cli


def what_changed(cli: Cli, since: str) -> str:
    brief = cli.ok("report", "--format", "md", "--as-of", "2004-06-30", "--since", since).stdout
    return brief.split("## What changed")[1].split("## Key developments")[0]


def test_a_collapse_and_resumption_inside_the_window_shows_the_path_of_statuses(sqlite_cli):
    imported(sqlite_cli)
    changed = what_changed(sqlite_cli, "2003")
    assert f"**{TRACK}**: in-talks → collapsed → **in-talks**" in changed
    assert "in-talks → **in-talks**" not in changed


def test_each_development_of_the_window_is_marked_with_the_status_it_produced(sqlite_cli):
    imported(sqlite_cli)
    lines = {line.split(" — ")[1].split(" [")[0]: line
             for line in what_changed(sqlite_cli, "2003").splitlines() if " — " in line}
    assert "(→ collapsed)" in lines["talks-collapsed 2003-03-11."]
    assert "(→ in-talks)" in lines["talks-held 2004-02-10..2004-02-13."]
    assert "(→" not in lines["talks-held 2003-03-10..2003-03-11."]  # talks already on


def test_a_window_without_a_change_of_status_keeps_the_plain_from_and_to(sqlite_cli):
    imported(sqlite_cli)
    assert f"**{TRACK}**: collapsed → **in-talks**" in what_changed(sqlite_cli, "2003-06")
