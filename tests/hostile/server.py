"""A hostile municipal portal on 127.0.0.1: every hazard of issue 5 on a path of its own.

Standard library only. The home page links to each hazard so that an ordinary crawl finds them,
next to a few good articles that must still be archived. The server also records every request
(arrival time and how many requests of the same host were in flight at that moment), so a test
can measure politeness from the server's side, as a real webmaster would see it::

    with HazardServer() as server:
        run_muni("crawl", "--url", server.base_url, ...)
        assert server.max_in_flight() == 1

It is bounded: it stops by itself after ``lifetime`` seconds, and no hazard holds a connection
longer than ``hold_cap`` seconds, so a test that forgets it cannot hang.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import secrets
import select
import socket
import struct
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

from tests.hostile.pages import (
    ARTICLES,
    article_html,
    gzip_bomb_member,
    pdf_bytes,
    to_windows_1258,
    zip_bytes,
)

__all__ = ["HAZARD_PATHS", "HazardServer", "Hit"]

# Where each hazard lives (the home page links to all of them).
HAZARD_PATHS = {
    "gzip_bomb": "/tai-lieu/bom-nen.html",
    "huge_page": "/tai-lieu/bao-cao-30mb.html",
    "huge_stream": "/tai-lieu/danh-sach-khong-do-dai.html",
    "redirect_loop": "/chuyen-huong/vong-a.html",
    "calendar": "/lich-cong-tac.html?thang=2024-01",
    "deep_links": "/chuyen-muc/",
    "jsessionid": "/thong-bao/lich-tiep-cong-dan.html",
    "phpsessid": "/thong-bao/danh-sach.php",
    "session_redirect": "/dich-vu-cong",
    "server_error": "/loi/bao-cao-tai-chinh.html",
    "unavailable": ARTICLES["after_503"].path,
    "too_many_requests": "/qua-tai/tin-nong.html",
    "timeout": "/cham/khong-tra-loi.html",
    "slow_drip": "/cham/nho-giot.html",
    "pdf_named_html": "/van-ban/quyet-dinh-so-15.html",
    "zip_as_html": "/van-ban/bieu-mau.html",
    "disallowed": "/quan-tri/dang-nhap.html",
    # A moved page that sends the reader on with <meta http-equiv="refresh"> in its head,
    # followed by 40 KB of old text (Scrapy looks at the first 4,096 characters only).
    "meta_refresh": "/tin-cu/trao-hoc-bong.html",
}
# The duplicate article answers at its own path and at these other URLs, byte for byte.
DUPLICATE_ALIASES = ("/index.php?nv=news&op=le-giao-nhan-quan-17",
                     "/Article/17@/le-giao-nhan-quan.html")
BOMB_MEGABYTES = 2048  # 2 GiB once gunzipped, about 2 MB on the wire
HUGE_PAGE_BYTES = 30 * 1024 * 1024


@dataclass(eq=False)  # hashed by identity: one Hit per request
class Hit:
    """One request as the server saw it. Times are ``time.time()``; ``arrived`` is when the
    kernel received the request (see ``_kernel_arrival``), not when a thread got to it."""

    method: str
    target: str  # path and query exactly as requested
    host: str
    arrived: float
    in_flight: int  # requests of this host being answered at arrival, this one included
    status: int | None = None
    finished: float | None = None
    connection: socket.socket | None = field(default=None, repr=False, compare=False)

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


class HazardServer:
    """One hostile portal on one loopback port, served from daemon threads."""

    def __init__(self, *, robots_status: int = 200, lifetime: float = 180.0,
                 hold_cap: float = 20.0, retry_after: int = 1) -> None:
        """``robots_status`` other than 200 makes robots.txt answer that status (RFC 9309
        tests); ``retry_after`` is what the 503 and 429 pages ask a crawler to wait."""
        self.robots_status = robots_status
        self.lifetime = lifetime
        self.hold_cap = hold_cap
        self.retry_after = retry_after
        self._hits: list[Hit] = []
        self._open: defaultdict[str, set[Hit]] = defaultdict(set)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self._bomb_member = gzip_bomb_member()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> HazardServer:
        handler = type("BoundHazardHandler", (_HazardHandler,), {"hazards": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._port = int(self._httpd.server_address[1])
        _enable_receive_timestamps(self._httpd.socket)  # inherited by accepted connections
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True,
                                        name="hazard-server")
        self._thread.start()
        # Bounded even if the test forgets to stop it.
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        with self._lock:
            httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.cancel()
        httpd.shutdown()
        httpd.server_close()

    def __enter__(self) -> HazardServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it serves (or served: the URLs stay meaningful after stop())."""
        if self._port is None:
            raise RuntimeError("the hazard server was never started; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, target: str) -> str:
        return self.base_url + target.lstrip("/")

    # -- what the server saw -----------------------------------------------------------------

    @property
    def hits(self) -> list[Hit]:
        with self._lock:
            return list(self._hits)

    def targets(self) -> list[str]:
        return [hit.target for hit in self.hits]

    def hits_on(self, path: str) -> list[Hit]:
        """Requests for ``path``, whatever their query or ``;jsessionid=`` parameter."""
        return [h for h in self.hits if h.path.split(";")[0] == path]

    def max_in_flight(self) -> int:
        return max((h.in_flight for h in self.hits), default=0)

    def arrival_gaps(self) -> list[float]:
        """Seconds between consecutive request arrivals (one host: this server)."""
        times = sorted(h.arrived for h in self.hits)
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    def _arrive(self, method: str, target: str, host: str, connection: socket.socket,
                arrived: float) -> Hit:
        with self._lock:
            # A request whose client has already hung up (a crawler that timed out) is no
            # longer in flight, even if its handler thread has not noticed yet: ask the socket.
            others = [h for h in self._open[host]
                      if h.connection is None or not _peer_closed(h.connection)]
            hit = Hit(method, target, host, arrived, len(others) + 1, connection=connection)
            self._open[host].add(hit)
            self._hits.append(hit)
            return hit

    def _leave(self, hit: Hit) -> None:
        with self._lock:
            hit.finished = time.time()
            self._open[hit.host].discard(hit)


# Linux's SO_TIMESTAMP (asm-generic value; Python does not export it): the kernel stamps each
# received segment, so an arrival time does not include how long a busy machine took to wake
# the handler thread — jitter that would otherwise read as impoliteness.
_SO_TIMESTAMP = 29 if sys.platform == "linux" else None


def _enable_receive_timestamps(listener: socket.socket) -> None:
    if _SO_TIMESTAMP is not None:
        with contextlib.suppress(OSError):  # then arrivals fall back to the wall clock
            listener.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMP, 1)


