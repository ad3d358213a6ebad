"""How results are ordered and counted (archive/ranking.py): bm25 while that is affordable,
headline then most recently archived when the query's words are in very many articles, the
phrase first either way; totals and facets exact up to a limit, then "more than".

"Very many" is RANK_LIMIT articles (1,500 in production); the tests lower it so that a
handful of articles exercises the same code paths a million-article archive does.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import archive.ranking as ranking
from archive.db import ArchiveDB, ArticleRecord
from archive.ranking import SearchRequest, page_ids, query_is_common, summarise
from archive.serve import make_datasette

FILLER = ("Ủy ban nhân dân phường thông báo lịch tiếp công dân định kỳ trong tháng, "
          "đề nghị các hộ gia đình chấp hành nghiêm quy định về vệ sinh môi trường. ")

# Stored in this order, so the later an article is here, the more recently it was archived.
ARTICLES = [
    ("headline", "a", "Chợ Tết phường Tây Sơn mở cửa", FILLER + "Khách tham quan chợ tết đông."),
    ("apart", "a", "Họp dân khu phố 3", FILLER + "Bàn về chợ mới. Kế hoạch đón Tết sớm."),
    ("dense", "b", "Tin ngắn", "Chợ tết. Chợ tết năm nay, chợ tết vui."),
    ("long", "b", "Báo cáo tổng kết năm", FILLER * 12 + "Có nhắc chợ tết một lần."),
    ("newest", "a", "Thông báo lịch nghỉ", FILLER * 3 + "Sau chợ tết các hộ dọn vệ sinh."),
]
SITES = [{"id": "a", "name": "Phường A", "base_url": "http://a.invalid/", "province": "Tỉnh Một",
          "city": "Thành phố A", "country": "VN", "language": "vi"},
         {"id": "b", "name": "Phường B", "base_url": "http://b.invalid/", "province": "Tỉnh Hai",
          "city": "Thành phố B", "country": "VN", "language": "vi"}]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ranking") / "archive"
    db = ArchiveDB.open(folder)
    try:
        for site in SITES:
            db.upsert_site(site)
        for name, site, title, body in ARTICLES:
            url = f"http://{site}.invalid/{name}.html"
            db.store_article(ArticleRecord(url=url, fetched_url=url, site=site, title=title,
                                           body=body, published="2024-01-08", language="vi",
                                           author=f"Tác giả {site.upper()}"))
    finally:
        db.close()
    return ArchiveDB.resolve(folder)


@pytest.fixture()
def connection(archive_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(archive_path)
    yield connection
    connection.close()


@pytest.fixture()
def common(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word of the test archive now counts as being in 'very many' articles."""
    monkeypatch.setattr(ranking, "RANK_LIMIT", 1)


def names(connection: sqlite3.Connection, found: list[tuple[int, str]]) -> list[tuple[str, str]]:
    urls = dict(connection.execute("select id, url from articles"))
    return [(urls[article].rsplit("/", 1)[1].removesuffix(".html"), how)
            for article, how in found]


def test_affordable_queries_are_ranked_by_bm25_with_the_phrase_first(
        connection: sqlite3.Connection) -> None:
    request = SearchRequest("cho tet")
    assert not query_is_common(connection, request)
    ranked = names(connection, page_ids(connection, request))
    assert {how for _, how in ranked} == {"relevance"}
    # bm25: the phrase three times in a short text, or in the headline, beats once in a long one.
    order = [name for name, _ in ranked]
    assert set(order[:2]) == {"dense", "headline"}
    assert order.index("long") > order.index("dense")
    assert order[-1] == "apart"  # the words apart come after every phrase match


def test_common_queries_list_headlines_then_newest_with_the_phrase_first(
        connection: sqlite3.Connection, common: None) -> None:
    request = SearchRequest("cho tet")
    assert query_is_common(connection, request)
    assert names(connection, page_ids(connection, request)) == [
        ("headline", "headline"), ("newest", "newest"), ("long", "newest"), ("dense", "newest"),
        # The words anywhere are as common as the words: that tier is ordered by recency too.
        ("apart", "newest")]


