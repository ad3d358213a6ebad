"""Publication dates: day-first visible lines (the Vietnamese forms of DOMAIN.md), structured
dates (JSON-LD, meta, <time>) and URL paths. Never a year alone, never today's clock widget,
never a date read off another article's teaser."""

from __future__ import annotations

import re
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from htmldate import find_date
from lxml.html import HtmlElement

from pipelines.extract.lines import Line
from pipelines.extract.zones import is_noise_container

__all__ = ["FoundDate", "date_by_headline", "date_from_url", "date_of_own_teaser",
           "find_time_element",
           "find_visible_date", "htmldate_guess", "parse_structured_date", "parse_visible_date"]


@dataclass(frozen=True)
class FoundDate:
    value: str  # YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]+HH:MM
    raw: str
    source: str  # json-ld | meta:<name> | visible-line | url | time-element | htmldate
    precision: str  # day | minute | second


_TIME = re.compile(r"(?<![\d/.-])(?P<h>[01]?\d|2[0-3])\s*(?::|h|g|giờ)\s*(?P<mi>[0-5]\d)"
                   r"(?:\s*:\s*(?P<s>[0-5]\d))?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?|SA|CH)\b)?(?![\d/])")
_DMY = re.compile(r"(?<![\d/.])(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*"
                  r"(?P<y>(?:19|20)\d\d)(?![\d/])")
_DMY_SPACED = re.compile(r"(?<![\d/.])(?P<d>[0-3]?\d)\s+(?P<m>[01]?\d)\s+(?P<y>(?:19|20)\d\d)"
                         r"(?!\d)")
_VN_LONG = re.compile(r"ngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s*,?\s+năm\s+"
                      r"(?P<y>(?:19|20)\d\d)", re.I)
_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)")
_MONTHS = {
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                   "august", "september", "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(["januar", "februar", "märz", "april", "mai", "juni", "juli",
                                   "august", "september", "oktober", "november", "dezember"], 1)},
    **{m: i for i, m in enumerate(["janvier", "février", "mars", "avril", "mai", "juin",
                                   "juillet", "août", "septembre", "octobre", "novembre",
                                   "décembre"], 1)},
    **{m: i for i, m in enumerate(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                                   "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
                                  1)},
    **{m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                   "oct", "nov", "dec"], 1)},
    "sept": 9, "jänner": 1,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NAMED_DMY = re.compile(rf"(?<!\d)(?P<d>[0-3]?\d)(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?"
                        rf"(?P<mon>{_MONTH_NAMES})\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)(?!\d)",
                        re.IGNORECASE)
_NAMED_MDY = re.compile(rf"(?<![\w])(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?"
                        rf"\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_GMT = re.compile(r"(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d\d))?", re.I)
# Labels that announce the article's own date; a line carrying one is trusted further from the
# headline than a bare date.
_LABEL = re.compile(
    r"đăng\s+lúc|đăng\s+ngày|ngày\s+đăng|ngày\s+xuất\s+bản|thời\s+gian\s+đăng|ngày\s+cập\s+nhật|"
    r"cập\s+nhật|ngày\s+viết|ngày\s+tạo|publish(?:ed)?(?:\s+date|\s+on)?|posted(?:\s+on)?|"
    r"updated|date|veröffentlicht|publié|ngày\s*:|written|publiziert|erschienen|datum|"
    r"publicado|pubblicato|gepubliceerd|stand|"
    r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật|cn)\b",
    re.I)
_TRAP = re.compile(r"hôm\s+nay|today|lượt\s+xem|truy\s+cập|online|trực\s+tuyến|"
                   r"ngày\s+ban\s+hành|ngày\s+hiệu\s+lực|hạn\s+(?:chót|nộp)|sinh\s+ngày|"
                   r"copyright|©", re.I)
_FILLER = re.compile(r"[\W_]+|\b(?:lúc|ngày|vào|gmt|utc|am|pm|sáng|chiều|tối|giờ)\b", re.I)
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo | timezone:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        found = date(y, m, d)
    except ValueError:
        return None
    # A publication date in the future (beyond a day of clock skew) is a misread.
    if found > date.today() + timedelta(days=1) or found.year < 1995:
        return None
    return found


