"""One bundled demo portal on disk, and how a request URL maps to one of its files.

A portal is a folder ``crawler/demo/portals/<name>/``::

    portal.toml     the site profile a crawl uses (base_url is replaced at run time)
    expected.json   reviewed gold: what a crawler must find, and what it must not fetch
    routes.json     URL → file table for the URLs a plain file tree cannot express
    site/           the files served, byte-exact (a page may be windows-1258 or NFD on purpose)

routes.json::

    {
      "ignored_params": ["utm_source", "utm_medium"],     # dropped before matching, like a
                                                          # real server ignores tracking params
      "routes": [
        {"url": "/?gd=2&cn=5&tc=123", "file": "pages/tc-123.html"},
        {"url": "/feed/", "file": "feed.xml", "content_type": "application/rss+xml; charset=utf-8"},
        {"url": "/old", "status": 301, "headers": {"Location": "{{BASE}}/new"}},
        {"url": "/files/qd-12.pdf", "status": 404}
      ]
    }

Resolution, in order:

1. The path and the query (minus ``ignored_params``) must equal a route's; the order of
   query parameters does not matter (``/?tc=1&gd=2`` is ``/?gd=2&tc=1``).
2. A path that has routes *with* a query is query-routed, like ``index.php`` or ``/`` on an
   in-house platform: a query no route names is a 404.
3. Otherwise the query is ignored, as ordinary web servers do: the path's own route (one
   declared without a query), else the file under ``site/`` (a path ending in ``/`` means
   its ``index.html``).
4. Anything else is the portal's ``site/404.html`` (or a plain page) with status 404.

``{{BASE}}`` in any served text file, and in route headers, becomes the server's base URL
*without* the trailing slash, so fixtures write ``{{BASE}}/vi/news/``.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from archive.errors import ConfigError

__all__ = [
    "BASE_PLACEHOLDER",
    "PORTALS_DIR",
    "Portal",
    "Resolved",
    "portal_names",
    "query_key",
]

PORTALS_DIR = Path(__file__).parent / "portals"
BASE_PLACEHOLDER = b"{{BASE}}"

_ROUTE_KEYS = frozenset({"url", "file", "status", "content_type", "headers"})
_TOP_KEYS = frozenset({"ignored_params", "routes"})
# Text types get a charset; the rest are served as bytes with no charset claim.
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    # Server-side pages: the client sees their HTML output, never the script.
    ".aspx": "text/html; charset=utf-8",
    ".asp": "text/html; charset=utf-8",
    ".php": "text/html; charset=utf-8",
    ".jsp": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
}
_PLAIN_404 = (
    b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>"
    b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body>"
    b"</html>\n"
)

QueryKey = tuple[str, tuple[tuple[str, str], ...]]


def portal_names() -> list[str]:
    """The bundled portals, sorted: every folder under ``portals/`` that has a routes.json."""
    return sorted(p.parent.name for p in PORTALS_DIR.glob("*/routes.json"))


def query_key(path_with_query: str, ignored: frozenset[str] = frozenset()) -> QueryKey:
    """(path, sorted query pairs) so that parameter order never decides which page is served."""
    parts = urlsplit(path_with_query)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = tuple(sorted((k, v) for k, v in pairs if k not in ignored))
    return (parts.path or "/", kept)


def content_type_for(path: Path) -> str:
    known = _CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


@dataclass(frozen=True)
class Resolved:
    """What to answer for one URL, before ``{{BASE}}`` substitution."""

    status: int
    body: bytes
    content_type: str
    headers: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    file: Path | None = None  # None for generated answers (plain 404, redirects)


@dataclass(frozen=True)
class _Route:
    status: int
    file: Path | None
    content_type: str | None
    headers: MappingProxyType[str, str]


class Portal:
    """A portal folder with its route table loaded and checked."""

    def __init__(self, name_or_dir: str | Path) -> None:
        root = Path(name_or_dir)
        if not root.is_dir():
            root = PORTALS_DIR / str(name_or_dir)
        if not (root / "routes.json").is_file():
            raise ConfigError(
                f"no demo portal at {root}: expected a folder with routes.json; "
                f"bundled portals are {', '.join(portal_names()) or 'none'}"
            )
        self.root = root
        self.name = root.name
        self.site_dir = root / "site"
        self.ignored_params: frozenset[str] = frozenset()
        self._routes: dict[QueryKey, _Route] = {}
        self._query_routed_paths: set[str] = set()
        self._load_routes(root / "routes.json")

    @property
    def expected(self) -> dict[str, Any]:
        """The portal's reviewed gold (expected.json), or an empty dict when it has none."""
        path = self.root / "expected.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def resolve(self, path_with_query: str) -> Resolved:
        key = query_key(path_with_query, self.ignored_params)
        route = self._routes.get(key)
        if route is not None:
            return self._answer(route)
        path, query = key
        if not query or path not in self._query_routed_paths:
            # A path routed without a query ignores the query string, like a plain file.
            plain_route = self._routes.get((path, ()))
            if plain_route is not None:
                return self._answer(plain_route)
            file = self._file_for(path)
            if file is not None:
                return Resolved(200, file.read_bytes(), content_type_for(file), file=file)
        return self.not_found()

    def not_found(self) -> Resolved:
        page = self.site_dir / "404.html"
        if page.is_file():
            return Resolved(404, page.read_bytes(), content_type_for(page), file=page)
        return Resolved(404, _PLAIN_404, "text/html; charset=utf-8")

    def _answer(self, route: _Route) -> Resolved:
        if route.file is None:
            if route.status == 404:
                return self.not_found()
            return Resolved(
                route.status, b"", route.content_type or "text/html; charset=utf-8", route.headers
            )
        return Resolved(
            route.status,
            route.file.read_bytes(),
            route.content_type or content_type_for(route.file),
            route.headers,
            route.file,
        )

    def _file_for(self, url_path: str) -> Path | None:
        relative = url_path.lstrip("/")
        if relative == "" or url_path.endswith("/"):
            relative += "index.html"
        candidate = (self.site_dir / relative).resolve()
        # Never serve outside site/, whatever the URL says (``/../routes.json``).
        if not candidate.is_relative_to(self.site_dir.resolve()) or not candidate.is_file():
            return None
        return candidate

    def _load_routes(self, routes_file: Path) -> None:
        try:
            table = json.loads(routes_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{routes_file}: not readable JSON ({exc})") from exc
        if not isinstance(table, dict):
            raise ConfigError(f"{routes_file}: expected an object with a 'routes' list")
        unknown = set(table) - _TOP_KEYS
        if unknown:
            raise ConfigError(f"{routes_file}: unknown key {sorted(unknown)[0]!r}")
        self.ignored_params = frozenset(table.get("ignored_params", []))
        for index, entry in enumerate(table.get("routes", [])):
            where = f"{routes_file}: routes[{index}]"
            key, route = self._parse_route(entry, where)
            if key in self._routes:
                raise ConfigError(f"{where}: url {entry['url']!r} is routed twice")
            self._routes[key] = route
            if key[1]:
                self._query_routed_paths.add(key[0])

    def _parse_route(self, entry: Any, where: str) -> tuple[QueryKey, _Route]:
        if not isinstance(entry, dict) or "url" not in entry:
            raise ConfigError(f"{where}: each route needs at least a 'url'")
        unknown = set(entry) - _ROUTE_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        file: Path | None = None
        if "file" in entry:
            file = self.site_dir / entry["file"]
            if not file.is_file():
                raise ConfigError(f"{where}: file {entry['file']!r} does not exist under site/")
        status = int(entry.get("status", 200 if file else 404))
        headers = entry.get("headers", {})
        if not isinstance(headers, dict):
            raise ConfigError(f"{where}: 'headers' must be an object")
        route = _Route(status, file, entry.get("content_type"), MappingProxyType(dict(headers)))
        return query_key(entry["url"], self.ignored_params), route
