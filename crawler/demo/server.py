"""Serve bundled demo portals over real HTTP on 127.0.0.1, for tests, `muni demo` and benchmarks.

Standard library only, so that anything can start it. Each portal gets its own host:port
(robots.txt is per host) and a thread of its own::

    with PortalServer("tayson") as server:
        fetch(server.base_url + "robots.txt")          # base_url ends with "/"
        assert "/admin/" not in server.requested_paths()

    with serve_portals() as servers:                   # every bundled portal at once
        for name, server in servers.items(): ...

``{{BASE}}`` in served text is replaced by the base URL without its trailing slash. Everything
else is served byte for byte as stored, with Content-Length, Last-Modified and an ETag (so
conditional requests get 304), and gzip when the client asks for it.

``python -m crawler.demo.server [NAME ...]`` serves portals until Ctrl-C and prints their
addresses.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import NamedTuple
from urllib.parse import urlsplit

from archive.errors import ConfigError
from crawler.demo.portal import BASE_PLACEHOLDER, Portal, Resolved, portal_names

__all__ = ["PortalServer", "RequestRecord", "portal_names", "serve_portals"]

logger = logging.getLogger(__name__)

_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/atom+xml",
                 "application/json")


class RequestRecord(NamedTuple):
    """One request as the server saw it; ``time`` is ``time.time()`` on arrival. A tuple, so
    ``for method, path, headers, when in server.requests`` works too."""

    method: str
    path: str  # path with query, exactly as requested
    headers: Mapping[str, str]
    time: float


class PortalServer:
    """One portal on one loopback port, served from a daemon thread until stop()."""

    def __init__(
        self,
        portal: str | Path | Portal,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        delay: float = 0.0,
        slow_paths: Mapping[str, float] | None = None,
        gzip_responses: bool = True,
    ) -> None:
        """``delay`` slows every answer; ``slow_paths`` slows only the given URL paths (query
        ignored), e.g. ``{"/robots.txt": 1.0}`` to race requests against robots.txt."""
        self.portal = portal if isinstance(portal, Portal) else Portal(portal)
        self.name = self.portal.name
        self.delay = delay
        self.slow_paths = dict(slow_paths or {})
        self.gzip_responses = gzip_responses
        self._host = host
        self._port = port
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> PortalServer:
        if self._httpd is not None:
            return self
        handler = type("BoundPortalHandler", (_PortalHandler,), {"portal_server": self})
        self._httpd = ThreadingHTTPServer((self._host, self._port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"portal-{self.name}",
            daemon=True,
        )
        self._thread.start()
        logger.debug("serving portal %s at %s", self.name, self.base_url)
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None
        self._thread = None

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError(f"portal server {self.name!r} is not running; call start() first")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/`` — with the trailing slash, unlike ``{{BASE}}``."""
        return f"http://{self._host}:{self.port}/"

    def url(self, path: str) -> str:
        """Absolute URL of a path such as ``/vi/news/`` on this server."""
        return self.base_url + path.lstrip("/")

    # -- request log -------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the log, oldest first."""
        with self._log_lock:
            return list(self._log)

    def requested_paths(self) -> list[str]:
        return [record.path for record in self.requests]

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(record)

    def _delay_for(self, path_with_query: str) -> float:
        return self.delay + self.slow_paths.get(urlsplit(path_with_query).path, 0.0)


class _PortalHandler(BaseHTTPRequestHandler):
    portal_server: PortalServer  # set on the per-server subclass
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers and Scrapy's pool expect
    server_version = "Apache"
    sys_version = ""
    timeout = 10  # an idle keep-alive connection must not hold its thread forever

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def _serve(self, *, send_body: bool) -> None:
        server = self.portal_server
        headers = MappingProxyType(dict(self.headers))
        server._record(RequestRecord(self.command, self.path, headers, time.time()))
        pause = server._delay_for(self.path)
        if pause > 0:
            time.sleep(pause)
        answer = server.portal.resolve(self.path)
        base = server.base_url.rstrip("/").encode("ascii")
        body = answer.body.replace(BASE_PLACEHOLDER, base)
        extra = {k: v.replace("{{BASE}}", base.decode()) for k, v in answer.headers.items()}
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        last_modified = _last_modified(answer)

        if answer.status == 200 and self._not_modified(etag, last_modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", email.utils.formatdate(last_modified, usegmt=True))
            self.end_headers()
            return

        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        if answer.file is not None:
            self.send_header("Last-Modified", email.utils.formatdate(last_modified, usegmt=True))
            self.send_header("ETag", etag)
        if self._wants_gzip(answer.content_type):
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            try:
                self.wfile.write(body)
            except ConnectionError:  # the client gave up (timeouts in tests); nothing to save
                self.close_connection = True

    def _not_modified(self, etag: str, last_modified: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(last_modified) <= since
        return False

    def _wants_gzip(self, content_type: str) -> bool:
        if not self.portal_server.gzip_responses or not content_type.startswith(_COMPRESSIBLE):
            return False
        for coding in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = coding.strip().partition(";")
            if name.strip().lower() == "gzip" and params.replace(" ", "") not in ("q=0", "q=0.0"):
                return True
        return False


def _last_modified(answer: Resolved) -> float:
    # The file's own mtime, as Apache would send it: a real server gives no publication date
    # here, and a crawler that mistakes this header for one is caught by the no-date articles.
    if answer.file is None:
        return time.time()
    return answer.file.stat().st_mtime


@contextmanager
def serve_portals(
    names: list[str] | None = None, **options: object
) -> Iterator[dict[str, PortalServer]]:
    """Start the named portals (default: all bundled) on their own ports; stop them on exit.

    ``options`` are passed to every PortalServer (``delay=``, ``slow_paths=``, ...)."""
    servers: dict[str, PortalServer] = {}
    try:
        for name in names if names is not None else portal_names():
            servers[name] = PortalServer(name, **options).start()  # type: ignore[arg-type]
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.demo.server",
        description="Serve bundled demo portals on 127.0.0.1 until Ctrl-C.",
        epilog="example: python -m crawler.demo.server tayson --port 8100",
    )
    parser.add_argument("names", nargs="*", help=f"portals to serve (default: all of "
                        f"{', '.join(portal_names())})")
    parser.add_argument("--port", type=int, default=0,
                        help="first port to use; the next portals take the following ports "
                        "(default: any free port)")
    args = parser.parse_args(argv)
    names = args.names or portal_names()
    servers: list[PortalServer] = []
    try:
        for offset, name in enumerate(names):
            port = args.port + offset if args.port else 0
            try:
                servers.append(PortalServer(name, port=port).start())
            except (ConfigError, OSError) as error:
                parser.error(f"{name}: {error}")
            print(f"{name:<12} {servers[-1].base_url}", flush=True)
        print("Serving; press Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
