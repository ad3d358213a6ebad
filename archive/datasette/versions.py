"""The versions of an article and what changed between them (issue 5)."""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import NotFound, Request, Response

from archive.versions import diff_versions

ARCHIVE_DATABASE = "archive"


async def versions_page(datasette: Any, request: Request) -> Response:
    article_id = request.url_vars["id"]
    db = datasette.get_database(ARCHIVE_DATABASE)
    article = (await db.execute(
        "select id, url, title, version, status, gone_at from articles where id = ?",
        [article_id])).first()
    if article is None:
        raise NotFound("No such article.")
    versions = [dict(r) for r in (await db.execute(
        "select version, seen, title, author, published, body from article_versions "
        "where article_id = ? order by version", [article_id])).rows]
    return Response.html(await datasette.render_template(
        "versions.html",
        {"article": dict(article), "versions": versions, "diffs": diff_versions(versions),
         "article_url": datasette.urls.row(ARCHIVE_DATABASE, "articles", str(article["id"]))},
        request=request))


ROUTES: list[tuple[str, Any]] = [(r"^/-/versions/(?P<id>\d+)$", versions_page)]
