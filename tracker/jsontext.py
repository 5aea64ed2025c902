"""Reading JSON a user hands us (an import line, an `append --from-json` file): bounded, and
every way it can fail is a malformed input (exit 2), never a crash."""

from __future__ import annotations

import codecs
import json
import sys
from typing import Any

from events.errors import InvalidInput

#: the most bytes one development may take as JSON (an import line, a --from-json file): a
#: development with its sources fits in a few kilobytes, and the validation of a line takes
#: about forty times its size in memory
MAX_LINE_BYTES = 1_000_000


def too_large() -> str:
    return (f"larger than {MAX_LINE_BYTES:,} bytes; a development with its sources "
            "fits in a few kilobytes")


def json_error(exc: Exception) -> str:
    """What is wrong with JSON text that `json.loads` refused (or could not take apart)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply; a development's fields nest a few levels at most"
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return (f"a number has more than {sys.get_int_max_str_digits()} digits; "
                "give a number of a sensible size")
    return f"not valid JSON ({exc})"


def loads(text: str) -> Any:
    """The value of JSON text, or InvalidInput that says why it has none."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(json_error(exc)) from None


def decode(raw: bytes) -> str:
    """UTF-8 text without its byte-order mark, as `import` reads a file."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("not UTF-8 text; save the file as UTF-8") from None
