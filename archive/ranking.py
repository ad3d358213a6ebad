"""Which articles a search lists, in which order, and what its facets count — at a cost that
does not grow with the archive.

SQLite's bm25 counts, before it scores anything, every article holding each word or phrase of
the query (for the IDF), then scores every match. A word found in a third of a million-article
archive costs seconds that way, whichever 20 articles are finally shown. So:

* The query's words, phrases and matches are first counted, each count stopping at a limit
  (WORD_LIMIT, PHRASE_SCAN_LIMIT, RANK_LIMIT below). When none reaches its limit, the matches
  are ranked by bm25, exactly as FTS5 users expect.
* When one does (the query is common), ranking is by bm25 over the *headlines* when those hold
  the query rarely enough (``articles_title_search``, a hundred times smaller), else headline
  matches newest first; then the remaining matches newest first (most recently archived). Both
  read only as many matches as the page shows.
* Either way, with several words typed together the phrase comes first (``tổng kết`` before
  ``tổng`` … ``kết`` apart): the phrase is one tier, the words anywhere the next. When the
  phrase is common it is looked for among the most recent PHRASE_WINDOW articles only.
* Totals and facets count the newest ``SUMMARY_LIMIT`` matches; beyond that the page says "more
  than" and that the counts are of the most recent ones, as large search engines do.

Sorting by date reads every match (no score is computed, so it is cheaper than bm25).
Everything here is plain SQL on one sqlite3 connection, so Datasette calls it through a
registered function (archive/datasette/plugin.py) and the command line could too.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from archive.search import SearchSyntaxError, lenient_fts_query, phrase_query

__all__ = [
    "FACETS",
    "FILTERS",
    "PHRASE_SCAN_LIMIT",
    "PHRASE_WINDOW",
    "RANK_LIMIT",
    "SUMMARY_LIMIT",
    "WORD_LIMIT",
    "Facet",
    "SearchRequest",
    "Summary",
    "page_ids",
    "query_is_common",
    "summarise",
]

# What bm25 costs (benchmarks/search.py, 1,000,000 articles, two cores, index in the page
# cache) — it counts the articles holding each word or phrase of the query before scoring,
# then scores each match:
# * a word: ~0.05 µs per article holding it, so up to WORD_LIMIT articles is ~5 ms;
# * a phrase of several words: ~2 µs per article holding its rarest word (each is checked for
#   the words side by side), and a ranked phrase is read three times (counting its matches
#   here, then bm25's own count and its scoring pass), so up to PHRASE_SCAN_LIMIT articles is
#   ~18 ms (at 10,000, 2-syllable phrases of a rare and a common word reached 60 ms);
# * scoring: ~10 µs per match, so up to RANK_LIMIT matches is ~15 ms.
# Past any of these the query is "common" and ordered without bm25.
WORD_LIMIT = 100_000
PHRASE_SCAN_LIMIT = 3_000
RANK_LIMIT = 1500
# In a common query, the phrase of several words typed without quotes is looked for among the
# most recent PHRASE_WINDOW articles only (then the words anywhere, newest first, which lists
# older phrase matches too). A rare phrase of common words ("giang bac y vu") otherwise has its
# word positions checked in every article holding all the words: 0.4 s at 1M.
PHRASE_WINDOW = 50_000
PHRASE_PROBE = 5_000  # most recent articles looked at first: a common phrase is found there
# Totals and facets count at most this many matches, the most recently archived. Reading a
# match's facts costs ~7-10 µs at 1M (the FTS5 walk and the join), so 5,000 is ~40-50 ms.
SUMMARY_LIMIT = 5_000

# Request parameter → the SQL condition it adds when given. `a` is article_search_facts (the
# narrow copy of what is filtered and counted, archive/schema_search.py), `s` the site.
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

# What the matches are counted by, in the order the page shows them.
FACETS = ("site", "province", "city", "author", "year", "month")
FACET_VALUES = 12

_BODY_INDEX = "articles_search"
_HEADLINE_INDEX = "articles_title_search"
_PHRASE = re.compile(r'\^?"(?:[^"]|"")*"\*?')


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: Mapping[str, str] = field(default_factory=dict)  # only the given ones
    sort: str = ""  # "" (relevance) | "newest" | "oldest"
    page: int = 1
    page_size: int = 20

    @classmethod
    def from_form(cls, query: str | None, values: Mapping[str, str | None], sort: str | None,
                  page: object, page_size: int = 20) -> SearchRequest:
        """From the search form's strings: empty filters dropped, a page that is not a
        positive number read as 1."""
        number = str(page or "")
        return cls(query=query or "",
                   filters={name: value for name in FILTERS if (value := values.get(name))},
                   sort=sort or "", page=max(int(number), 1) if number.isdigit() else 1,
                   page_size=page_size)

    @property
    def expression(self) -> str:
        """Every article holding the query's words (FTS5, archive.search)."""
        return lenient_fts_query(self.query)

    @property
    def phrase(self) -> str | None:
        """For several plain words, the same words as one phrase: the first tier."""
        try:
            return phrase_query(self.query)
        except SearchSyntaxError:
            return None


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    total: int | None  # None: more than `counted`
    counted: int  # matches the facets were counted over
    facets: dict[str, list[Facet]]