def _kernel_arrival(connection: socket.socket) -> float:
    """When the kernel received the next request's first segment (waits for it, peeking);
    the wall clock when the OS cannot say."""
    if _SO_TIMESTAMP is not None:
        try:
            _, ancillary, _, _ = connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
        except OSError:
            return time.time()
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMP and len(data) >= 16:
                seconds, microseconds = struct.unpack("qq", data[:16])
                return float(seconds + microseconds / 1e6)
    return time.time()


def _peer_closed(connection: socket.socket) -> bool:
    """Has the client closed this connection (EOF or reset waiting on the socket)?"""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):  # reset, or already closed by its handler
        return True


def _session_id() -> str:
    return secrets.token_hex(8).upper()


class _HazardHandler(BaseHTTPRequestHandler):
    hazards: HazardServer  # set on the per-server subclass
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection must not hold its thread forever

    def log_message(self, format: str, *args: object) -> None:
        pass  # the Hit log is the record; stderr noise would bury test output

    def handle_one_request(self) -> None:
        self._arrived = _kernel_arrival(self.connection)
        super().handle_one_request()

    def do_GET(self) -> None:
        hit = self.hazards._arrive(self.command, self.path, self.headers.get("Host", ""),
                                   self.connection, self._arrived)
        try:
            self._route()(hit)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the crawler gave up on us: that is the point
        finally:
            self.hazards._leave(hit)

    # -- routing -----------------------------------------------------------------------------

    def _route(self) -> Callable[[Hit], None]:
        parts = urlsplit(self.path)
        path = parts.path.split(";")[0]
        if path.startswith("/chuyen-muc/"):
            return self._deep_links
        if path.startswith("/chuyen-huong/"):
            return self._redirect_loop
        if path == "/lich-cong-tac.html":
            return self._calendar
        for article in ARTICLES.values():
            if path == article.path and article.key != "after_503":
                return self._article
        if self.path in DUPLICATE_ALIASES:
            return self._article
        routes: dict[str, Callable[[Hit], None]] = {
            "/": self._home,
            "/robots.txt": self._robots,
            HAZARD_PATHS["gzip_bomb"]: self._gzip_bomb,
            HAZARD_PATHS["huge_page"]: self._huge_page,
            HAZARD_PATHS["huge_stream"]: self._huge_stream,
            HAZARD_PATHS["jsessionid"]: self._session_page,
            HAZARD_PATHS["phpsessid"]: self._session_listing,
            HAZARD_PATHS["session_redirect"]: self._session_redirect,
            HAZARD_PATHS["server_error"]: self._server_error,
            HAZARD_PATHS["unavailable"]: self._unavailable_once,
            HAZARD_PATHS["too_many_requests"]: self._too_many_requests,
            HAZARD_PATHS["timeout"]: self._never_answers,
            HAZARD_PATHS["slow_drip"]: self._slow_drip,
            HAZARD_PATHS["pdf_named_html"]: self._pdf,
            HAZARD_PATHS["zip_as_html"]: self._zip,
            HAZARD_PATHS["meta_refresh"]: self._meta_refresh,
        }
        return routes.get(path, self._not_found)

    # -- plumbing ----------------------------------------------------------------------------

    def _send(self, hit: Hit, status: int, body: bytes, content_type: str = "text/html; "
              "charset=utf-8", headers: dict[str, str] | None = None) -> None:
        hit.status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _html(self, hit: Hit, html: str, status: int = 200) -> None:
        self._send(hit, status, html.encode("utf-8"))

    def _client_left(self, wait: float) -> bool:
        """Wait up to ``wait`` seconds; True as soon as the client has closed the connection
        (a crawler giving up on a slow answer)."""
        readable, _, _ = select.select([self.connection], [], [], wait)
        return bool(readable) and _peer_closed(self.connection)

    # -- the portal --------------------------------------------------------------------------

    def _home(self, hit: Hit) -> None:
        good = [a for a in ARTICLES.values() if a.key not in {"duplicate", "moved"}]
        links = [f'<li><a href="{a.path}">{a.title}</a></li>' for a in good]
        duplicate = ARTICLES["duplicate"]
        links += [f'<li><a href="{duplicate.path}">{duplicate.title}</a></li>',
                  f'<li><a href="{duplicate.path}?utm_source=zalo">Chia sẻ</a></li>']
        links += [f'<li><a href="{alias}">{duplicate.title}</a></li>'
                  for alias in DUPLICATE_ALIASES]
        sid = _session_id()
        hazards = dict(HAZARD_PATHS)
        hazards["jsessionid"] += f";jsessionid={sid}"
        hazards["phpsessid"] += f"?PHPSESSID={sid.lower()}&trang=1"
        links += [f'<li><a href="{target}">{name}</a></li>' for name, target in hazards.items()]
        self._html(hit, f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thông tin điện tử phường Đông Hưng</title></head><body>
<h1>Tin tức - Sự kiện</h1><ul>{"".join(links)}</ul></body></html>""")

    def _robots(self, hit: Hit) -> None:
        if self.hazards.robots_status != 200:
            self._send(hit, self.hazards.robots_status, b"Internal Server Error",
                       "text/plain")
            return
        self._send(hit, 200, b"User-agent: *\nDisallow: /quan-tri/\n", "text/plain")

    def _article(self, hit: Hit) -> None:
        path = urlsplit(self.path).path
        if self.path in DUPLICATE_ALIASES:
            path = ARTICLES["duplicate"].path
        article = next(a for a in ARTICLES.values() if a.path == path)
        links = '<a href="/">Trang chủ</a>'
        if article.key == "windows_1258_labelled_utf8":
            # An old CMS writing windows-1258 while header and meta both claim UTF-8.
            body = to_windows_1258(article_html(article, charset="utf-8", links=links))
            self._send(hit, 200, body, "text/html; charset=utf-8")
        elif article.key == "utf8_labelled_windows_1258":
            html = article_html(article, charset="windows-1258", links=links)
            self._send(hit, 200, html.encode("utf-8"), "text/html; charset=windows-1258")
        else:
            self._html(hit, article_html(article, links=links,
                                         malformed=article.key == "malformed"))

    def _meta_refresh(self, hit: Hit) -> None:
        moved = ARTICLES["moved"].path
        filler = "<p>Nội dung cũ của trang đã được chuyển sang địa chỉ mới.</p>" * 600
        self._html(hit, f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={moved}"><title>Trang đã chuyển</title></head>
<body><h1>Trang đã chuyển</h1>{filler}</body></html>""")

    def _not_found(self, hit: Hit) -> None:
        self._html(hit, "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>", 404)

    # -- size hazards --------------------------------------------------------------------------

    def _gzip_bomb(self, hit: Hit) -> None:
        """Small on the wire, gigabytes once gunzipped; streamed, never held in memory."""
        head = gzip.compress(b"<html><body><p>", mtime=0)
        member = self.hazards._bomb_member
        hit.status = 200
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(head) + len(member) * BOMB_MEGABYTES))
        self.end_headers()
        self.wfile.write(head)
        for _ in range(BOMB_MEGABYTES):
            self.wfile.write(member)

    def _huge_page(self, hit: Hit) -> None:
        """A 30 MB page that says so in Content-Length, written 64 KiB at a time."""
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        hit.status = 200
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(HUGE_PAGE_BYTES))
        self.end_headers()
        for _ in range(HUGE_PAGE_BYTES // len(chunk)):
            self.wfile.write(chunk)
        self.wfile.write(b" " * (HUGE_PAGE_BYTES % len(chunk)))

    def _huge_stream(self, hit: Hit) -> None:
        """A 30 MB page with no Content-Length: only counting the bytes can stop it."""
        chunk = b"<p>" + b"y" * (64 * 1024 - 7) + b"</p>\n"
        hit.status = 200
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(HUGE_PAGE_BYTES // len(chunk)):
            self.wfile.write(chunk)

    # -- traps ---------------------------------------------------------------------------------

    def _redirect_loop(self, hit: Hit) -> None:
        other = "vong-b" if "vong-a" in self.path else "vong-a"
        hit.status = 302
        self.send_response(302)
        self.send_header("Location", f"/chuyen-huong/{other}.html")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _calendar(self, hit: Hit) -> None:
        """A work calendar with a "next month" and "previous month" link, forever."""
        month = dict(parse_qsl(urlsplit(self.path).query)).get("thang", "2024-01")
        try:
            year, number = (int(x) for x in month.split("-"))
        except ValueError:
            year, number = 2024, 1
        index = year * 12 + number - 1
        before, after = divmod(index - 1, 12), divmod(index + 1, 12)
        self._html(hit, f"""<html><body><h1>Lịch công tác tháng {number}/{year}</h1>
<p>Không có lịch công tác.</p>
<a href="/lich-cong-tac.html?thang={before[0]}-{before[1] + 1:02d}">Tháng trước</a>
<a href="/lich-cong-tac.html?thang={after[0]}-{after[1] + 1:02d}">Tháng sau</a>
</body></html>""")

    def _deep_links(self, hit: Hit) -> None:
        """A relative link that is one folder deeper on every page: /chuyen-muc/tin-tuc/tin-tuc/…"""
        self._html(hit, """<html><body><h1>Chuyên mục</h1>
<a href="tin-tuc/">Tin tức</a> <a href="tin-tuc/trang-2/">Trang 2</a></body></html>""")

    # -- session ids -----------------------------------------------------------------------------

    def _session_page(self, hit: Hit) -> None:
        sid = _session_id()
        self._html(hit, f"""<html><body><h1>Lịch tiếp công dân</h1>
<a href="{HAZARD_PATHS['jsessionid']};jsessionid={sid}">Tải lại</a>
<a href="{HAZARD_PATHS['phpsessid']}?PHPSESSID={sid.lower()}&trang=2">Danh sách</a>
</body></html>""")

    def _session_listing(self, hit: Hit) -> None:
        page = dict(parse_qsl(urlsplit(self.path).query)).get("trang", "1")
        sid = _session_id().lower()
        self._html(hit, f"""<html><body><h1>Danh sách thông báo - trang {page}</h1>
<a href="?PHPSESSID={sid}&trang=1">1</a> <a href="?trang=2&PHPSESSID={sid}">2</a>
<a href="{HAZARD_PATHS['jsessionid']};jsessionid={sid.upper()}">Lịch tiếp công dân</a>
</body></html>""")

    def _session_redirect(self, hit: Hit) -> None:
        """A Java portal's first visit: redirected to the same page with a session id."""
        if ";jsessionid=" in self.path:
            self._html(hit, f"""<html><body><h1>Dịch vụ công trực tuyến</h1>
<a href="{HAZARD_PATHS['session_redirect']};jsessionid={_session_id()}">Dịch vụ công</a>
</body></html>""")
            return
        hit.status = 302
        self.send_response(302)
        self.send_header("Location", f"{HAZARD_PATHS['session_redirect']};jsessionid="
                                     f"{_session_id()}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -- errors and slowness ------------------------------------------------------------------

    def _server_error(self, hit: Hit) -> None:
        self._html(hit, "<html><body><h1>500 Internal Server Error</h1></body></html>", 500)

    def _unavailable_once(self, hit: Hit) -> None:
        """503 with Retry-After on the first visit, the article afterwards."""
        if len(self.hazards.hits_on(HAZARD_PATHS["unavailable"])) == 1:
            self._send(hit, 503, b"<html><body>Server busy</body></html>",
                       headers={"Retry-After": str(self.hazards.retry_after)})
            return
        self._html(hit, article_html(ARTICLES["after_503"], links='<a href="/">Trang chủ</a>'))

    def _too_many_requests(self, hit: Hit) -> None:
        self._send(hit, 429, b"<html><body>Too Many Requests</body></html>",
                   headers={"Retry-After": str(self.hazards.retry_after)})

    def _never_answers(self, hit: Hit) -> None:
        """Holds the connection without a byte until the client gives up (or hold_cap)."""
        self.close_connection = True
        deadline = time.monotonic() + self.hazards.hold_cap
        while time.monotonic() < deadline:
            if self._client_left(0.05):
                return

    def _slow_drip(self, hit: Hit) -> None:
        """Headers at once, then one byte a second: alive, but never done."""
        body = b"<html><body>" + b"." * 200 + b"</body></html>"
        hit.status = 200
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        deadline = time.monotonic() + self.hazards.hold_cap
        for byte in body:
            if time.monotonic() > deadline or self._client_left(1.0):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    # -- not HTML ----------------------------------------------------------------------------

    def _pdf(self, hit: Hit) -> None:
        self._send(hit, 200, pdf_bytes(), "application/pdf")

    def _zip(self, hit: Hit) -> None:
        # The server lies: a ZIP archive labelled as an HTML page.
        self._send(hit, 200, zip_bytes(), "text/html; charset=utf-8")
