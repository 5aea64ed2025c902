"""The Markdown brief escapes what users typed: a source URL is a link to that URL only, and
text never becomes a link, an image or markup."""

from __future__ import annotations

import re

HOSTILE_URL = "https://x.org/)[click](javascript:alert(1))"
ENCODED_URL = "https://x.org/%29%5Bclick%5D%28javascript:alert%281%29%29"


def brief_with(cli, *talks_args: str) -> str:
    cli.append("mediation-offered", "--mediators", "NOR", "--parties", "SDN,SSD",
               "--occurred", "2025-03-01", "--summary", "Norway offers to mediate.")
    cli.append("talks-held", "--track", "NOR:SDN-SSD", "--occurred", "2025-03-05", *talks_args)
    return cli.ok("report", "--format", "md", "--as-of", "2025-03-10", "--since", "2025-03-01").stdout


def link_targets(brief: str) -> list[str]:
    return re.findall(r"(?<!\\)\]\(([^)]*)\)", brief)


def test_a_source_url_that_closes_its_link_links_to_itself_percent_encoded(any_cli):
    brief = brief_with(any_cli, "--summary", "Talks in Juba.", "--source", HOSTILE_URL)
    assert "](javascript:" not in brief
    assert f"]({ENCODED_URL})" in brief
    assert all(t.startswith("https://") and not re.search(r"[\s()<>\[\]`]", t) for t in link_targets(brief))


def test_text_that_looks_like_markdown_stays_text(any_cli):
    summary = "See [click](javascript:alert(1)) and ![img](https://x.org/a.png) <b>bold</b> & *stars* | pipe"
    brief = brief_with(any_cli, "--summary", summary, "--venue", "[v](javascript:1)")
    assert "](javascript:" not in brief and "](https://x.org/a.png)" not in brief
    assert "\\<b>" in brief  # shown as typed, never as markup
    assert link_targets(brief) == []
    assert r"\[click\]\(javascript:alert\(1\)\)" in brief