def _with_time(day: date, text: str, tz_name: str, raw_span: tuple[int, int]
               ) -> tuple[str, str]:
    """Attach the time shown on the same line, with the site's offset."""
    for match in _TIME.finditer(text):
        if raw_span[0] <= match.start() < raw_span[1]:
            continue
        hour, minute = int(match["h"]), int(match["mi"])
        if match["ampm"]:
            # 'SA'/'CH' (sáng/chiều) are Vietnamese Windows' AM/PM, as in '8:30:15 SA'.
            pm = match["ampm"].lower().startswith(("p", "ch"))
            hour = hour % 12 + (12 if pm else 0)
        second = int(match["s"]) if match["s"] else None
        gmt = _GMT.search(text)
        if gmt:
            sign = -1 if gmt["sign"] == "-" else 1
            offset = timedelta(hours=int(gmt["h"]), minutes=int(gmt["m"] or 0)) * sign
            tzinfo: ZoneInfo | timezone = timezone(offset)
        else:
            tzinfo = _zone(tz_name)
        moment = datetime.combine(day, time(hour, minute, second or 0), tzinfo)
        spec = "seconds" if second is not None else "minutes"
        return moment.isoformat(timespec=spec), "second" if second is not None else "minute"
    return day.isoformat(), "day"


def parse_visible_date(text: str, tz_name: str, *, allow_spaced: bool = False,
                       day_first: bool = True) -> tuple[str, str, tuple[int, int]] | None:
    """A date (and its time, if shown) in a short visible string. ``day_first``: numeric dates
    are day-first (Vietnamese pages). Without it only unambiguous forms count: ISO, dotted
    European dates, month names, or a slash date whose first number cannot be a month."""
    patterns = [_VN_LONG, _DMY, _YMD, _NAMED_DMY, _NAMED_MDY] + (
        [_DMY_SPACED] if allow_spaced else [])
    for pattern in patterns:
        for match in pattern.finditer(text):
            if "mon" in match.groupdict():
                month = _MONTHS.get(match["mon"].lower().rstrip("."))
                if month is None:
                    continue
                day = _valid(int(match["y"]), month, int(match["d"]))
                if day is None:
                    continue
                value, precision = _with_time(day, text, tz_name, match.span())
                return value, precision, match.span()
            if not day_first and pattern is _DMY and match["sep"] != "." and \
                    int(match["d"]) <= 12:
                continue  # 03/04/2024 is April 3 or March 4 depending on the country
            if not day_first and pattern is _DMY_SPACED:
                continue
            day = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
            if day is None:
                continue
            value, precision = _with_time(day, text, tz_name, match.span())
            return value, precision, match.span()
    return None


def _is_date_line(text: str, span: tuple[int, int], max_words: int = 8) -> bool:
    """The line is about the date (label, weekday, time around it), not a sentence that
    happens to contain one — 'Sáng ngày 04/01/2024, UBND phường …' is an event, not a byline."""
    rest = text[: span[0]] + " " + text[span[1]:]
    rest = _TIME.sub(" ", rest)
    rest = _GMT.sub(" ", rest)
    rest = _LABEL.sub(" ", rest)
    words = [w for w in _FILLER.sub(" ", rest).split() if w]
    return len(words) <= max_words


def find_visible_date(lines: list[Line], tz_name: str, *, day_first: bool = True
                      ) -> FoundDate | None:
    """The article's date line near its headline. Lines in noise boxes or in lists of links to
    other pages are ignored, and so are clock widgets and counters. Off Vietnamese pages
    (``day_first`` False) only unambiguous dates on a labelled line or right by the headline
    count."""
    head = next((i for i, line in enumerate(lines) if line.headline), None)
    if not day_first and head is None:
        return None
    if head is None:
        window = range(len(lines))
    else:
        window = range(max(0, head - 6), min(len(lines), head + 30))
    best: tuple[int, FoundDate] | None = None
    for index in window:
        line = lines[index]
        text = line.text
        if line.noise or line.in_list or len(text) > 160:
            continue
        labelled = bool(_LABEL.search(text))
        if not day_first and not labelled and head is not None and abs(index - head) > 3:
            continue
        found = parse_visible_date(text, tz_name, allow_spaced=labelled or len(text) <= 12,
                                   day_first=day_first)
        if found is None:
            continue
        value, precision, span = found
        if _TRAP.search(text[: span[0]]):
            continue  # 'Hôm nay: 18/10/2024' is a clock; 'Lượt xem' after the date is harmless
        if not _is_date_line(text, span):
            continue
        if head is None and not labelled:
            continue  # without a headline to anchor on, only a labelled date line is trusted
        distance = abs(index - head) if head is not None else index
        rank = distance + (0 if labelled else 10)
        candidate = FoundDate(value, text, "visible-line", precision)
        if best is None or rank < best[0]:
            best = (rank, candidate)
    return best[1] if best else None


_UPDATED = re.compile(r"updated|aktualisiert|geändert|modified|mis à jour|actualizado|"
                      r"aggiornato|bijgewerkt|cập\s+nhật|last\s+edited|zuletzt", re.I)
_BY_HEADLINE = 5  # lines above or below the headline where its date line stands
_BY_HEADLINE_WORDS = 4  # words beside the date on such a line ('Von dpa', 'Por: Agencia …')


