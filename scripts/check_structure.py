"""Checks the structural facts the project keeps, and lists every offender.

    .venv/bin/python scripts/check_structure.py      # exit 0 if all hold, 1 with a list if not

What it checks:

- README.md is at most 12,288 bytes (a page for users; the rest belongs in docs/);
- docs/cli.md, docs/semantics.md, docs/design.md and docs/performance.md exist;
- docs/cli.md is exactly what scripts/cli_reference.py generates from the commands' --help;
- no module of tracker/, events/, projections/ or scripts/ is over 400 lines;
- no function or method there is over 60 lines, unless it is data.

How a function's length is counted: from its ``def`` line to its last line, both included
(decorators not counted), blank lines and comments included, as a reader scrolls it. A
nested function counts on its own and inside the function that holds it.

What counts as data: a function whose body, after an optional docstring, is a single
``return`` of a literal display (a list, tuple, dict or set written out, or a constant).
Such a function is a table that happens to be built at call time, not logic; there is
nothing to split. Any other statement in the body makes it logic, and the limit applies.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_LIMIT = 12_288
MODULE_LIMIT = 400
FUNCTION_LIMIT = 60
DOCS = ("docs/cli.md", "docs/semantics.md", "docs/design.md", "docs/performance.md")
CODE_DIRS = ("tracker", "events", "projections", "scripts")
LITERALS = (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.Constant)


@dataclass(frozen=True)
class Offence:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def readme_offences(root: Path) -> list[Offence]:
    readme = root / "README.md"
    if not readme.exists():
        return [Offence("README.md", "missing")]
    size = readme.stat().st_size
    if size > README_LIMIT:
        return [Offence("README.md", f"{size:,} bytes, over the limit of {README_LIMIT:,}")]
    return []


def docs_offences(root: Path) -> list[Offence]:
    return [Offence(name, "missing") for name in DOCS if not (root / name).is_file()]


def cli_reference_offences(root: Path) -> list[Offence]:
    """docs/cli.md against what scripts/cli_reference.py would write now."""
    target = root / "docs" / "cli.md"
    if not target.is_file():
        return []  # already reported as a missing docs file
    script = root / "scripts" / "cli_reference.py"
    spec = importlib.util.spec_from_file_location("cli_reference", script)
    if spec is None or spec.loader is None:
        return [Offence("scripts/cli_reference.py", "cannot be loaded")]
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if target.read_text(encoding="utf-8") != module.reference():
        return [Offence("docs/cli.md", "out of date with --help: run scripts/cli_reference.py")]
    return []


def code_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder in CODE_DIRS:
        found += sorted(p for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)
    return found


def is_data(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True when the body is only an optional docstring and a return of a literal display."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return (len(body) == 1 and isinstance(body[0], ast.Return)
            and isinstance(body[0].value, LITERALS))


def function_offences(path: Path, tree: ast.AST, name: str) -> list[Offence]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > FUNCTION_LIMIT and not is_data(node):
            found.append(Offence(f"{name}:{node.lineno}",
                                 f"function {node.name} is {length} lines, over {FUNCTION_LIMIT}"))
    return found


def code_offences(root: Path) -> list[Offence]:
    found: list[Offence] = []
    for path in code_files(root):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MODULE_LIMIT:
            found.append(Offence(name, f"module is {lines} lines, over {MODULE_LIMIT}"))
        found += function_offences(path, ast.parse(text, filename=name), name)
    return found


def offences(root: Path = ROOT) -> list[Offence]:
    return (readme_offences(root) + docs_offences(root) + cli_reference_offences(root)
            + code_offences(root))


def main() -> int:
    found = offences()
    if not found:
        print("structure: all checks hold")
        return 0
    print(f"structure: {len(found)} offender(s)")
    for offence in found:
        print(f"  {offence}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
