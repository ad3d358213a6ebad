"""StoragePipeline: an extracted article becomes one archive row, in one transaction."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.crawler import Crawler

from archive.db import ArticleRecord
from archive.urls import canonical_url
from pipelines.extraction import ExtractedPage
from pipelines.session import ArchiveSession

__all__ = ["StoragePipeline", "record_for"]


def record_for(page: ExtractedPage, *, url: str | None = None) -> ArticleRecord:
    """The archive row of an extracted page. Its identity is ``url`` when already known (a
    re-extraction keeps the row's, with no aliases to add), else the page's canonical link on
    the same host, else the fetched URL, canonicalised."""
    capture, article = page.capture, page.article
    aliases: tuple[str, ...] = ()
    if url is None:
        declared = article.canonical_url
        url = canonical_url(declared) if declared and _same_host(declared, capture.url) else \
            canonical_url(capture.url)
        aliases = tuple(dict.fromkeys([capture.url, *capture.linked_as]))
    ref = capture.capture
    return ArticleRecord(
        url=url, site=capture.site, body=article.body, fetched_url=capture.url,
        title=article.title, author=article.author, published=article.published,
        language=article.language, title_raw=article.title_raw,
        title_source=article.title_source, published_raw=article.published_raw,
        published_source=article.published_source,
        published_precision=article.published_precision, author_raw=article.author_raw,
        author_source=article.author_source, author_rule=article.author_rule,
        author_kind=article.author_kind, news_source=article.news_source,
        description=article.description,
        captions=[{"text": c.text, "image": c.image} for c in article.captions],
        warc_file=ref.file if ref else None, warc_offset=ref.offset if ref else None,
        warc_length=ref.length if ref else None, warc_record_id=ref.record_id if ref else None,
        alias_urls=aliases, extra=dict(article.extra),
        learned_boilerplate=page.learned_boilerplate)


def _same_host(a: str, b: str) -> bool:
    return urlsplit(a).netloc.lower().removeprefix("www.") == \
        urlsplit(b).netloc.lower().removeprefix("www.")


class StoragePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        session = ArchiveSession.of(self.crawler)
        for profile in getattr(self.crawler.spider, "profiles", []):
            session.register_site(profile.site_row())

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, ExtractedPage):
            return item
        session = ArchiveSession.of(self.crawler)
        outcome = session.archive.store_article(record_for(item), crawl_id=session.crawl_id)
        self.stats.inc_value(f"muni/article/{outcome}")
        self.stats.inc_value(f"muni/site/{item.capture.site}/{outcome}")
        return {"url": item.capture.url, "outcome": outcome}