# -- what the SQL looks like ---------------------------------------------------------------------


def _joins(index: str, filters: Mapping[str, str], *, sites: bool = False) -> str:
    needs_sites = sites or any(FILTERS[name].startswith("s.") for name in filters)
    return (f"from {index} join article_search_facts a on a.id = {index}.rowid\n"
            + ("left join sites s on s.id = a.site\n" if needs_sites else ""))


def _where(index: str, filters: Mapping[str, str], extra: str = "") -> str:
    conditions = [f"{index} match :expression", *(FILTERS[name] for name in filters)]
    if extra:
        conditions.append(extra)
    return "where " + "\n  and ".join(conditions) + "\n"


def _params(request: SearchRequest, expression: str, **more: object) -> dict[str, object]:
    return {**request.filters, "expression": expression, **more}


# -- how common a query is -----------------------------------------------------------------------


def _phrases(expression: str) -> list[str]:
    """Each quoted phrase of an FTS5 expression: what bm25 counts articles for."""
    return list(dict.fromkeys(_PHRASE.findall(expression)))


def _words(phrase: str) -> list[str]:
    """The single-word FTS5 queries of a phrase (``"tay son"*`` → ``"tay"``, ``"son"*``)."""
    prefix = phrase.endswith("*")
    words = phrase.strip("^*").strip('"').split()
    return [f'"{word}"' + ("*" if prefix and i == len(words) - 1 else "")
            for i, word in enumerate(words)]


# The search page asks the same question for its results and for its "ordered by headline"
# note, and people page through the same query: answers are kept a minute. A crawl committing
# meanwhile can only move a query across a limit, which changes its order, never its matches.
_ANSWERS: OrderedDict[tuple[object, ...], tuple[float, bool]] = OrderedDict()
_ANSWER_SECONDS = 60.0
_ANSWERS_KEPT = 2048


def _held_by_few(connection: sqlite3.Connection, index: str, expression: str) -> bool:
    """True when bm25 over the expression is cheap (see the limits above). Every count stops
    at its limit, so deciding costs at most a few milliseconds."""
    # The file, so every connection to one archive shares answers; an in-memory database has
    # no file and is its own connection.
    database = connection.execute("pragma database_list").fetchone()[2] or id(connection)
    key = (database, index, expression, WORD_LIMIT, PHRASE_SCAN_LIMIT, RANK_LIMIT)
    now = time.monotonic()
    kept = _ANSWERS.get(key)
    if kept is not None and now - kept[0] < _ANSWER_SECONDS:
        return kept[1]
    answer = _count_held_by_few(connection, index, expression)
    _ANSWERS[key] = (now, answer)
    _ANSWERS.move_to_end(key)
    while len(_ANSWERS) > _ANSWERS_KEPT:
        _ANSWERS.popitem(last=False)
    return answer


def _count_held_by_few(connection: sqlite3.Connection, index: str, expression: str) -> bool:
    def more_than(query: str, limit: int) -> bool:
        held = connection.execute(
            f"select count(*) from (select 1 from {index} where {index} match ? limit ?)",
            [query, limit + 1]).fetchone()[0]
        return bool(held > limit)

    phrases = [_words(phrase) for phrase in _phrases(expression)]
    # Cheapest first, each only when the ones before it pass: a phrase's rarest word bounds
    # what counting its matches costs; the matches themselves (capped, so quick when they are
    # many); then each single word, which bm25 would count in full (~10 ms at 100,000).
    for words in phrases:
        if len(words) > 1 and all(more_than(word, PHRASE_SCAN_LIMIT) for word in words):
            return False
    if more_than(expression, RANK_LIMIT):
        return False
    return not any(more_than(words[0], WORD_LIMIT) for words in phrases if len(words) == 1)


