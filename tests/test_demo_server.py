"""The demo portal server and the bundled portals, over real HTTP on 127.0.0.1.

Two halves: the server behaves like a small real web server (routing, {{BASE}}, 404, 304,
gzip, request log, slow robots.txt), and every bundled portal is consistent with its gold
(every expected page is served, every article is reachable by a crawler that obeys
robots.txt, the deliberately odd pages really are stored oddly).
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from archive.errors import ConfigError
from crawler.demo import Portal, PortalServer, portal_names, serve_portals
from crawler.demo.portal import query_key

NO_REDIRECTS = urllib.request.build_opener(
    type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
         {"redirect_request": lambda *args, **kwargs: None})
)


def fetch_following(url: str) -> tuple[str, bytes]:
    """The final URL and body after redirects (SharePoint answers ``/`` with a 302)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.url, response.read()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with NO_REDIRECTS.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# -- the server ----------------------------------------------------------------------------


def write_portal(root: Path, routes: dict[str, object], files: dict[str, bytes]) -> Path:
    portal = root / "mini"
    portal.mkdir(exist_ok=True)
    for name, data in files.items():
        target = portal / "site" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (portal / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
    return portal


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write_portal(
        tmp_path,
        {
            "ignored_params": ["utm_source", "utm_medium"],
            "routes": [
                {"url": "/?gd=2&cn=5&tc=123", "file": "tc123.html"},
                {"url": "/?gd=1&cn=5", "file": "list.html"},
                {"url": "/legacy.html", "file": "legacy.html",
                 "content_type": "text/html; charset=utf-8"},
                {"url": "/old", "status": 301, "headers": {"Location": "{{BASE}}/?gd=1&cn=5"}},
                {"url": "/gone.pdf", "status": 404},
            ],
        },
        {
            "index.html": b"<html>home <a href='{{BASE}}/?gd=1&cn=5'>list</a></html>",
            "tc123.html": b'<link rel="canonical" href="{{BASE}}/?gd=2&cn=5&tc=123">article',
            "list.html": b"listing",
            "legacy.html": "Tiếng Việt".encode("cp1258", errors="ignore"),
            "robots.txt": b"User-agent: *\nDisallow: /private/\n",
            "404.html": b"<h1>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y trang</h1>",
            "docs/a.pdf": b"%PDF-1.4 tiny",
        },
    )


def test_serves_on_loopback_with_its_own_port_and_stops(mini: Path) -> None:
    with PortalServer(mini) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.base_url)
        status, headers, body = fetch(server.base_url)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert int(headers["Content-Length"]) == len(body)
        url = server.base_url
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_query_routes_match_whatever_the_parameter_order(mini: Path) -> None:
    with PortalServer(mini) as server:
        for path in ("/?gd=2&cn=5&tc=123", "/?tc=123&gd=2&cn=5", "/?cn=5&tc=123&gd=2"):
            status, _, body = fetch(server.url(path))
            assert (status, body.endswith(b"article")) == (200, True), path


def test_tracking_parameters_are_ignored_like_a_real_server_does(mini: Path) -> None:
    with PortalServer(mini) as server:
        status, _, body = fetch(server.url("/?tc=123&utm_source=zalo&gd=2&utm_medium=share&cn=5"))
        assert status == 200 and body.endswith(b"article")


def test_unknown_query_on_a_query_routed_path_is_404_not_the_home_page(mini: Path) -> None:
    with PortalServer(mini) as server:
        status, _, body = fetch(server.url("/?gd=2&cn=5&tc=999"))
        assert status == 404
        assert "Không tìm thấy trang".encode() in body
        assert fetch(server.url("/"))[0] == 200


def test_plain_files_ignore_the_query_string(mini: Path) -> None:
    with PortalServer(mini) as server:
        assert fetch(server.url("/docs/a.pdf?download=1"))[0] == 200


def test_unknown_paths_and_escapes_are_404(mini: Path) -> None:
    with PortalServer(mini) as server:
        for path in ("/nope.html", "/../routes.json", "/%2e%2e/routes.json", "/gone.pdf"):
            assert fetch(server.url(path))[0] == 404, path


