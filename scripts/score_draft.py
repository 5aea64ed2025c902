"""Score `tracker draft --format text` against the articles in tests/data/articles/.

Each ARTICLE.txt has ARTICLE.expected.json: its publication day, the conflict's parties and
the developments a careful reader would record from it ("held_out": written after the rules,
scored first as they were). A drafted development matches an expected one when the type, the
mediators (the track's), the parties, the party and response, the kind, the stance and actor,
or the mediator joining or leaving agree, and the drafted date (at the precision drafted)
overlaps the expected one. Offers the draft infers for talks it was never told were offered,
and mediators it has join a track on the way (`mediator-joined` "Inferred: …"), are listed but
neither matched nor counted against precision: the article does not state them. A track's
mediators are those of its key and those the draft has join it by the line's date.

    python scripts/score_draft.py [-v] [ARTICLE.txt …]

prints recall and precision per article and overall, and the time each draft took, for each
set separately: the articles the rules were tuned on (tests/data/articles/*.txt) and each
held-out set (tests/data/articles/heldout*/), whose figures say how the rules do on articles
nobody tuned them for. An article the draft refuses (exit 2: no parties found) scores nothing.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from click.testing import CliRunner

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "articles"
FIELDS = ("party", "response", "kind", "stance", "actor", "mediator")


def span(value: object) -> tuple[date, date]:
    """(start, end) of an occurred object or of an expected date ("2025-10-01..2025-10-31")."""
    if isinstance(value, dict):
        return date.fromisoformat(value["start"]), date.fromisoformat(value["end"])
    text = str(value)
    first, _, last = text.partition("..")
    if len(first) == 4:  # a year
        return date(int(first), 1, 1), date(int(last or first), 12, 31)
    if len(first) == 7:
        from calendar import monthrange

        y, m = map(int, first.split("-"))
        return date(y, m, 1), date(y, m, monthrange(y, m)[1])
    return date.fromisoformat(first), date.fromisoformat(last or first)


def mediators_of(line: dict, joined: dict[str, list[tuple[str, date]]]) -> list[str]:
    """An offer's mediators; else those of the line's track, with those the draft has join it
    by the line's date."""
    if line.get("mediators"):
        return sorted(line["mediators"])
    track = line.get("track") or ""
    if ":" not in track:
        return []
    start = span(line["occurred"])[0]
    return sorted(set(track.split(":")[0].split("+")) | {m for m, day in joined.get(track, []) if day <= start})


def matches(line: dict, want: dict, parties: list[str], joined: dict[str, list[tuple[str, date]]]) -> bool:
    if line["type"] != want["type"]:
        return False
    if "mediators" in want and mediators_of(line, joined) != sorted(want["mediators"]):
        return False
    if line.get("parties") and sorted(line["parties"]) != sorted(parties):
        return False
    if line.get("track") and not line["track"].endswith(":" + "-".join(sorted(parties))):
        return False
    if any(k in want and line.get(k) != want[k] for k in FIELDS):
        return False
    got, exp = span(line["occurred"]), span(want["date"])
    return got[0] <= exp[1] and exp[0] <= got[1]


def inferred(line: dict) -> bool:
    """An offer or a joining the draft infers (it says so), which the article does not state."""
    return (line["type"] == "mediation-offered" and "inferred" in (line.get("occurred_note") or "")) \
        or (line["type"] == "mediator-joined" and line["summary"].startswith("Inferred"))


def draft(path: Path, published: str) -> tuple[list[dict], float, str]:
    from tracker.cli import cli

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as where:
        started = time.perf_counter()
        result = runner.invoke(cli, ["--db", str(Path(where) / "none.db"), "draft", str(path), "--published", published])
        took = time.perf_counter() - started
    if result.exit_code != 0:
        return [], took, f"exit {result.exit_code}: {result.stderr.strip()}"
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    return [x for x in lines if x["type"] != "actor-registered"], took, result.stderr


def score(path: Path) -> dict:
    spec = json.loads(path.with_suffix(".expected.json").read_text())
    lines, took, err = draft(path, spec["published"])
    scored = [x for x in lines if not inferred(x)]
    joined: dict[str, list[tuple[str, date]]] = {}
    for x in lines:
        if x["type"] == "mediator-joined":
            joined.setdefault(x["track"], []).append((x["mediator"], span(x["occurred"])[0]))
    expected = spec["expected"]
    used: set[int] = set()
    hits = 0
    for want in expected:
        for i, line in enumerate(scored):
            if i not in used and matches(line, want, spec["parties"], joined):
                used.add(i)
                hits += 1
                break
    return {"article": path.stem, "expected": len(expected), "drafted": len(scored), "matched": hits,
            "inferred": len(lines) - len(scored), "seconds": took,
            "refused": err if not lines and err.startswith("exit") else "",
            "missed": [w for w in expected if not any(matches(scored[i], w, spec["parties"], joined) for i in used)],
            "extra": [scored[i] for i in range(len(scored)) if i not in used]}


def sets(paths: list[Path]) -> list[tuple[str, list[Path]]]:
    """The articles to score, grouped: those named, else the tuned set and each held-out set."""
    if paths:
        return [("named", paths)]
    out = [("tuned", sorted(ARTICLES.glob("*.txt")))]
    out += [(d.name, sorted(d.glob("*.txt"))) for d in sorted(ARTICLES.glob("heldout*")) if d.is_dir()]
    return [(name, group) for name, group in out if group]


def report(name: str, paths: list[Path], verbose: bool) -> dict[str, int]:
    print(f"{'[' + name + ']':32} {'EXPECTED':>8} {'DRAFTED':>7} {'MATCHED':>7} {'RECALL':>6} {'PRECISION':>9} {'SECONDS':>7}")
    total = {"expected": 0, "drafted": 0, "matched": 0}
    for path in paths:
        s = score(path)
        for k in total:
            total[k] += s[k]
        recall = s["matched"] / s["expected"] if s["expected"] else 1.0
        precision = s["matched"] / s["drafted"] if s["drafted"] else 1.0
        print(f"{s['article']:32} {s['expected']:>8} {s['drafted']:>7} {s['matched']:>7} {recall:>6.2f} "
              f"{precision:>9.2f} {s['seconds']:>7.3f}")
        if s["refused"]:
            print(f"    refused: {s['refused']}")
        if verbose:
            for w in s["missed"]:
                print(f"    missed: {w}")
            for x in s["extra"]:
                print(f"    extra:  {x['type']} {x.get('track') or x.get('mediators')} {x['occurred']} "
                      f"{ {k: x[k] for k in FIELDS if k in x} }")
    recall = total["matched"] / total["expected"] if total["expected"] else 1.0
    precision = total["matched"] / total["drafted"] if total["drafted"] else 1.0
    print(f"{'overall ' + name:32} {total['expected']:>8} {total['drafted']:>7} {total['matched']:>7} "
          f"{recall:>6.2f} {precision:>9.2f}\n")
    return total


def main(argv: list[str]) -> int:
    verbose = bool(argv) and argv[0] == "-v"
    groups = sets([Path(a) for a in argv[verbose:]])
    draft(groups[0][1][0], "2025-01-01")  # the first draft loads the country data: time the others
    for name, paths in groups:
        report(name, paths, verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
