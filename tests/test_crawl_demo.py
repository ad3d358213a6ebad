"""The spine end to end: the demo portals crawled over HTTP into a real archive."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.db import ArchiveDB
from archive.search import fts_query
from archive.warc import read_response
from crawler.demo.check import FIELDS, check_portal
from crawler.demo.portal import portal_names
from tests.conftest import CrawledArchive

PORTALS = portal_names()


@pytest.fixture(scope="module")
def archive(demo_archive: CrawledArchive) -> ArchiveDB:
    db = ArchiveDB.open(demo_archive.db_path, create=False)
    yield db
    db.close()


def test_there_are_enough_demo_portals() -> None:
    assert len(PORTALS) >= 3


@pytest.mark.parametrize("portal", PORTALS)
def test_every_article_found_and_nothing_else(demo_archive: CrawledArchive, archive: ArchiveDB,
                                              portal: str) -> None:
    server = demo_archive.portals[portal]
    check = check_portal(archive, portal, server.base_url, server.portal.root / "expected.json")
    assert check.missing == [], f"articles not archived: {check.missing}"
    assert check.unexpected == [], f"archived but not articles: {check.unexpected}"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("portal", PORTALS)
def test_fields_right(demo_archive: CrawledArchive, archive: ArchiveDB, portal: str,
                      field: str) -> None:
    server = demo_archive.portals[portal]
    check = check_portal(archive, portal, server.base_url, server.portal.root / "expected.json")
    assert check.wrong.get(field, []) == []


def seed(archive: ArchiveDB) -> dict[str, object]:
    rows = [a for a in archive.articles("tayson") if "Tây Sơn" in (a["title"] or "")
            and "Tổng kết" in (a["title"] or "")]
    assert len(rows) == 1, [a["title"] for a in archive.articles("tayson")]
    return rows[0]


def test_seed_article_is_right(archive: ArchiveDB) -> None:
    article = seed(archive)
    assert article["author"] == "Hoàng Bình"
    assert str(article["published"]).startswith("2024-01-08")
    body = str(article["body"])
    assert body.startswith("Chiều 8/1, Đảng ủy phường Tây Sơn")
    for chrome in ("Trực tuyến", "Hôm nay", "Quanh cảnh hội nghị.", "Hoàng Bình"):
        assert chrome not in body
    assert "\n\n" in body  # paragraphs kept as paragraphs
    captions = json.loads(str(article["captions"]))
    assert any(c["text"].startswith("Quanh cảnh hội nghị") for c in captions)


def test_robots_disallowed_pages_never_fetched(demo_archive: CrawledArchive) -> None:
    for name in PORTALS:
        never = set(demo_archive.expected(name).get("never_fetch", []))
        fetched = set(demo_archive.portals[name].requested_paths())
        assert never, f"{name} has no robots.txt trap"
        assert not never & fetched


def test_each_article_points_to_its_raw_capture(demo_archive: CrawledArchive,
                                                archive: ArchiveDB) -> None:
    for article in archive.articles():
        capture = read_response(demo_archive.folder, article["warc_file"],
                                article["warc_offset"], article["warc_length"])
        assert capture.status == 200
        assert capture.url == article["fetched_url"]
        assert b"<html" in capture.body[:2000].lower()


def test_warc_files_are_valid(demo_archive: CrawledArchive) -> None:
    files = sorted((demo_archive.folder / "warc").glob("*.warc.gz"))
    assert len(files) == 1
    warcio = Path(sys.executable).with_name("warcio")
    check = subprocess.run([str(warcio), "check", *map(str, files)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_run_and_sites_recorded(demo_archive: CrawledArchive, archive: ArchiveDB) -> None:
    crawls = list(archive.db["crawls"].rows)
    assert len(crawls) == 1
    crawl = crawls[0]
    assert crawl["status"] == "finished"
    assert crawl["articles_new"] == len(archive.articles())
    assert json.loads(crawl["sites"]) == sorted(PORTALS)
    assert json.loads(crawl["stats"])["finish_reason"] == "finished"
    sites = {s["id"]: s for s in archive.db["sites"].rows}
    assert set(sites) == set(PORTALS)
    assert sites["tayson"]["ward"]
    for name in PORTALS:
        assert name in demo_archive.run.stdout  # the per-site summary line


def test_same_article_stored_once(archive: ArchiveDB) -> None:
    hashes = [(a["site"], a["content_hash"]) for a in archive.articles()]
    assert len(hashes) == len(set(hashes))
    aliases = archive.db.execute(
        "SELECT count(*) FROM article_urls GROUP BY article_id HAVING count(*) > 1").fetchall()
    assert aliases, "no article was reached by more than one URL: the dedup traps are missing"


@pytest.mark.parametrize("query", ["dang uy tay son", "tay son", "dang uy", "Đảng ủy Tây Sơn"])
def test_full_text_search_folds_vietnamese(archive: ArchiveDB, query: str) -> None:
    rows = archive.db.execute(
        "SELECT a.id FROM articles_search s JOIN articles a ON a.id = s.rowid "
        "WHERE articles_search MATCH ?", [fts_query(query)]).fetchall()
    assert seed(archive)["id"] in {r[0] for r in rows}


def test_archive_is_consistent_and_nfc(demo_archive: CrawledArchive, archive: ArchiveDB) -> None:
    conn = sqlite3.connect(demo_archive.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    import unicodedata

    for article in archive.articles():
        for name in ("title", "body", "author"):
            value = article[name]
            assert value is None or unicodedata.is_normalized("NFC", value)