def test_base_placeholder_becomes_the_server_address_without_trailing_slash(mini: Path) -> None:
    with PortalServer(mini) as server:
        _, headers, body = fetch(server.url("/?gd=2&cn=5&tc=123"))
        base = server.base_url.rstrip("/")
        assert f'href="{base}/?gd=2&cn=5&tc=123"'.encode() in body
        assert b"{{BASE}}" not in body
        assert int(headers["Content-Length"]) == len(body)
        status, headers, _ = fetch(server.url("/old"))
        assert status == 301
        assert headers["Location"] == f"{base}/?gd=1&cn=5"


def test_bytes_are_served_as_stored_even_under_a_wrong_charset(mini: Path) -> None:
    with PortalServer(mini) as server:
        _, headers, body = fetch(server.url("/legacy.html"))
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (mini / "site" / "legacy.html").read_bytes()


def test_etag_and_last_modified_answer_conditional_requests_with_304(mini: Path) -> None:
    with PortalServer(mini) as server:
        status, headers, _ = fetch(server.url("/?gd=1&cn=5"))
        assert status == 200
        etag, last_modified = headers["ETag"], headers["Last-Modified"]
        assert fetch(server.url("/?cn=5&gd=1"), {"If-None-Match": etag})[0] == 304
        assert fetch(server.url("/?gd=1&cn=5"), {"If-None-Match": '"other"'})[0] == 200
        assert fetch(server.url("/?gd=1&cn=5"), {"If-Modified-Since": last_modified})[0] == 304
        long_ago = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert fetch(server.url("/?gd=1&cn=5"), {"If-Modified-Since": long_ago})[0] == 200


