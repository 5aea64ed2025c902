"""`report --since D` counts from D itself, and its help says so."""

from __future__ import annotations

import re


def test_the_help_says_since_starts_on_the_day_given_not_after_it(sqlite_cli):
    text = " ".join(sqlite_cli.ok("report", "--help").stdout.split())
    since = re.search(r"--since D (.*?)--json", text).group(1)
    assert "after D" not in since
    assert "from D itself" in since and "first day" in since


def test_a_development_on_the_since_day_itself_is_listed(iran):
    brief = iran.ok("report", "--format", "md", "--as-of", "2025-11-20", "--since", "2025-10-28").stdout
    assert "Iran offers to mediate." in brief.split("## What changed")[1].split("## Key developments")[0]
