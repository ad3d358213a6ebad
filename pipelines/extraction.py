"""ExtractionPipeline: PageCapture → ExtractedPage(capture, article), or dropped with the reason
counted.

Extraction runs in a pool of worker processes (``pipelines.parallel``), never on the reactor
thread: the pipeline hands the page over and awaits the result, so the crawl keeps fetching
while every core extracts. Back-pressure comes from Scrapy itself: a response stays in the
scraper's slot until its item is through the pipelines, and the engine stops downloading while
the slot holds more than SCRAPER_SLOT_MAX_ACTIVE_SIZE bytes, so the pages in flight stay bounded.

The worker also reads the page's links from the tree it parses (``ExtractJob.links``) and the
pipeline hands them to the spider waiting for them (``PageCapture.links_found``), so the crawl's
own process never parses a page a second time just to follow it; a listing page goes to a
worker for its links alone. When a worker cannot read them (a timeout, a crash), the spider
parses the page itself.

The per-site BoilerplateLearner stays in this process, fed from the results. What it knows
depends on the order it sees a site's pages, so a site's first pages (until it has seen
``WARMUP_PAGES`` articles) are extracted one at a time, in the order they arrive, exactly as
in-process extraction would; after that the site's pages go to the pool in parallel, and the
learner's few pages of lag no longer change what it knows. Which learned blocks were stripped
from each article is kept with it (``ExtractedPage.learned_boilerplate``): ``muni reextract``
repeats those decisions, so re-extracting with unchanged rules reproduces the crawl.

Settings:
    MUNI_EXTRACT_WORKERS   worker processes (default: one per core); 0 extracts in-process
    MUNI_EXTRACT_TIMEOUT   seconds one page may take before its worker is ended (default 60)
    MUNI_LEARN_BOILERPLATE learn each site's repeated blocks and strip them (default True);
                           off, every page is extracted on its own, whatever the order

Non-articles (listings, contact pages, empty or broken pages) are expected, not errors: each is
counted as ``muni/extract/no_article/<reason>`` and dropped quietly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredLock

from archive.errors import ExtractionError
from pipelines.extract import Article, BoilerplateLearner, NoArticle
from pipelines.extract.learner import learned_record
from pipelines.items import PageCapture
from pipelines.links import PageLinks
from pipelines.parallel import Extracted, ExtractionPool, ExtractJob

__all__ = ["WARMUP_PAGES", "ExtractedPage", "ExtractionPipeline"]

# The learner needs 3 pages to know a block, and from the 10th page on a block must be on 30% of
# them: by then its state no longer hinges on a page or two of lag.
WARMUP_PAGES = 12

logger = logging.getLogger(__name__)


@dataclass
class ExtractedPage:
    capture: PageCapture
    article: Article
    # Which learned boilerplate blocks were stripped from it (learner.learned_record), or
    # None when extraction was given none to strip (learning off).
    learned_boilerplate: str | None = None


class ExtractionPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.learner = BoilerplateLearner()
        self.learn = crawler.settings.getbool("MUNI_LEARN_BOILERPLATE", True)
        workers = crawler.settings.get("MUNI_EXTRACT_WORKERS")
        self.workers = None if workers in (None, "") else int(workers)
        self.timeout = crawler.settings.getfloat("MUNI_EXTRACT_TIMEOUT", 60.0)
        self.pool: ExtractionPool | None = None
        self._warmup_locks: dict[str, DeferredLock] = {}
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.pool = ExtractionPool(self.workers, timeout=self.timeout)
        self.stats.set_value("muni/extract/workers", self.pool.workers)
        logger.info("extracting with %s", f"{self.pool.workers} worker processes"
                    if self.pool.workers else "no worker process (in-process)")

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.pool is not None:
            self.pool.close()
            if self.pool.restarts:
                self.stats.set_value("muni/extract/worker_restarts", self.pool.restarts)
            self.pool = None

    def _profile(self, site: str) -> Any:
        spider = self.crawler.spider
        rules = getattr(spider, "rules", {}).get(site)
        return rules.profile if rules is not None else None

    def job_for(self, item: PageCapture) -> ExtractJob:
        profile = self._profile(item.site)
        return ExtractJob(
            data=item.body, url=item.url, headers=item.headers,
            options=dict(profile.extraction) if profile else None,
            site_boilerplate=self.learner.known(item.site) if self.learn else frozenset(),
            timezone=profile.timezone if profile else "Asia/Ho_Chi_Minh",
            language=profile.language if profile else None,
            links=item.links_found is not None, article=item.hint != "listing")

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, PageCapture):
            return item
        try:
            return await self._process(item)
        finally:
            # Whatever happened, the spider waiting for this page's links must go on.
            _deliver_links(item, None)

    async def _process(self, item: PageCapture) -> Any:
        known: frozenset[str] = frozenset()
        if item.hint == "listing":
            if item.links_found is not None:  # parsed in a worker for its links alone
                await self._extract(item, self.job_for(item))
            result: Article | NoArticle = NoArticle("listing", "URL matches a listing pattern")
        elif self.learn and self.learner.pages_seen(item.site) < WARMUP_PAGES:
            lock = self._warmup_locks.setdefault(item.site, DeferredLock())
            await maybe_deferred_to_future(lock.acquire())
            try:
                job = self.job_for(item)
                result = await self._extract(item, job)
                # Accounted under the lock: the learner has seen this page before the next.
                return self._account(item, result, job.site_boilerplate)
            finally:
                lock.release()
        else:
            job = self.job_for(item)
            known = job.site_boilerplate
            result = await self._extract(item, job)
        return self._account(item, result, known)

    async def _extract(self, item: PageCapture, job: ExtractJob) -> Article | NoArticle:
        extracted = await self._submit(job)
        # The spider schedules the page's links while the article is stored.
        _deliver_links(item, extracted.links)
        self.stats.inc_value("muni/extract/seconds_x1000", int(extracted.seconds * 1000))
        if self.pool is not None and self.pool.broken and not self._stopping:
            self._stopping = True
            # Every page would be lost: stop the crawl instead of fetching for nothing. Not
            # awaited: closing waits for the items in flight, this one included.
            deferred_from_coro(self.crawler.engine.close_spider_async(
                reason="extraction_failed"))
        return extracted.result

    async def _submit(self, job: ExtractJob) -> Extracted:
        assert self.pool is not None, "process_item before open_spider"
        try:
            future = self.pool.submit(job)
        except ExtractionError as exc:  # the workers cannot start: every page is lost
            return Extracted(NoArticle("error", str(exc)), 0.0)
        if future.done():  # in-process extraction
            return future.result()
        # Imported here: importing the reactor installs one, and Scrapy chooses which first.
        from twisted.internet import reactor

        # The pool completes futures on its own thread; hand the result to the reactor's.
        deferred: Deferred[Extracted] = Deferred()
        future.add_done_callback(
            lambda done: reactor.callFromThread(deferred.callback, done.result()))
        return await maybe_deferred_to_future(deferred)

    def _account(self, item: PageCapture, result: Article | NoArticle,
                 known: frozenset[str]) -> ExtractedPage:
        if isinstance(result, Article) and self.learn:
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
        # What the learner decided for this page, kept with the article: re-extraction
        # repeats it instead of guessing what the learner knew at that moment of the crawl.
        learned = learned_record(known, result) if self.learn else None
        return ExtractedPage(item, result, learned)


def _deliver_links(item: PageCapture, links: PageLinks | None) -> None:
    """Hand the page's links (or None: not read) to the spider waiting for them, once."""
    waiting = item.links_found
    if waiting is not None and not waiting.called:
        waiting.callback(links)
