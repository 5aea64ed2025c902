"""Date expressions in a sentence, resolved against the day the article was published.

A weekday ("on Monday") is the latest such day on or before publication ("last Monday": before
it); a day of a month without a year ("on June 27") and a month alone ("in March") fall in the
latest year that does not put them after publication. Vaguer phrases become intervals that end at
publication ("earlier this month": from the month's first day; "in recent months": the three
months before). Each expression keeps its words, for `occurred_note`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
WEEKDAY = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a": 1, "several": 3, "few": 3}


@dataclass(frozen=True)
class When:
    start: date
    end: date
    precision: str  # day | month | year | interval
    phrase: str
    at: int  # where the phrase is in the sentence
    vague: bool = False  # an interval the text only hints at

    @property
    def occurred(self) -> str:
        if self.precision == "day" or self.start == self.end:
            return self.start.isoformat()
        if self.precision == "month":
            return self.start.isoformat()[:7]
        if self.precision == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def width(self) -> int:
        return (self.end - self.start).days


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _months_back(day: date, n: int) -> date:
    month = day.month - n
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _latest(published: date, month: int, day: int | None) -> int:
    """The year in which that month (and day) last came, on or before publication."""
    year = published.year
    if (month, day or 1) > (published.month, published.day):
        year -= 1
    return year


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


RULES: list[tuple[str, str]] = [
    (rf"\b{MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b", "mdy"),
    (rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{MONTH},? (\d{{4}})\b", "dmy"),
    (rf"\b{MONTH} (\d{{1,2}})(?:st|nd|rd|th)?\b(?!,? \d{{4}})(?! (?:per ?cent|percent|%))", "md"),
    (rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{MONTH}\b(?!,? \d{{4}})", "dm"),
    (rf"\b(?:early |mid-|late |in |of |since )?{MONTH},? (\d{{4}})\b", "my"),
    (rf"\b(?:in |early |mid-|late |since |for |and |of )(?:early |mid-|late )?{MONTH}\b(?!\.? ?\d)", "m"),
    (r"\b(?:(?:in|since|during|of) )(20\d\d|19\d\d)\b", "y"),
    (rf"\blast {WEEKDAY}\b", "lastwd"),
    (rf"\b(?:on |late |early |since |until )?{WEEKDAY}\b", "wd"),
    (r"\byesterday\b", "yesterday"),
    (r"\b(?:earlier )?today\b|\bthis morning\b|\bthis evening\b|\btonight\b", "today"),
    (r"\b(one|two|three|four|five|six|a few|several) days ago\b", "daysago"),
    (r"\b(?:earlier|late|early) this month\b|\bthis month\b", "thismonth"),
    (r"\blast month\b|\bthe previous month\b", "lastmonth"),
    (r"\b(?:earlier|late|early) this week\b|\bthis week\b", "thisweek"),
    (r"\blast week\b|\bthe previous week\b", "lastweek"),
    (r"\b(?:earlier|early) this year\b|\bthis year\b", "thisyear"),
    (r"\blast year\b", "lastyear"),
    (r"\b(?:in )?recent (?:months|weeks)\b|\bover the past (?:few |several )?(?:months|weeks)\b", "recentmonths"),
    (r"\brecent(?:ly)?\b|\bjust days (?:after|before|ago)\b|\bdays (?:after|earlier|later)\b", "recent"),
]
COMPILED = [(re.compile(p, re.I), kind) for p, kind in RULES]


def resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, date, str, bool] | None:
    """(start, end, precision, vague) of one expression; None where it names no real date
    or one after publication."""
    return _calendar(kind, m, published) or _relative(kind, m.groups(), published)


def _calendar(kind: str, m: re.Match[str], published: date) -> tuple[date, date, str, bool] | None:
    """Dates named by the calendar: a day, a month, a year."""
    g = m.groups()
    if kind in ("mdy", "dmy"):
        month, day, year = (g[0], g[1], g[2]) if kind == "mdy" else (g[1], g[0], g[2])
        d = _day(int(year), MONTHS[month.lower().rstrip(".")], int(day))
        return (d, d, "day", False) if d else None
    if kind in ("md", "dm"):
        month, day = (g[0], g[1]) if kind == "md" else (g[1], g[0])
        mo = MONTHS[month.lower().rstrip(".")]
        d = _day(_latest(published, mo, int(day)), mo, int(day))
        return (d, d, "day", False) if d else None
    if kind == "my":
        start, end = _month_span(int(g[1]), MONTHS[g[0].lower().rstrip(".")])
        return start, end, "month", False
    if kind == "m":
        mo = MONTHS[g[0].lower().rstrip(".")]
        start, end = _month_span(_latest(published, mo, None), mo)
        if m.group(0).lower().startswith("since"):  # "has hosted delegations since April"
            return start, published, "interval", False
        return start, min(end, published), "month" if end <= published else "interval", False
    if kind == "y":
        year = int(g[0])
        return date(year, 1, 1), min(date(year, 12, 31), published), "year" if year < published.year else "interval", False
    return None


def _relative(kind: str, g: tuple[Any, ...], published: date) -> tuple[date, date, str, bool] | None:
    """Dates counted back from the day of publication ("on Tuesday", "last month")."""
    if kind in ("wd", "lastwd"):
        back = (published.weekday() - WEEKDAYS[g[0].lower()]) % 7
        if kind == "lastwd" and back == 0:
            back = 7
        d = published - timedelta(days=back)
        return d, d, "day", False
    if kind == "yesterday":
        d = published - timedelta(days=1)
        return d, d, "day", False
    if kind == "today":
        return published, published, "day", False
    if kind == "daysago":
        n = NUMBERS.get(g[0].lower().split()[-1], 3)
        if g[0].lower() in ("a few", "several"):
            return published - timedelta(days=6), published - timedelta(days=2), "interval", True
        d = published - timedelta(days=n)
        return d, d, "day", False
    if kind == "thismonth":
        return published.replace(day=1), published, "interval", False
    if kind == "lastmonth":
        start, end = _month_span(*((published.year, published.month - 1) if published.month > 1 else (published.year - 1, 12)))
        return start, end, "month", False
    if kind == "thisweek":
        return published - timedelta(days=published.weekday()), published, "interval", False
    if kind == "lastweek":
        monday = published - timedelta(days=published.weekday() + 7)
        return monday, monday + timedelta(days=6), "interval", False
    if kind == "thisyear":
        return date(published.year, 1, 1), published, "interval", False
    if kind == "lastyear":
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), "year", False
    if kind == "recentmonths":
        return _months_back(published, 3), published, "interval", True
    if kind == "recent":
        return _months_back(published, 1), published, "interval", True
    return None


def find(sentence: str, published: date) -> list[When]:
    """Every date expression of the sentence, earliest in the text first; overlapping
    expressions keep the first rule's (the most specific)."""
    taken: list[tuple[int, int]] = []
    found: list[When] = []
    for pattern, kind in COMPILED:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            got = resolve(kind, m, published)
            if got is None or got[0] > published:
                continue
            taken.append((m.start(), m.end()))
            found.append(When(got[0], got[1], got[2], m.group(0).strip(), m.start(), got[3]))
    return sorted(found, key=lambda w: w.at)


