"""The tree keeps its shape: scripts/check_structure.py holds, and says who offends when not."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_structure.py"


def load_checker():
    spec = importlib.util.spec_from_file_location("check_structure", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_tree_passes_the_structure_check():
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def small_tree(tmp_path: Path) -> Path:
    for name in ("docs/semantics.md", "docs/design.md", "docs/performance.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# doc\n")
    (tmp_path / "README.md").write_text("# tracker\n")
    (tmp_path / "tracker").mkdir()
    return tmp_path


def test_a_long_function_and_a_missing_doc_are_named_as_offenders(tmp_path):
    root = small_tree(tmp_path)
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    (root / "tracker" / "long.py").write_text(f"def long():\n{body}\n")
    found = [str(o) for o in load_checker().offences(root)]
    assert found == ["docs/cli.md: missing",
                     "tracker/long.py:1: function long is 61 lines, over 60"]


def test_a_function_that_only_returns_a_literal_is_data_and_not_counted(tmp_path):
    root = small_tree(tmp_path)
    rows = "\n".join(f"        {{'n': {i}}}," for i in range(70))
    (root / "tracker" / "table.py").write_text(
        f'def table():\n    """Rows."""\n    return [\n{rows}\n    ]\n')
    found = [str(o) for o in load_checker().offences(root)]
    assert found == ["docs/cli.md: missing"]


def test_an_oversized_readme_and_module_are_named_with_their_sizes(tmp_path):
    root = small_tree(tmp_path)
    (root / "README.md").write_text("x" * 12_289)
    (root / "tracker" / "big.py").write_text("x = 1\n" * 401)
    found = [str(o) for o in load_checker().offences(root)]
    assert "README.md: 12,289 bytes, over the limit of 12,288" in found
    assert "tracker/big.py: module is 401 lines, over 400" in found


def test_every_test_that_docs_semantics_names_exists():
    import re

    text = (ROOT / "docs" / "semantics.md").read_text(encoding="utf-8")
    named = re.findall(r"`(\w+/test_\w+\.py)::(test_\w+)`", text)
    assert len(named) > 10
    missing = [f"{path}::{name}" for path, name in named
               if not re.search(rf"^\s*def {name}\(", (ROOT / "tests" / path).read_text(encoding="utf-8"), re.M)]
    assert missing == [], f"docs/semantics.md names tests that do not exist: {missing}"
