"""Reading JSON a user hands us (an import file or stdin, an `append --from-json` file):
bounded, and every way it can fail is a malformed input (exit 2), never a crash."""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

from events.errors import InvalidInput, TrackerError

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


#: the first byte of a line that holds JSON (anything else may be a line of Unicode spaces)
JSON_START = frozenset(b'{["-0123456789tfn')


class Lines:
    """Lines whose strings are known to be storable as UTF-8 (see `TrackerApplication.parse`)."""

    text_checked = True

    def __init__(self, items: Iterator[tuple[int, Any]]):
        self.items = items

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return self.items


class JsonLines:
    """A JSON-lines file read a line at a time, as often as needed; stdin is spooled to a
    temporary file first so that an import can read it again. A line longer than
    MAX_LINE_BYTES is never held whole: it is skipped and reported as a bad line."""

    def __init__(self, path: str):
        self.spool: str | None = None
        self.name = "stdin" if path == "-" else path
        if path == "-":
            self.spool = path = spool(sys.stdin.buffer, "stdin")
        elif is_device(path):  # /dev/zero, a terminal: no end to wait for
            raise InvalidInput(f"{path} is a device, not a file; give a JSON-lines file, or - for stdin")
        elif is_pipe(path):  # `import <(zcat file.gz)`: a pipe can be read once only
            try:
                source = open(path, "rb")
            except OSError as exc:
                raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
            with source:
                self.spool = path = spool(source, path)
        self.path = path
        try:
            with open(path, "rb") as handle:
                first = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
                handle.seek(0)
                self.count = count_lines(handle)
            if first.startswith(b"["):
                raise InvalidInput(
                    f"{self.name} holds a JSON array; import reads JSON lines, one development a "
                    "line, as `tracker export` (without --json) writes them"
                )
        except OSError as exc:
            self.close()
            raise InvalidInput(f"cannot read {self.name}: {exc.strerror}") from None
        except BaseException:
            self.close()
            raise

    def __call__(self) -> Iterator[tuple[int, Any]]:
        """(line number, the line's bytes, parsed object or error) for every non-blank line."""
        return Lines(self._read())

    def _read(self) -> Iterator[tuple[int, Any]]:
        """Lines as their bytes for `import` to validate (see `decode_line`), except those it
        would have to take apart first: a \\udXXX escape, a byte-order mark."""
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(bounded_lines(handle), start=1):
                if raw is None:
                    yield number, InvalidInput(f"the line is {too_large()}")
                    continue
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                stripped = raw.strip()
                if not stripped or (stripped[0] not in JSON_START and not raw.decode("utf-8", "replace").strip()):
                    continue  # blank, with str.strip()'s spaces (U+001C–U+001F, U+00A0…) too
                yield number, (decode_line(raw) if b"\\ud" in raw.lower() else raw)

    def close(self) -> None:
        if self.spool:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.spool)
            self.spool = None


class MachineFault(TrackerError):
    """The machine, not the input, stops the command: no room or no right to write (exit 3)."""

    exit_code = 3


def is_device(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False  # opening it says what is wrong
    return (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) and path != os.devnull


def is_pipe(path: str) -> bool:
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False  # opening it says what is wrong


def spool(source: Any, name: str) -> str:
    """A copy of a stream (stdin, a pipe) in the temporary folder, removed again if the copy
    does not complete (an error, Ctrl-C); the caller removes it when it is done."""
    folder = tempfile.gettempdir()
    path = None
    try:
        # named with this process's id, so the next import removes it if this one is killed
        handle, path = tempfile.mkstemp(prefix=f"tracker-stdin-{os.getpid()}-", suffix=".jsonl")
        with os.fdopen(handle, "wb") as out:
            while True:
                try:
                    chunk = source.read(1 << 20)
                except OSError as exc:
                    raise InvalidInput(f"cannot read {name}: {exc.strerror or exc}") from None
                if not chunk:
                    break
                out.write(chunk)
    except BaseException as exc:
        if path:
            with contextlib.suppress(OSError):
                os.unlink(path)
        if isinstance(exc, OSError):
            room = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
            raise MachineFault(
                f"cannot keep a copy of {name} in the temporary folder {folder}: "
                f"{exc.strerror or exc}; "
                + ("free space there or set TMPDIR to a folder with room" if room else
                   "make it writable or set TMPDIR to a folder you can write to")
                + "; or give import a file instead of -"
            ) from None
        raise
    return path


def count_lines(handle: Any) -> int:
    """The lines a binary file holds, as iterating over it counts them, without holding a line."""
    count, last = 0, b"\n"
    while chunk := handle.read(1 << 20):
        count += chunk.count(b"\n")
        last = chunk[-1:]
    return count + (last != b"\n")


def bounded_lines(handle: Any) -> Iterator[bytes | None]:
    """Each line of a binary file, or None for a line longer than MAX_LINE_BYTES (its bytes
    are read past, never held)."""
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield raw


def decode_line(raw: bytes) -> Any:
    """The value of one line of a JSON-lines file, or the InvalidInput that says why it has
    none. A reader may hand `import` a line as its bytes where it holds no \\udXXX escape (a
    lone surrogate cannot be stored) and is not blank; its first line without a byte-order
    mark."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return InvalidInput("not UTF-8 text; give a JSON-lines file")
    if "\\ud" in line.lower():  # a \\udXXX escape may be a lone surrogate
        try:
            storable = encodable(json.loads(line))
        except (ValueError, RecursionError):
            storable = True  # not JSON: the parse below says why
        if not storable:
            return InvalidInput("text must be valid Unicode (a lone surrogate)")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return InvalidInput(f"not valid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:  # thousands of digits, thousands of levels
        return InvalidInput(json_error(exc))


def encodable(value: Any) -> bool:
    """True when every string in a JSON value can be stored as UTF-8 (the common case)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return False
    return True
