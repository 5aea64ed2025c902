"""The timeline's markers stay where they can be seen: never under an axis break's hatching,
never spilled into the lane labels' column however crowded a lane is."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from tests.conftest import Cli
from tests.report_case import as_jsonl, ident

SVG = "{http://www.w3.org/2000/svg}"
TRACK = "UN:GCY-TCY"
HALF = 7.5  # the widest marker shape reaches this far either side of its centre


def cyprus(cli: Cli, dated: list[tuple[str, str, dict[str, Any]]]) -> Cli:
    for code, name in [("UN", "United Nations"), ("GCY", "Greek Cypriots"), ("TCY", "Turkish Cypriots")]:
        cli.ok("actors", "add", code, "--name", name)
    src = [{"url": "https://news.example.org/cyprus", "outlet": "Example"}]
    lines = [{"type": kind, "id": ident("cyprus", n), "occurred": when, "summary": f"{kind} {when}.",
              "sources": src, **({"track": TRACK} if kind != "mediation-offered" else {}), **fields}
             for n, (kind, when, fields) in enumerate(dated)]
    cli.ok("import", "-", input=as_jsonl(lines))
    return cli


def opening() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("mediation-offered", "2002-01-10", {"mediators": ["UN"], "parties": ["GCY", "TCY"]}),
        ("mediation-response", "2002-01-12", {"party": "GCY", "response": "accepted"}),
        ("mediation-response", "2002-01-13", {"party": "TCY", "response": "accepted"}),
    ]


def good_offices() -> list[tuple[str, str, dict[str, Any]]]:
    """The Cyprus track 2002-2017: the two referendums of 24 April 2004 end a crowded stretch."""
    talks = [("talks-held", when, {"venue": "Nicosia"}) for when in [
        "2002-01-16", "2003-03-10", "2004-02-10", "2004-03-24", "2008-09-03", "2015-05-15",
        "2017-01-09", "2017-06-28", "2017-06-29"]]
    return [*opening(), *talks,
            ("mediation-response", "2004-04-24", {"party": "TCY", "response": "accepted"}),
            ("mediation-response", "2004-04-24", {"party": "GCY", "response": "rejected"}),
            ("agreement-reached", "2006-07-08", {"kind": "declaration"}),
            ("agreement-reached", "2014-02-11", {"kind": "declaration"})]


def picture(cli: Cli, tmp: Path, *args: str) -> ET.Element:
    out = tmp / "report.html"
    cli.ok("report", "-o", str(out), *args)
    match = re.search(r'<svg[^>]*class="timeline".*?</svg>', out.read_text(), re.S)
    assert match, "no timeline picture"
    return ET.fromstring(match.group(0))


def markers(svg: ET.Element) -> list[tuple[int, float, str]]:
    """(drawing order, x, what) of each marker."""
    found = []
    for order, g in enumerate(svg.iter()):
        if g.tag == f"{SVG}g" and "marker" in (g.get("class") or "").split():
            x = float(re.match(r"translate\(([-\d.]+),", g.get("transform")).group(1))
            found.append((order, x, g.findtext(f"{SVG}title").splitlines()[0]))
    return found


def breaks(svg: ET.Element) -> list[tuple[int, float, float, str]]:
    """(drawing order, left, right, title) of each axis break's hatching."""
    return [(order, float(r.get("x")), float(r.get("x")) + float(r.get("width")), r.findtext(f"{SVG}title"))
            for order, r in enumerate(svg.iter())
            if r.tag == f"{SVG}rect" and r.get("class") == "axis-break"]


def test_an_axis_break_never_covers_a_marker(sqlite_cli, tmp_path):
    svg = picture(cyprus(sqlite_cli, good_offices()), tmp_path, "--as-of", "2017-07-01")
    assert any("between 2004-04-24 and 2006-07-08" in title for *_, title in breaks(svg))
    covered = [(what, title) for m_order, x, what in markers(svg)
               for b_order, left, right, title in breaks(svg)
               if left < x + HALF and x - HALF < right and b_order > m_order]
    assert covered == []


def test_markers_beside_an_axis_break_keep_clear_of_its_band(sqlite_cli, tmp_path):
    svg = picture(cyprus(sqlite_cli, good_offices()), tmp_path, "--as-of", "2017-07-01")
    inside = [(what, title) for _, x, what in markers(svg) for _, left, right, title in breaks(svg)
              if left < x < right]
    assert inside == []


def test_a_crowded_lane_keeps_its_markers_inside_the_plot(sqlite_cli, tmp_path):
    crowd = [("talks-held", f"2020-{1 + n // 28:02d}-{1 + n % 28:02d}", {"venue": "Geneva"})
             for n in range(300)]
    svg = picture(cyprus(sqlite_cli, [*opening(), *crowd]), tmp_path, "--track", TRACK)
    plot_left = float(list(svg)[-1].get("x1"))  # the line between the lane labels and the plot
    label_right = max(len(t.text or "") * 12 * 0.6 + 16 for t in svg.iter(f"{SVG}text")
                      if t.get("class") == "lane-label")
    assert label_right <= plot_left
    spilled = [(what, x) for _, x, what in markers(svg) if x - HALF < plot_left]
    assert spilled == [] and len(markers(svg)) == 303
