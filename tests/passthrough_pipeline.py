"""An item pipeline of somebody's own, placed before ours (tests/test_parallel_extraction.py):
it passes every item on, and counts them."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler


class PassThroughPipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PassThroughPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        self.stats.inc_value("test/passed_through")
        return item
