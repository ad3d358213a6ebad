"""Retry-After, honoured: a server that answers 503 or 429 gets the pause it asked for.

Scrapy's RetryMiddleware retries a 503 after the usual DOWNLOAD_DELAY, whatever the server said
(it ignores Retry-After). A small municipal server answering "503, come back in 30 seconds" is
overloaded or in maintenance; hitting it again a second later, with that request or any other,
is exactly what politeness forbids. So, sitting just above RetryMiddleware (550):

- ``Retry-After`` up to ``MUNI_RETRY_AFTER_MAX`` seconds: the host's download slot is pushed
  back by that long, so every other request to that host waits (Scrapy applies the slot's
  clock only when DOWNLOAD_DELAY > 0, the default), and the retry itself is held until then
  (whatever the delay);
- longer than that (a site down for hours): the request is not retried in this run.

Counted as ``muni/retry_after/waited`` (with ``muni/retry_after/seconds``) and
``muni/retry_after/too_long``.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from datetime import UTC, datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

__all__ = ["RetryAfterMiddleware", "retry_after_seconds"]

logger = logging.getLogger(__name__)

_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds from ``now`` that a Retry-After header asks for (RFC 9110 §10.2.3: a number of
    seconds or an HTTP-date), or None when it says nothing usable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("MUNI_RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        # Before the request enters its host's slot, so waiting here holds up nothing else.
        wait = request.meta.get("muni_not_before", 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in _STATUSES or not header:
            return response
        seconds = retry_after_seconds(header.decode("latin-1"))
        if seconds is None:
            return response
        stats = self.crawler.stats
        assert stats is not None
        if seconds > self.max_wait:
            stats.inc_value("muni/retry_after/too_long")
            logger.info("%s asks to come back in %.0f s (more than MUNI_RETRY_AFTER_MAX=%.0f): "
                        "not retrying it in this run", request.url, seconds, self.max_wait)
            request.meta["dont_retry"] = True  # read by RetryMiddleware, just below
            return response
        # RetryMiddleware (just below) copies the meta into the retry request.
        request.meta["muni_not_before"] = time.monotonic() + seconds
        self._pause_host(request, seconds)
        stats.inc_value("muni/retry_after/waited")
        stats.inc_value("muni/retry_after/seconds", round(seconds))
        return response

    def _pause_host(self, request: Request, seconds: float) -> None:
        # The slot's "last request sent" time, moved into the future: the downloader then
        # holds every request of this host until seconds + DOWNLOAD_DELAY from now.
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, time.monotonic() + seconds)