def query_is_common(connection: sqlite3.Connection, request: SearchRequest) -> bool:
    """Whether the page is ordered by headline and recency instead of bm25 (see module doc)."""
    return not _held_by_few(connection, _BODY_INDEX, request.expression)


# -- the page ------------------------------------------------------------------------------------


def _ids(connection: sqlite3.Connection, sql: str, params: Mapping[str, object]) -> list[int]:
    return [row[0] for row in connection.execute(sql, params)]


def _tier(connection: sqlite3.Connection, request: SearchRequest, expression: str,
          wanted: int, seen: set[int], *, windowed: bool = False) -> list[tuple[int, str]]:
    """Up to ``wanted`` more articles matching ``expression`` and not already ``seen``, best
    first, each with how it was ordered. ``windowed``: when the expression is common, look
    only among the most recent PHRASE_WINDOW articles (a phrase tier followed by another)."""
    filters = request.filters
    # Each query asks for `seen` more rows than wanted, as those are skipped here.
    params = _params(request, expression, limit=wanted + len(seen))
    found: list[tuple[int, str]] = []

    def take(ids: list[int], how: str) -> None:
        for article in ids:
            if article not in seen and len(found) < wanted:
                seen.add(article)
                found.append((article, how))

    body_where = _where(_BODY_INDEX, filters)
    if _held_by_few(connection, _BODY_INDEX, expression):
        take(_ids(connection, f"select a.id {_joins(_BODY_INDEX, filters)}{body_where}"
                              f"order by {_BODY_INDEX}.rank limit :limit", params), "relevance")
        return found
    # Common: headline matches first, then the rest, most recently archived first.
    if windowed:
        for article, how in _recent_matches(connection, request, expression, wanted, seen):
            take([article], how)
        return found
    if "{body" not in expression:  # a body: filter has no headline to look in
        headline_where = _where(_HEADLINE_INDEX, filters)
        order = (f"{_HEADLINE_INDEX}.rank" if _held_by_few(connection, _HEADLINE_INDEX, expression)
                 else f"{_HEADLINE_INDEX}.rowid desc")
        take(_ids(connection, f"select a.id {_joins(_HEADLINE_INDEX, filters)}{headline_where}"
                              f"order by {order} limit :limit", params), "headline")
    if len(found) < wanted:
        take(_ids(connection, f"select a.id {_joins(_BODY_INDEX, filters)}{body_where}"
                              f"order by {_BODY_INDEX}.rowid desc limit :limit", params), "newest")
    return found


def _recent_matches(connection: sqlite3.Connection, request: SearchRequest, expression: str,
                    wanted: int, seen: set[int]) -> list[tuple[int, str]]:
    """The matches of a common phrase among the most recent articles, newest first, those
    with it in the headline marked so: among the newest PHRASE_PROBE articles when that finds
    enough, else among the newest PHRASE_WINDOW.

    Read in ascending order, all of them: FTS5 stops at a rowid bound only when it meets a
    match past it, so `rowid > :floor order by rowid desc` on a rare phrase checks every older
    article too (0.2 s at 1M), while ascending from the floor it stops at the newest."""
    newest = connection.execute("select max(id) from articles").fetchone()[0] or 0
    filters = request.filters
    for span in (PHRASE_PROBE, PHRASE_WINDOW):
        params = _params(request, expression, floor=newest - span)
        body = sorted((article for article in _ids(
            connection, f"select a.id {_joins(_BODY_INDEX, filters)}"
                        f"{_where(_BODY_INDEX, filters, f'{_BODY_INDEX}.rowid > :floor')}",
            params) if article not in seen), reverse=True)
        if len(body) >= wanted:
            break
    headline: set[int] = set()
    if "{body" not in expression:  # a body: filter has no headline to look in
        headline = set(_ids(connection, f"select rowid from {_HEADLINE_INDEX} "
                                        f"where {_HEADLINE_INDEX} match :expression "
                                        f"and rowid > :floor", params))
    return ([(article, "headline") for article in body if article in headline]
            + [(article, "newest") for article in body if article not in headline])


