"""Our Datasette plugin: Vietnamese-aware search, the search and article pages, archived
copies, the about page, feeds and headers.

Registered by archive.serve.make_datasette (not by entry point), so it is active exactly when
the archive is served by our code.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Request
from markupsafe import Markup

from archive.datasette import about, capture, feeds, security, versions
from archive.datasette.article import load_article
from archive.datasette.search_page import search_context
from archive.ranking import FILTERS, SearchRequest, page_ids
from archive.search import SearchSyntaxError, lenient_fts_query, phrase_query, snippet_html
from archive.search import snippet_text as plain_snippet

ARCHIVE_DATABASE = "archive"


def _phrase_query(query: str | None) -> str | None:
    try:
        return phrase_query(query or "")
    except SearchSyntaxError:
        return None


def _fts_query(query: str | None) -> str:
    return lenient_fts_query(query or "")


def _search_page(connection: sqlite3.Connection, query: str | None, *args: str | None) -> str:
    """muni_search_page(q, <each FILTERS value>, sort, page, page_size): the page's article ids
    in order, as JSON [[id, ranked_by], …] (archive.ranking.page_ids)."""
    *filters, sort, page, page_size = args
    request = SearchRequest.from_form(query, dict(zip(FILTERS, filters, strict=True)), sort,
                                      page, int(page_size or 20))
    if not request.query.strip():
        return "[]"
    return json.dumps(page_ids(connection, request))


# Reading the archive through mmap and a larger page cache halves the time of searches
# that match tens of thousands of articles (benchmarks/search.py); connections are read-only.
MMAP_BYTES = 1 << 30


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    # Datasette's table search runs `match escape_fts(:search)`. Replacing that function is
    # the one place every search passes through (table pages, datasette-search-all, the JSON
    # API), so it is where a query is read the Vietnamese way (archive.search). trylast:
    # Datasette registers its own escape_fts first, and ours must win.
    conn.create_function("escape_fts", 1, _fts_query, deterministic=True)
    conn.create_function("muni_fts_query", 1, _fts_query, deterministic=True)
    conn.create_function("muni_phrase_query", 1, _phrase_query, deterministic=True)
    conn.create_function("muni_snippet", 2, snippet_html, deterministic=True)
    # Runs its own queries on this connection (the ranking needs several small ones).
    conn.create_function("muni_search_page", 4 + len(FILTERS),
                         lambda *args: _search_page(conn, *args))
    conn.create_function("muni_snippet_text", 2, plain_snippet, deterministic=True)


@hookimpl
def extra_template_vars(template: str, view_name: str, table: str | None,
                        database: str | None, request: Request | None,
                        datasette: Any) -> Any:
    if request is None:
        return None
    if template == "search_all.html":  # our override of datasette-search-all's one box
        return {"archive_database": ARCHIVE_DATABASE}
    if template == f"query-{ARCHIVE_DATABASE}-search.html":
        async def search_vars() -> dict[str, Any]:
            return await search_context(datasette, request, ARCHIVE_DATABASE)

        return search_vars
    if database != ARCHIVE_DATABASE:
        return None
    if view_name == "row" and table == "articles":
        async def article_vars() -> dict[str, Any]:
            db = datasette.get_database(ARCHIVE_DATABASE)
            article = await load_article(db, request.url_vars["pks"])
            return {"article": article}

        return article_vars
    if view_name == "table" and table == "articles":
        search = request.args.get("_search") or ""

        def snippet(text: str | None) -> Markup:
            # snippet_html escapes the text itself; only its <mark> tags are markup.
            return Markup(snippet_html(text, search))

        return {"muni_search": search, "muni_snippet": snippet}
    return None


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [*capture.ROUTES, *about.ROUTES, *versions.ROUTES]


@hookimpl(trylast=True)
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    del datasette
    return feeds.ATOM_RENDERER


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    del datasette
    return security.with_security_headers
