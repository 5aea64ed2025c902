"""The timeline stays readable when a track's history spans decades: year labels that do not
overlap, an axis break (clearly marked) across a long stretch with nothing in it, and no
marker drawn past the as-of line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from tests.conftest import Cli
from tests.report_case import as_jsonl, ident

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = "2025-12-05"


def sudan_since_1992() -> list[dict]:
    """A track offered in 1992 that collapsed in 1993 and was taken up again in 2024, with
    statements crowding the as-of day."""
    base = {"track": "NOR:SDN-SSD"}
    return [
        {"type": "mediation-offered", "id": ident("dec", 0), "mediators": ["NOR"], "parties": ["SDN", "SSD"],
         "occurred": "1992-03-14", "summary": "Norway offers to mediate."},
        {**base, "type": "mediation-response", "id": ident("dec", 1), "party": "SDN", "response": "welcomed",
         "occurred": "1992-04", "summary": "Khartoum welcomes the offer."},
        {**base, "type": "talks-held", "id": ident("dec", 2), "venue": "Abuja",
         "occurred": "1992-05-26..1992-06-04", "summary": "First round in Abuja."},
        {**base, "type": "talks-collapsed", "id": ident("dec", 3), "venue": "Abuja", "reason": "self-determination",
         "occurred": "1993-05", "summary": "Abuja II collapses."},
        {"type": "mediation-offered", "id": ident("dec", 4), "mediators": ["NOR"], "parties": ["SDN", "SSD"],
         "occurred": "2024-11-02", "summary": "Norway renews its offer."},
        {**base, "type": "talks-held", "id": ident("dec", 5), "venue": "Oslo", "occurred": "2025-10-20",
         "summary": "Talks resume in Oslo."},
        {**base, "type": "talks-suspended", "id": ident("dec", 6), "by": "SSD", "reason": "walk-out",
         "occurred": "2025-11-10", "summary": "Juba walks out."},
        *({**base, "type": "statement-issued", "id": ident("dec", 7 + n), "actor": actor, "stance": "warns",
           "text": "The talks must resume.", "occurred": AS_OF, "summary": f"{actor} warns."}
          for n, actor in enumerate(["SDN", "SSD", "NOR", "SDN"])),
    ]


@pytest.fixture(scope="module")
def decades(tmp_path_factory) -> Cli:
    cli = Cli(str(tmp_path_factory.mktemp("decades") / "decades.db"))
    cli.ok("demo")
    cli.ok("import", "-", input=as_jsonl(sudan_since_1992()))
    return cli


def picture(cli: Cli, tmp_path, *args: str) -> tuple[str, ET.Element]:
    out = tmp_path / "decades.html"
    cli.ok("report", "--as-of", AS_OF, "-o", str(out), *args)
    page = out.read_text(encoding="utf-8")
    return page, ET.fromstring(re.search(r'<svg[^>]*class="timeline".*?</svg>', page, re.S).group(0))


def labels(svg: ET.Element, cls: str) -> list[tuple[float, float, str]]:
    """(left, right, text) of the axis's labels of a class, left to right."""
    found = []
    for text in svg.iter(f"{SVG}text"):
        if text.get("class") != cls:
            continue
        x, width = float(text.get("x")), len(text.text) * float(text.get("font-size", 12)) * 0.6
        left = x - width / 2 if text.get("text-anchor") == "middle" else x
        found.append((left, left + width, text.text))
    return sorted(found)


def marker_x(g: ET.Element) -> float:
    return float(re.match(r"translate\(([-\d.]+)", g.get("transform")).group(1))


def test_year_labels_never_overlap_and_stay_few(decades, tmp_path):
    _, svg = picture(decades, tmp_path)
    for cls in ("tick", "span-label"):
        placed = labels(svg, cls)
        assert placed, cls
        assert all(a[1] + 3 <= b[0] for a, b in zip(placed, placed[1:])), (cls, placed)
    assert len(labels(svg, "tick")) <= 24


def test_a_long_empty_stretch_is_an_axis_break_and_both_sides_get_room(decades, tmp_path):
    _, svg = picture(decades, tmp_path)
    breaks = [r for r in svg.iter(f"{SVG}rect") if "axis-break" in (r.get("class") or "")]
    assert breaks, "no axis break"
    gap = breaks[0]
    title = gap.find(f"{SVG}title").text
    assert "1993" in title and "2024" in title, title
    lane = next(g for g in svg.iter(f"{SVG}g") if g.get("data-key") == "NOR:SDN-SSD")
    early = [marker_x(g) for g in lane.iter(f"{SVG}g") if "marker" in (g.get("class") or "").split()][:4]
    break_left = float(gap.get("x"))
    assert all(x < break_left for x in early)
    assert early[-1] - early[0] > 120, "the 1990s get room to be read"


def test_no_marker_is_drawn_past_the_as_of_line(decades, tmp_path):
    _, svg = picture(decades, tmp_path)
    line = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "as-of").find(f"{SVG}line")
    as_of_x = float(line.get("x1"))
    markers = [g for g in svg.iter(f"{SVG}g") if "marker" in (g.get("class") or "").split()]
    assert len(markers) == 38
    late = [(g.get("data-type"), marker_x(g)) for g in markers if marker_x(g) + 7 > as_of_x]
    assert late == []


def test_markers_stop_short_of_the_break_before_a_far_as_of_date(decades, tmp_path):
    out = tmp_path / "late.html"
    decades.ok("report", "--as-of", "2027-06-01", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    svg = ET.fromstring(re.search(r"<svg[^>]*class=\"timeline\".*?</svg>", page, re.S).group(0))
    breaks = [r for r in svg.iter(f"{SVG}rect") if "axis-break" in (r.get("class") or "")]
    trailing = [r for r in breaks if "as-of date 2027-06-01" in r.find(f"{SVG}title").text]
    assert len(breaks) == 3 and len(trailing) == 1
    markers = [g for g in svg.iter(f"{SVG}g") if "marker" in (g.get("class") or "").split()]
    assert max(marker_x(g) for g in markers) + 7 <= float(trailing[0].get("x"))


PROBE = """<script>
  const svg = document.querySelector('svg.timeline');
  const asOf = svg.querySelector('g.as-of line').getBoundingClientRect().x;
  const shapes = [...svg.querySelectorAll('.marker')].map((m) => m.getBoundingClientRect());
  const ticks = [...svg.querySelectorAll('text.tick')].map((t) => t.getBoundingClientRect());
  document.body.setAttribute('data-probe', JSON.stringify({
    markers: shapes.filter((r) => r.width > 0).length,
    past: shapes.filter((r) => r.right > asOf + 1).length,
    overlaps: ticks.filter((r, i) => i > 0 && ticks[i - 1].right > r.left && ticks[i - 1].top === r.top).length,
    breaks: [...svg.querySelectorAll('rect.axis-break')].filter((r) => r.getBoundingClientRect().width > 30).length,
  }));
</script>
"""


def test_chromium_draws_the_decades_with_a_break_and_nothing_past_the_as_of_line(decades, tmp_path):
    import html
    import json

    from tests.cli.test_report import browser

    shots = browser()
    page, _ = picture(decades, tmp_path)
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    found = re.search(r'data-probe="([^"]+)"', shots.dump_dom(probe))
    assert found, "the probe script did not run"
    laid_out = json.loads(html.unescape(found.group(1)))
    assert laid_out == {"markers": 38, "past": 0, "overlaps": 0, "breaks": 2}, laid_out
