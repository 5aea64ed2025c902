"""An import's lines taken as their raw JSON text: validated by pydantic straight from the
bytes, a window at a time, in segments that end at each line that may register an actor."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter, ValidationError

from events.catalogue import RECORD_TYPES
from events.developments import Recordable
from events.errors import TrackerError
from events.values import may_hold_control

#: what marks a raw line that registers an actor
ACTOR_LINE = b'"actor-registered"'


@cache
def record_adapter() -> TypeAdapter[Any]:
    """Every record type, told apart by its `type`: validates a line's JSON text directly."""
    return TypeAdapter(Annotated[Union[tuple(RECORD_TYPES.values())], Field(discriminator="type")])  # noqa: UP007


def early(data: Any, context: dict[str, Any]) -> Recordable | None:
    """A raw line validated straight from its JSON text; None for an actor registration,
    which changes what names resolve to (its segment ends there), and where validation fails
    or its text may hold a control character (the line then takes the usual way, which words
    the error)."""
    if not isinstance(data, bytes) or ACTOR_LINE in data or may_hold_control(data):
        return None
    try:
        return record_adapter().validate_json(data, context=context)  # type: ignore[no-any-return]
    except (ValidationError, TrackerError, RecursionError):
        return None


def refs(record: Recordable | None, data: Any) -> tuple[Any, ...]:
    """The ids a line names, its own and its target's: from its record if it has one."""
    if record is not None:
        values = record.__dict__
        return values["id"], values.get("target")
    return (data.get("id"), data.get("target")) if isinstance(data, dict) else ()


def segments(window: list[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    """A window cut after each raw line that may register an actor: the lines of a segment are
    validated ahead of deciding them, with the actors known when the segment starts."""
    start = 0
    for i, (_, data) in enumerate(window):
        if isinstance(data, bytes) and ACTOR_LINE in data:
            yield window[start:i + 1]
            start = i + 1
    if start < len(window):
        yield window[start:]


def windows(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    window: list[Any] = []
    for item in items:
        window.append(item)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window
