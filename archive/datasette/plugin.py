"""Our Datasette plugin: Vietnamese-aware search, the article page, archived copies, headers.

Registered by archive.serve.make_datasette (not by entry point), so it is active exactly when
the archive is served by our code.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Request
from markupsafe import Markup

from archive.datasette import capture, security
from archive.datasette.article import load_article
from archive.search import lenient_fts_query, snippet_html

ARCHIVE_DATABASE = "archive"


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    # Datasette's table search runs `match escape_fts(:search)`. Replacing that function is
    # the one place where every search (table pages, datasette-search-all, the JSON API)
    # passes through, so it is where a query is folded the way the index was built. trylast:
    # Datasette registers its own escape_fts first and ours must win.
    conn.create_function("escape_fts", 1, _escape_fts, deterministic=True)
    conn.create_function("muni_snippet", 2, snippet_html, deterministic=True)


def _escape_fts(query: str | None) -> str:
    return lenient_fts_query(query or "", combined=False)


@hookimpl
def extra_template_vars(view_name: str, table: str | None, database: str | None,
                        request: Request | None, datasette: Any) -> Any:
    if database != ARCHIVE_DATABASE or request is None:
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
    return capture.ROUTES


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    del datasette
    return security.with_security_headers
