"""Value types shared by every development: fuzzy dates, sources, actor codes, track keys."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

ACTOR_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
TRACK_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+\-]{0,79}$")

Precision = Literal["day", "month", "year", "interval"]

#: what no text may hold: the C0 controls but tab and newline (so NUL, ESC and the terminal
#: sequences it starts, and CR), DEL, the C1 controls, the line and paragraph separators, and
#: the bidirectional embeddings, overrides and isolates that reorder what a terminal or a page
#: shows after them (the marks LRM, RLM and ALM, which reorder nothing, are allowed)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

#: most items a development's lists may hold: its sources, and the actors of each actor list
MAX_SOURCES = 100
MAX_ACTORS = 50


def printable(text: str, limit: int = 80) -> str:
    """Text as a message may show it: control characters as \\uXXXX escapes, cut to `limit`."""
    short = text[:limit]
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", short) + ("…" if len(text) > limit else "")


def control_message(text: str) -> str | None:
    """What is wrong with text that holds a control character, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return (f"holds the control character U+{ord(found.group()):04X} at character "
            f"{found.start() + 1}; remove it (text may hold newlines and tabs, no other "
            "control characters)")


def first_control(value: Any, where: str = "") -> tuple[str, str] | None:
    """Where entered JSON holds a control character in any text, and what to say of it.

    Checked where input enters (`TrackerApplication.parse`, and a raw import line by
    `may_hold_control`) rather than by a validator on each text field, which would cost every
    line of an import a call per field; stored records are read back as they were written."""
    if isinstance(value, str):
        message = control_message(value)
        return (where or "development", message) if message else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and CONTROL.search(key):
                name = f"{where}.{printable(key)}" if where else printable(key)
                return name, "the field's name " + control_message(key)  # type: ignore[operator]
            found = first_control(item, f"{where}.{key}" if where else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = first_control(item, f"{where}.{i}")
            if found:
                return found
    return None


#: what may spell a control character in a raw JSON line: a C0 byte (JSON allows none raw in
#: text, but the parser is not relied on for it), a short or \u escape of one (or an escaped
#: backslash before b, f, r or u00..: a false alarm the slow way sorts out), or the UTF-8 bytes
#: of DEL, a C1 control, U+2028/9, U+202A-E or U+2066-9
RAW_CONTROL = re.compile(
    rb"[\x00-\x08\x0b-\x1f]|\\[bfr]|\\u00[01]|\\u00[89]|\\u007f|\\u20(?:2[89a-e]|6[6-9])|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]",
    re.IGNORECASE,
)


#: bytes none of RAW_CONTROL's matches starts with: printable ASCII but the backslash, and tab
#: and newline; a line of these alone is answered without the regular expression
PLAIN_BYTES = b"\t\n" + bytes(b for b in range(0x20, 0x7F) if b != ord("\\"))


def may_hold_control(raw: bytes) -> bool:
    """Whether a raw JSON line may hold a control character in its text (see RAW_CONTROL)."""
    if not raw.translate(None, PLAIN_BYTES):
        return False
    return raw_control_search(raw)


def raw_control_search(raw: bytes) -> bool:
    """The plain answer of `may_hold_control`: RAW_CONTROL searched through the whole line."""
    return RAW_CONTROL.search(raw) is not None


def at_most(limit: int, what: str) -> BeforeValidator:
    """Refuse a list of more than `limit` items that is being entered, before its items are
    validated one by one."""
    def check(value: Any, info: ValidationInfo) -> Any:
        if info.context is not None and isinstance(value, list) and len(value) > limit:
            raise ValueError(f"at most {limit} {what}, not {len(value)}")
        return value

    return BeforeValidator(check)


class Frozen(BaseModel):
    """Base of every stored value: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _single(text: str) -> tuple[date, date, str]:
    """Parse one date of day, month or year precision into the interval it spans."""
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or len(parts) > 3:
        raise ValueError(
            f"'{text}' is not a date; use YYYY-MM-DD, YYYY-MM, YYYY or START..END"
        )
    year = int(parts[0])
    if year < 1:
        raise ValueError(f"'{text}' is not a date: the year must be 0001 or later")
    if len(parts) == 1:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if len(parts[1]) != 2 or not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"'{text}' is not a date: the month must be 01 to 12")
    month = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last), "month"
    if len(parts[2]) != 2:
        raise ValueError(f"'{text}' is not a date: the day must have two digits")
    try:
        day = date(year, month, int(parts[2]))
    except ValueError:
        raise ValueError(f"'{text}' is not a date: no such day in the calendar") from None
    return day, day, "day"


def parse_fuzzy(text: str) -> dict[str, Any]:
    """Parse `2025-11-17`, `2025-11`, `2025`, `A..B` or EDTF `A/B` into start, end, precision."""
    return dict(_parse_fuzzy(text))


@lru_cache(maxsize=8192)
def _parse_fuzzy(text: str) -> dict[str, Any]:
    text = text.strip()
    if CONTROL.search(text):
        raise ValueError(f"'{printable(text)}' is not a date; use YYYY-MM-DD, YYYY-MM, YYYY or START..END")
    for sep in ("..", "/"):
        if sep in text:
            left, _, right = text.partition(sep)
            start, _, _ = _single(left.strip())
            _, end, _ = _single(right.strip())
            if end < start:
                raise ValueError(f"'{text}' ends before it starts")
            return {"start": start, "end": end, "precision": "interval", "text": text}
    start, end, precision = _single(text)
    return {"start": start, "end": end, "precision": precision, "text": text}


class FuzzyDate(Frozen):
    """A calendar date with its precision; a month, a year or an interval spans days."""

    start: date
    end: date
    precision: Precision
    text: str | None = None

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """Input is a string (as typed) or the object that output always uses."""
        return {"anyOf": [
            {"type": "string", "description": "YYYY-MM-DD, YYYY-MM, YYYY, or START..END (EDTF START/END)",
             "examples": ["2025-11-17", "2025-11", "2025-11-01..2025-11-16"]},
            handler(core_schema),
        ]}

    @model_validator(mode="wrap")
    @classmethod
    def _from_text(cls, value: Any, handler: Any) -> FuzzyDate:
        if isinstance(value, FuzzyDate):
            return value  # built by validation, and immutable: consistent
        if isinstance(value, str):
            value = parse_fuzzy(value)
        elif isinstance(value, date):
            value = {"start": value, "end": value, "precision": "day"}
        return handler(value)._consistent()

    def _consistent(self) -> FuzzyDate:
        if self.text is not None:
            said = _parse_fuzzy(self.text)
            if (said["start"], said["end"], said["precision"]) != (self.start, self.end, self.precision):
                raise ValueError(
                    f"the text '{self.text}' does not match start {self.start}, end {self.end} "
                    f"and precision {self.precision}; fix one or drop the text"
                )
            return self  # what parsing the text gives is consistent
        if self.end < self.start:
            raise ValueError("the end of a date interval is before its start")
        if self.precision == "day" and self.end != self.start:
            raise ValueError("a day-precision date must have start == end")
        if self.precision in ("month", "year"):
            text = self.start.isoformat()[: 7 if self.precision == "month" else 4]
            if parse_fuzzy(text)["end"] != self.end or parse_fuzzy(text)["start"] != self.start:
                raise ValueError(
                    f"a {self.precision}-precision date must span the whole {self.precision}"
                )
        return self

    def label(self) -> str:
        """Short human form: the text a user would have typed for it."""
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision == "month":
            return self.start.isoformat()[:7]
        if self.precision == "year":
            return self.start.isoformat()[:4]
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@lru_cache(maxsize=65536)  # every day of 150 years; a few MB at most
def _date_from_text(text: str) -> FuzzyDate:
    return FuzzyDate.model_validate(text)


def _shared_date(value: Any) -> Any:
    """A date given as text becomes a shared, immutable FuzzyDate: dates repeat, and an
    instance is not validated again."""
    return _date_from_text(value) if isinstance(value, str) else value


#: a FuzzyDate field: text or the object that output uses
Date = Annotated[FuzzyDate, BeforeValidator(_shared_date)]


def _resolve_actor(value: Any, info: ValidationInfo) -> Any:
    """Resolve a name or code to an actor code through the resolver in the context.

    Without a resolver (stored events being read back) the value must already be a code.
    """
    if not isinstance(value, str):
        raise ValueError("an actor must be a code or a name")
    resolver = (info.context or {}).get("resolve_actor")
    if resolver is not None:
        return resolver(value)
    if not ACTOR_CODE.match(value):
        raise ValueError(f"'{value}' is not an actor code")
    return value


ActorCode = Annotated[
    str,
    BeforeValidator(_resolve_actor),
    WithJsonSchema({"type": "string", "description": "an actor code (PAK, RSF) or a known name (Pakistan, Islamabad)"}),
]


def _check_track_key(value: Any) -> Any:
    if not isinstance(value, str) or not TRACK_KEY.match(value):
        raise ValueError(
            f"{value!r} is not a track key; use letters, digits and _ . : + - "
            "(for example QAT+TUR:AFG-PAK)"
        )
    return value


TrackKey = Annotated[
    str,
    BeforeValidator(_check_track_key),
    WithJsonSchema({"type": "string", "pattern": TRACK_KEY.pattern, "examples": ["QAT+TUR:AFG-PAK"]}),
]


def _sorted_unique(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if info.context is not None and isinstance(value, list) and len(value) > MAX_ACTORS:
        raise ValueError(f"at most {MAX_ACTORS} actors, not {len(value)}")
    return value


def parses_as_url(value: str) -> bool:
    """Whether a URL's host and port can be read (a report links and names its host)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        return False
    return bool(parts.hostname)


class Source(Frozen):
    """Where a fact comes from, graded on the Admiralty scale."""

    url: str | None = Field(default=None, max_length=2000, json_schema_extra={"pattern": r"^https?://\S+$"})
    outlet: str | None = Field(default=None, max_length=200)
    published: Date | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None
    credibility: StrictInt | None = Field(default=None, ge=1, le=6)
    quote: str | None = Field(default=None, max_length=4000)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "description": "a source URL"}, handler(core_schema)]}

    @model_validator(mode="before")
    @classmethod
    def _from_url(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"url": value}
        return value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not (URL.match(value) and parses_as_url(value)):
            raise ValueError(f"'{printable(value)}' is not an http(s) URL; give e.g. https://example.org/report")
        return value

    @model_validator(mode="after")
    def _names_something(self) -> Source:
        if self.url is None and not self.outlet:
            raise ValueError("a source needs a url or an outlet")
        return self

    def grade(self) -> str:
        """The Admiralty grade, e.g. `B2`, with `?` for an unknown half."""
        if self.reliability is None and self.credibility is None:
            return ""
        return f"{self.reliability or '?'}{self.credibility or '?'}"


ActorList = Annotated[
    list[ActorCode],
    BeforeValidator(_sorted_unique),
    WithJsonSchema({"anyOf": [
        {"type": "array", "items": {"type": "string"}, "maxItems": MAX_ACTORS, "examples": [["PAK", "Afghanistan"]]},
        {"type": "string", "description": "comma-separated codes or names", "examples": ["PAK,AFG"]},
    ]}),
]
