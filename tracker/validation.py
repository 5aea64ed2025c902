"""Turns pydantic's validation errors into short, field-by-field messages."""

from __future__ import annotations

from pydantic import ValidationError

from events.errors import InvalidInput


def explain(exc: ValidationError, kind: str) -> InvalidInput:
    """One line per problem: `field: what is wrong`, the first one as the headline."""
    lines = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "development"
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown field for a {kind}; see `tracker schema {kind}`"
        elif error["type"] == "missing":
            message = f"required for a {kind}"
        lines.append(f"{where}: {message}")
    return InvalidInput(f"invalid {kind}: {lines[0]}", lines[1:])
