#!/usr/bin/env python3
"""Photograph the demo's HTML report with headless Chromium, for the README.

Records the seed case into a throwaway store, writes its report, and saves a screenshot:

    python scripts/screenshot.py                      # docs/report.png
    python scripts/screenshot.py --out /tmp/r.png --as-of 2025-11-10 --height 1400

Needs Debian's `chromium` (`apt-get install chromium`). The tests use the helpers below too.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the seed case runs from October to the end of November 2025
DEMO_AS_OF = "2025-12-05"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=1",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def run_chromium(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Chromium with a profile of its own that is thrown away, so runs never share state."""
    binary = find_chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed; apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="tracker-chromium-") as profile:
        return subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=timeout, check=True,
        )


def screenshot(page: Path, png: Path, width: int = 1400, height: int = 1000) -> None:
    run_chromium([f"--screenshot={png}", f"--window-size={width},{height}", page.resolve().as_uri()])
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot to {png}")


def dump_dom(page: Path, width: int = 1400, height: int = 1000) -> str:
    """The page's DOM after its scripts ran, as Chromium serialises it."""
    result = run_chromium(
        ["--dump-dom", "--virtual-time-budget=2000", f"--window-size={width},{height}", page.resolve().as_uri()]
    )
    return result.stdout


def tracker(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "tracker.cli", *args], check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--as-of", default=DEMO_AS_OF)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-screenshot-") as tmp:
        db, page = Path(tmp) / "demo.db", Path(tmp) / "report.html"
        tracker("--db", str(db), "demo")
        tracker("--db", str(db), "report", "--as-of", args.as_of, "-o", str(page))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        screenshot(page, args.out, args.width, args.height)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
