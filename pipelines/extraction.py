"""ExtractionPipeline: PageCapture → (PageCapture, Article), or dropped with the reason counted.

Non-articles (listings, contact pages, empty or broken pages) are expected, not errors: each is
counted as ``muni/extract/no_article/<reason>`` and dropped quietly.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipelines.extract import Article, BoilerplateLearner, NoArticle, extract
from pipelines.items import PageCapture

__all__ = ["ExtractedPage", "ExtractionPipeline"]

logger = logging.getLogger(__name__)


@dataclass
class ExtractedPage:
    capture: PageCapture
    article: Article


class ExtractionPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.learner = BoilerplateLearner()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler)

    def _profile(self, site: str) -> Any:
        spider = self.crawler.spider
        rules = getattr(spider, "rules", {}).get(site)
        return rules.profile if rules is not None else None

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, PageCapture):
            return item
        profile = self._profile(item.site)
        if item.hint == "listing":
            result: Article | NoArticle = NoArticle("listing", "URL matches a listing pattern")
        else:
            started = time.perf_counter()
            result = extract(
                item.body, item.url, headers=item.headers,
                options=dict(profile.extraction) if profile else None,
                site_boilerplate=self.learner.known(item.site),
                timezone=profile.timezone if profile else "Asia/Ho_Chi_Minh",
                language=profile.language if profile else None)
            self.stats.inc_value("muni/extract/seconds_x1000",
                                 int((time.perf_counter() - started) * 1000))
        if isinstance(result, Article):
            # Learn from what extraction kept: blocks that recur across this site's articles
            # are its boilerplate, stripped from the pages that follow.
            self.learner.observe(item.site, result)
        if isinstance(result, NoArticle):
            self.stats.inc_value(f"muni/extract/no_article/{result.reason}")
            self.stats.inc_value(f"muni/site/{item.site}/no_article")
            raise DropItem(f"no article ({result.reason}) at {item.url}: {result.detail}",
                           log_level="DEBUG")
        self.stats.inc_value("muni/extract/article")
        for name in ("title", "author", "published", "body"):
            if getattr(result, name):
                self.stats.inc_value(f"muni/site/{item.site}/filled/{name}")
        self.stats.inc_value(f"muni/site/{item.site}/articles")
        return ExtractedPage(item, result)
