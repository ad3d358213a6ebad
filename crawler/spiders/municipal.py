"""MunicipalSpider: finds every article of one or many municipal news sites, and captures it.

It navigates (sitemaps, feeds, paginated listings, same-site links) and hands every HTML page to
the pipelines as a PageCapture; extraction there decides what is an article. Profiles say where
to start and what the site's URLs look like; a site with no profile is crawled with defaults.

    scrapy crawl muni -a url=https://ward.example.vn/ -s MUNI_DB=archive
    scrapy crawl muni -a site=tayson,phuocvinh          # profiles from crawler/sites/
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from functools import lru_cache
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from archive.errors import ConfigError
from archive.urls import canonical_url, same_site
from crawler.discovery import (
    feed_entries,
    feed_links,
    page_kind,
    page_links,
    page_selector,
    sitemap_entries,
    unzip_limited,
)
from crawler.failures import failure_reason
from crawler.incremental import SiteMemory, looks_like_pagination
from crawler.profiles import SiteProfile, adhoc_profile, load_profiles
from pipelines.extraction import ExtractionPipeline
from pipelines.items import PageCapture
from pipelines.links import PageLinks, link_set_hash
from pipelines.session import ArchiveSession

__all__ = ["MunicipalSpider"]

# Priorities: articles first (they are what we keep), then listings (they lead to articles),
# then everything else.
_PRIORITY = {"robots": 100, "sitemap": 50, "feed": 50, "article": 30, "listing": 20,
             "start": 40, "unknown": 0}


class _SiteRules:
    """A profile's discovery rules, compiled once."""

    def __init__(self, profile: SiteProfile):
        self.profile = profile
        d = profile.discovery
        self.article = [re.compile(p) for p in d.article_url_patterns]
        self.listing = [re.compile(p) for p in d.listing_url_patterns]
        self.exclude = [re.compile(p) for p in d.exclude_url_patterns]
        # Every page links to the same menus: a link's hint and pagination are worked out once.
        self.classify = lru_cache(maxsize=8192)(self._classify)

    def owns(self, url: str) -> bool:
        return same_site(url, self.profile.host, self.profile.discovery.allowed_path_prefixes)

    def hint(self, url: str) -> str:
        return self.classify(url)[0]

    def _classify(self, url: str) -> tuple[str, bool]:
        """(hint, looks like page 2, 3, … of a listing)."""
        if any(p.search(url) for p in self.article):
            hint = "article"
        elif any(p.search(url) for p in self.listing):
            hint = "listing"
        else:
            hint = "unknown"
        return hint, looks_like_pagination(url)

    def excluded(self, url: str) -> bool:
        return any(p.search(url) for p in self.exclude)