def date_by_headline(lines: list[Line], tz_name: str) -> FoundDate | None:
    """The publication date printed right by the headline, read unambiguously (month names,
    ISO, dotted dates): what the reader sees as the article's date. Never an 'updated' line."""
    head = next((i for i, line in enumerate(lines) if line.headline), None)
    if head is None:
        return None
    nearby = range(max(0, head - _BY_HEADLINE), min(len(lines), head + _BY_HEADLINE + 1))
    for index in sorted(nearby, key=lambda i: abs(i - head)):
        line = lines[index]
        text = line.text
        if index == head or line.in_list or len(text) > 160 or _UPDATED.search(text):
            continue
        if line.noise and abs(index - head) > 2:
            continue  # a share bar or meta box hugging the headline still carries its date
        found = parse_visible_date(text, tz_name, day_first=False)
        if found is None or _TRAP.search(text[: found[2][0]]) or \
                not _is_date_line(text, found[2], _BY_HEADLINE_WORDS):
            continue
        return FoundDate(found[0], text, "visible-line", found[1])
    return None


_MIN_OWN_TITLE = 15  # characters; a shorter title ('Gaspreise') may name many pages
_DATE_ONLY = 40  # characters; a teaser's date line holds the date and little else


def date_of_own_teaser(lines: list[Line], title: str | None, tz_name: str) -> FoundDate | None:
    """The date beside this article's own teaser: sites list their latest stories, this one
    among them, with its date on the title's line or the line below. Unambiguous dates only."""
    if not title or len(title) < _MIN_OWN_TITLE:
        return None
    own = " ".join(title.casefold().split())
    for index, line in enumerate(lines):
        if line.headline:
            continue
        folded = " ".join(line.text.casefold().split())
        if not folded.startswith(own):
            continue
        rest = line.text[len(title):] if len(folded) > len(own) else ""
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        for text in (rest, following if len(following) <= _DATE_ONLY else ""):
            found = parse_visible_date(text, tz_name, day_first=False) if text else None
            if found is not None and _is_date_line(text, found[2], 2):
                return FoundDate(found[0], f"{line.text} | {text}" if text is following
                                 else line.text, "own-teaser", found[1])
    return None


def parse_structured_date(raw: str, tz_name: str) -> tuple[str, str] | None:
    """ISO-8601 (and RFC 2822) values from JSON-LD and meta tags. A naive time gets the site's
    offset; an explicit offset is kept as the page states it."""
    text = raw.strip()
    if not text:
        return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    candidate = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", candidate)
    candidate = re.sub(r"\.\d+(?=[+-]\d\d:\d\d$|$)", "", candidate)
    try:
        moment = datetime.fromisoformat(candidate.replace(" ", "T", 1))
    except ValueError:
        moment = None
    if moment is None:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            moment = None
    if moment is None:
        match = _YMD.search(text)
        if match and _valid(int(match["y"]), int(match["m"]), int(match["d"])):
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            return day.isoformat(), "day"
        return None
    if _valid(moment.year, moment.month, moment.day) is None:
        return None
    if len(candidate) <= 10 or ("T" not in candidate and ":" not in candidate):
        return moment.date().isoformat(), "day"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(tz_name))
    has_seconds = bool(re.search(r"\d\d:\d\d:\d\d", candidate)) and moment.second != 0
    spec = "seconds" if has_seconds else "minutes"
    return moment.isoformat(timespec=spec), "second" if has_seconds else "minute"


def find_time_element(tree: HtmlElement, tz_name: str) -> FoundDate | None:
    """The article's own <time datetime=…>: not one in a sidebar, a list of other articles or
    a link to another page."""
    for element in tree.iter("time"):
        raw = element.get("datetime")
        if not raw:
            continue
        if any(a.tag in ("li", "a", "aside", "nav", "footer") or is_noise_container(a)
               for a in element.iterancestors()):
            continue
        parsed = parse_structured_date(raw, tz_name)
        if parsed:
            return FoundDate(parsed[0], raw, "time-element", parsed[1])
    return None


def htmldate_guess(tree: HtmlElement, url: str | None, tz_name: str,
                   params: Mapping[str, Any] | None = None) -> FoundDate | None:
    """htmldate's best guess, with trafilatura's own parameters (original date, extensive
    search, nothing after today). Runs on a copy: htmldate prunes the tree it is given."""
    settings = dict(params) if params else {
        "original_date": True, "extensive_search": True,
        "max_date": datetime.now().astimezone().strftime("%Y-%m-%d")}
    found = find_date(deepcopy(tree), url=url, **settings)
    if not found:
        return None
    parsed = parse_structured_date(found, tz_name)
    return FoundDate(parsed[0], found, "htmldate", parsed[1]) if parsed else None


def date_from_url(url: str | None) -> FoundDate | None:
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    day = _valid(int(match[1]), int(match[2]), int(match[3]))
    if day is None:
        return None
    return FoundDate(day.isoformat(), match.group(0).strip("/"), "url", "day")