def undated(published: date) -> When:
    """No date in the text: the three months before publication, never a made-up day."""
    return When(_months_back(published, 3), published, "interval", "", 0, True)


#: an event dated by another the article has reported ("shortly after the truce took effect",
#: "hours after the announcement", "a day after the talks")
AFTER_EVENT = re.compile(r"\b(?P<gap>shortly|soon|hours|minutes|moments|within hours|(?:a|one|the) day) after (?:the )?"
                         r"(?:[\w-]+ )?(?P<event>truce|ceasefire|cease-fire|agreement|deal|accord|signing|announcement"
                         r"|talks|meeting|negotiations)\b", re.I)


def after_event(sentence: str, anchors: dict[str, When], published: date) -> When | None:
    """The date of what the sentence tells as following an event already reported: that
    event's day (the next, for "a day after"), or from it to the day after where the gap is
    hours. None where the article has not dated that event to the day."""
    m = AFTER_EVENT.search(sentence)
    if not m:
        return None
    anchor = anchors.get("talks" if m["event"].lower() in ("talks", "meeting", "negotiations") else "agreement")
    if anchor is None or anchor.width > 0:
        return None
    if m["gap"].lower().endswith("day"):
        d = anchor.start + timedelta(days=1)
        return When(d, d, "day", m[0], m.start()) if d <= published else None
    end = min(anchor.start + timedelta(days=1), published)
    return When(anchor.start, end, "interval" if end > anchor.start else "day", m[0], m.start())
