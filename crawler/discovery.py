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
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

__all__ = ["feed_links", "page_kind", "sitemap_entries", "unzip_limited"]

_XML_HEAD = re.compile(
    rb"^\s*(?:\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<([\w:]+)", re.S)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
               "application/rdf+xml")


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


def feed_links(response: TextResponse) -> Iterator[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    for link in response.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower()
        if "alternate" in rel and kind in _FEED_TYPES:
            yield response.urljoin(link.attrib["href"])


_LINKS = LinkExtractor(unique=True, canonicalize=False, strip=True)


def page_links(response: TextResponse) -> list[str]:
    """Every link of a page to another page (Scrapy's LinkExtractor: no images, documents,
    media). rel=nofollow is a ranking hint for search engines, not a "do not archive": print
    views and share links carry it, and robots.txt is what says what may be fetched."""
    return [link.url for link in _LINKS.extract_links(response)]
