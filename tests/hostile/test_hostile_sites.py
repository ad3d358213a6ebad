"""A real `muni crawl` over a hostile portal: it finishes, keeps the good articles, records every
hazard with its reason, refuses the traps, and stays polite while doing it.

One crawl (module fixture) of tests/hostile/server.py, whose requests the server records; every
test below reads facts from that crawl: the archive file, its WARC, its stats, the server's log.
Timeouts and size limits are shortened with --set so the whole crawl takes about half a minute.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawler.cli.exit_codes import ExitCode
from tests.conftest import MuniRun, run_muni
from tests.hostile.pages import ARTICLES
from tests.hostile.server import DUPLICATE_ALIASES, HAZARD_PATHS, HazardServer, Hit

pytestmark = pytest.mark.slow

DELAY = 0.2
RETRY_TIMES = 1
RETRY_AFTER = 1
MAX_CALENDAR_PAGES = 24  # crawler/settings.py MUNI_TRAP_MAX_CALENDAR_PAGES
MAX_SEGMENT_REPEATS = 2  # crawler/settings.py MUNI_TRAP_MAX_SEGMENT_REPEATS
SETTINGS = (
    "--set", f"DOWNLOAD_DELAY={DELAY}",
    "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    # AutoThrottle only ever lengthens the delay; off, the delay under test is the configured one
    # (and the timeouts do not stretch it to 30 s).
    "--set", "AUTOTHROTTLE_ENABLED=False",
    "--set", "DOWNLOAD_TIMEOUT=3",
    "--set", f"DOWNLOAD_MAXSIZE={4 * 1024 * 1024}",  # under the 30 MB page, over the bomb's wire
    "--set", f"DOWNLOAD_WARNSIZE={1024 * 1024}",
    "--set", f"RETRY_TIMES={RETRY_TIMES}",
)
# Arrival times are the kernel's receive stamps, but Scrapy starts its delay clock before it
# opens (or reuses) a connection and writes the request, which takes a few milliseconds more or
# less from one request to the next; a gap short of the bound by less than this is that jitter.
ARRIVAL_JITTER = 0.01


@dataclass
class HostileCrawl:
    run: MuniRun
    server: HazardServer
    hits: list[Hit]
    folder: Path
    db_path: Path

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    @property
    def stats(self) -> dict[str, Any]:
        (row,) = self.query("SELECT stats FROM crawls")
        stats: dict[str, Any] = json.loads(row["stats"])
        return stats

    def article(self, path: str) -> sqlite3.Row | None:
        rows = self.query("SELECT a.* FROM articles a JOIN article_urls u ON u.article_id = a.id "
                          "WHERE u.url = ?", (self.server.url(path),))
        return rows[0] if rows else None

    def targets(self, path: str) -> list[str]:
        return [h.target for h in self.hits if h.path.split(";")[0] == path]


def write_profile(folder: Path, server: HazardServer) -> Path:
    # max_depth far beyond the traps' bounds: what stops them must be the trap defences.
    profile = folder / "dong-hung.toml"
    profile.write_text(
        f'id = "dong-hung"\nname = "Phường Đông Hưng"\nbase_url = "{server.base_url}"\n'
        'start_urls = ["/"]\n[discovery]\nmax_depth = 40\n', encoding="utf-8")
    return profile


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> HostileCrawl:
    folder = tmp_path_factory.mktemp("hostile")
    with HazardServer(retry_after=RETRY_AFTER) as server:
        run = run_muni("crawl", "--profile", write_profile(folder, server),
                       "--db", folder / "archive", *SETTINGS, timeout=240)
        hits = server.hits
    return HostileCrawl(run, server, hits, folder / "archive", folder / "archive" / "archive.db")


# -- the crawl finishes and keeps what is good ------------------------------------------------

def test_crawl_finishes_and_reports_success(crawl: HostileCrawl) -> None:
    # Individual pages failed, but the site was crawled: success for cron (exit_codes.py).
    assert crawl.run.returncode == ExitCode.OK, crawl.run.output[-3000:]
    (row,) = crawl.query("SELECT status, finish_reason FROM crawls")
    assert (row["status"], row["finish_reason"]) == ("finished", "finished")


ARTICLE_FIELDS = ("title", "published", "body")


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
@pytest.mark.parametrize("key", ARTICLES)
def test_good_article_archived_with_correct_vietnamese(crawl: HostileCrawl, key: str,
                                                       field: str) -> None:
    expected = ARTICLES[key]
    row = crawl.article(expected.path)
    assert row is not None, f"{expected.path} not archived"
    if field == "title":
        assert row["title"] == expected.title
    elif field == "published":
        assert row["published"] == expected.published
    else:
        body = row["body"]
        assert unicodedata.is_normalized("NFC", body)
        for paragraph in expected.paragraphs:
            assert paragraph in body


def test_only_the_good_articles_are_archived(crawl: HostileCrawl) -> None:
    titles = sorted(r["title"] for r in crawl.query("SELECT title FROM articles"))
    assert len(titles) == len(ARTICLES), titles


def test_same_article_under_several_urls_is_stored_once(crawl: HostileCrawl) -> None:
    duplicate = ARTICLES["duplicate"]
    rows = crawl.query("SELECT id FROM articles WHERE body LIKE ?",
                       (f"%{duplicate.paragraphs[0]}%",))
    assert len(rows) == 1
    urls = {r["url"] for r in crawl.query(
        "SELECT url FROM article_urls WHERE article_id = ?", (rows[0]["id"],))}
    assert {crawl.server.url(p) for p in (duplicate.path, *DUPLICATE_ALIASES)} <= urls
    assert crawl.stats["muni/article/duplicate"] == len(DUPLICATE_ALIASES)


# -- every hazard is recorded with its reason ---------------------------------------------------

# hazard: (where it is, the muni/failed/<reason> the spider records for it)
FAILURES = {
    "gzip_bomb": (HAZARD_PATHS["gzip_bomb"], "decompressed_too_large"),
    "huge_page": (HAZARD_PATHS["huge_page"], "too_large"),
    "huge_stream": (HAZARD_PATHS["huge_stream"], "too_large"),
    "redirect_loop": ("/chuyen-huong/", "redirect_loop"),
    "server_error": (HAZARD_PATHS["server_error"], "http_500"),
    "too_many_requests": (HAZARD_PATHS["too_many_requests"], "http_429"),
    "timeout": (HAZARD_PATHS["timeout"], "timeout"),
    "slow_drip": (HAZARD_PATHS["slow_drip"], "timeout"),
    "disallowed": (HAZARD_PATHS["disallowed"], "robots_disallowed"),
}


@pytest.mark.parametrize("hazard", FAILURES)
def test_failed_page_recorded_with_its_reason(crawl: HostileCrawl, hazard: str) -> None:
    path, reason = FAILURES[hazard]
    # In the log, against the URL (what an operator greps for) ...
    line = re.compile(rf"Failed {re.escape(crawl.server.url(path))}\S* \({reason}\)")
    assert line.search(crawl.run.output), f"no 'Failed … ({reason})' line for {path}"
    # ... and counted in the crawl's stats, in the archive.
    assert crawl.stats.get(f"muni/failed/{reason}", 0) >= 1


def test_failure_counts_match_the_hazards(crawl: HostileCrawl) -> None:
    expected = Counter(reason for _, reason in FAILURES.values())
    for reason, count in expected.items():
        assert crawl.stats[f"muni/failed/{reason}"] == count, reason


def test_server_errors_were_retried_within_retry_times(crawl: HostileCrawl) -> None:
    stats = crawl.stats
    assert stats["retry/reason_count/500 Internal Server Error"] == RETRY_TIMES
    assert stats["retry/reason_count/503 Service Unavailable"] == 1  # then it answered
    assert stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] == 2 * RETRY_TIMES
    counts = Counter(h.target for h in crawl.hits)
    assert max(counts.values()) <= 1 + RETRY_TIMES, counts.most_common(3)


def test_not_html_under_an_html_name_is_not_archived(crawl: HostileCrawl) -> None:
    assert crawl.article(HAZARD_PATHS["pdf_named_html"]) is None
    assert crawl.article(HAZARD_PATHS["zip_as_html"]) is None
    assert crawl.stats["muni/skipped/not_html"] == 1  # the PDF, by its Content-Type
    assert crawl.stats["muni/extract/no_article/not-html"] == 1  # the ZIP, by its bytes


# -- traps: followed only a bounded way -----------------------------------------------------------

def test_infinite_calendar_is_cut_off(crawl: HostileCrawl) -> None:
    months = {dict(parse_qsl(urlsplit(t).query)).get("thang")
              for t in crawl.targets("/lich-cong-tac.html")}
    assert 1 < len(months) <= MAX_CALENDAR_PAGES
    assert crawl.stats["muni/trap/calendar"] >= 1


def test_ever_deeper_relative_links_are_cut_off(crawl: HostileCrawl) -> None:
    deep = [h.path for h in crawl.hits if h.path.startswith("/chuyen-muc/")]
    repeats = max(Counter(p.strip("/").split("/")).most_common(1)[0][1] for p in deep)
    assert repeats == MAX_SEGMENT_REPEATS
    assert len(deep) <= 20
    assert crawl.stats["muni/trap/repeated_segments"] >= 1


def test_redirect_loop_stopped_at_the_first_repeat(crawl: HostileCrawl) -> None:
    looped = [h.path for h in crawl.hits if h.path.startswith("/chuyen-huong/")]
    assert sorted(looped) == ["/chuyen-huong/vong-a.html", "/chuyen-huong/vong-b.html"]


@pytest.mark.parametrize("path", [HAZARD_PATHS["jsessionid"], HAZARD_PATHS["session_redirect"]])
def test_session_id_variants_fetched_once(crawl: HostileCrawl, path: str) -> None:
    # Every page links to it with a fresh ;jsessionid=: still one fetch (the redirect one is
    # the Java first visit: /dich-vu-cong, then /dich-vu-cong;jsessionid=…).
    fetched = crawl.targets(path)
    assert len([t for t in fetched if ";jsessionid=" not in t]) == 1, fetched
    assert len([t for t in fetched if ";jsessionid=" in t]) <= 1, fetched


def test_phpsessid_listing_pages_fetched_once_each(crawl: HostileCrawl) -> None:
    fetched = crawl.targets(HAZARD_PATHS["phpsessid"])
    pages = Counter(dict(parse_qsl(urlsplit(t).query)).get("trang") for t in fetched)
    assert pages == {"1": 1, "2": 1}, fetched


# -- the archive is sound ------------------------------------------------------------------------

def test_archive_passes_integrity_check(crawl: HostileCrawl) -> None:
    assert [tuple(r) for r in crawl.query("PRAGMA integrity_check")] == [("ok",)]


def test_warc_files_pass_warcio_check(crawl: HostileCrawl) -> None:
    warcs = sorted((crawl.folder / "warc").glob("*.warc.gz"))
    assert warcs
    warcio = Path(sys.executable).with_name("warcio")
    checked = subprocess.run([str(warcio), "check", "-v", *map(str, warcs)],
                             capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]


def test_gzip_bomb_kept_as_received_not_inflated(crawl: HostileCrawl) -> None:
    # The WARC holds the bomb's ~2 MB of wire bytes, not gigabytes.
    total = sum(p.stat().st_size for p in (crawl.folder / "warc").glob("*.warc.gz"))
    assert total < 8 * 1024 * 1024


# -- politeness, measured by the server ----------------------------------------------------------

def test_never_more_than_one_request_at_a_time(crawl: HostileCrawl) -> None:
    assert max(h.in_flight for h in crawl.hits) == 1


def test_never_faster_than_the_download_delay(crawl: HostileCrawl) -> None:
    # Scrapy draws each delay from 0.5×–1.5× DOWNLOAD_DELAY.
    gaps = crawl.server.arrival_gaps()
    assert len(gaps) > 40
    hits = sorted(crawl.hits, key=lambda h: h.arrived)
    shortest = min(range(len(gaps)), key=gaps.__getitem__)
    assert gaps[shortest] >= 0.5 * DELAY - ARRIVAL_JITTER, (
        f"{gaps[shortest]:.3f} s between {hits[shortest].target} and "
        f"{hits[shortest + 1].target}")


def test_retry_after_pauses_the_whole_host(crawl: HostileCrawl) -> None:
    # After a 503 or 429 saying Retry-After: 1, the server hears nothing for a second.
    hits = sorted(crawl.hits, key=lambda h: h.arrived)
    asked = [i for i, h in enumerate(hits) if h.status in (429, 503)]
    assert len(asked) == 3  # 429 twice (a retry, then given up), 503 once
    for i in (i for i in asked if i + 1 < len(hits)):
        assert hits[i + 1].arrived - hits[i].arrived >= RETRY_AFTER - ARRIVAL_JITTER
    assert crawl.stats["muni/retry_after/waited"] == 3


# -- robots.txt that answers 500: disallow all (RFC 9309) ---------------------------------------

def test_robots_txt_answering_500_means_nothing_else_is_fetched(
        tmp_path: Path) -> None:
    with HazardServer(robots_status=500) as server:
        run = run_muni("crawl", "--profile", write_profile(tmp_path, server),
                       "--db", tmp_path / "archive", *SETTINGS, timeout=120)
        targets = server.targets()
    assert set(targets) == {"/robots.txt"}, targets
    assert run.returncode == ExitCode.ALL_SITES_FAILED, run.output[-3000:]
    db = sqlite3.connect(f"file:{tmp_path / 'archive' / 'archive.db'}?mode=ro", uri=True)
    try:
        stats = json.loads(db.execute("SELECT stats FROM crawls").fetchone()[0])
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    finally:
        db.close()
    assert stats["muni/robots/unreachable"] >= 1
    assert stats["muni/failed/robots_disallowed"] >= 1
