"""A crawl commits its archive writes in batches (issue 6): fewer commits, the same archive.

Real SQLite files, read back through a second connection as `muni serve` would.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.db import ArchiveDB, ArticleRecord
from archive.errors import ArchiveError

REPO = Path(__file__).resolve().parent.parent


def record(n: int, site: str = "ward") -> ArticleRecord:
    return ArticleRecord(url=f"https://ward.example.vn/tin-tuc/bai-{n}.html", site=site,
                         body=f"Đảng ủy phường Tây Sơn họp lần thứ {n}.",
                         fetched_url=f"https://ward.example.vn/tin-tuc/bai-{n}.html",
                         title=f"Bài {n}")


def committed(path: Path) -> int:
    """Articles another process can see."""
    reader = sqlite3.connect(path)
    try:
        return int(reader.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        reader.close()


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[ArchiveDB]:
    db = ArchiveDB.open(tmp_path / "archive")
    db.upsert_site({"id": "ward"})
    yield db
    db.close()


def test_writes_are_committed_by_count(archive: ArchiveDB) -> None:
    archive.start_batching(max_writes=3, max_seconds=3600)
    for n in range(2):
        archive.store_article(record(n))
    assert committed(archive.path) == 0, "a batch is not committed before it is due"
    archive.store_article(record(2))
    assert committed(archive.path) == 3
    archive.store_article(record(3))
    archive.stop_batching()
    assert committed(archive.path) == 4


def test_writes_are_committed_by_time(archive: ArchiveDB) -> None:
    archive.start_batching(max_writes=1000, max_seconds=0.05)
    archive.store_article(record(1))
    archive.commit_if_due()
    assert committed(archive.path) == 0
    deadline = time.monotonic() + 0.05
    while time.monotonic() < deadline:
        time.sleep(0.01)
    archive.commit_if_due()
    assert committed(archive.path) == 1


def test_a_failing_write_undoes_only_itself(archive: ArchiveDB) -> None:
    archive.start_batching(max_writes=1000, max_seconds=3600)
    archive.store_article(record(1))
    with pytest.raises(RuntimeError), archive.transaction():
        archive.store_article(record(2))
        raise RuntimeError("a bug half-way through a write")
    archive.store_article(record(3))
    archive.close()
    reopened = ArchiveDB.open(archive.path, create=False)
    assert sorted(a["title"] for a in reopened.articles()) == ["Bài 1", "Bài 3"]
    assert reopened.db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 2
    reopened.close()


def test_unchanged_and_updated_articles_inside_a_batch(archive: ArchiveDB) -> None:
    """The batch's own connection sees its uncommitted writes: a page stored twice in one
    batch is one article, and a changed text is a second version."""
    archive.start_batching(max_writes=1000, max_seconds=3600)
    assert archive.store_article(record(1)) == "new"
    assert archive.store_article(record(1)) == "unchanged"
    changed = ArticleRecord(**{**record(1).__dict__, "body": "Đã sửa: họp lần thứ 1."})
    assert archive.store_article(changed) == "updated"
    archive.stop_batching()
    assert committed(archive.path) == 1
    assert [v["version"] for v in archive.versions(1)] == [1, 2]


def test_a_killed_writer_leaves_the_committed_batches_whole(tmp_path: Path) -> None:
    """SIGKILL between commits: the committed articles are there, the rest are not, and the
    file is sound."""
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(REPO)!r})
from tests.test_write_batches import record
from archive.db import ArchiveDB
db = ArchiveDB.open({str(tmp_path / "archive")!r})
db.upsert_site({{"id": "ward"}})
db.start_batching(max_writes=10, max_seconds=3600)
for n in range(25):
    db.store_article(record(n))
os.kill(os.getpid(), signal.SIGKILL)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, check=False)
    assert done.returncode == -9
    path = tmp_path / "archive" / "archive.db"
    assert committed(path) == 20
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM article_urls").fetchone()[0] == 20
    conn.close()


def test_a_failed_commit_says_how_much_was_lost(archive: ArchiveDB) -> None:
    archive.start_batching(max_writes=1000, max_seconds=3600)
    archive.store_article(record(1))
    # A constraint checked only at COMMIT makes the commit itself fail.
    archive.db.execute("PRAGMA defer_foreign_keys=ON")
    with archive.transaction():
        archive.db.execute("INSERT INTO article_urls (url, article_id, first_seen) "
                           "VALUES ('https://ward.example.vn/x', 999999, '2024-01-09')")
    with pytest.raises(ArchiveError, match="last 2 writes"):
        archive.commit_batch()
    assert not archive.db.conn.in_transaction
    assert committed(archive.path) == 0
    archive.store_article(record(3))  # the crawl goes on: the next batch is committed
    archive.stop_batching()
    assert committed(archive.path) == 1
