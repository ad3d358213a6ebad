"""The published archive through Datasette's own client: search, order, facets, the article
page, and what a public archive must refuse."""

from __future__ import annotations

import re
import unicodedata

import pytest
from click.testing import CliRunner

from archive.errors import ArchiveError
from archive.serve import make_datasette
from crawler.cli import cli
from tests.publish.archive_builder import SEED_TITLE, SEED_URL, seed_body
from tests.publish.conftest import Published


@pytest.mark.parametrize("query", ["dang uy tay son", "tay son", "dang uy", "Đảng ủy",
                                   "ĐẢNG ỦY", "Dang Uy Tay Son"])
def test_table_search_finds_the_seed_with_or_without_marks(published: Published,
                                                             query: str) -> None:
    assert published.archive.ids["seed"] in published.search_ids(query)


def test_search_typed_in_nfd_finds_the_same_articles(published: Published) -> None:
    nfd = unicodedata.normalize("NFD", "Đảng ủy phường Tây Sơn")
    assert published.search_ids(nfd) == published.search_ids("Đảng ủy phường Tây Sơn")
    assert published.archive.ids["seed"] in published.search_ids(nfd)


def test_search_without_marks_matches_every_marked_form(published: Published) -> None:
    ids = published.archive.ids
    found = set(published.search_ids("dang"))
    # Đảng (the Party) and đang (is doing) are both "dang" to someone typing without marks.
    assert {ids["seed"], ids["dang"]} <= found
    assert ids["german"] not in found


def test_malformed_search_is_not_a_server_error(published: Published) -> None:
    for query in ['"tay son', "(dang uy", "NOT", "tay OR", "***", ")"]:
        response = published.get("/archive/articles.json", params={"_search": query})
        assert response.status_code == 200, (query, response.text[:300])
    assert published.archive.ids["seed"] in published.search_ids('"tay son')


def test_articles_are_listed_newest_first_with_undated_last(published: Published) -> None:
    rows = published.json("/archive/articles.json?_shape=objects&_col=published&_size=100")
    dates = [row["published"] for row in rows["rows"]]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated, "undated articles come after every dated one"
    assert dates[0] == "2024-02-01T18:00+01:00"


def test_articles_are_faceted_by_site_and_author(published: Published) -> None:
    data = published.json("/archive/articles.json")
    facets = data["facet_results"]
    sites = {v["value"]: v["count"] for v in facets["site"]["results"]}
    authors = {v["value"]: v["count"] for v in facets["author"]["results"]}
    assert sites == {"tayson": 4, "phuocvinh": 5, "musterstadt": 1}
    assert authors["Hoàng Bình"] == 2
    assert authors["Lê Văn A"] == 2


def test_metadata_gives_the_archive_a_title_and_the_tables_descriptions(
        published: Published) -> None:
    page = published.get("/").text
    assert "Municipal news archive" in page
    metadata = published.json("/-/metadata.json")["databases"]["archive"]["tables"]
    for table in ("articles", "sites", "crawls"):
        assert metadata[table]["description"]
    assert "Articles as cleaned from their pages" in published.get("/archive/articles").text


def test_article_page_shows_the_clean_article_and_where_it_came_from(
        published: Published) -> None:
    response = published.get(f"/archive/articles/{published.archive.ids['seed']}")
    assert response.status_code == 200
    page = response.text
    assert f"<h1 class=\"muni-headline\">{SEED_TITLE}</h1>" in page
    assert re.search(r'class="muni-author">\s*Hoàng Bình', page)
    assert '<time datetime="2024-01-08T16:30+07:00">' in page
    assert "Thứ hai - 08/01/2024 16:30" in page, "the date shows where it was read from"
    assert "Cổng thông tin điện tử phường Tây Sơn" in page
    assert "Thành phố Tam Điệp" in page
    assert f'href="{SEED_URL}"' in page
    body = page.split('<div class="muni-body">', 1)[1].split("</div>", 1)[0]
    assert "<p>Chiều 8/1, Đảng ủy phường Tây Sơn tổ chức Hội nghị Tổng kết" in body
    assert body.count("<p>") == len(seed_body()[0].split("\n\n")) == 10
    for boilerplate in ("Trực tuyến", "Hôm nay", "Quanh cảnh hội nghị.", "Hoàng Bình"):
        assert boilerplate not in body
    captions = page.split('<ul class="muni-captions">', 1)[1].split("</ul>", 1)[0]
    assert "<li>Quanh cảnh hội nghị.</li>" in captions
    assert "View archived copy" in page


