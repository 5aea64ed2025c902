"""Approximate dates keep their precision wherever a table or a report prints them: a month, a
year or an interval is never shown as its first day, and a source's publication date is shown
as the date it is, not as the object that `--json` holds."""

from __future__ import annotations

import re

import pytest

AS_OF = "2025-06-30"


@pytest.fixture
def approximate(any_cli):
    """A track opened in a month, answered within an interval, talks in a year-dated round."""
    any_cli.append("mediation-offered", "--mediators", "NOR", "--parties", "SDN,SSD",
                   "--occurred", "2025-04", "--summary", "Norway offers to mediate.")
    any_cli.ok("append", "mediation-response", "--from-json", "-", input=(
        '{"track": "NOR:SDN-SSD", "party": "SDN", "response": "welcomed", '
        '"occurred": "2025-05-01..2025-05-09", "summary": "Khartoum welcomes the offer.", '
        '"sources": [{"url": "https://news.example.org/a", "outlet": "Example", '
        '"published": "2025-05-12"}, {"outlet": "Monthly Review", "published": "2025-05"}]}'))
    any_cli.append("agreement-reached", "--track", "NOR:SDN-SSD", "--kind", "declaration",
                   "--terms", "principles", "--occurred", "2025-06", "--summary", "A declaration.")
    return any_cli


def test_status_prints_the_last_development_as_dated(approximate):
    table = approximate.ok("status", "--as-of", AS_OF).stdout
    row = next(line for line in table.splitlines() if line.startswith("NOR:SDN-SSD"))
    assert " 2025-06 " in row and "2025-06-01" not in row


def test_status_json_keeps_its_dates_and_says_where_they_end(approximate):
    [state] = approximate.json("status", "--as-of", AS_OF)
    assert (state["first_occurred"], state["last_occurred"]) == ("2025-04-01", "2025-06-01")
    assert (state["first_occurred_end"], state["last_occurred_end"]) == ("2025-04-30", "2025-06-30")


def test_replay_prints_each_date_as_dated(approximate):
    out = approximate.ok("replay", "--until", AS_OF).stdout
    dates = [line.split()[0] for line in out.splitlines()[1:4]]
    assert dates == ["2025-04", "2025-05-01..2025-05-09", "2025-06"]
    assert "2025-04-01 " not in out and "2025-06-01" not in out


def test_the_reports_status_tables_keep_the_precision(approximate, tmp_path):
    page = tmp_path / "r.html"
    approximate.ok("report", "--as-of", AS_OF, "-o", str(page))
    row = re.search(r'<tr data-track="NOR:SDN-SSD">(.*?)</tr>', page.read_text(encoding="utf-8"), re.S).group(1)
    assert re.findall(r'<td class="dev-date">([^<]*)</td>', row) == ["2025-04", "2025-06"]
    assert "declaration, 2025-06<" in row
    brief = approximate.ok("report", "--format", "md", "--as-of", AS_OF).stdout
    md_row = next(line for line in brief.splitlines() if line.startswith("| NOR:SDN-SSD"))
    assert md_row.endswith("| declaration 2025-06 | 2025-06 |") and "-01 |" not in md_row


def test_a_sources_publication_date_prints_as_a_date(approximate, tmp_path):
    page = tmp_path / "r.html"
    approximate.ok("report", "--as-of", AS_OF, "-o", str(page))
    text = page.read_text(encoding="utf-8")
    assert "'start'" not in text and "{" not in re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    notes = re.findall(r'<span class="note">([^<]*)</span>', text)
    assert "published 2025-05-12" in notes and "published 2025-05" in notes


def test_a_store_cached_before_the_ends_were_kept_is_refolded_on_opening(sqlite_cli):
    import json
    import sqlite3

    sqlite_cli.append("mediation-offered", "--mediators", "NOR", "--parties", "SDN,SSD",
                      "--occurred", "2025-04", "--summary", "Norway offers to mediate.")
    conn = sqlite3.connect(sqlite_cli.db)
    [(key, state)] = conn.execute("SELECT key, state FROM rm_tracks").fetchall()
    old = {k: v for k, v in json.loads(state).items() if not k.endswith("_end")}
    conn.execute("UPDATE rm_tracks SET state=? WHERE key=?", (json.dumps(old), key))
    conn.execute("UPDATE tracker_meta SET value='2' WHERE key='store_format'")
    conn.commit()
    conn.close()
    row = sqlite_cli.ok("status").stdout.splitlines()[1]
    assert " 2025-04 " in row, row


def test_the_timelines_tooltips_give_dates_as_dated(approximate, tmp_path):
    page = tmp_path / "r.html"
    approximate.ok("report", "--as-of", AS_OF, "-o", str(page))
    svg = re.search(r'<svg[^>]*class="timeline".*?</svg>', page.read_text(encoding="utf-8"), re.S).group(0)
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert any(t.startswith("2025-04 · mediation-offered") for t in titles), titles
    assert any(t.startswith("2025-05-01..2025-05-09 · mediation-response") for t in titles), titles
    assert any(": offered from 2025-04 to 2025-05-01..2025-05-09" in t for t in titles), titles
    assert any(": agreement from 2025-06 to 2025-06-30" in t for t in titles), titles
