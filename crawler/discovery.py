"""Reading the pages that lead to articles: sitemaps, RSS/Atom feeds, HTML links.

Pure functions over bytes or responses; the spider decides what to fetch.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.selector import Selector
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap

from pipelines.links import feed_links_in_tree, links_in_tree

__all__ = ["feed_links", "page_kind", "page_links", "page_selector", "sitemap_entries",
           "unzip_limited"]

_XML_HEAD = re.compile(
    rb"^\s*(?:\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<([\w:]+)", re.S)


def unzip_limited(body: bytes, limit: int) -> bytes | None:
    """Gunzip a sitemap.xml.gz without letting a bomb expand past ``limit`` bytes."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, limit + 1)
    except (zlib.error, gzip.BadGzipFile):
        return None
    return None if len(data) > limit else data


def page_kind(response: Response) -> str:
    """sitemap | feed | html | other, from the bytes first and the Content-Type second."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    head = _XML_HEAD.match(response.body[:2048])
    if head:
        root = head.group(3).split(b":")[-1].lower()
        if root in {b"urlset", b"sitemapindex"}:
            return "sitemap"
        if root in {b"rss", b"feed", b"rdf"}:
            return "feed"
        if root == b"html":
            return "html"
    if response.body[:2] == b"\x1f\x8b" and response.url.endswith(".xml.gz"):
        return "sitemap"
    if isinstance(response, TextResponse) and ("html" in content_type or not content_type):
        return "html"
    if "html" in content_type:
        return "html"
    return "other"


def sitemap_entries(body: bytes) -> tuple[str, list[str]]:
    """(type, locs): type is 'sitemapindex' or 'urlset'."""
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, ValueError):
        return "invalid", []
    locs = [entry["loc"] for entry in sitemap if entry.get("loc")]
    return sitemap.type or "invalid", locs


def feed_entries(body: bytes, base_url: str) -> list[str]:
    """Article links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    links: list[str] = []
    for item in root.iter("{*}item", "{*}entry"):
        href = None
        for link in item.iter("{*}link"):
            href = link.get("href") if link.get("href") is not None else (link.text or "").strip()
            if href and link.get("rel", "alternate") == "alternate":
                break
        if not href:
            guid = next(item.iter("{*}guid"), None)
            if guid is not None and (guid.text or "").startswith("http"):
                href = guid.text
        if href:
            links.append(urljoin(base_url, href.strip()))
    return links


def page_selector(response: TextResponse) -> Selector:
    """The parsed page, as ``response.selector`` would be, but not kept on the response: that
    one points back at its response, and the cycle keeps both (~0.5 MB a portal page: the
    tree, the decoded text, the bytes) alive after the page is done, until Python's cycle
    collector happens to run. Hundreds of pages piled up that way during a crawl."""
    return Selector(response)


def feed_links(response: TextResponse, selector: Selector | None = None) -> Iterator[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    selector = response.selector if selector is None else selector
    return iter(feed_links_in_tree(selector.root, get_base_url(response)))


def page_links(response: TextResponse, selector: Selector | None = None) -> list[str]:
    """Every link of a page to another page, as Scrapy's LinkExtractor finds them (<a> and
    <area> hrefs, resolved against <base href>; no images, documents, media), in page order,
    each once (pipelines.links, over Scrapy's parse of the page)."""
    selector = response.selector if selector is None else selector
    return links_in_tree(selector.root, page_url=response.url,
                         base_url=get_base_url(response), encoding=response.encoding)