def test_gzip_only_when_the_client_accepts_it(mini: Path) -> None:
    with PortalServer(mini) as server:
        _, plain_headers, plain = fetch(server.url("/?gd=2&cn=5&tc=123"))
        _, headers, packed = fetch(server.url("/?gd=2&cn=5&tc=123"),
                                   {"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain_headers
    assert headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == len(packed)
    assert gzip.decompress(packed) == plain


def test_request_log_records_method_path_headers_and_time(mini: Path) -> None:
    with PortalServer(mini) as server:
        before = time.time()
        fetch(server.url("/?tc=123&gd=2&cn=5"), {"User-Agent": "muni-test/1"})
        urllib.request.urlopen(urllib.request.Request(server.url("/robots.txt"), method="HEAD"))
        log = server.requests
    assert [(r.method, r.path) for r in log] == [
        ("GET", "/?tc=123&gd=2&cn=5"),
        ("HEAD", "/robots.txt"),
    ]
    assert log[0].headers["User-Agent"] == "muni-test/1"
    assert before <= log[0].time <= log[1].time
    assert server.requested_paths() == ["/?tc=123&gd=2&cn=5", "/robots.txt"]


def test_request_log_is_complete_under_concurrent_requests(mini: Path) -> None:
    with PortalServer(mini) as server:
        threads = [threading.Thread(target=fetch, args=(server.url(f"/?gd=1&cn=5&n={i}"),))
                   for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(server.requests) == 20


def test_slow_paths_delay_only_those_paths(mini: Path) -> None:
    with PortalServer(mini, slow_paths={"/robots.txt": 0.8}) as server:
        started = time.monotonic()
        robots = threading.Thread(target=fetch, args=(server.url("/robots.txt"),))
        robots.start()
        fetch(server.url("/?gd=1&cn=5"))
        fast = time.monotonic() - started
        robots.join()
        slow = time.monotonic() - started
    assert fast < 0.5
    assert slow >= 0.8
    assert sorted(server.requested_paths()) == ["/?gd=1&cn=5", "/robots.txt"]


def test_delay_slows_every_answer(mini: Path) -> None:
    with PortalServer(mini, delay=0.3) as server:
        for path in ("/", "/robots.txt"):
            started = time.monotonic()
            assert fetch(server.url(path))[0] == 200
            assert time.monotonic() - started >= 0.3, path


def test_request_log_entries_unpack_as_tuples(mini: Path) -> None:
    with PortalServer(mini) as server:
        fetch(server.url("/robots.txt"))
        [(method, path, headers, when)] = server.requests
    assert (method, path) == ("GET", "/robots.txt")
    assert "Host" in headers and when > 0


def test_bad_route_tables_are_config_errors_that_name_the_problem(tmp_path: Path) -> None:
    portal = write_portal(tmp_path, {"routes": [{"url": "/a", "fiel": "a.html"}]}, {})
    with pytest.raises(ConfigError, match=r"routes\[0\].*'fiel'"):
        Portal(portal)
    portal = write_portal(tmp_path, {"routes": [{"url": "/a", "file": "missing.html"}]}, {})
    with pytest.raises(ConfigError, match=r"missing\.html"):
        Portal(portal)
    with pytest.raises(ConfigError, match="no demo portal"):
        Portal("no-such-portal")


def test_serve_portals_gives_each_portal_its_own_host_and_port() -> None:
    with serve_portals() as servers:
        assert sorted(servers) == portal_names()
        assert len({s.base_url for s in servers.values()}) == len(servers)
        for server in servers.values():
            assert fetch(server.url("/robots.txt"))[0] == 200


# -- the bundled portals ------------------------------------------------------------------

PORTALS = portal_names()


def test_there_are_at_least_four_bundled_portals() -> None:
    assert len(PORTALS) >= 4, PORTALS


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.canonical: str | None = None
        self.feeds: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        href = a.get("href")
        if not href:
            return
        if tag == "a":
            self.links.append(href)
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = href
        elif tag == "link" and a.get("rel") == "alternate" and "xml" in (a.get("type") or ""):
            self.feeds.append(href)


def _decode(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def crawl(server: PortalServer) -> tuple[set[tuple[str, tuple[tuple[str, str], ...]]], dict]:
    """A tiny polite crawler: robots.txt, its sitemaps, feeds, links; same host only.

    Returns the keys of every page reached and, per page, the canonical key it declares."""
    ignored = server.portal.ignored_params
    robots = RobotFileParser()
    robots.parse(_decode(fetch(server.url("/robots.txt"))[2]).splitlines())
    host = urlsplit(server.base_url).netloc
    queue = deque([server.base_url, *(robots.site_maps() or [])])
    seen: set[str] = set()
    reached: set = set()
    canonical_of: dict = {}
    while queue:
        url = queue.popleft().split("#")[0]
        parts = urlsplit(url)
        if parts.netloc != host or url in seen:
            continue
        seen.add(url)
        if not robots.can_fetch("*", url):
            continue
        status, headers, body = fetch(url)
        if status in (301, 302, 303, 307, 308):
            queue.append(urljoin(url, headers["Location"]))
            continue
        if status != 200:
            continue
        key = query_key(parts.path + ("?" + parts.query if parts.query else ""), ignored)
        reached.add(key)
        content_type = headers.get("Content-Type", "")
        text = _decode(body)
        if "xml" in content_type:
            queue.extend(re.findall(r"<(?:loc|link)>\s*([^<\s]+)\s*</", text))
            continue
        if "html" not in content_type:
            continue
        parser = _Links()
        parser.feed(text)
        if parser.canonical:
            c = urlsplit(urljoin(url, parser.canonical))
            canonical_of[key] = query_key(c.path + ("?" + c.query if c.query else ""), ignored)
        queue.extend(urljoin(url, link.replace("&amp;", "&")) for link in parser.links)
        queue.extend(urljoin(url, feed) for feed in parser.feeds)
    return reached, canonical_of


@pytest.fixture(scope="module")
def running_portals():
    with serve_portals() as servers:
        yield servers


@pytest.mark.parametrize("name", PORTALS)
def test_expected_json_is_sorted_indented_and_complete(name: str) -> None:
    path = Portal(name).root / "expected.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert 8 <= len(data["articles"]) <= 15
    keys = {"path", "title", "author", "published", "news_source", "with", "without"}
    for article in data["articles"]:
        assert set(article) == keys, article["path"]
        assert article["with"], article["path"]
        assert article["published"] is None or re.fullmatch(
            r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2})?", article["published"]
        ), article["path"]
        for field in ("title", "author", "news_source"):
            value = article[field]
            assert value is None or unicodedata.is_normalized("NFC", value)
    assert data["not_articles"] and data["never_fetch"]


@pytest.mark.parametrize("name", PORTALS)
def test_every_expected_page_is_served(name: str, running_portals) -> None:
    server = running_portals[name]
    expected = server.portal.expected
    for path in [a["path"] for a in expected["articles"]] + expected["not_articles"]:
        status, headers, _ = fetch(server.url(path))
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html"), path


@pytest.mark.parametrize("name", PORTALS)
def test_never_fetch_paths_are_linked_but_disallowed_by_robots(name: str, running_portals) -> None:
    server = running_portals[name]
    robots = RobotFileParser()
    robots.parse(_decode(fetch(server.url("/robots.txt"))[2]).splitlines())
    home = _decode(fetch_following(server.base_url)[1])
    for path in server.portal.expected["never_fetch"]:
        assert not robots.can_fetch("*", server.url(path)), path
        assert f'href="{path}"' in home, f"{path} is not linked from the home page"


@pytest.mark.parametrize("name", PORTALS)
def test_every_article_is_reachable_by_a_polite_crawler(name: str, running_portals) -> None:
    server = running_portals[name]
    expected = server.portal.expected
    reached, canonical_of = crawl(server)
    found = reached | set(canonical_of.values())
    for article in expected["articles"]:
        assert query_key(article["path"], server.portal.ignored_params) in found, article["path"]
    for path in expected["not_articles"]:
        assert query_key(path, server.portal.ignored_params) in reached, path
    never = {query_key(p) for p in expected["never_fetch"]}
    assert not never & reached


@pytest.mark.parametrize("name", PORTALS)
def test_declared_canonicals_are_the_expected_paths(name: str, running_portals) -> None:
    server = running_portals[name]
    for article in server.portal.expected["articles"]:
        parser = _Links()
        parser.feed(_decode(fetch(server.url(article["path"]))[2]))
        # A portal may declare no canonical at all (tanlap); one it declares must be the gold's.
        assert parser.canonical in (None, server.url(article["path"])), article["path"]


def _stored(name: str, path: str) -> bytes:
    return Portal(name).resolve(path).body


def test_some_portal_stores_a_page_in_windows_1258_served_as_utf8(running_portals) -> None:
    found = []
    for name, server in running_portals.items():
        for article in server.portal.expected["articles"]:
            body = _stored(name, article["path"])
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                text = unicodedata.normalize("NFC", body.decode("cp1258"))
                assert article["title"] in text
                _, headers, _ = fetch(server.url(article["path"]))
                assert headers["Content-Type"] == "text/html; charset=utf-8"
                found.append(article["path"])
    assert len(found) == 1, found


def test_some_portal_stores_a_page_in_nfd(running_portals) -> None:
    found = []
    for name, server in running_portals.items():
        for article in server.portal.expected["articles"]:
            try:
                text = _stored(name, article["path"]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not unicodedata.is_normalized("NFC", text):
                assert article["title"] not in text
                assert article["title"] in unicodedata.normalize("NFC", text)
                found.append(article["path"])
    assert len(found) == 1, found


@pytest.mark.parametrize("name", PORTALS)
def test_committed_portal_is_what_its_content_file_builds(name: str, tmp_path: Path) -> None:
    # Listings, feeds, sitemaps and gold are written from one article list by the authoring
    # tool; a hand edit to one of them would silently disagree with the others.
    from crawler.demo.authoring.build import build_portal

    built = build_portal(name, tmp_path)
    committed = Portal(name).root
    built_files = {p.relative_to(built): p for p in built.rglob("*") if p.is_file()}
    committed_files = {p.relative_to(committed): p for p in committed.rglob("*") if p.is_file()}
    assert sorted(built_files) == sorted(committed_files)
    for relative, path in built_files.items():
        assert path.read_bytes() == committed_files[relative].read_bytes(), relative
