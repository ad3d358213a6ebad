"""Keep every response as received: a WARC/1.1 record per exchange, before anything decodes it.

Placed next to the downloader (order 950, above HttpCompressionMiddleware's 590 and
RedirectMiddleware's 600), so it sees each hop of a redirect and the payload still compressed.
The record's location goes into ``request.meta["muni_capture"]`` for the pipelines.

Setting: MUNI_WARC_GZIP_LEVEL, the level (0-9) of each record's gzip member (archive/warc.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from archive.errors import ConfigError
from archive.warc import GZIP_LEVEL
from pipelines.session import ArchiveSession

__all__ = ["WarcCaptureMiddleware"]


def _header_pairs(headers: object) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, values in headers.items():  # type: ignore[attr-defined]
        name = key.decode("latin-1")
        pairs.extend((name, value.decode("latin-1")) for value in values)
    return pairs


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        level = crawler.settings.get("MUNI_WARC_GZIP_LEVEL", GZIP_LEVEL)
        try:
            self.gzip_level = int(level)
        except (TypeError, ValueError):
            self.gzip_level = -1
        if not 0 <= self.gzip_level <= 9:
            raise ConfigError(f"MUNI_WARC_GZIP_LEVEL must be a whole number 0-9, not {level!r}")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(crawler)

    def _site_of(self, url: str) -> str | None:
        """robots.txt requests carry no site: attribute them by host."""
        rules = getattr(self.crawler.spider, "rules", {})
        return next((site for site, rule in rules.items() if rule.owns(url)), None)

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        session = ArchiveSession.of(self.crawler)
        fetched_at = datetime.now(UTC)
        status_line = getattr(response, "status", 200)
        ref = session.warc.write_exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_pairs(request.headers),
            status=status_line,
            reason="",
            response_headers=_header_pairs(response.headers),
            body=response.body,
            fetched_at=fetched_at,
            request_body=request.body,
            gzip_level=self.gzip_level,
        )
        request.meta["muni_capture"] = ref
        request.meta["muni_fetched_at"] = fetched_at.isoformat(timespec="seconds")
        if self.stats:
            self.stats.inc_value("muni/warc/records")
            self.stats.inc_value("muni/warc/bytes", len(response.body))
            site = request.meta.get("muni_site") or self._site_of(request.url)
            if site:
                moment = fetched_at.timestamp()
                self.stats.inc_value(f"muni/site/{site}/requests")
                self.stats.inc_value(f"muni/site/{site}/bytes", len(response.body))
                self.stats.inc_value(f"muni/site/{site}/status/{response.status}")
                self.stats.min_value(f"muni/site/{site}/first_response", moment)
                self.stats.max_value(f"muni/site/{site}/last_response", moment)
        return response
