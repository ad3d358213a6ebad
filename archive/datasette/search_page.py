"""The journalist's search page: a Datasette canned query (``/archive/search``) ranking articles
by relevance, with the phrase typed ranked first, snippets in the original text, filters, and
facet counts computed over the same matches.

Being a canned query, the same search is also JSON, CSV and an Atom feed
(``/archive/search.atom?q=…``) with no extra code. The SQL below is the single definition;
the facets reuse its FROM and WHERE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Request

from archive.search import SearchSyntaxError, parse_query

__all__ = ["FILTERS", "SEARCH_QUERY", "search_context", "summarise_matches"]

PAGE_SIZE = 20

# Request parameter → the SQL condition it adds when not empty.
FILTERS: dict[str, str] = {
    "site": "a.site = :site",
    "province": "s.province = :province",
    "city": "s.city = :city",
    "author": "a.author = :author",
    "year": "substr(a.published, 1, 4) = :year",
    "month": "substr(a.published, 1, 7) = :month",
    "date_from": "substr(a.published, 1, 10) >= :date_from",
    "date_to": "substr(a.published, 1, 10) <= :date_to",
}

# `a` is the narrow copy of what is filtered, sorted and counted by (archive/schema_search.py),
# not `articles`: every match is read here, and an articles row fills a page of its own.
FROM_WHERE = (
    "from articles_search\n"
    "join article_search_facts a on a.id = articles_search.rowid\n"
    "left join sites s on s.id = a.site\n"
    "where articles_search match muni_fts_query(:q)\n"
    + "".join(f"  and (:{name} = '' or {condition})\n" for name, condition in FILTERS.items())
)

# Ranking happens on small columns only; the snippet (Python, reading the whole body) is cut
# for the one page of results, after LIMIT: SQLite would otherwise compute it for every match.
SEARCH_QUERY = f"""with page as (
  select a.id,
    case when a.id in (select rowid from articles_search
                       where articles_search match coalesce(muni_phrase_query(:q), '""'))
         then 0 else 1 end as phrase_tier,
    articles_search.rank as score
{FROM_WHERE}  order by
    case when :sort = 'newest' then coalesce(a.published, '') end desc,
    case when :sort = 'oldest' then coalesce(a.published, '9999') end,
    phrase_tier, score
  limit {PAGE_SIZE} offset (max(cast(:page as integer), 1) - 1) * {PAGE_SIZE}
)
select
  a.id, a.title, a.published, a.author, a.site, s.name as site_name, s.city, s.province,
  muni_snippet(a.body, :q) as snippet_html,
  a.url as atom_id, a.title as atom_title, a.updated as atom_updated, a.url as atom_link,
  coalesce(a.description, substr(a.body, 1, 400)) as atom_content,
  a.author as atom_author_name
from page
join articles a on a.id = page.id
left join sites s on s.id = a.site
order by
  case when :sort = 'newest' then coalesce(a.published, '') end desc,
  case when :sort = 'oldest' then coalesce(a.published, '9999') end,
  page.phrase_tier, page.score"""

# Facet name → (SQL value, SQL label).
FACETS: dict[str, tuple[str, str]] = {
    "site": ("a.site", "coalesce(s.name, a.site)"),
    "province": ("s.province", "s.province"),
    "city": ("s.city", "s.city"),
    "author": ("a.author", "a.author"),
    "year": ("substr(a.published, 1, 4)", "substr(a.published, 1, 4)"),
    "month": ("substr(a.published, 1, 7)", "substr(a.published, 1, 7)"),
}
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


# Each facet's column as the one pass over the matches names it (see _SUMMARY_SQL).
_MATCH_COLUMNS: dict[str, str] = {
    "site": "a.site as site, coalesce(s.name, a.site) as site_label",
    "province": "s.province as province",
    "city": "s.city as city",
    "author": "a.author as author",
    "year": "substr(a.published, 1, 4) as year",
    "month": "substr(a.published, 1, 7) as month",
}
_FACET_LABELS = {"site": "site_label"}


def _summary_sql() -> str:
    """Total and every facet in one statement. The matches (and their article and site rows)
    are read once into a materialized CTE and grouped six times there: running the MATCH and
    its joins once per facet cost seven passes over every match, 5-10x slower."""
    columns = ", ".join(_MATCH_COLUMNS.values())
    facets = [
        f"select * from (select '{name}' as facet, {name} as value, "
        f"{_FACET_LABELS.get(name, name)} as label, count(*) as n from matches "
        f"where {name} is not null group by {name} order by n desc, {name} limit 12)"
        for name in FACETS
    ]
    return (f"with matches as materialized (select {columns}\n{FROM_WHERE})\n"
            "select '' as facet, null as value, null as label, count(*) as n from matches\n"
            + "".join(f"union all {facet}\n" for facet in facets))


_SUMMARY_SQL = _summary_sql()


async def summarise_matches(db: Any, request: Request, params: dict[str, str],
                            time_limit_ms: int) -> tuple[int | None, dict[str, list[FacetValue]]]:
    """How many articles match, and counts per facet value over all of them (not just this
    page). When that takes longer than the time limit the page shows its results without
    them ("Many articles") rather than slowing down."""
    try:
        result = await db.execute(_SUMMARY_SQL, params, custom_time_limit=time_limit_ms)
    except QueryInterrupted:
        return None, {}
    total: int | None = None
    facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    for row in result.rows:
        name = row["facet"]
        if not name:
            total = int(row["n"])
            continue
        facets[name].append(FacetValue(
            value=row["value"], label=row["label"], count=row["n"],
            url=_url(request, params, **{name: None if params[name] == row["value"]
                                         else row["value"]}),
            selected=params[name] == row["value"]))
    return total, facets


async def search_context(datasette: Any, request: Request, database: str) -> dict[str, Any]:
    """Template variables of the search page: the query's error if any, totals, facets."""
    params = _params(request)
    context: dict[str, Any] = {
        "search_params": params,
        "search_error": None,
        "search_total": None,
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
    context["search_total"], context["search_facets"] = await summarise_matches(
        db, request, params, limit * 2)
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