class MunicipalSpider(Spider):
    name = "muni"

    def __init__(self, profiles: Iterable[SiteProfile] | None = None, url: str | None = None,
                 site: str | None = None, timezone: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        chosen = list(profiles or [])
        if url:
            chosen.append(adhoc_profile(url, timezone=timezone))
        if site:
            known = load_profiles()
            for site_id in site.split(","):
                if site_id not in known:
                    raise ConfigError(f"no site profile {site_id!r}; `muni sites` lists them")
                chosen.append(known[site_id])
        if not chosen:
            raise ConfigError("nothing to crawl: give profiles, -a url=… or -a site=ID")
        self.rules = {p.id: _SiteRules(p) for p in chosen}
        self.scheduled: Counter[str] = Counter()
        # Our own record of what was scheduled, so the per-site page budget counts pages, not
        # the hundreds of duplicate menu links Scrapy's dupefilter would drop later. It holds
        # every URL of the crawl, so it holds each as its str's 64-bit hash (an int of 36 bytes
        # instead of a ~150-byte string: 100,000 pages, ~11 MB less): two URLs of a
        # million-page crawl share one with a probability of ~3e-8.
        self.seen: set[int] = set()
        self.memory: dict[str, SiteMemory] = {}
        self.pending: Counter[str] = Counter()  # requests of each site not yet answered
        self._extraction_reads_links: bool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MunicipalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        return spider

    @property
    def profiles(self) -> list[SiteProfile]:
        return [r.profile for r in self.rules.values()]

    # -- scheduling ----------------------------------------------------------------------------

    def _request(self, url: str, site: str, kind: str, *, linked_as: str | None = None,
                 force: bool = False, depth: int = 0, is_canonical: bool = False
                 ) -> Request | None:
        """``is_canonical``: ``url`` is canonical already (a page's links are made so where
        they are read)."""
        rules = self.rules[site]
        canonical = url if is_canonical else canonical_url(url)
        key = hash(canonical)  # a str caches its hash: free
        if key in self.seen and not force:
            return None
        if not force:
            if not rules.owns(canonical) or rules.excluded(canonical):
                return None
            if self.scheduled[site] >= rules.profile.discovery.max_pages:
                self.crawler.stats.inc_value(f"muni/max_pages_reached/{site}")
                return None
        self.seen.add(key)
        memory = self.memory.get(site)
        statuses: set[int] = set()
        if memory is not None and memory.is_known_article(canonical) and not force:
            if not memory.due_for_recheck(canonical, rules.profile.discovery.recheck_days):
                self.crawler.stats.inc_value(f"muni/site/{site}/known_skipped")
                return None
            statuses |= {404, 410}  # a known article that is gone is news, not an error
        self.scheduled[site] += 1
        hint = kind if kind in {"sitemap", "feed", "robots"} else rules.hint(canonical)
        meta: dict[str, Any] = {"muni_site": site, "muni_kind": kind, "muni_hint": hint,
                                "muni_depth": depth}
        headers = memory.conditional_headers(canonical) if memory is not None else {}
        if headers:
            statuses.add(304)
        if memory is not None and memory.is_new(canonical):
            meta["muni_new_url"] = True
        if statuses:
            meta["handle_httpstatus_list"] = sorted(statuses)
        if linked_as and linked_as != canonical:
            meta["muni_linked_as"] = linked_as
        self.pending[site] += 1
        return Request(canonical, callback=self.parse, errback=self.failed, meta=meta,
                       headers=headers or None, dont_filter=force,
                       priority=_PRIORITY.get(kind if kind != "page" else hint, 0))

    async def start(self) -> AsyncIterator[Request]:
        archive = ArchiveSession.of(self.crawler).archive
        for rules in self.rules.values():
            profile = rules.profile
            self.memory[profile.id] = memory = SiteMemory.load(archive, profile.id)
            if memory.known_articles:
                self.logger.info("%s: %d known article URLs, %d known pages (%s)", profile.id,
                                 len(memory.known_articles), len(memory.fetched),
                                 "incremental" if memory.trusted else
                                 "previous run unfinished: walking everything again")
            self.crawler.stats.set_value(f"muni/site/{profile.id}/started", True)
            urls: list[tuple[str, str]] = [(profile.absolute(u), "start")
                                           for u in profile.start_urls]
            d = profile.discovery
            if d.sitemaps:
                urls += [(profile.absolute(u), "sitemap")
                         for u in (*d.sitemap_urls, "/sitemap.xml")]
                if not self.settings.getbool("ROBOTSTXT_OBEY"):
                    urls.append((profile.absolute("/robots.txt"), "robots"))
            if d.feeds:
                urls += [(profile.absolute(u), "feed") for u in d.feed_urls]
            # Young articles are re-checked whether or not today's pages still link to them.
            urls += [(url, "page") for url in memory.due_articles(d.recheck_days)]
            for url, kind in urls:
                request = self._request(url, profile.id, kind, force=kind == "robots")
                if request is not None:
                    yield request

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        site = request.meta.get("muni_site")
        if site not in self.rules or not self.rules[site].profile.discovery.sitemaps:
            return
        sitemaps = getattr(getattr(robotparser, "rp", None), "sitemaps", None) or []
        for url in sitemaps:
            follow = self._request(url, site, "sitemap")
            if follow is not None:
                self.crawler.engine.crawl(follow)

    def sites_done(self) -> int:
        """Sites with nothing left in flight (for the progress line)."""
        return sum(1 for site in self.rules if self.pending[site] <= 0)

    # -- responses ------------------------------------------------------------------------------

    async def parse(self, response: Response) -> AsyncIterator[Request | PageCapture]:
        site = response.meta["muni_site"]
        self.pending[site] -= 1
        stats = self.crawler.stats
        if response.status == 304:
            for follow in self._not_modified(response, site):
                yield follow
            return
        if response.status in {404, 410}:
            self._gone(response, site)
            return
        kind = page_kind(response)
        stats.inc_value(f"muni/page_kind/{kind}")
        stats.inc_value(f"muni/site/{site}/responses")
        if response.meta.get("muni_kind") == "robots":
            for follow in self._from_robots(response, site):
                yield follow
        elif kind == "sitemap":
            self._remember(response, site, hashlib.sha256(response.body).hexdigest())
            for follow in self._from_sitemap(response, site):
                yield follow
        elif kind == "feed":
            self._remember(response, site, hashlib.sha256(response.body).hexdigest())
            for url in feed_entries(response.body, response.url):
                request = self._request(url, site, "page", linked_as=url)
                if request is not None:
                    yield request
        elif kind == "html" and isinstance(response, TextResponse):
            capture = self._capture(response, site)
            found: PageLinks | None = None
            if self._links_from_extraction():
                # The extraction worker parses the page anyway: it reads the links there, and
                # this process does not parse each page a second time for them.
                capture.links_found = Deferred()
                yield capture
                found = await maybe_deferred_to_future(capture.links_found)
            else:
                yield capture
            if found is None:  # not read by a worker (its extraction failed): parse it here
                stats.inc_value("muni/links/parsed_in_crawl_process")
                found = self._links_here(response, site)
            self._remember(response, site, found.fingerprint, list(found.links))
            if response.meta.get("muni_new_url"):
                stats.inc_value(f"muni/site/{site}/new_pages")
            for follow in self._follow(response, site, found):
                yield follow
        else:
            stats.inc_value("muni/skipped/not_html")

    def _links_from_extraction(self) -> bool:
        """Whether this crawl's ExtractionPipeline is there to read each page's links: the
        first item pipeline, so that no other one can drop a page before it answers."""
        if self._extraction_reads_links is None:
            scraper = getattr(self.crawler.engine, "scraper", None)
            stages = list(getattr(getattr(scraper, "itemproc", None), "middlewares", ()))
            self._extraction_reads_links = bool(stages) and isinstance(stages[0],
                                                                       ExtractionPipeline)
        return self._extraction_reads_links

    def _links_here(self, response: TextResponse, site: str) -> PageLinks:
        """The page's links from Scrapy's own parse of it."""
        selector = page_selector(response)
        links = list(dict.fromkeys(canonical_url(u) for u in page_links(response, selector)))
        feeds = tuple(feed_links(response, selector)) \
            if self.rules[site].profile.discovery.feeds else ()
        return PageLinks(tuple(links), feeds, link_set_hash(links))

    def _remember(self, response: Response, site: str, content_hash: str,
                  links: list[str] | None = None) -> None:
        """Validators and a content fingerprint for the next run's conditional requests."""
        session = ArchiveSession.of(self.crawler)
        header = response.headers.get
        session.archive.record_fetch(
            url=response.url, site=site, status=response.status,
            etag=(header(b"ETag") or b"").decode("latin-1") or None,
            last_modified=(header(b"Last-Modified") or b"").decode("latin-1") or None,
            content_hash=content_hash, crawl_id=session.crawl_id, links=links)

    def _not_modified(self, response: Response, site: str) -> Iterator[Request]:
        """304: this page did not change since the last finished run, but the pages it links
        to may have: follow its remembered links (known articles and further pages of
        listings are skipped as usual; known pages are asked for conditionally again)."""
        stats = self.crawler.stats
        stats.inc_value(f"muni/site/{site}/not_modified")
        session = ArchiveSession.of(self.crawler)
        session.archive.record_fetch(url=response.url, site=site, status=304, etag=None,
                                     last_modified=None, content_hash=None,
                                     crawl_id=session.crawl_id)
        if session.archive.touch_article(response.url):
            stats.inc_value("muni/article/unchanged")
            stats.inc_value(f"muni/site/{site}/unchanged")
        memory = self.memory.get(site)
        if memory is not None:
            # Stored by an earlier run, perhaps under other canonical rules: made canonical.
            yield from self._follow_links(response, site, memory.links_of(response.url),
                                          are_canonical=False)

    def _gone(self, response: Response, site: str) -> None:
        if ArchiveSession.of(self.crawler).archive.mark_gone(response.url):
            self.crawler.stats.inc_value("muni/article/gone")
            self.crawler.stats.inc_value(f"muni/site/{site}/gone")
            self.logger.info("Gone (%d): %s", response.status, response.url)

    def _from_robots(self, response: Response, site: str) -> Iterator[Request]:
        for line in response.text.splitlines() if isinstance(response, TextResponse) else []:
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap" and value.strip():
                request = self._request(value.strip(), site, "sitemap")
                if request is not None:
                    yield request

    def _from_sitemap(self, response: Response, site: str) -> Iterator[Request]:
        body = unzip_limited(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        kind, locs = sitemap_entries(body or b"")
        self.crawler.stats.inc_value(f"muni/sitemap/{kind}")
        for loc in locs:
            request = self._request(loc, site, "sitemap" if kind == "sitemapindex" else "page",
                                    linked_as=loc)
            if request is not None:
                yield request

    def _capture(self, response: TextResponse, site: str) -> PageCapture:
        headers = {k.decode("latin-1"): (response.headers.get(k) or b"").decode("latin-1")
                   for k in response.headers}
        linked_as = response.meta.get("muni_linked_as")
        aliases = [u for u in (linked_as, response.request.url if response.request else None)
                   if u and u != response.url]
        return PageCapture(
            url=response.url, site=site, status=response.status, headers=headers,
            body=response.body, fetched_at=response.meta.get("muni_fetched_at", ""),
            capture=response.meta.get("muni_capture"), hint=response.meta.get("muni_hint",
                                                                              "unknown"),
            linked_as=list(dict.fromkeys(aliases)))

    def _follow(self, response: TextResponse, site: str, found: PageLinks
                ) -> Iterator[Request]:
        if self.rules[site].profile.discovery.feeds:
            for url in found.feeds:
                request = self._request(url, site, "feed")
                if request is not None:
                    yield request
        yield from self._follow_links(response, site, list(found.links), are_canonical=True)

    def _follow_links(self, response: Response, site: str, links: list[str], *,
                      are_canonical: bool) -> Iterator[Request]:
        rules = self.rules[site]
        discovery = rules.profile.discovery
        memory = self.memory.get(site)
        stats = self.crawler.stats
        # A listing page that shows nothing new does not lead on to its page 2, 3, …
        stop_paging = memory is not None and memory.trusted and not any(
            memory.is_new(link) for link in links)
        depth = response.meta.get("muni_depth", 0)
        hint = response.meta.get("muni_hint")
        follow_all = discovery.follow_links
        for url in links:
            link_hint, pagination = rules.classify(url)
            if stop_paging and pagination:
                stats.inc_value(f"muni/site/{site}/pagination_stopped")
                continue
            if not follow_all and link_hint == "unknown" and hint != "start":
                continue
            if not discovery.listings and link_hint == "listing":
                continue
            # Page 2, 3, … of a listing is as far from the start as page 1.
            next_depth = depth if pagination else depth + 1
            if next_depth > discovery.max_depth:
                stats.inc_value(f"muni/site/{site}/max_depth_reached")
                continue
            request = self._request(url, site, "page", linked_as=url, depth=next_depth,
                                    is_canonical=are_canonical)
            if request is not None:
                yield request

    def failed(self, failure: Any) -> None:
        request = failure.request
        site = request.meta.get("muni_site", "?")
        self.pending[site] -= 1
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"muni/site/{site}/failed_requests")
        self.crawler.stats.inc_value(f"muni/failed/{reason}")
        self.crawler.stats.inc_value(f"muni/site/{site}/failed/{reason}")
        self.logger.info("Failed %s (%s): %s", request.url, reason, failure.getErrorMessage())
