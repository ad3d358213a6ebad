"""page_links finds exactly the links Scrapy's LinkExtractor finds, in the same order.

Incremental crawls compare a page's link set with the last run's (link_set_hash): a link
extraction that differed from the one the archive was built with would make every listing look
changed. So the fast page_links is held to LinkExtractor's answers on every HTML page the
project has (fixtures, demo portals, the synthetic benchmark portal) and on hand-made hazards.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS as SCRAPY_IGNORED_EXTENSIONS
from scrapy.linkextractors import LinkExtractor

from archive.urls import canonical_url
from crawler.discovery import feed_links, page_links
from pipelines.extract import NoArticle, parse_page
from pipelines.links import IGNORED_EXTENSIONS, find_links, link_set_hash

REPO = Path(__file__).resolve().parent.parent
sys.path.append(str(REPO / "benchmarks"))  # after the packages: benchmarks/incremental.py
from synthetic_portal import Portal  # noqa: E402

_REFERENCE = LinkExtractor(unique=True, canonicalize=False, strip=True)


def reference_links(response: HtmlResponse) -> list[str]:
    return [link.url for link in _REFERENCE.extract_links(response)]


def outcome(find: object, response: HtmlResponse) -> object:
    """The links, or the exception raised (a <base href> that is no URL stops both)."""
    try:
        return find(response)  # type: ignore[operator]
    except ValueError as exc:
        return type(exc), str(exc)


def _response(url: str, body: bytes, encoding: str | None = None) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={encoding}"} if encoding else {}
    return HtmlResponse(url, body=body, headers=headers)


_PAGES = sorted(p for folder in (REPO / "tests", REPO / "crawler" / "demo")
                for p in folder.rglob("*.htm*"))


@pytest.mark.parametrize("path", _PAGES, ids=lambda p: str(p.relative_to(REPO)))
@pytest.mark.parametrize("url", ["https://xa.example.gov.vn/tin-tuc/bai-viet.html",
                                 "http://127.0.0.1:8123/a/b/c?page=2"])
def test_project_pages(path: Path, url: str) -> None:
    response = _response(url, path.read_bytes())
    assert page_links(response) == reference_links(response)


def test_synthetic_portal_pages() -> None:
    portal = Portal(300, seed=2024)
    base = "http://127.0.0.1:8100"
    pages = [("/", portal.home()), (portal.listing_path(0, 1), portal.listing(0, 1)),
             (portal.listing_path(3, 2), portal.listing(3, 2))]
    pages += [(portal.meta(n).path, portal.article(n)) for n in (1, 2, 150, 299)]
    for path, html in pages:
        response = _response(base + path, html.encode("utf-8"), "utf-8")
        found = page_links(response)
        assert found == reference_links(response)
        assert len(found) > 20


_HAZARDS = """<html><head>{base}</head><body>
<a href="/tin-tuc/a.html">root-relative</a>
<a href="  /tin-tuc/b.html&#10;">with spaces</a>
<a href="tin-tuc/c.html">path-relative</a>
<a href="../d.html">dot-dot</a>
<a href="./e.html?x=1#frag">dot</a>
<a href="?page=2">query only</a>
<a href="#top">fragment only</a>
<a href="">empty</a>
<a>no href</a>
<a href="//cdn.example.com/f.html">protocol-relative</a>
<a href="http://other.example.org/g">another host</a>
<a href="https://xa.example.gov.vn/h/../i.html">absolute with dots</a>
<a href="http:///no-host">no host</a>
<a href="HTTPS://XA.example.gov.vn/Upper">upper-case scheme</a>
<a href="javascript:void(0)">script</a>
<a href="JavaScript:void(0)">script, capitals</a>
<a href="javascript:window.open('https://xa.example.gov.vn/popup.html')">script with a URL</a>
<a href="#">top</a>
<a href="?page=2">query only, again</a>
<a href="tin-tuc/c.html">path-relative, again</a>
<a href="mailto:ubnd@example.gov.vn">mail</a>
<a href="tel:+84123">phone</a>
<a href="/files/report.PDF">document</a>
<a href="/images/photo.jpg?w=300">image</a>
<a href="/tin-tuc/tiếng-việt có dấu.html">unicode and a space</a>
<a href="/search?q=đường phố&amp;p=1">unicode query</a>
<a href="http://[::1/bad">bad IPv6</a>
<a href="/a.html" rel="nofollow">nofollow</a>
<a href="/tin-tuc/a.html">duplicate</a>
<map><area href="/ban-do.html" alt="map"></map>
<link href="/not-a-link.html" rel="next">
<img src="/img.png">
<div href="/not-an-anchor.html">div</div>
<svg><a href="/svg-link.html">svg</a></svg>
</body></html>"""


@pytest.mark.parametrize("base", ["", '<base href="/mirror/sub/">',
                                  '<base href="https://cdn.example.net/x/">',
                                  '<base href="http://[bad">', '<base target="_blank">'])
@pytest.mark.parametrize("url", ["https://xa.example.gov.vn/tin-tuc/bai.html",
                                 "https://xa.example.gov.vn:8443/",
                                 "http://xa.example.gov.vn/a;p=1/b?c=d"])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1258", "windows-1252"])
def test_hazards(base: str, url: str, encoding: str) -> None:
    body = _HAZARDS.format(base=base).encode(encoding, errors="xmlcharrefreplace")
    response = _response(url, body, encoding)
    expected = outcome(reference_links, response)
    # Twice: the second answer comes from the cache of resolved links, and must not differ.
    assert outcome(page_links, response) == expected
    assert outcome(page_links, response) == expected


def test_a_page_is_freed_when_done_not_left_to_the_cycle_collector() -> None:
    """A crawl holds dozens of pages in flight; a parsed page kept alive by a reference cycle
    (response ↔ its cached selector) lived on until the cycle collector ran: hundreds of
    them, ~0.5 MB each, at once."""
    import gc
    import weakref

    from crawler.discovery import feed_links, page_selector

    portal = Portal(50, seed=2024)
    response = _response("http://127.0.0.1:8100/", portal.home().encode("utf-8"), "utf-8")
    selector = page_selector(response)
    assert page_links(response, selector) == reference_links(_response(
        "http://127.0.0.1:8100/", portal.home().encode("utf-8"), "utf-8"))
    list(feed_links(response, selector))
    gone = weakref.ref(response)
    gc.disable()
    try:
        del response, selector
        assert gone() is None
    finally:
        gc.enable()


# -- the links an extraction worker reads (pipelines.links) ---------------------------------------

def worker_links(response: HtmlResponse) -> object:
    """What the crawl follows when the extraction worker reads the page's links: the page
    decoded and parsed as extraction parses it, then pipelines.links.find_links."""
    parsed = parse_page(response.body, {"Content-Type": response.headers.get(
        "Content-Type", b"").decode("latin-1")})
    if isinstance(parsed, NoArticle):
        return []
    tree, page = parsed
    try:
        return list(find_links(tree, page.text, response.url, page.encoding).links)
    except ValueError as exc:
        return type(exc), str(exc)


def crawl_process_links(response: HtmlResponse) -> object:
    """What the crawl follows when it parses the page itself (the spider's fallback)."""
    found = outcome(page_links, response)
    if not isinstance(found, list):
        return found
    return list(dict.fromkeys(canonical_url(u) for u in found))


@pytest.mark.parametrize("path", _PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_a_worker_reads_the_links_the_crawl_process_would(path: Path) -> None:
    response = _response("https://xa.example.gov.vn/tin-tuc/bai-viet.html", path.read_bytes())
    assert worker_links(response) == crawl_process_links(response)


def test_a_worker_reads_the_synthetic_portals_links() -> None:
    portal = Portal(300, seed=2024)
    pages = [("/", portal.home()), (portal.listing_path(0, 1), portal.listing(0, 1))]
    pages += [(portal.meta(n).path, portal.article(n)) for n in (1, 150, 299)]
    for path, html in pages:
        response = _response("http://127.0.0.1:8100" + path, html.encode("utf-8"), "utf-8")
        found = worker_links(response)
        assert found == crawl_process_links(response)
        assert isinstance(found, list) and len(found) > 20


@pytest.mark.parametrize("base", ["", '<base href="/mirror/sub/">',
                                  '<base href="https://cdn.example.net/x/">',
                                  '<base href="http://[bad">'])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1258"])
def test_a_worker_reads_the_hazards_as_the_crawl_process_would(base: str, encoding: str
                                                                ) -> None:
    body = _HAZARDS.format(base=base).encode(encoding, errors="xmlcharrefreplace")
    response = _response("https://xa.example.gov.vn/tin-tuc/bai.html", body, encoding)
    assert worker_links(response) == crawl_process_links(response)


def test_the_feeds_a_page_announces_are_read_in_the_worker_too() -> None:
    body = (b'<html><head><base href="/tin/"><link rel="alternate" type="application/rss+xml"'
            b' href="rss.xml"><link rel="Alternate stylesheet" type="text/css" href="a.css">'
            b'<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head>'
            b'<body><a href="a.html">a</a></body></html>')
    response = _response("https://xa.example.gov.vn/tin-tuc/", body, "utf-8")
    parsed = parse_page(body, {"Content-Type": "text/html; charset=utf-8"})
    assert not isinstance(parsed, NoArticle)
    found = find_links(parsed[0], parsed[1].text, response.url, parsed[1].encoding)
    assert list(found.feeds) == list(feed_links(response)) == [
        "https://xa.example.gov.vn/tin/rss.xml", "https://xa.example.gov.vn/atom.xml"]
    assert found.fingerprint == link_set_hash(found.links)


def test_the_worker_knows_the_extensions_scrapy_ignores() -> None:
    # pipelines.links keeps its own copy (importing Scrapy's would load it in every worker).
    assert set(IGNORED_EXTENSIONS) == set(SCRAPY_IGNORED_EXTENSIONS)
