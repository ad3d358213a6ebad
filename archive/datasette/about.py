"""The about page: what is archived, from where, and how search treats diacritics."""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import Request, Response

from archive.ranking import PHRASE_WINDOW, RANK_LIMIT, SUMMARY_LIMIT

ARCHIVE_DATABASE = "archive"


async def about_page(datasette: Any, request: Request) -> Response:
    db = datasette.get_database(ARCHIVE_DATABASE)
    sites = await db.execute(
        "select s.id, s.name, s.base_url, s.ward, s.city, s.province, s.country, "
        "s.first_crawled, s.last_crawled, count(a.id) as articles, "
        "min(a.published) as oldest, max(a.published) as newest "
        "from sites s left join articles a on a.site = s.id "
        "group by s.id order by s.province, s.city, s.name")
    totals = await db.execute(
        "select (select count(*) from articles) as articles, "
        "(select count(*) from crawls) as crawls, "
        "(select max(finished) from crawls) as last_crawl")
    return Response.html(await datasette.render_template(
        "about.html",
        {"sites": [dict(r) for r in sites.rows], "totals": dict(totals.first()),
         "rank_limit": RANK_LIMIT, "summary_limit": SUMMARY_LIMIT,
         "phrase_window": PHRASE_WINDOW},
        request=request,
    ))


ROUTES: list[tuple[str, Any]] = [(r"^/about$", about_page)]
