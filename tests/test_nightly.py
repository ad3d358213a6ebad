"""Nightly archiving you can trust: incremental, versioned, locked, and safe to kill."""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from archive.db import ArchiveDB
from crawler.demo.check import check_portal, write_portal_profile
from crawler.demo.portal import PORTALS_DIR
from crawler.demo.server import PortalServer
from tests.conftest import FAST, REPO, run_muni

PORTAL = "tayson"
SEED_FILE = ("site/vi/news/xay-dung-dang/dang-uy-phuong-tay-son-to-chuc-hoi-nghi-tong-ket-cong-"
             "tac-xay-dung-dang-chinh-quyen-nam-2023-1294.html")


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalServer]:
    """A private copy of a demo portal, so a test can change its pages between runs."""
    root = tmp_path / PORTAL
    shutil.copytree(PORTALS_DIR / PORTAL, root)
    with PortalServer(root) as server:
        yield server


def profile(server: PortalServer, folder: Path, recheck_days: int | None = None) -> Path:
    path = write_portal_profile(server.portal.root, server.base_url, folder)
    if recheck_days is not None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text + f"\n[discovery]\nrecheck_days = {recheck_days}\n",
                        encoding="utf-8")
    return path


def crawl(server: PortalServer, archive: Path, profile_file: Path, *extra: str) -> int:
    before = len(server.requests)
    run = run_muni("crawl", "--profile", profile_file, "--db", archive, *FAST, *extra)
    assert run.returncode == 0, run.output[-3000:]
    return len(server.requests) - before


def test_second_run_over_unchanged_site_fetches_almost_nothing(portal: PortalServer,
                                                               tmp_path: Path) -> None:
    profile_file = profile(portal, tmp_path)
    first = crawl(portal, tmp_path / "archive", profile_file)
    second = crawl(portal, tmp_path / "archive", profile_file)
    # No article is downloaded again; the few navigation pages are asked for conditionally.
    # (On a 1,000-article site the second run is under 1 % of the first:
    # benchmarks/incremental.py.)
    rerun = portal.requests[first:]
    expected = json.loads((portal.portal.root / "expected.json").read_text(encoding="utf-8"))
    articles = {a["path"] for a in expected["articles"]}
    assert not [r.path for r in rerun if r.path in articles]
    pages = [r for r in rerun if r.path not in {"/robots.txt", "/sitemap.xml"}]
    assert all("If-None-Match" in r.headers or "If-Modified-Since" in r.headers
               for r in pages), [r.path for r in pages]
    assert second < first / 2, (first, second)
    db = ArchiveDB.open(tmp_path / "archive", create=False)
    ledger = list(db.db["crawl_sites"].rows_where(order_by="crawl_id"))
    assert [r["crawl_id"] for r in ledger] == [1, 2]
    assert ledger[1]["new"] == 0 and ledger[1]["updated"] == 0
    assert ledger[1]["requests"] == second
    assert json.loads(ledger[1]["drift"]) == []
    # Conditional requests were sent and answered 304.
    assert ledger[1]["not_modified"] >= 1
    assert any("If-None-Match" in r.headers for r in portal.requests[first:])


def test_changed_article_versioned_and_removed_article_gone(portal: PortalServer,
                                                           tmp_path: Path) -> None:
    profile_file = profile(portal, tmp_path, recheck_days=100_000)  # re-check every article
    crawl(portal, tmp_path / "archive", profile_file)
    page = portal.portal.root / SEED_FILE
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("Quanh cảnh hội nghị.", "Quang cảnh hội nghị.").replace(
        "Tại hội nghị, các đại biểu", "Tại hội nghị (đính chính), các đại biểu"),
        encoding="utf-8")
    expected = json.loads((portal.portal.root / "expected.json").read_text(encoding="utf-8"))
    removed = next(a for a in expected["articles"] if "1294" not in a["path"])
    removed_url = portal.base_url.rstrip("/") + removed["path"]
    (portal.portal.root / "site" / removed["path"].lstrip("/")).unlink()
    crawl(portal, tmp_path / "archive", profile_file)

    db = ArchiveDB.open(tmp_path / "archive", create=False)
    seed = next(a for a in db.articles() if "1294" in a["url"])
    assert seed["version"] == 2
    versions = db.versions(seed["id"])
    assert [v["version"] for v in versions] == [1, 2]
    assert "(đính chính)" not in versions[0]["body"]
    assert "(đính chính)" in versions[1]["body"]
    gone = db.article(removed_url)
    assert gone is not None, "a removed article must never be deleted"
    assert gone["status"] == "gone" and gone["gone_at"]
    # Nothing duplicated: one row per article, however many times and ways it was fetched.
    rows = db.articles()
    assert len({a["content_hash"] for a in rows}) == len({a["url"] for a in rows}) == len(rows)
    check = check_portal(db, PORTAL, portal.base_url, portal.portal.root / "expected.json")
    assert check.found == len(expected["articles"])


def test_second_crawl_on_a_locked_archive_exits_at_once(tmp_path: Path) -> None:
    root = tmp_path / PORTAL
    shutil.copytree(PORTALS_DIR / PORTAL, root)
    with PortalServer(root, delay=0.3) as server:
        profile_file = profile(server, tmp_path)
        archive = tmp_path / "archive"
        first = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--profile", str(profile_file),
             "--db", str(archive), *FAST], cwd=REPO, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: len(server.requests) >= 2, first)
            started = time.monotonic()
            second = run_muni("crawl", "--profile", profile_file, "--db", archive, *FAST)
            assert second.returncode == 4, second.output
            assert "is being written by pid" in second.stderr
            assert time.monotonic() - started < 20
        finally:
            first.kill()
            first.wait()


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes],
             timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the crawl ended before the condition held"
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.02)


