"""The journalist's search page: a Datasette canned query (``/archive/search``) ranking articles
by relevance, with the phrase typed ranked first, snippets in the original text, filters, and
facet counts over the same matches — which articles and in what order, and what is counted,
decided by archive.ranking at a cost that does not grow with the archive.

Being a canned query, the same search is also JSON, CSV and an Atom feed
(``/archive/search.atom?q=…``) with no extra code.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import Request

from archive.ranking import (
    FACETS,
    FILTERS,
    SUMMARY_LIMIT,
    SearchRequest,
    Summary,
    query_is_common,
    summarise,
)
from archive.search import SearchSyntaxError, parse_query

__all__ = ["SEARCH_QUERY", "search_context", "summarise_matches"]

PAGE_SIZE = 20

# The page's articles and their order come from archive.ranking (bm25 when affordable, headline
# then recency when the query is common), through muni_search_page (archive/datasette/plugin.py);
# this SQL only fetches their rows. The snippet (Python, reading the whole body) is made for the
# one page of results only.
SEARCH_QUERY = f"""with page as (
  select cast(key as integer) as position, json_extract(value, '$[0]') as id,
    json_extract(value, '$[1]') as ranked_by
  from json_each(muni_search_page(:q, :site, :province, :city, :author, :year, :month,
                                  :date_from, :date_to, :sort, :page, {PAGE_SIZE}))
)
select
  a.id, a.title, a.published, a.author, a.site, s.name as site_name, s.city, s.province,
  muni_snippet(a.body, :q) as snippet_html, page.ranked_by,
  a.url as atom_id, a.title as atom_title, a.updated as atom_updated, a.url as atom_link,
  coalesce(a.description, substr(a.body, 1, 400)) as atom_content,
  a.author as atom_author_name
from page
join articles a on a.id = page.id
left join sites s on s.id = a.site
order by page.position"""

SORTS = {"": "relevance", "newest": "newest first", "oldest": "oldest first"}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    url: str
    selected: bool


def _params(request: Request) -> dict[str, str]:
    names = ["q", *FILTERS, "sort", "page"]
    return {name: (request.args.get(name) or "").strip() for name in names}


def _url(request: Request, params: dict[str, str], **changes: str | None) -> str:
    merged = {**params, **changes, "page": None}
    query = urlencode({k: v for k, v in merged.items() if v})
    return f"{request.path}?{query}" if query else request.path


def _request(params: dict[str, str]) -> SearchRequest:
    return SearchRequest.from_form(params["q"], params, params["sort"], params["page"], PAGE_SIZE)


Facets = dict[str, list[FacetValue]]


async def summarise_matches(db: Any, request: Request, params: dict[str, str],
                            time_limit_ms: int) -> tuple[Summary | None, Facets, bool]:
    """The total, the facet counts (archive.ranking.summarise) and whether the query is common
    (ordered by headline and recency rather than bm25). Past the time limit the page shows its
    results without them ("Many articles") rather than slowing down."""
    search = _request(params)

    def run(connection: sqlite3.Connection) -> tuple[Summary, bool]:
        with sqlite_timelimit(connection, time_limit_ms):
            return summarise(connection, search), query_is_common(connection, search)

    try:
        summary, common = await db.execute_fn(run)
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return None, {}, False
    facets: Facets = {name: [] for name in FACETS}
    for name, values in summary.facets.items():
        for facet in values:
            facets[name].append(FacetValue(
                value=facet.value, label=facet.label, count=facet.count,
                url=_url(request, params, **{name: None if params[name] == facet.value
                                             else facet.value}),
                selected=params[name] == facet.value))
    return summary, facets, common


async def search_context(datasette: Any, request: Request, database: str) -> dict[str, Any]:
    """Template variables of the search page: the query's error if any, totals, facets."""
    params = _params(request)
    context: dict[str, Any] = {
        "search_params": params,
        "search_error": None,
        "search_total": None,  # None: unknown, or more than search_counted
        "search_counted": None,  # how many matches the facets count (the newest ones)
        "search_common": False,  # ordered by headline and recency, not bm25
        "search_summary_limit": SUMMARY_LIMIT,
        "search_facets": {},
        "search_filters": [],
        "search_sorts": SORTS,
        "search_page": max(int(params["page"]) if params["page"].isdigit() else 1, 1),
        "search_page_size": PAGE_SIZE,
        "search_url": lambda **changes: _url(request, params, **changes),
    }
    context["search_filters"] = [
        {"name": name, "value": params[name], "remove_url": _url(request, params, **{name: None})}
        for name in FILTERS if params[name]
    ]
    if not params["q"]:
        return context
    try:
        parse_query(params["q"])
    except SearchSyntaxError as exc:
        context["search_error"] = f"{exc} Meanwhile, these results match the words of your query."
    db = datasette.get_database(database)
    limit = int(datasette.setting("facet_time_limit_ms"))
    summary, context["search_facets"], context["search_common"] = await summarise_matches(
        db, request, params, limit * 2)
    if summary is not None:
        context["search_total"] = summary.total
        context["search_counted"] = summary.counted
    return context


def canned_queries() -> dict[str, dict[str, Any]]:
    """The canned queries of the archive database (merged into the metadata)."""
    return {
        "search": {
            "title": "Search articles",
            "description": "Full-text search, ranked by relevance; typed without diacritics "
                           "it matches every accented form, typed with them, exactly those.",
            "sql": SEARCH_QUERY,
            "hide_sql": True,
        },
        "latest": {
            "title": "Latest articles",
            "description": "Newest articles first, optionally for one site (?site=ID). "
                           "Subscribe: add .atom to the address.",
            "sql": (
                "select a.id, a.title, a.published, a.author, a.site, s.name as site_name,\n"
                "  s.ward, s.city, s.province,\n"
                "  a.url as atom_id, a.title as atom_title, a.updated as atom_updated,\n"
                "  a.url as atom_link, a.author as atom_author_name,\n"
                "  coalesce(a.description, substr(a.body, 1, 400)) as atom_content\n"
                "from articles a left join sites s on s.id = a.site\n"
                "where (:site = '' or a.site = :site)\n"
                "order by a.first_seen desc, a.id desc limit 50"),
            "hide_sql": True,
        },
        "latest_per_ward": {
            "title": "Latest article of each ward",
            "description": "For every site: its ward, city and province, how many articles "
                           "the archive holds, and its newest article.",
            "sql": (
                "select s.id as site, s.name, s.ward, s.city, s.province,\n"
                "  count(a.id) as articles, max(a.published) as newest_published,\n"
                "  (select title from articles n where n.site = s.id\n"
                "   order by n.published desc limit 1) as newest_title\n"
                "from sites s left join articles a on a.site = s.id\n"
                "group by s.id order by newest_published desc"),
        },
        "mentions": {
            "title": "Articles mentioning a term in a date range",
            "description": "Articles whose text matches :term, published between :date_from "
                           "and :date_to (YYYY-MM-DD), oldest first.",
            "sql": (
                "select a.id, a.published, a.title, a.site, a.author,\n"
                "  muni_snippet(a.body, :term) as snippet_html\n"
                "from articles_search join articles a on a.id = articles_search.rowid\n"
                "where articles_search match muni_fts_query(:term)\n"
                "  and (:date_from = '' or substr(a.published, 1, 10) >= :date_from)\n"
                "  and (:date_to = '' or substr(a.published, 1, 10) <= :date_to)\n"
                "order by a.published limit 500"),
        },
    }