def test_article_page_without_date_or_author_says_so(published: Published) -> None:
    page = published.get(f"/archive/articles/{published.archive.ids['undated']}").text
    assert "the page shows no publication date" in page
    assert "not named on the page" in page


def test_stored_html_is_shown_as_text_never_rendered(published: Published) -> None:
    hostile = published.archive.ids["hostile"]
    for path in (f"/archive/articles/{hostile}", "/archive/articles",
                 "/archive/articles?_search=ma", "/-/search?q=ph%C6%B0%E1%BB%9Dng"):
        page = published.get(path).text
        assert "<script>alert(1)" not in page, path
        assert "<b>chữ đậm</b>" not in page, path
        assert "<i>in nghiêng</i>" not in page, path
    page = published.get(f"/archive/articles/{hostile}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Tiêu đề &lt;i&gt;in nghiêng&lt;/i&gt; &amp; ký tự" in page


def test_arbitrary_sql_is_refused_by_default(published: Published) -> None:
    assert published.get("/archive", params={"sql": "select 1"}).status_code == 403
    where = published.get("/archive/articles", params={"_where": "1=1"})
    assert where.status_code == 403


def test_enable_sql_allows_read_only_queries_and_still_no_writes(archive_path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    ds = make_datasette(archive_path, enable_sql=True)
    ok = asyncio.run(ds.client.get("/archive.json", params={
        "sql": "select count(*) as n from articles", "_shape": "array"}))
    assert ok.status_code == 200
    assert ok.json() == [{"n": 10}]
    write = asyncio.run(ds.client.get("/archive.json", params={
        "sql": "delete from articles", "_shape": "array"}))
    assert write.status_code == 400
    after = asyncio.run(ds.client.get("/archive.json", params={
        "sql": "select count(*) as n from articles", "_shape": "array"}))
    assert after.json() == [{"n": 10}]


def test_time_limit_and_robots(published: Published) -> None:
    settings = published.json("/-/settings.json")
    assert settings["sql_time_limit_ms"] <= 5000
    assert settings["allow_download"] is False
    robots = published.get("/robots.txt")
    assert robots.status_code == 200
    assert "Disallow: /" in robots.text


def test_every_page_carries_a_content_security_policy(published: Published) -> None:
    for path in ("/", "/archive/articles", f"/archive/articles/{published.archive.ids['seed']}"):
        policy = published.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "object-src 'none'" in policy


def test_archive_is_served_as_archive_whatever_the_file_name(tmp_path, built_archive) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import shutil

    renamed = tmp_path / "ward-news.db"
    shutil.copy(built_archive.db_path, renamed)
    ds = make_datasette(renamed)
    response = asyncio.run(ds.client.get("/archive/articles.json?_shape=objects&_col=id"))
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 10
    assert [name for name in ds.databases if name != "_internal"] == ["archive"]


def test_missing_archive_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ArchiveError, match="No archive at"):
        make_datasette(tmp_path / "nothing.db")
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "nothing.db")])
    assert result.exit_code == 1
    assert "No archive at" in result.output
    assert "muni crawl" in result.output
    assert not (tmp_path / "nothing.db").exists(), "serving must not create an archive"


def test_serve_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "muni serve --db archive.db" in result.output
    assert "--enable-sql" in result.output


def test_table_search_lists_headlines_with_snippets_in_the_original_text(
        published: Published) -> None:
    page = published.get("/archive/articles", params={"_search": "dang uy tay son"}).text
    seed = published.archive.ids["seed"]
    assert f'href="/archive/articles/{seed}">{SEED_TITLE}</a>' in page
    assert "<mark>Đảng ủy</mark> phường <mark>Tây Sơn</mark>" in page


def test_provenance_is_named_as_a_reader_would_say_it() -> None:
    from archive.datasette.article import source_label

    assert source_label("meta:article:published_time") == (
        "the page's metadata (article:published_time)")
    assert source_label("visible-line") == "the date line shown on the page"
    assert source_label("json-ld+visible-line") == (
        "the page's structured data (JSON-LD) and the date line shown on the page")
    assert source_label("trailing-line") == "the byline at the end of the text"
    assert source_label("something-new") == "something-new"
    assert source_label(None) is None
