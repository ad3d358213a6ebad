"""The local day of a timestamp declared in UTC. Many CMSs write `datePublished` in UTC
('2023-11-09T05:30:59Z') while the page shows the day its readers saw ('November 8, 2023 at
11:30 p.m.'); the publication day is the local one. The page itself is the evidence, nothing is
guessed from the language: a date line by the headline showing the same moment at a whole
offset (which gives the offset itself), or a date line or URL path naming the neighbouring day
where the UTC time of day allows it."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from pipelines.extract.lines import Line

__all__ = ["local_reading"]

_NEAR_HEADLINE = 8  # lines either side of the headline where the article's date line stands
_MAX_OFFSET = timedelta(hours=14)  # the widest UTC offsets in use: -12:00 … +14:00
_QUARTER = 15 * 60  # seconds; every offset in use is a multiple of a quarter hour

_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january", "januar", "jänner", "janvier", "enero", "gennaio"),
    ("feb", "february", "februar", "février", "febrero", "febbraio"),
    ("mar", "march", "märz", "mars", "marzo"),
    ("apr", "april", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maggio"),
    ("jun", "june", "juni", "juin", "junio", "giugno"),
    ("jul", "july", "juli", "juillet", "julio", "luglio"),
    ("aug", "august", "août", "agosto"),
    ("sep", "sept", "september", "septembre", "septiembre", "settembre"),
    ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "dezember", "dez", "décembre", "diciembre", "dicembre"),
), 1) for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[/.\-])(?P<b>[0-3]?\d)(?P=sep)"
                      r"(?P<y>(?:19|20)\d\d)(?!\d)")
_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")
_NAMED_DAY_FIRST = re.compile(rf"(?<!\d)(?P<d>[0-3]?\d)(?:\.|st|nd|rd|th)?\s+(?:de\s+)?"
                              rf"(?P<mon>{_MONTH})\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)(?!\d)",
                              re.IGNORECASE)
_NAMED_MONTH_FIRST = re.compile(rf"(?<!\w)(?P<mon>{_MONTH})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
                                rf",?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d:])(?P<h>[01]?\d|2[0-3])[:h](?P<m>[0-5]\d)(?::[0-5]\d)?"
                    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?", re.IGNORECASE)
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _days(text: str) -> list[date]:
    """Every day the text can mean: a slash date like 3/5/2022 is read both ways."""
    found: list[date | None] = []
    for match in _NUMERIC.finditer(text):
        a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
        found += [_day(year, b, a), _day(year, a, b)]
    for match in _ISO.finditer(text):
        found.append(_day(int(match["y"]), int(match["m"]), int(match["d"])))
    for pattern in (_NAMED_DAY_FIRST, _NAMED_MONTH_FIRST):
        for match in pattern.finditer(text):
            found.append(_day(int(match["y"]), _MONTHS[match["mon"].lower()], int(match["d"])))
    return list(dict.fromkeys(d for d in found if d is not None))


def _clock(text: str) -> tuple[int, int] | None:
    match = _CLOCK.search(text)
    if match is None:
        return None
    hour, minute = int(match["h"]), int(match["m"])
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    return hour, minute


def _offset(shown: datetime, utc: datetime) -> timedelta | None:
    """The offset that makes the shown wall-clock time the same moment as ``utc``."""
    # Pages show minutes: compare at the minute, not the declared second.
    difference = shown - utc.replace(tzinfo=None, second=0, microsecond=0)
    seconds = round(difference.total_seconds())
    if seconds % _QUARTER or abs(seconds) > _MAX_OFFSET.total_seconds():
        return None
    return timedelta(seconds=seconds)


def _possible_day(candidate: date, utc: datetime) -> bool:
    """Could ``candidate`` be the local day of ``utc`` under some offset in use?"""
    earliest = (utc - timedelta(hours=12)).date()
    latest = (utc + _MAX_OFFSET).date()
    return candidate != utc.date() and earliest <= candidate <= latest


def local_reading(value: str, lines: list[Line], url: str | None
                  ) -> tuple[str, str, str, str] | None:
    """(value, evidence, evidence kind, precision) of the local publication time when ``value``
    is a UTC timestamp and the page shows the local day; None when the page offers no
    evidence. The kind is 'visible-line' or 'url'."""
    try:
        utc = datetime.fromisoformat(value)
    except ValueError:
        return None
    if utc.tzinfo is None or utc.utcoffset() != timedelta(0) or "T" not in value:
        return None
    head = next((i for i, line in enumerate(lines) if line.headline), None)
    near = lines[max(0, head - _NEAR_HEADLINE): head + _NEAR_HEADLINE + 1] \
        if head is not None else []
    day_only: tuple[date, str] | None = None
    for line in near:
        if len(line.text) > 200:
            continue
        days = _days(line.text)
        if not days:
            continue
        clock = _clock(line.text)
        for day in days:
            if clock is not None:
                offset = _offset(datetime(day.year, day.month, day.day, *clock), utc)
                if offset is not None and offset != timedelta(0):
                    local = utc.astimezone(timezone(offset))
                    precision = "second" if utc.second else "minute"
                    spec = "seconds" if utc.second else "minutes"
                    return local.isoformat(timespec=spec), line.text, "visible-line", precision
            elif day_only is None and _possible_day(day, utc):
                day_only = (day, line.text)
        if utc.date() in days:
            return None  # the page shows the UTC day itself: nothing to correct
    if day_only is not None:
        return day_only[0].isoformat(), day_only[1], "visible-line", "day"
    match = _URL_DAY.search(url or "")
    if match:
        url_day = _day(int(match[1]), int(match[2]), int(match[3]))
        if url_day is not None and _possible_day(url_day, utc):
            return url_day.isoformat(), match.group(0).strip("/"), "url", "day"
    return None
