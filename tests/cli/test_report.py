"""`tracker report`: the HTML report (well formed, self-contained, one lane per track, a marker
per development), the status bands, the Markdown brief, and the page in a real browser."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Cli
from tests.report_case import as_jsonl, ident, many_tracks

from tracker.report.bands import status_bands

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = "2025-11-20"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Every tag with its attributes, and any tag closed out of order."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.errors: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
        else:
            self.open.pop()


def timeline_svg(page: str) -> ET.Element:
    match = re.search(r'<svg[^>]*class="timeline".*?</svg>', page, re.S)
    assert match, "no timeline picture"
    return ET.fromstring(match.group(0))


def lanes(svg: ET.Element, kind: str) -> dict[str, ET.Element]:
    return {
        g.get("data-key"): g
        for g in svg.iter(f"{SVG}g")
        if f"{kind}-lane" in (g.get("class") or "").split()
    }


def marker_ids(element: ET.Element) -> list[str]:
    return [g.get("data-id") for g in element.iter(f"{SVG}g") if "marker" in (g.get("class") or "").split()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Cli:
    cli = Cli(str(tmp_path_factory.mktemp("report") / "demo.db"))
    cli.ok("demo")
    return cli


def report(cli: Cli, tmp: Path, *args: str) -> str:
    out = tmp / "report.html"
    result = cli.ok("report", "-o", str(out), *args)
    assert f"wrote {out}" in result.stderr and result.stdout == ""
    return out.read_text(encoding="utf-8")


def test_the_html_report_is_well_formed_and_self_contained(demo, tmp_path):
    page = report(demo, tmp_path, "--as-of", AS_OF)
    parsed = Page(page)
    assert parsed.errors == [] and parsed.open == []
    assert page.startswith("<!DOCTYPE html>")
    tags = parsed.tags
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "img", "object", "embed")]
    assert all(not a.get("src") for _, a in tags), "nothing is loaded from anywhere"
    assert all(a["href"].startswith("#") for t, a in tags if t == "use")
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert styles and not re.search(r"url\(|@import|@font-face", styles)
    links = {a["href"] for t, a in tags if t == "a" and not a["href"].startswith("#")}
    sources = {s["url"] for d in demo.json("timeline", "--until", AS_OF) for s in d["sources"] if s["url"]}
    assert links == sources, "the only links out are to sources"
    assert not [h for t, a in tags if t == "a" for h in [a["href"]] if h.startswith("#") and
                f'id="{h[1:]}"' not in page], "every link inside the page has its target"
    timeline_svg(page)  # the picture is well-formed XML too


def test_one_lane_per_track_and_a_marker_per_development(demo, tmp_path):
    svg = timeline_svg(report(demo, tmp_path, "--as-of", AS_OF))
    states = demo.json("status", "--as-of", AS_OF)
    tracks = lanes(svg, "track")
    assert sorted(tracks) == [s["track"] for s in states]
    assert {k: g.get("data-status") for k, g in tracks.items()} == {s["track"]: s["status"] for s in states}
    devs = demo.json("timeline", "--until", AS_OF)
    assert sorted(marker_ids(svg)) == sorted(d["id"] for d in devs)
    for dev in devs:
        lane = dev.get("track") or "-".join(dev["parties"])
        owner = tracks.get(lane) or lanes(svg, "conflict")[lane]
        assert dev["id"] in marker_ids(owner), (dev["type"], lane)
    assert sorted(lanes(svg, "conflict")) == ["AFG-PAK", "IND-PAK"]
    assert len(marker_ids(lanes(svg, "conflict")["AFG-PAK"])) == 5  # 3 incidents, 2 statements


def test_the_scope_follows_track_and_conflict(demo, tmp_path):
    svg = timeline_svg(report(demo, tmp_path, "--track", "irn:afg-pak", "--as-of", AS_OF))
    assert list(lanes(svg, "track")) == ["IRN:AFG-PAK"] and list(lanes(svg, "conflict")) == ["AFG-PAK"]
    iran = demo.json("timeline", "--track", "IRN:AFG-PAK")
    conflict_level = [d for d in demo.json("timeline", "--conflict", "AFG-PAK", "--until", AS_OF) if not d.get("track")]
    assert sorted(marker_ids(svg)) == sorted(d["id"] for d in iran + conflict_level)

    svg = timeline_svg(report(demo, tmp_path, "--conflict", "Pakistan,India"))
    assert list(lanes(svg, "track")) == ["RUS:IND-PAK"] and len(marker_ids(svg)) == 1


def test_status_bands_follow_the_replay(demo):
    data = demo.json("report", "--as-of", AS_OF)
    qt = next(lane for lane in data["lanes"] if lane["key"] == "QAT+TUR:AFG-PAK")
    assert [(b["status"], b["start"], b["end"]) for b in qt["bands"]] == [
        ("offered", "2025-10-17", "2025-10-18"),
        ("in-talks", "2025-10-18", "2025-10-19"),
        ("talks-scheduled", "2025-10-19", "2025-10-25"),  # the ceasefire and Istanbul, one day
        ("in-talks", "2025-10-25", "2025-10-30"),
        ("talks-scheduled", "2025-10-30", "2025-11-06"),
        ("in-talks", "2025-11-06", "2025-11-07"),
        ("collapsed", "2025-11-07", AS_OF),
    ]


def step(track: str | None, day: str, status: str | None, dev_id: str) -> dict[str, Any]:
    state = None if track is None else {"track": track, "status": status}
    return {"development": {"id": dev_id, "occurred": {"start": day}}, "track_state": state}


def test_bands_keep_a_days_last_status_and_skip_unchanged_and_null_ones():
    steps = [
        step("T", "2025-01-01", None, "a"),  # predates the offer: nothing to draw
        step("T", "2025-01-03", "offered", "b"),
        step(None, "2025-01-04", None, "incident"),
        step("T", "2025-01-05", "offered", "c"),  # a second offer changes nothing
        step("T", "2025-01-09", "agreement", "d"),
        step("T", "2025-01-09", "talks-scheduled", "e"),  # same day: the later one wins
        step("U", "2025-01-10", "offered", "f"),
    ]
    bands = status_bands(steps, date(2025, 2, 1))
    assert [(b.status, str(b.start), str(b.end), b.set_by) for b in bands["T"]] == [
        ("offered", "2025-01-03", "2025-01-09", "b"),
        ("talks-scheduled", "2025-01-09", "2025-02-01", "e"),
    ]
    assert [b.status for b in bands["U"]] == ["offered"]


def test_sources_grades_retractions_and_corrections_are_shown(demo, tmp_path):
    cli = Cli(str(tmp_path / "fixes.db"))
    cli.ok("demo")
    cli.ok("retract", "3bbc5f89", "--reason", "the FO statement was misquoted")
    cli.ok("correct", "0f85fff3", "--occurred", "2025-10-29", "--reason", "HUM English says Wednesday")
    page = report(cli, tmp_path, "--as-of", AS_OF)
    rows = dict(re.findall(r'<tr id="dev-([0-9a-f-]+)"(.*?)</tr>', page, re.S))
    retracted = next(v for k, v in rows.items() if k.startswith("3bbc5f89"))
    assert 'class="dev retracted"' in retracted and "<del" in retracted
    assert "RETRACTED" in retracted and "the FO statement was misquoted" in retracted
    corrected = next(v for k, v in rows.items() if k.startswith("0f85fff3"))
    assert "corrected" in corrected and "was 2025-10-28, now 2025-10-29" in corrected
    welcome = next(v for k, v in rows.items() if k.startswith("c9d810d8"))
    assert 'href="https://www.dawn.com/news/1955464/' in welcome
    assert re.search(r'<abbr class="grade" title="source completely reliable; information probably true">A2</abbr>', welcome)
    svg = timeline_svg(page)
    marker = next(g for g in svg.iter(f"{SVG}g") if (g.get("data-id") or "").startswith("3bbc5f89"))
    assert "retracted" in marker.get("class")

    before = report(cli, tmp_path, "--as-of", AS_OF, "--known-at", "2020-01-01")
    assert "No track has a development that counts" in before and "known at <strong>2020-01-01 23:59" in before


def test_hostile_text_is_escaped_everywhere(tmp_path):
    cli = Cli(str(tmp_path / "hostile.db"))
    nasty = "<script>alert(1)</script> ]]> & \"quotes\" [link](x) *bold* | pipe"
    cli.append("mediation-offered", "--mediators", "NOR", "--parties", "ETH,ERI", "--occurred", "2025-03-01",
               "--summary", nasty, "--speaker", "<b>x</b>", "--source", "https://example.org/?a=1&b=<2>")
    page = report(cli, tmp_path, "--as-of", "2025-03-31")
    parsed = Page(page)
    assert parsed.errors == [] and "script" not in [t for t, _ in parsed.tags]
    assert nasty.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") in page
    assert timeline_svg(page).find(f".//{SVG}title") is not None
    brief = cli.ok("report", "--format", "md", "--as-of", "2025-03-31").stdout
    assert "\\<script>" in brief and "\\[link\\]\\(x\\) \\*bold\\* \\| pipe" in brief

def test_thirty_tracks_stay_legible(tmp_path):
    cli = Cli(str(tmp_path / "many.db"))
    cli.ok("import", "-", input=as_jsonl(many_tracks(30)))
    svg = timeline_svg(report(cli, tmp_path, "--as-of", "2025-09-30"))
    tracks = lanes(svg, "track")
    assert len(tracks) == 30 and len(lanes(svg, "conflict")) == 5
    assert int(svg.get("height")) < 1400
    for lane in [*tracks.values(), *lanes(svg, "conflict").values()]:
        xs = sorted(float(re.match(r"translate\(([\d.]+)", g.get("transform")).group(1))
                    for g in lane.iter(f"{SVG}g") if "marker" in (g.get("class") or ""))
        assert all(b - a >= 13.9 for a, b in zip(xs, xs[1:])), "markers never sit on each other"
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "lane-label"]
    assert len({t.get("y") for t in labels}) == 35
    retracted = [g for g in svg.iter(f"{SVG}g") if "retracted" in (g.get("class") or "")]
    assert [g.get("data-id") for g in retracted] == [ident(2, 4)]


def test_the_markdown_brief(any_cli):
    any_cli.ok("demo")
    brief = any_cli.ok("report", "--format", "md", "--as-of", AS_OF, "--since", "2025-11-01").stdout
    assert brief.startswith("# Mediation report: all tracks\n")
    assert "As of **20 Nov 2025**" in brief
    assert "| QAT+TUR:AFG-PAK | **collapsed** | QAT, TUR |" in brief
    assert "| ceasefire 2025-10-19, ceasefire-extension 2025-10-30 |" in brief
    assert "'start'" not in brief
    assert "## What changed since 01 Nov 2025" in brief
    assert "- **IRN:AFG-PAK**: offered → **welcomed**" in brief
    assert "- **RUS:AFG-PAK**: not open yet → offered → **welcomed**" in brief
    assert "[Dawn](https://www.dawn.com/news/1955464/" in brief and ") (A2);" in brief
    assert "### QAT+TUR:AFG-PAK — collapsed" in brief
    key = brief.split("## Key developments")[1]
    assert "talks-collapsed" in key and "2025-11-07" in key
    assert "USA:AFG-PAK" in brief.split("## What changed")[0]
    assert "USA:AFG-PAK" not in brief.split("## What changed")[1].split("## Key")[0]


def test_the_brief_looks_back_a_week_by_default_and_writes_md_files(demo, tmp_path):
    brief = demo.ok("report", "--format", "md", "--as-of", "2025-11-17").stdout
    assert "## What changed since 10 Nov 2025" in brief and "**IRN:AFG-PAK**: offered" in brief
    out = tmp_path / "brief.md"
    demo.ok("report", "-o", str(out), "--as-of", AS_OF)  # the format follows the suffix
    assert out.read_text(encoding="utf-8").startswith("# Mediation report")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"], "no temporary file is left"


def test_report_errors(demo, tmp_path):
    assert "is after the as-of date" in demo.fails(2, "report", "--since", "2025-12-01", "--as-of", AS_OF)
    assert "unknown track 'NOPE'" in demo.fails(1, "report", "--track", "NOPE")
    demo.fails(2, "report", "--as-of", "someday")
    missing = Cli(str(tmp_path / "missing.db"))
    missing.fails(3, "report")
    assert not (tmp_path / "missing.db").exists()


def test_json_is_the_reports_data(demo):
    data = json.loads(demo.ok("report", "--json", "--as-of", AS_OF).stdout)
    assert data["as_of"] == AS_OF and len(data["states"]) == 5
    assert {d["id"] for d in data["developments"]} == {d["id"] for d in demo.json("timeline", "--until", AS_OF)}


# -- in a real browser -------------------------------------------------------------------------
PROBE = """<script>
  const svg = document.querySelector('svg.timeline');
  const box = svg.getBoundingClientRect();
  const drawn = (nodes) => [...nodes].filter((n) => {
    const r = n.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length;
  document.body.setAttribute('data-probe', JSON.stringify({
    width: box.width, height: box.height,
    markers: drawn(svg.querySelectorAll('.marker')), bands: drawn(svg.querySelectorAll('rect.band')),
  }));
</script>
"""


def browser():
    """The screenshot script's helpers, once Chromium is known to be there."""
    import importlib.util
    import os

    path = Path(__file__).resolve().parents[2] / "scripts" / "screenshot.py"
    spec = importlib.util.spec_from_file_location("screenshot", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if module.find_chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is missing; scripts/test.sh installs it with apt-get")
        pytest.skip("no headless browser here: install Debian's chromium (apt-get install chromium)")
    return module


def near(colour: tuple[int, ...], hex_colour: str, tolerance: int = 8) -> bool:
    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tolerance for a, b in zip(colour[:3], target, strict=True))


def test_chromium_lays_out_and_paints_the_timeline(demo, tmp_path):
    shots = browser()
    from PIL import Image

    page = tmp_path / "report.html"
    demo.ok("report", "--as-of", AS_OF, "-o", str(page))
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    found = re.search(r'data-probe="([^"]+)"', shots.dump_dom(probe))
    assert found, "the probe script did not run"
    laid_out = json.loads(html.unescape(found.group(1)))
    devs = demo.json("timeline", "--until", AS_OF)
    assert laid_out["width"] > 1000 and laid_out["height"] > 250, laid_out
    assert laid_out["markers"] == len(devs), "every marker's shape resolved and has a size"
    assert laid_out["bands"] >= 12

    png = tmp_path / "report.png"
    shots.screenshot(page, png, 1400, 1000)
    image = Image.open(png).convert("RGB")
    assert image.size == (1400, 1000)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 100, "not a blank page"
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.9 * 1400 * 1000

    def painted(hex_colour: str) -> int:
        return sum(n for n, c in colours if near(c, hex_colour))

    for status, fill in {"collapsed": "#d9480f", "offered": "#a5d8ff", "welcomed": "#b2f2bb", "in-talks": "#8468e8"}.items():
        assert painted(fill) > 300, f"the {status} band is not on screen"


def test_a_stored_url_that_does_not_parse_is_shown_as_it_is_not_a_crash():
    from tracker.report.render import host

    assert host("http://[::1") == "http://[::1"
    assert host("https://www.example.org/a") == "example.org"
