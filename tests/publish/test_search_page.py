"""The search page, feeds, canned queries, the about page and archived copies, through
Datasette's client on an archive built by project code."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from tests.publish.conftest import Published

ATOM = "{http://www.w3.org/2005/Atom}"


def rows(published: Published, path: str, **params: str) -> list[dict]:  # type: ignore[type-arg]
    data = published.json(f"{path}?" + urlencode({"_shape": "objects", **params}))
    result: list[dict] = data["rows"]  # type: ignore[type-arg]
    return result


def test_snippets_show_the_original_text_with_its_marks_highlighted(
        published: Published) -> None:
    [row] = rows(published, "/archive/search.json", q="dang uy tay son")
    assert row["snippet_html"].startswith(
        "Chiều 8/1, <mark>Đảng ủy</mark> phường <mark>Tây Sơn</mark> tổ chức")
    page = published.get("/archive/search", params={"q": "dang uy tay son"}).text
    assert "<mark>Đảng ủy</mark> phường <mark>Tây Sơn</mark>" in page


def test_search_page_escapes_stored_html_in_titles_and_snippets(published: Published) -> None:
    page = published.get("/archive/search", params={"q": "phuoc vinh"}).text
    assert "Tiêu đề &lt;i&gt;in nghiêng&lt;/i&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "alert(1)" not in page
    assert "<script>alert(1)" not in page


def test_facets_count_every_match_and_filter_on_click(published: Published) -> None:
    page = published.get("/archive/search", params={"q": "ma"}).text
    assert "4 articles" in page
    # Facets by site, province/city, author, year and month, with counts over all matches.
    assert re.search(r'author=L%C3%AA\+V%C4%83n\+A">Lê Văn A</a> 2', page)
    assert re.search(r"month=2023-10\">2023-10</a> 3", page)
    assert re.search(r'province=Th%C3%A0nh\+ph%E1%BB%91\+Hu%E1%BA%BF">Thành phố Huế</a> 4',
                     page)
    assert re.search(r'year=2023">2023</a> 4', page)
    assert [r["title"] for r in rows(published, "/archive/search.json", q="ma",
                                     author="Lê Văn A")] == [
        "Má tôi đi chợ Tết", "Chuyện con ma ở làng"] or {
        r["title"] for r in rows(published, "/archive/search.json", q="ma", author="Lê Văn A")
    } == {"Má tôi đi chợ Tết", "Chuyện con ma ở làng"}


def test_filters_by_place_date_range_and_month(published: Published) -> None:
    ids = published.archive.ids

    def found(**params: str) -> set[int]:
        return {r["id"] for r in rows(published, "/archive/search.json", **params)}

    assert found(q="dang", province="Tỉnh Ninh Bình") == {ids["seed"], ids["dang"]}
    assert found(q="dang", city="Thành phố Huế") == {ids["hostile"]}
    assert found(q="dang", site="tayson") == {ids["seed"], ids["dang"]}
    assert found(q="dang", date_from="2024-01-01") == {ids["seed"]}
    assert found(q="dang", date_to="2023-12-31") == {ids["dang"], ids["hostile"]}
    assert found(q="dang", date_from="2023-09-01", date_to="2023-10-31") == {ids["dang"]}
    assert found(q="ma", month="2023-10", author="Lê Văn B") == {ids["ma-huyen"]}


def test_sort_by_date_either_way(published: Published) -> None:
    newest = [r["published"] for r in rows(published, "/archive/search.json", q="dang",
                                           sort="newest")]
    assert newest == sorted(newest, reverse=True)
    oldest = [r["published"] for r in rows(published, "/archive/search.json", q="dang",
                                           sort="oldest")]
    assert oldest == sorted(oldest)
    assert newest == oldest[::-1]


def _entries(xml: str) -> list[str]:
    root = ET.fromstring(xml)
    return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]


def test_atom_feeds_overall_per_site_and_per_search(published: Published) -> None:
    overall = published.get("/archive/latest.atom")
    assert overall.status_code == 200
    assert overall.headers["content-type"].startswith("application/xml")
    assert len(_entries(overall.text)) == 10
    german = _entries(published.get("/archive/latest.atom", params={"site": "musterstadt"}).text)
    assert german == ["Bürgerversammlung im Rathaus"]
    searched = _entries(published.get("/archive/search.atom", params={"q": "má"}).text)
    assert searched == ["Má tôi đi chợ Tết"]
    page = published.get("/archive/search", params={"q": "má"}).text
    assert 'type="application/atom+xml"' in page
    assert "/archive/search.atom?q=m%C3%A1" in page


def test_a_feed_with_nothing_in_it_yet_is_an_empty_valid_feed(published: Published) -> None:
    response = published.get("/archive/search.atom", params={"q": "khongcogi"})
    assert response.status_code == 200
    assert _entries(response.text) == []
    assert ET.fromstring(response.text).findtext(f"{ATOM}title") == "Search articles"


def test_canned_queries_answer_common_questions(published: Published) -> None:
    wards = rows(published, "/archive/latest_per_ward.json")
    tayson = next(r for r in wards if r["site"] == "tayson")
    assert tayson["ward"] == "Phường Tây Sơn"
    assert tayson["articles"] == 4
    assert tayson["newest_title"].startswith("Đảng ủy phường Tây Sơn")
    mentions = rows(published, "/archive/mentions.json", term="dang", date_from="2023-01-01",
                    date_to="2023-12-31")
    assert [r["title"] for r in mentions] == ["Nhân dân đang chờ đường mới",
                                              "Tiêu đề <i>in nghiêng</i> & ký tự"]


def test_one_box_searches_every_searchable_table(published: Published) -> None:
    page = published.get("/-/search", params={"q": "ninh binh"})
    assert page.status_code == 200
    tables = re.findall(r'"table": "(\w+)"', page.text)
    assert {"articles", "sites"} <= set(tables)
    sites = rows(published, "/archive/sites.json", _search="ninh binh")
    assert [s["id"] for s in sites] == ["tayson"]
    assert [s["id"] for s in rows(published, "/archive/sites.json", _search="Huế")] == [
        "phuocvinh"]


def test_about_page_explains_what_where_and_diacritics(published: Published) -> None:
    page = published.get("/about").text
    assert "10 articles from 3 sites" in page
    assert "Cổng thông tin điện tử phường Tây Sơn" in page
    assert "Thành phố Tam Điệp" in page
    assert "<code>má</code> finds neither <em>ma</em> nor <em>mà</em>" in page
    assert 'href="/about"' in published.get("/").text


def test_archived_copy_is_sandboxed_twice(published: Published) -> None:
    seed = published.archive.ids["seed"]
    page = published.get(f"/-/archived/{seed}")
    assert page.status_code == 200
    iframe = re.search(r"<iframe[^>]*>", page.text)
    assert iframe is not None
    assert re.search(r"\bsandbox\b(?!=)", iframe.group(0)), "sandbox with no allowances"
    assert f'src="/-/archived/{seed}/raw"' in iframe.group(0)
    raw = published.get(f"/-/archived/{seed}/raw")
    assert raw.status_code == 200
    policy = raw.headers["content-security-policy"]
    assert policy.startswith("sandbox;")
    assert "script-src 'none'" in policy
    assert "Trực tuyến" in raw.text, "the capture is the page as served, boilerplate and all"
    assert "data-script-ran" in raw.text


def test_archived_copy_of_an_article_without_capture_is_a_404(published: Published) -> None:
    assert published.get(f"/-/archived/{published.archive.ids['ma']}").status_code == 404
    assert published.get("/-/archived/999999").status_code == 404


def test_facets_follow_articles_that_change_or_go(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The page counts from a narrow copy of site/author/date kept by triggers: a new byline
    or a deleted article shows in the counts at once."""
    from archive.db import ArchiveDB
    from archive.serve import make_datasette
    from tests.publish.archive_builder import build_archive

    built = build_archive(tmp_path / "archive")
    archive = ArchiveDB.open(built.db_path)
    try:
        archive.db.execute("update articles set author = 'Trần Thị C' where id = ?",
                           [built.ids["ma-sac"]])
        archive.db.execute("pragma foreign_keys = off")
        archive.db.execute("delete from articles where id = ?", [built.ids["ma-huyen"]])
    finally:
        archive.close()
    page = Published(make_datasette(built.db_path), built).get(
        "/archive/search", params={"q": "ma"}).text
    assert "3 articles" in page
    assert re.search(r'author=Tr%E1%BA%A7n\+Th%E1%BB%8B\+C">Trần Thị C</a> 1', page)
    assert "Lê Văn B" not in page