def page_ids(connection: sqlite3.Connection, request: SearchRequest) -> list[tuple[int, str]]:
    """The articles of one page of results, in order, each with how it was ordered:
    ``relevance`` (bm25), ``headline`` (query in the headline), ``newest``, or ``date``."""
    offset = (max(request.page, 1) - 1) * request.page_size
    wanted = offset + request.page_size
    expression = request.expression
    if request.sort in {"newest", "oldest"}:
        direction = ("coalesce(a.published, '') desc" if request.sort == "newest"
                     else "coalesce(a.published, '9999')")
        sql = (f"select a.id {_joins(_BODY_INDEX, request.filters)}"
               f"{_where(_BODY_INDEX, request.filters)}"
               f"order by {direction}, a.id desc limit :limit")
        ids = _ids(connection, sql, _params(request, expression, limit=wanted))
        return [(article, "date") for article in ids[offset:]]
    # The phrase typed is the first tier, the same words anywhere the second. The second tier is
    # only reached when the first returned fewer than wanted, i.e. every phrase match it could
    # list is already in `seen` (skipped): so it needs no `NOT phrase`, which would make FTS5
    # check word positions again in every article holding the words (the costliest part of a
    # phrase, ~2 µs per article). Phrase matches older than a common phrase's window come in
    # the second tier, by recency.
    phrase = request.phrase
    tiers = [(phrase, True), (expression, False)] if phrase else [(expression, False)]
    found: list[tuple[int, str]] = []
    seen: set[int] = set()
    for tier_expression, windowed in tiers:
        if len(found) >= wanted:
            break
        found += _tier(connection, request, tier_expression, wanted - len(found), seen,
                       windowed=windowed)
    return found[offset:wanted]


# -- totals and facets ---------------------------------------------------------------------------


def _site_places(connection: sqlite3.Connection, sites: list[str]) -> dict[str, tuple]:
    """Name, province and city of each site, read once per summary (a few hundred rows at
    most) rather than joined to every match."""
    if not sites:
        return {}
    marks = ", ".join("?" * len(sites))
    return {row[0]: row[1:] for row in connection.execute(
        f"select id, name, province, city from sites where id in ({marks})", sites)}


def summarise(connection: sqlite3.Connection, request: SearchRequest) -> Summary:
    """How many articles match and the facet counts, over at most SUMMARY_LIMIT matches (the
    most recently archived): one pass in the index's own order, stopped at the limit, reading
    only the narrow facts row of each match; places are looked up per site afterwards."""
    sql = (f"select a.site, a.author, substr(a.published, 1, 7) "
           f"{_joins(_BODY_INDEX, request.filters)}{_where(_BODY_INDEX, request.filters)}"
           f"order by {_BODY_INDEX}.rowid desc limit :limit")
    rows = connection.execute(sql, _params(request, request.expression,
                                           limit=SUMMARY_LIMIT + 1)).fetchall()
    more = len(rows) > SUMMARY_LIMIT
    rows = rows[:SUMMARY_LIMIT]
    by_site = Counter(row[0] for row in rows)
    places = _site_places(connection, [site for site in by_site if site is not None])
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    labels: dict[tuple[str, str], str] = {}
    for site, count in by_site.items():
        if site is None:
            continue
        name, province, city = places.get(site, (None, None, None))
        for facet, value, label in (("site", site, name or site), ("province", province, province),
                                    ("city", city, city)):
            if value is not None:
                counts[facet][value] += count
                labels[facet, value] = label
    # Counted by Counter over generators (C loops): a Python loop over 5,000 rows with a
    # branch per facet took ~15 ms.
    counts["author"] = Counter(author for _, author, _ in rows if author is not None)
    counts["month"] = Counter(month for _, _, month in rows if month is not None)
    for month, count in counts["month"].items():
        counts["year"][month[:4]] += count
    for name in ("author", "month", "year"):
        labels.update(((name, value), value) for value in counts[name])
    facets = {
        name: [Facet(value, labels[name, value], count)
               for value, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
               [:FACET_VALUES]]
        for name, counter in counts.items()
    }
    return Summary(total=None if more else len(rows), counted=len(rows), facets=facets)
