"""The seed case: the article in shared/seed/article.txt, enriched from the sourced chronology.

The records live in ``tracker/data/demo.jsonl`` in the format ``tracker import`` reads, one
record a line, in the order a desk might have learned them. Ids are content-derived, so
recording it twice records nothing new. Where sources disagree or a fact is unconfirmed, the
development says so in its note and its sources' grades (Admiralty: reliability A–F,
credibility 1–6; 6 = cannot be judged).
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

DEMO_FILE = "demo.jsonl"


def demo_text() -> str:
    """The seed case as JSON lines, read from the installed package (works from a wheel)."""
    return (files("tracker") / "data" / DEMO_FILE).read_text(encoding="utf-8")


def demo_lines() -> list[dict[str, Any]]:
    """Every record of the seed case, in file order."""
    return [json.loads(line) for line in demo_text().splitlines() if line.strip()]
