"""Reading the pages that lead to articles: sitemaps, RSS/Atom feeds, HTML links.

Pure functions over bytes or responses; the spider decides what to fetch.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urljoin, urlparse, urlsplit

from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.selector import Selector
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

__all__ = ["feed_links", "page_kind", "page_links", "page_selector", "sitemap_entries",
           "unzip_limited"]

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


def page_selector(response: TextResponse) -> Selector:
    """The parsed page, as ``response.selector`` would be, but not kept on the response: that
    one points back at its response, and the cycle keeps both (~0.5 MB a portal page: the
    tree, the decoded text, the bytes) alive after the page is done, until Python's cycle
    collector happens to run. Hundreds of pages piled up that way during a crawl."""
    return Selector(response)


def feed_links(response: TextResponse, selector: Selector | None = None) -> Iterator[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    selector = response.selector if selector is None else selector
    for link in selector.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower()
        if "alternate" in rel and kind in _FEED_TYPES:
            yield response.urljoin(link.attrib["href"])


# What Scrapy's LinkExtractor(unique=True, canonicalize=False, strip=True) returns, without the
# link texts and nofollow flags it also builds (and we never read), and without resolving the
# same menu link again on every page: that took ~6 ms of the crawl process per portal page.
# tests/test_page_links.py holds it to LinkExtractor's answers.
_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINK_TAGS = ("a", "area", f"{_XHTML}a", f"{_XHTML}area")
# url_has_any_extension's test, as one str.endswith over them all
_DENY_EXTENSIONS = tuple(sorted({"." + e for e in IGNORED_EXTENSIONS}))
_FETCHABLE = {"http", "https", "file", "ftp"}
# Whatever the page, these stay in their own scheme, which _resolve drops.
_NEVER_FETCHABLE = ("javascript:", "mailto:", "tel:")


def _resolve(base_url: str, response_url: str, encoding: str, href: str) -> str | None:
    """LinkExtractor's steps for one href value: the absolute URL, or None when it drops it
    (a bogus URL, not http/https/file/ftp, an image, document or media extension)."""
    try:
        url = urljoin(base_url, href)
        url = safe_url_string(url, encoding=encoding)
    except ValueError:
        return None
    url = urljoin(response_url, url)
    if url.split("://", 1)[0] not in _FETCHABLE or urlparse(url).path.lower().endswith(
            _DENY_EXTENSIONS):
        return None
    return url


@lru_cache(maxsize=8192)  # menus and sidebars link to the same pages from every page
def _resolve_rooted(base_origin: str, response_origin: str, encoding: str, href: str
                    ) -> str | None:
    """``_resolve`` of an href that is absolute (http/https) or starts with one "/": its result
    depends on the base and response URLs only through their scheme and host (urljoin keeps
    nothing else of them), so it is the same for every page of a site."""
    return _resolve(base_origin, response_origin, encoding, href)


def _origin(url: str) -> str | None:
    """``scheme://netloc/`` of an http(s) URL; None when the shortcut does not apply."""
    if not url.startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def page_links(response: TextResponse, selector: Selector | None = None) -> list[str]:
    """Every link of a page to another page, as Scrapy's LinkExtractor finds them (<a> and
    <area> hrefs, resolved against <base href>; no images, documents, media), in page order,
    each once. rel=nofollow is a ranking hint for search engines, not a "do not archive":
    print views and share links carry it, and robots.txt is what says what may be fetched."""
    base_url = get_base_url(response)
    response_url, encoding = response.url, response.encoding
    base_origin, response_origin = _origin(base_url), _origin(response_url)
    selector = response.selector if selector is None else selector
    links: list[str] = []
    on_this_page: dict[str, str | None] = {}  # "#", "?page=2", "tin-tuc.html": this page's
    for element in selector.root.iter(*_LINK_TAGS):
        href = element.get("href")
        if href is None:
            continue
        href = strip_html5_whitespace(href)
        if href.startswith(_NEVER_FETCHABLE):
            continue
        if base_origin is not None and response_origin is not None and (
                href.startswith(("http://", "https://"))
                or (href.startswith("/") and not href.startswith("//"))):
            url = _resolve_rooted(base_origin, response_origin, encoding, href)
        elif href in on_this_page:
            url = on_this_page[href]
        else:
            url = on_this_page[href] = _resolve(base_url, response_url, encoding, href)
        if url is not None:
            links.append(url)
    return list(dict.fromkeys(links))
