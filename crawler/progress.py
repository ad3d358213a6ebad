"""A progress line on a terminal (sites done, pages, rate, articles); silent under cron.

Cron and systemd get Scrapy's ordinary log lines and the summary `muni crawl` prints at the
end; a person at a terminal also sees this line, rewritten in place every few seconds.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

__all__ = ["CrawlProgress"]


class CrawlProgress:
    def __init__(self, crawler: Crawler, interval: float, stream: TextIO):
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        stream = sys.stderr
        if not crawler.settings.getbool("MUNI_PROGRESS", True) or not stream.isatty():
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("MUNI_PROGRESS_INTERVAL", 2.0), stream)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def line(self) -> str:
        stats = self.crawler.stats
        assert stats is not None
        pages = int(stats.get_value("downloader/response_count", 0))
        elapsed = max(time.monotonic() - self.started, 1e-6)
        spider = self.crawler.spider
        total = len(getattr(spider, "rules", {}))
        sites_done = getattr(spider, "sites_done", None)
        done = sites_done() if callable(sites_done) else 0
        new = int(stats.get_value("muni/article/new", 0))
        updated = int(stats.get_value("muni/article/updated", 0))
        return (f"sites {done}/{total} done · {pages} pages · {pages / elapsed:.1f} pages/s · "
                f"articles {new} new, {updated} updated")

    def show(self) -> None:
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()

    def closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.stream.write("\r\x1b[K")
        self.stream.flush()