def test_a_common_phrase_is_looked_for_among_the_most_recent_articles_first(
        connection: sqlite3.Connection, common: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Articles 1-5 in ARTICLES order; the window now holds the newest two ("long", "newest"),
    # the probe only the newest: too few phrase matches there, so the whole window is read.
    monkeypatch.setattr(ranking, "PHRASE_PROBE", 1)
    monkeypatch.setattr(ranking, "PHRASE_WINDOW", 2)
    assert names(connection, page_ids(connection, SearchRequest("cho tet"))) == [
        ("newest", "newest"), ("long", "newest"),
        # Older phrase matches come with the words anywhere: headline first, then by recency.
        ("headline", "headline"), ("dense", "newest"), ("apart", "newest")]
    # A phrase in quotes is required, not ranked first: no window, every match is found.
    quoted = names(connection, page_ids(connection, SearchRequest('"cho tet"')))
    assert [name for name, _ in quoted] == ["headline", "newest", "long", "dense"]


def test_pages_continue_without_repeating_across_tiers(connection: sqlite3.Connection,
                                                         common: None) -> None:
    pages = [names(connection, page_ids(connection, SearchRequest("cho tet", page=n,
                                                                  page_size=2)))
             for n in (1, 2, 3, 4)]
    assert [[name for name, _ in page] for page in pages] == [
        ["headline", "newest"], ["long", "dense"], ["apart"], []]


def test_filters_and_sorting_apply_in_both_modes(connection: sqlite3.Connection,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for limit in (1500, 1):
        monkeypatch.setattr(ranking, "RANK_LIMIT", limit)
        in_b = names(connection, page_ids(connection, SearchRequest(
            "cho tet", filters={"province": "Tỉnh Hai"})))
        assert {name for name, _ in in_b} == {"dense", "long"}
    newest = names(connection, page_ids(connection, SearchRequest("cho tet", sort="newest")))
    assert [name for name, _ in newest] == ["newest", "long", "dense", "apart", "headline"]
    assert {how for _, how in newest} == {"date"}


def test_marked_words_stay_exact_in_common_mode(connection: sqlite3.Connection,
                                                 common: None) -> None:
    # "chợ" with its marks: "chờ"/"chỗ" would not match; every article here has chợ.
    found = [name for name, _ in names(connection, page_ids(connection,
                                                            SearchRequest("chợ tết")))]
    assert found[0] == "headline" and len(found) == 5
    assert page_ids(connection, SearchRequest("chờ tết")) == []


def test_counts_are_exact_up_to_the_limit_then_of_the_newest(
        connection: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    exact = summarise(connection, SearchRequest("cho tet"))
    assert (exact.total, exact.counted) == (5, 5)
    assert {f.value: f.count for f in exact.facets["site"]} == {"a": 3, "b": 2}
    assert {f.value: f.count for f in exact.facets["province"]} == {"Tỉnh Một": 3, "Tỉnh Hai": 2}
    assert [(f.label, f.count) for f in exact.facets["year"]] == [("2024", 5)]

    monkeypatch.setattr(ranking, "SUMMARY_LIMIT", 2)
    capped = summarise(connection, SearchRequest("cho tet"))
    assert (capped.total, capped.counted) == (None, 2)
    # The two most recently archived matches: "newest" (site a) and "long" (site b).
    assert {f.value: f.count for f in capped.facets["site"]} == {"a": 1, "b": 1}
    filtered = summarise(connection, SearchRequest("cho tet", filters={"site": "b"}))
    assert (filtered.total, filtered.counted) == (2, 2)


def test_the_search_page_says_when_it_orders_by_headline_and_counts_the_newest(
        archive_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = make_datasette(archive_path)

    def get(path: str, **params: str) -> str:
        response = asyncio.run(ds.client.get(path, params=params))
        assert response.status_code == 200, response.text[:500]
        return response.text

    page = get("/archive/search", q="cho tet")
    assert "5 articles" in page and "most recently archived" not in page

    monkeypatch.setattr(ranking, "RANK_LIMIT", 1)
    monkeypatch.setattr(ranking, "SUMMARY_LIMIT", 2)
    page = get("/archive/search", q="cho tet")
    assert "More than 2 articles" in page
    assert "Counts beside the results are of the 2 most recently archived matches" in page
    assert "those with them in the headline come first" in page
    rows = asyncio.run(ds.client.get("/archive/search.json", params={
        "q": "cho tet", "_shape": "objects"})).json()["rows"]
    assert [(r["title"], r["ranked_by"]) for r in rows[:2]] == [
        ("Chợ Tết phường Tây Sơn mở cửa", "headline"), ("Thông báo lịch nghỉ", "newest")]
    about = get("/about")
    assert "most recently archived" in about
