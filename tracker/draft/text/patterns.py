"""The patterns of patterns.toml, compiled once: what each kind of sentence looks like."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


def _compiled(items: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.I) for p in items]


@lru_cache(maxsize=1)
def raw() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("patterns.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def patterns() -> dict[str, Any]:
    """Every list of patterns compiled, keyed as in the file: `offer`, `response.welcomed` …"""
    out: dict[str, Any] = {}
    for section, body in raw().items():
        for key, value in body.items():
            if isinstance(value, list) and value and isinstance(value[0], str) and section != "actors":
                out[section if key == "patterns" else f"{section}.{key}"] = _compiled(value)
    return out


def first(key: str, text: str) -> re.Match[str] | None:
    """The earliest match of any pattern of the list `key` in the text."""
    found = [m for p in patterns()[key] if (m := p.search(text))]
    return min(found, key=lambda m: m.start()) if found else None


def choose(section: str, kinds: tuple[str, ...], text: str, earliest: bool = False) -> tuple[str, re.Match[str]] | None:
    """The first of the kinds (in the order given) whose list matches the text; with
    `earliest`, the kind whose words come first in the text ("a ceasefire … and an exchange
    of hostages" is a ceasefire), ties going to the order given."""
    found = [(kind, m) for kind in kinds if (m := first(f"{section}.{kind}", text))]
    if earliest and found:
        return min(found, key=lambda km: km[1].start())
    return found[0] if found else None
