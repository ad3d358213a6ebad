"""`muni reextract` over a real crawled archive: it repairs what changed, touches nothing else,
and a bad capture or a running crawl loses nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.db import ArchiveDB, content_hash
from archive.search import fts_query
from pipelines.extract.boilerplate import block_key
from pipelines.session import ArchiveLock
from tests.conftest import CrawledArchive, MuniRun, run_muni


@pytest.fixture(scope="module")
def settled(demo_archive: CrawledArchive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo crawl, re-extracted once: with the rules unchanged a re-extraction is then a
    fixed point, so any change in the tests below is the test's own doing."""
    folder = tmp_path_factory.mktemp("reextract") / "archive"
    shutil.copytree(demo_archive.folder, folder, ignore=shutil.ignore_patterns("*.lock"))
    settle = run_muni("reextract", "--db", folder, "--all-captures", "--quiet", check=True)
    assert count(settle, "errors (kept)") == 0
    assert count(settle, "no longer an article") == 0
    return folder


@pytest.fixture
def archive_copy(settled: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(settled, folder)
    return folder


@pytest.fixture
def archive(archive_copy: Path) -> Iterator[ArchiveDB]:
    db = ArchiveDB.open(archive_copy, create=False)
    yield db
    db.close()


def snapshot(archive: ArchiveDB) -> dict[str, Any]:
    return {
        "articles": {row["id"]: row for row in archive.articles()},
        "versions": [dict(r) for r in archive.db["article_versions"].rows],
    }


MARKER = "Xyzzyplugh"  # a word no article has, to follow in the full-text index


def found_by_search(archive: ArchiveDB, article_id: int) -> bool:
    return bool(archive.db.execute(
        "SELECT count(*) FROM articles_search WHERE articles_search MATCH ? AND rowid = ?",
        [fts_query(MARKER), article_id]).fetchone()[0])


def corrupt(archive: ArchiveDB, site: str) -> dict[str, Any]:
    """Damage one article's stored text, as a bug in an earlier rule might have."""
    row = max(archive.articles(site), key=lambda a: len(a["body"]))
    archive.db.execute("UPDATE articles SET body = ?, content_hash = 'x' WHERE id = ?",
                       [f"Trực tuyến: 236\n\n{MARKER}", row["id"]])
    return row


def count(run: MuniRun, label: str) -> int:
    """A count from the summary, e.g. '        1  updated (text changed, new version)'."""
    line = next(li for li in run.stdout.splitlines() if label in li)
    return int(line.split()[0])


def test_help_has_an_example() -> None:
    run = run_muni("reextract", "--help", check=True)
    assert "muni reextract --db" in run.stdout


def test_a_corrupted_article_is_restored_and_nothing_else_is_touched(
        archive_copy: Path, archive: ArchiveDB) -> None:
    before = snapshot(archive)
    damaged = corrupt(archive, "tayson")
    assert found_by_search(archive, damaged["id"])

    run = run_muni("reextract", "--db", archive_copy, "--workers", "2", check=True)

    assert count(run, "updated (text changed") == 1
    assert count(run, "unchanged") == len(before["articles"]) - 1
    assert damaged["url"] in run.stdout
    assert "reextract:" in run.stderr  # progress
    after = snapshot(archive)
    restored = after["articles"][damaged["id"]]
    assert restored["body"] == damaged["body"]
    assert restored["content_hash"] == damaged["content_hash"]
    assert restored["version"] == (damaged["version"] or 1) + 1
    # Re-extraction is no new sighting: when it was seen and what it points to stay.
    for column in ("url", "last_seen", "first_seen", "status", "warc_file", "warc_offset",
                   "crawl_id"):
        assert restored[column] == damaged[column], column
    new_versions = after["versions"][len(before["versions"]):]
    assert [(v["article_id"], v["version"], v["body"]) for v in new_versions] == [
        (damaged["id"], restored["version"], damaged["body"])]
    for article_id, row in before["articles"].items():
        if article_id != damaged["id"]:
            assert after["articles"][article_id] == row, row["url"]
    assert not found_by_search(archive, damaged["id"])  # the index follows the repair


def test_site_filter_leaves_other_sites_alone(archive_copy: Path, archive: ArchiveDB) -> None:
    damaged = corrupt(archive, "xuanphuong")
    run = run_muni("reextract", "--db", archive_copy, "--site", "tayson", check=True)
    assert count(run, "updated (text changed") == 0
    assert count(run, "unchanged") == len(archive.articles("tayson"))
    assert archive.article(damaged["url"])["body"].startswith("Trực tuyến")  # type: ignore[index]


def test_since_chooses_articles_by_when_a_crawl_saw_them(archive_copy: Path,
                                                          archive: ArchiveDB) -> None:
    damaged = corrupt(archive, "tayson")
    run = run_muni("reextract", "--db", archive_copy, "--since", "2999-01-01", check=True)
    assert "Re-extracted 0 articles" in run.stdout
    assert archive.article(damaged["url"])["body"] != damaged["body"]  # type: ignore[index]
    run = run_muni("reextract", "--db", archive_copy, "--since", "2000-01-01", check=True)
    assert count(run, "updated (text changed") == 1


def test_an_unreadable_capture_is_reported_and_its_article_kept(
        archive_copy: Path, archive: ArchiveDB) -> None:
    before = snapshot(archive)
    for warc in (archive_copy / "warc").glob("*.warc.gz"):
        warc.write_bytes(b"not a warc any more")
    run = run_muni("reextract", "--db", archive_copy)
    assert run.returncode == 1, run.output
    assert count(run, "errors (kept)") == len(before["articles"])
    assert "capture unreadable" in run.stdout
    assert snapshot(archive) == before


def test_all_captures_brings_back_an_article_from_its_capture(archive_copy: Path,
                                                             archive: ArchiveDB) -> None:
    """An archive whose earlier rules missed an article: the page is in the WARC files."""
    lost = max(archive.articles("tayson"), key=lambda a: len(a["body"]))
    with archive.transaction():
        for table in ("article_urls", "article_versions"):
            archive.db.execute(f"DELETE FROM {table} WHERE article_id = ?", [lost["id"]])
        archive.db.execute("DELETE FROM articles WHERE id = ?", [lost["id"]])
    before = snapshot(archive)

    run = run_muni("reextract", "--db", archive_copy, "--all-captures", check=True)

    assert "of which 1 are new articles" in run.stdout
    assert count(run, "unchanged") == len(before["articles"])
    found = archive.article(lost["url"])
    assert found is not None
    for column in ("title", "author", "published", "body", "warc_file", "warc_offset",
                   "warc_length", "crawl_id"):
        assert found[column] == lost[column], column
    after = snapshot(archive)
    assert {k: v for k, v in after["articles"].items() if k != found["id"]} == \
        before["articles"]


def test_bad_options_and_a_running_crawl_are_clear_errors(archive_copy: Path,
                                                          tmp_path: Path) -> None:
    run = run_muni("reextract", "--db", archive_copy, "--site", "nowhere")
    assert run.returncode == 3 and "not in this archive" in run.stderr
    run = run_muni("reextract", "--db", archive_copy, "--since", "yesterday")
    assert run.returncode == 3 and "--since" in run.stderr
    run = run_muni("reextract", "--db", tmp_path / "missing")
    assert run.returncode == 1 and "No archive" in run.stderr
    lock = ArchiveLock(ArchiveDB.resolve(archive_copy))
    lock.acquire()
    try:
        run = run_muni("reextract", "--db", archive_copy)
    finally:
        lock.release()
    assert run.returncode == 4 and "being written" in run.stderr


def test_the_crawl_itself_is_a_fixed_point(demo_archive: CrawledArchive, tmp_path: Path) -> None:
    """Re-extracting with unchanged rules repeats every decision the crawl made, those of the
    boilerplate learner included (kept with each article), whatever the crawl's timing."""
    folder = tmp_path / "archive"
    shutil.copytree(demo_archive.folder, folder, ignore=shutil.ignore_patterns("*.lock"))
    db = ArchiveDB.open(folder, create=False)
    try:
        recorded = [row["learned_boilerplate"] for row in db.articles()]
        before = snapshot(db)
    finally:
        db.close()
    assert recorded and None not in recorded, "the crawl records its learner's decisions"
    assert any(json.loads(r) for r in recorded), "the demo portals have learned boilerplate"
    run = run_muni("reextract", "--db", folder, "--quiet", check=True)
    assert count(run, "updated") == 0
    assert count(run, "refreshed") == 0
    db = ArchiveDB.open(folder, create=False)
    try:
        assert snapshot(db) == before
    finally:
        db.close()


def test_the_crawls_learned_boilerplate_is_stripped_again(archive_copy: Path,
                                                         archive: ArchiveDB) -> None:
    """A block the crawl's learner had learned when it extracted a page stays stripped, even
    where the re-extraction's own learner, replayed in another order, would not know it."""
    row = max(archive.articles(), key=lambda a: len(a["body"]))
    paragraphs = row["body"].split("\n\n")
    assert len(paragraphs) > 2
    learned = paragraphs[-1]  # this article's own text: no learner would take it for chrome
    body = "\n\n".join(paragraphs[:-1])
    archive.db.execute(
        "UPDATE articles SET body = ?, content_hash = ?, learned_boilerplate = ? WHERE id = ?",
        [body, content_hash(row["title"], body), json.dumps([block_key(learned)]), row["id"]])
    archive.close()
    run = run_muni("reextract", "--db", archive_copy, "--site", row["site"], check=True)
    assert count(run, "updated") == 0
    reopened = ArchiveDB.open(archive_copy, create=False)
    try:
        again = reopened.db["articles"].get(row["id"])
    finally:
        reopened.close()
    assert again["body"] == body
    assert json.loads(again["learned_boilerplate"]) == [block_key(learned)]


def test_articles_stored_before_decisions_were_kept_get_them(archive_copy: Path,
                                                             archive: ArchiveDB) -> None:
    """An archive from before m005 has no decisions: the replayed learner decides, once, and
    its decisions are kept from then on."""
    archive.db.execute("UPDATE articles SET learned_boilerplate = NULL")
    total = archive.count_articles()
    archive.close()
    first = run_muni("reextract", "--db", archive_copy, "--quiet", check=True)
    assert count(first, "updated") == 0
    assert count(first, "refreshed") == total  # the decisions, written in place
    reopened = ArchiveDB.open(archive_copy, create=False)
    try:
        assert reopened.db.execute("SELECT count(*) FROM articles WHERE learned_boilerplate "
                                   "IS NULL").fetchone()[0] == 0
    finally:
        reopened.close()
    second = run_muni("reextract", "--db", archive_copy, "--quiet", check=True)
    assert (count(second, "updated"), count(second, "refreshed")) == (0, 0)
