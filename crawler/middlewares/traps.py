"""Spider traps: URL spaces a site generates without end, refused before they are scheduled.

Depth and page limits bound a trap too, but only after it has eaten the site's whole budget
(every request a trap page costs is a request a real article does not get, at one request per
host every second). These rules recognise the common shapes and stop them early:

- **repeated path segments** — a relative link one folder deeper on every page
  (``/chuyen-muc/tin-tuc/tin-tuc/tin-tuc/…``), or a path that keeps cycling (``/a/b/a/b/a/``):
  a segment may appear ``MUNI_TRAP_MAX_SEGMENT_REPEATS`` times, and a path may have
  ``MUNI_TRAP_MAX_PATH_SEGMENTS`` segments;
- **calendars** — ``?thang=2024-01`` linking to ``?thang=2024-02`` forever: one page family
  (host, path and the query's non-date parameters) gets ``MUNI_TRAP_MAX_CALENDAR_PAGES``
  distinct dates, then no more;
- **redirect loops** — ``A → B → A``: stopped at the first repeated URL instead of after
  ``REDIRECT_MAX_TIMES`` hops, and recorded as such.

Session ids in URLs (``;jsessionid=``, ``PHPSESSID``) are not a trap here: the spider schedules
canonical URLs (``archive.urls.canonical_url`` strips them), so each page is fetched once.

Each refusal is counted as ``muni/trap/<kind>`` (redirect loops as ``muni/failed/redirect_loop``
by the spider's errback) and logged once per path, so the operator sees which site set a trap.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from urllib.parse import parse_qsl, urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

__all__ = ["RedirectLoop", "RedirectLoopMiddleware", "SpiderTrapMiddleware", "trap_kind"]

logger = logging.getLogger(__name__)

# Query values that name a day or a month: 2024-01, 2024-01-15, 01/2024, 15/01/2024.
_DATE_VALUE = re.compile(
    r"^(\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?|\d{1,2}[-/.]\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})$")
# Parameter names calendars use (Vietnamese and English); with a numeric value they are a date
# part even when the value alone would not look like one (?thang=3&nam=2024). Not bare digits
# under other names: 6-digit article ids (NewsID=201203) look like months too.
_DATE_NAME = re.compile(
    r"^(thang|nam|ngay|tuan|month|year|day|week|date|lich|cal|calendar)$", re.IGNORECASE)


def _is_date_part(name: str, value: str) -> bool:
    return bool(_DATE_VALUE.match(value) or (_DATE_NAME.match(name) and value.isdigit()))


class _CalendarPages:
    """Distinct calendar pages seen per page family: host, path and the query's other
    (non-date) parameters. An article URL that carries a date next to its id
    (``?ngay=2024-01-05&id=123``) is a family of its own, so only true calendars are capped."""

    def __init__(self, limit: int):
        self.limit = limit
        self.seen: defaultdict[tuple[str, ...], set[tuple[tuple[str, str], ...]]] = \
            defaultdict(set)

    def admits(self, url: str) -> bool:
        parts = urlsplit(url)
        params = parse_qsl(parts.query, keep_blank_values=True)
        dates = tuple(sorted((n.lower(), v) for n, v in params if _is_date_part(n, v)))
        if not dates:
            return True
        others = sorted(f"{n}={v}" for n, v in params if not _is_date_part(n, v))
        pages = self.seen[(parts.netloc, parts.path, *others)]
        if dates in pages:
            return True
        if len(pages) >= self.limit:
            return False
        pages.add(dates)
        return True


def trap_kind(url: str, *, max_segment_repeats: int, max_path_segments: int) -> str | None:
    """Why a URL's path is a trap by its shape alone, or None."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) > max_path_segments:
        return "path_too_deep"
    if segments and max(Counter(segments).values()) > max_segment_repeats:
        return "repeated_segments"
    return None


class SpiderTrapMiddleware(BaseSpiderMiddleware):
    """Drops requests into a trap's URL space before they reach the scheduler."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.max_segment_repeats = settings.getint("MUNI_TRAP_MAX_SEGMENT_REPEATS", 2)
        self.max_path_segments = settings.getint("MUNI_TRAP_MAX_PATH_SEGMENTS", 15)
        self.calendar = _CalendarPages(settings.getint("MUNI_TRAP_MAX_CALENDAR_PAGES", 24))
        self._logged: set[tuple[str, str]] = set()

    def get_processed_request(self, request: Request,
                              response: Response | None) -> Request | None:
        kind = trap_kind(request.url, max_segment_repeats=self.max_segment_repeats,
                         max_path_segments=self.max_path_segments)
        if kind is None and not self.calendar.admits(request.url):
            kind = "calendar"
        if kind is None:
            return request
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"muni/trap/{kind}")
        site = request.meta.get("muni_site", "?")
        self.crawler.stats.inc_value(f"muni/site/{site}/trap_refused")
        parts = urlsplit(request.url)
        if (kind, parts.netloc + parts.path[:40]) not in self._logged:
            self._logged.add((kind, parts.netloc + parts.path[:40]))
            logger.info("Spider trap (%s) at %s: not following it further", kind, request.url)
        return None


class RedirectLoop(IgnoreRequest):
    """A redirect that leads back to a URL of its own chain."""


class RedirectLoopMiddleware:
    """Sees 3xx answers before RedirectMiddleware (600) and stops a chain that comes back to a
    URL it has already been through. Only exact repeats: a Java portal's first-visit redirect
    to the same path plus ``;jsessionid=`` is a legitimate hop, and REDIRECT_MAX_TIMES bounds a
    chain of ever-new session ids."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        return cls()

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not 300 <= response.status < 400 or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            hops = " → ".join([*chain[chain.index(target):], target])
            raise RedirectLoop(f"redirect loop: {hops}")
        return response
