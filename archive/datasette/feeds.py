"""Atom feeds come from datasette-atom (any query with atom_id, atom_title, atom_updated
columns, e.g. /archive/latest.atom, /archive/search.atom?q=…). This wraps its renderer for one
case it does not handle: a feed with no entries yet (a new search, a quiet site), which it
answers with a server error; a subscriber should get an empty, valid feed instead."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import datasette_atom
from datasette import __version__
from datasette.utils.asgi import Request, Response
from feedgen.feed import FeedGenerator

__all__ = ["ATOM_RENDERER"]


def _empty_feed(datasette: Any, request: Request, database: str,
                query_name: str | None) -> Response:
    feed = FeedGenerator()
    feed.generator(generator="Datasette", version=__version__,
                   uri="https://github.com/simonw/datasette")
    feed.id(request.url)
    feed.link(href=request.url, rel="self")
    feed.updated(datetime.now(UTC))
    title = query_name or "archive"
    if query_name:
        queries = (datasette.metadata(database=database) or {}).get("queries") or {}
        title = (queries.get(query_name) or {}).get("title") or query_name
    feed.title(title)
    return Response(feed.atom_str(pretty=True), content_type="application/xml; charset=utf-8")


def render_atom(datasette: Any, request: Request, sql: str, columns: list[str],
                rows: list[Any], database: str, table: str | None, query_name: str | None,
                view_name: str, data: dict[str, Any]) -> Response:
    if not rows and datasette_atom.can_render_atom(columns):
        return _empty_feed(datasette, request, database, query_name)
    response: Response = datasette_atom.render_atom(
        datasette, request, sql, columns, rows, database, table, query_name, view_name, data)
    return response


ATOM_RENDERER = {
    "extension": "atom",
    "render": render_atom,
    "can_render": datasette_atom.can_render_atom,
}
