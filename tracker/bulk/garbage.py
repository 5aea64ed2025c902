"""The garbage collector held back while an import runs."""

from __future__ import annotations

import gc
from typing import Any


class YoungGarbage:
    """Collect only young garbage while a bulk job runs, and only every `every` items.

    What an import builds lives until it ends, and its lines leave no cycles behind, so the
    collector would only scan live objects again and again; a young collection now and then
    still bounds whatever cycles an odd file might leave.
    """

    def __init__(self, every: int = 500_000):
        self.every = every
        self.since = 0

    def __enter__(self) -> YoungGarbage:
        self.enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            gc.enable()

    def done(self, items: int) -> None:
        self.since += items
        if self.since >= self.every:
            self.since = 0
            gc.collect(1)