def test_killed_crawls_lose_nothing_and_store_nothing_twice(tmp_path: Path) -> None:
    root = tmp_path / PORTAL
    shutil.copytree(PORTALS_DIR / PORTAL, root)
    archive = tmp_path / "archive"
    rng = random.Random(20240108)
    with PortalServer(root, delay=0.05) as server:
        profile_file = profile(server, tmp_path)
        kills = 0
        for _ in range(3):
            target = len(server.requests) + rng.randint(3, 15)
            process = subprocess.Popen(
                [sys.executable, "-m", "crawler.cli", "crawl", "--profile", str(profile_file),
                 "--db", str(archive), *FAST], cwd=REPO, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            try:
                wait_for(lambda t=target: len(server.requests) >= t, process)  # type: ignore[misc]
                process.send_signal(signal.SIGKILL)
                kills += 1
            except AssertionError:
                if process.poll() is None:
                    raise
            process.wait()
        run_muni("crawl", "--profile", profile_file, "--db", archive, *FAST, check=True)
        check = check_portal(ArchiveDB.open(archive, create=False), PORTAL, server.base_url,
                             root / "expected.json")
    assert kills >= 2
    assert check.missing == []
    conn = sqlite3.connect(archive / "archive.db")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    statuses = [r[0] for r in conn.execute("SELECT status FROM crawls ORDER BY id")]
    assert statuses.count("interrupted") == kills and statuses[-1] == "finished"
    rows = conn.execute("SELECT count(*), count(DISTINCT url), count(DISTINCT content_hash) "
                        "FROM articles").fetchone()
    assert rows[0] == rows[1] == rows[2]
    warcio = Path(sys.executable).with_name("warcio")
    files = sorted(str(p) for p in (archive / "warc").glob("*.warc.gz"))
    assert len(files) == kills + 1
    result = subprocess.run([str(warcio), "check", *files], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # Every stored article still points to a readable capture.
    from archive.warc import read_response

    for article in ArchiveDB.open(archive, create=False).articles():
        assert read_response(archive, article["warc_file"], article["warc_offset"],
                             article["warc_length"]).status == 200


def test_archive_readable_while_a_crawl_writes(tmp_path: Path) -> None:
    """Datasette serves the archive while cron's crawl writes it (WAL)."""
    import asyncio

    from archive.serve import make_datasette

    root = tmp_path / PORTAL
    shutil.copytree(PORTALS_DIR / PORTAL, root)
    archive = tmp_path / "archive"
    with PortalServer(root, delay=0.05) as server:
        profile_file = profile(server, tmp_path)
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--profile", str(profile_file),
             "--db", str(archive), *FAST], cwd=REPO, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        wait_for(lambda: (archive / "archive.db").exists() and len(server.requests) > 3,
                 process)
        ds = make_datasette(archive / "archive.db")

        def count() -> int:
            response = asyncio.run(ds.client.get("/archive/articles.json?_size=1"))
            assert response.status_code == 200, response.text
            return int(response.json()["filtered_table_rows_count"])

        counts = []
        while process.poll() is None:
            counts.append(count())
            time.sleep(0.05)
        assert process.returncode == 0
    counts.append(count())
    assert counts == sorted(counts) and counts[-1] > counts[0]


def test_broken_template_raises_the_drift_alarm(portal: PortalServer, tmp_path: Path) -> None:
    # The site "redesigns": dates and bylines disappear from every article page.
    profile_file = profile(portal, tmp_path, recheck_days=100_000)
    archive = tmp_path / "archive"
    crawl(portal, archive, profile_file)
    import re

    for page in (portal.portal.root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8", errors="replace")
        broken = re.sub(r'<meta property="article:published_time"[^>]*>', "", html)
        broken = re.sub(r"<span class=\"h5\">[^<]*</span>", "", broken)
        broken = re.sub(r"<p[^>]*text-align: right[^>]*>.*?</p>", "", broken, flags=re.S)
        broken = re.sub(r"\d{1,2}/\d{1,2}/\d{4}", "", broken)
        if broken != html:
            page.write_text(broken, encoding="utf-8")
    run = run_muni("crawl", "--profile", profile_file, "--db", archive, *FAST,
                   "--fail-on-drift")
    assert run.returncode == 6, run.output[-3000:]
    assert "DRIFT tayson" in run.stdout
    db = ArchiveDB.open(archive, create=False)
    last = list(db.db["crawl_sites"].rows_where(order_by="crawl_id"))[-1]
    alarms = json.loads(last["drift"])
    assert any(a.startswith("published") for a in alarms), alarms


def test_site_memory_knows_every_url_of_an_archived_article(tmp_path: Path) -> None:
    # An article reached by a URL no crawl fetched itself (its declared canonical link) is
    # not new: the next run must not fetch it as a discovery.
    from archive.db import ArticleRecord
    from crawler.incremental import SiteMemory

    archive = ArchiveDB.open(tmp_path / "archive")
    try:
        archive.upsert_site({"id": "x", "name": "X", "base_url": "http://x.invalid/"})
        archive.store_article(ArticleRecord(
            url="http://x.invalid/tin/bai-1.html", fetched_url="http://x.invalid/?id=1",
            site="x", title="Bài 1", body="Nội dung bài một."))
        archive.record_fetch(url="http://x.invalid/?id=1", site="x", status=200, etag=None,
                             last_modified=None, content_hash=None, crawl_id=None)
        memory = SiteMemory.load(archive, "x")
        assert not memory.is_new("http://x.invalid/tin/bai-1.html")  # never fetched itself
        assert not memory.is_new("http://x.invalid/?id=1")
        assert memory.is_new("http://x.invalid/tin/bai-2.html")
    finally:
        archive.close()
