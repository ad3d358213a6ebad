"""A page's links, read from its parsed tree: what the crawl follows from an HTML page.

The extraction worker parses every page it extracts; it finds the page's links in that same
tree (``find_links``), so the crawl's own process does not parse each page a second time just
for its links (~1.3 ms of its CPU a portal page). ``crawler.discovery.page_links`` runs the same
walk over Scrapy's parse when no worker did (a page whose extraction failed, the hazard tests).

What is found is what Scrapy's ``LinkExtractor(unique=True, canonicalize=False, strip=True)``
finds — <a> and <area> hrefs resolved against <base href>, no images, documents or media, in
page order, each once — without the link texts it also builds: tests/test_page_links.py holds
both to its answers. Imports neither Scrapy nor the extraction library: the extraction workers
load this module, and every module they load costs each of them memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlparse, urlsplit

from w3lib.html import get_base_url, strip_html5_whitespace
from w3lib.url import safe_url_string

from archive.urls import canonical_url

__all__ = ["IGNORED_EXTENSIONS", "PageLinks", "feed_links_in_tree", "find_links",
           "link_set_hash", "links_in_tree"]

# scrapy.linkextractors.IGNORED_EXTENSIONS, copied: importing it loads Scrapy's link extractor
# and all it needs into every extraction worker. tests/test_page_links.py checks the copy.
IGNORED_EXTENSIONS = (
    "7z", "7zip", "bz2", "rar", "tar", "tar.gz", "xz", "zip",
    "mng", "pct", "bmp", "gif", "jpg", "jpeg", "png", "pst", "psp", "tif", "tiff", "ai", "drw",
    "dxf", "eps", "ps", "svg", "cdr", "ico", "webp",
    "mp3", "wma", "ogg", "wav", "ra", "aac", "mid", "au", "aiff",
    "3gp", "asf", "asx", "avi", "mov", "mp4", "mpg", "qt", "rm", "swf", "wmv", "m4a", "m4v",
    "flv", "webm",
    "xls", "xlsm", "xlsx", "xltm", "xltx", "potm", "potx", "ppt", "pptm", "pptx", "pps", "doc",
    "docb", "docm", "docx", "dotm", "dotx", "odt", "ods", "odg", "odp",
    "css", "pdf", "exe", "bin", "rss", "dmg", "iso", "apk", "jar", "sh", "rb", "js", "hta",
    "bat", "cpl", "msi", "msp", "py",
)

_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINK_TAGS = ("a", "area", f"{_XHTML}a", f"{_XHTML}area")
# url_has_any_extension's test, as one str.endswith over them all
_DENY_EXTENSIONS = tuple(sorted({"." + e for e in IGNORED_EXTENSIONS}))
_FETCHABLE = {"http", "https", "file", "ftp"}
# Whatever the page, these stay in their own scheme, which _resolve drops.
_NEVER_FETCHABLE = ("javascript:", "mailto:", "tel:")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
               "application/rdf+xml")
# w3lib's get_base_url looks for <base href> in the first 4 KB, as Scrapy's does.
_BASE_WINDOW = 4096


@dataclass(frozen=True)
class PageLinks:
    """The links of one HTML page, as the crawl uses them."""

    links: tuple[str, ...]  # canonical URLs (archive.urls.canonical_url), page order, each once
    feeds: tuple[str, ...]  # absolute URLs of the feeds the page announces
    fingerprint: str  # link_set_hash(links): what the page means for the next run


def link_set_hash(links: Iterable[str]) -> str:
    """What a navigation page means for the crawl is the set of pages it links to, not its
    bytes: clocks and visitor counters change on every load."""
    joined = "\n".join(sorted(set(links)))
    return "links:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _resolve(base_url: str, page_url: str, encoding: str, href: str) -> str | None:
    """LinkExtractor's steps for one href value: the absolute URL, or None when it drops it
    (a bogus URL, not http/https/file/ftp, an image, document or media extension)."""
    try:
        url = urljoin(base_url, href)
        url = safe_url_string(url, encoding=encoding)
    except ValueError:
        return None
    url = urljoin(page_url, url)
    if url.split("://", 1)[0] not in _FETCHABLE or urlparse(url).path.lower().endswith(
            _DENY_EXTENSIONS):
        return None
    return url


# Menus and sidebars link to the same pages from every page. Each extraction worker has its
# own cache, so it is small: as archive.urls.canonical_url's, sized to a portal's menus and
# its recent pages.
@lru_cache(maxsize=2048)
def _resolve_rooted(base_origin: str, page_origin: str, encoding: str, href: str
                    ) -> str | None:
    """``_resolve`` of an href that is absolute (http/https) or starts with one "/": its result
    depends on the base and page URLs only through their scheme and host (urljoin keeps
    nothing else of them), so it is the same for every page of a site."""
    return _resolve(base_origin, page_origin, encoding, href)


def _origin(url: str) -> str | None:
    """``scheme://netloc/`` of an http(s) URL; None when the shortcut does not apply."""
    if not url.startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def links_in_tree(root: Any, *, page_url: str, base_url: str, encoding: str) -> list[str]:
    """Every link of a parsed page to another page (absolute, not canonicalised), in page
    order, each once. ``base_url`` is the page's <base href> resolved (or its URL).
    rel=nofollow is a ranking hint for search engines, not a "do not archive": print views and
    share links carry it, and robots.txt is what says what may be fetched."""
    base_origin, page_origin = _origin(base_url), _origin(page_url)
    links: list[str] = []
    on_this_page: dict[str, str | None] = {}  # "#", "?page=2", "tin-tuc.html": this page's
    for element in root.iter(*_LINK_TAGS):
        href = element.get("href")
        if href is None:
            continue
        href = strip_html5_whitespace(href)
        if href.startswith(_NEVER_FETCHABLE):
            continue
        if base_origin is not None and page_origin is not None and (
                href.startswith(("http://", "https://"))
                or (href.startswith("/") and not href.startswith("//"))):
            url = _resolve_rooted(base_origin, page_origin, encoding, href)
        elif href in on_this_page:
            url = on_this_page[href]
        else:
            url = on_this_page[href] = _resolve(base_url, page_url, encoding, href)
        if url is not None:
            links.append(url)
    return list(dict.fromkeys(links))


def feed_links_in_tree(root: Any, base_url: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    feeds: list[str] = []
    for link in root.iter("link"):
        href = link.get("href")
        if href is None:
            continue
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in _FEED_TYPES:
            feeds.append(urljoin(base_url, href))
    return feeds


def find_links(root: Any, text: str, page_url: str, encoding: str) -> PageLinks:
    """The links of a page parsed from ``text`` (decoded as ``encoding``) into ``root``.
    Raises ValueError where Scrapy's would (a <base href> that is no URL)."""
    base_url = get_base_url(text[:_BASE_WINDOW], page_url, encoding)
    links = list(dict.fromkeys(canonical_url(u) for u in links_in_tree(
        root, page_url=page_url, base_url=base_url, encoding=encoding)))
    feeds = feed_links_in_tree(root, base_url)
    return PageLinks(tuple(links), tuple(feeds), link_set_hash(links))
