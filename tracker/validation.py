"""Turns pydantic's validation errors into short, field-by-field messages in the user's words."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from events.errors import InvalidInput

#: fields that hold a date (a development's own, a talk's, a source's publication)
DATE_FIELDS = {"occurred", "scheduled_for", "published"}
DATE_HELP = "not a date; use YYYY-MM-DD, YYYY-MM, YYYY, START..END or {start, end, precision}"

#: what pydantic calls the models, in the words of SPEC §2
MODEL_HELP = {
    "FuzzyDate": DATE_HELP,
    "Source": "not a source; give a URL or an object with url, outlet, published, "
    "reliability, credibility, quote",
}


def article(kind: str) -> str:
    """`a talks-held`, `an agreement-reached`."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _is_member(part: str) -> bool:
    """Whether a location part names one type of a union (`int`, `literal['low','high']`)."""
    return "[" in part or part in ("int", "str", "bool", "float", "list", "dict", "none")


def _where_and_what(error: Any, kind: str) -> tuple[str, str]:
    loc = [str(part) for part in error["loc"] if not _is_member(str(part))]
    # inside a date given as an object: say what a date is, not which of its keys is off
    for i, part in enumerate(loc[:-1]):
        if part in DATE_FIELDS and not loc[i + 1].isdigit():
            return ".".join(loc[: i + 1]), DATE_HELP
    where = ".".join(loc) or "development"
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message.replace("a valid integer", "a whole number")
    if error["type"] == "extra_forbidden":
        message = f"unknown field for {article(kind)}; see `tracker schema {kind}`"
    elif error["type"] == "missing":
        message = f"required for {article(kind)}"
    elif error["type"] in ("model_type", "model_attributes_type"):
        name = (error.get("ctx") or {}).get("class_name", "")
        message = MODEL_HELP.get(name, "not an object of the expected shape")
    return where, message


def _either(said: list[str]) -> str:
    expected = [m.removeprefix("Input should be ") for m in said]
    return "should be " + ", or ".join(expected)


def explain(exc: ValidationError, kind: str) -> InvalidInput:
    """One line per problem: `field: what is wrong`, the first one as the headline."""
    problems: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        where, message = _where_and_what(error, kind)
        said = problems.setdefault(where, [])
        if message not in said:
            said.append(message)
    # the types of a union each say what they expected: one line that names them all
    lines = [f"{where}: {' or '.join(said) if len(said) < 2 else _either(said)}"
             for where, said in problems.items()]
    return InvalidInput(f"invalid {kind}: {lines[0]}", lines[1:])
