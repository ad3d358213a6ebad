"""Extraction in worker processes: the same archive as in-process extraction, and no bad page
(one that raises, kills its worker or never ends) can stop or hang a crawl."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from archive.db import ArchiveDB
from archive.errors import ExtractionError
from crawler.demo.check import write_portal_profile
from crawler.demo.server import PortalServer
from pipelines.extract import Article, NoArticle
from pipelines.parallel import ExtractionPool, ExtractJob, run_job
from tests.conftest import FAST, REPO, run_muni

# Every column extraction fills, and the identity of each row.
EXTRACTED = ("url", "site", "title", "author", "published", "body", "language", "title_raw",
             "title_source", "published_raw", "published_source", "published_precision",
             "author_raw", "author_source", "author_rule", "author_kind", "news_source",
             "description", "captions", "content_hash", "extra")
WAIT = 60  # seconds: a bound on every wait below, so that a broken pool fails, never hangs


def crawl(portals: dict[str, PortalServer], folder: Path, *settings: str) -> dict[str, Any]:
    profiles = [write_portal_profile(p.portal.root, p.base_url, folder / "profiles")
                for p in portals.values()]
    args: list[str] = ["crawl", "--db", str(folder), *FAST]
    for setting in settings:
        args += ["--set", setting]
    for profile in profiles:
        args += ["--profile", str(profile)]
    run_muni(*args, check=True)
    archive = ArchiveDB.open(folder, create=False)
    try:
        rows = {a["url"]: {c: a[c] for c in EXTRACTED} for a in archive.articles()}
        stats = json.loads(archive.db.execute("SELECT stats FROM crawls").fetchone()[0])
    finally:
        archive.close()
    return {"rows": rows, "stats": stats}


@pytest.mark.slow
def test_worker_pool_stores_what_in_process_extraction_stores(
        portals: dict[str, PortalServer], tmp_path: Path) -> None:
    # The per-site learner depends on the order pages arrive, which in-process extraction
    # (blocking the reactor) changes; without it, every page must come out the same.
    same = "MUNI_LEARN_BOILERPLATE=False"
    in_process = crawl(portals, tmp_path / "in-process", "MUNI_EXTRACT_WORKERS=0", same)
    pooled = crawl(portals, tmp_path / "pool", "MUNI_EXTRACT_WORKERS=2", same)
    assert pooled["stats"]["muni/extract/workers"] == 2
    assert in_process["stats"]["muni/extract/workers"] == 0
    # Every page's links were read where it was parsed for extraction, none parsed again.
    assert "muni/links/parsed_in_crawl_process" not in pooled["stats"]
    assert "muni/links/parsed_in_crawl_process" not in in_process["stats"]
    assert len(in_process["rows"]) > 40
    assert sorted(pooled["rows"]) == sorted(in_process["rows"])
    for url, row in in_process["rows"].items():
        assert pooled["rows"][url] == row, url
    for key in ("muni/extract/article", *sorted(k for k in in_process["stats"]
                                                if k.startswith("muni/extract/no_article/"))):
        assert pooled["stats"].get(key) == in_process["stats"][key], key


@pytest.mark.slow
def test_a_pipeline_of_ones_own_before_extraction_leaves_the_links_to_the_spider(
        portals: dict[str, PortalServer], tmp_path: Path) -> None:
    """Another item pipeline first could drop a page before extraction read its links, and
    the spider would wait for them for ever: the spider then parses each page itself."""
    stages = json.dumps({"tests.passthrough_pipeline.PassThroughPipeline": 100,
                         "pipelines.extraction.ExtractionPipeline": 300,
                         "pipelines.storage.StoragePipeline": 800})
    usual = crawl({"tayson": portals["tayson"]}, tmp_path / "usual",
                  "MUNI_LEARN_BOILERPLATE=False")
    own = crawl({"tayson": portals["tayson"]}, tmp_path / "own", f"ITEM_PIPELINES={stages}",
                "MUNI_LEARN_BOILERPLATE=False")
    assert own["stats"]["test/passed_through"] >= len(usual["rows"]) > 10
    assert own["stats"]["muni/links/parsed_in_crawl_process"] >= len(usual["rows"])
    assert "muni/links/parsed_in_crawl_process" not in usual["stats"]
    assert sorted(own["rows"]) == sorted(usual["rows"])


@pytest.mark.slow
def test_a_crawl_whose_every_page_times_out_still_finishes(
        portals: dict[str, PortalServer], tmp_path: Path) -> None:
    started = time.monotonic()
    result = crawl({"tayson": portals["tayson"]}, tmp_path, "MUNI_EXTRACT_TIMEOUT=0.001")
    stats = result["stats"]
    assert stats["finish_reason"] == "finished"
    assert result["rows"] == {}
    timed_out = stats["muni/extract/no_article/error"]
    assert timed_out >= 20
    # No worker read any page's links: the crawl parsed each page itself, and so walked on.
    assert stats["muni/links/parsed_in_crawl_process"] >= timed_out
    assert stats["muni/extract/worker_restarts"] >= timed_out
    assert time.monotonic() - started < 120


@pytest.mark.slow
def test_sigterm_to_the_process_group_stops_the_crawl_without_losing_pages(
        portals: dict[str, PortalServer], tmp_path: Path) -> None:
    """systemd and cron signal every process of the crawl: the workers must stay until the
    crawl has drained the pages it handed them."""
    profile = write_portal_profile(portals["tayson"].portal.root, portals["tayson"].base_url,
                                   tmp_path / "profiles")
    crawl_process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(tmp_path), "--profile",
         str(profile), "--set", "DOWNLOAD_DELAY=0.3", "--set", "AUTOTHROTTLE_ENABLED=False"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and stored_articles(tmp_path) < 2:
            assert crawl_process.poll() is None, crawl_process.communicate()
            time.sleep(0.2)
        os.killpg(crawl_process.pid, signal.SIGTERM)
        _, log = crawl_process.communicate(timeout=WAIT)
    finally:
        if crawl_process.poll() is None:
            os.killpg(crawl_process.pid, signal.SIGKILL)
    archive = ArchiveDB.open(tmp_path, create=False)
    try:
        stats = json.loads(archive.db.execute("SELECT stats FROM crawls").fetchone()[0])
    finally:
        archive.close()
    assert stats["finish_reason"] == "shutdown"
    assert "muni/extract/no_article/error" not in stats, log[-3000:]
    assert "muni/extract/worker_restarts" not in stats
    assert stats["muni/extract/article"] >= 2


def test_a_program_that_never_closes_its_pool_still_exits(tmp_path: Path) -> None:
    # Workers ignore SIGTERM (see above), which is how multiprocessing ends them at exit.
    script = tmp_path / "forgetful.py"
    script.write_text(
        "from pipelines.parallel import ExtractionPool, ExtractJob\n"
        "if __name__ == '__main__':\n"
        "    pool = ExtractionPool(2)\n"
        "    job = ExtractJob(b'<html><body><p>x</p></body></html>', 'http://ward.test/')\n"
        "    print(pool.submit(job).result(timeout=60).result)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=REPO, capture_output=True,
                          text=True, timeout=WAIT, check=False)
    assert done.returncode == 0, done.stderr
    assert "NoArticle" in done.stdout


def stored_articles(folder: Path) -> int:
    try:
        with sqlite3.connect(f"file:{folder / 'archive.db'}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0


# -- the pool on its own, with work that misbehaves ------------------------------------------
# Module-level, so that worker processes can import them.

def misbehaving(job: ExtractJob) -> Article | NoArticle:
    if job.url.endswith("/raises"):
        raise ValueError("a bug in a rule")
    if job.url.endswith("/exits"):
        os._exit(3)  # as a crash in a C extension would end the worker
    if job.url.endswith("/hangs"):
        time.sleep(3600)
    return Article(title=job.url, body=job.data.decode())


def worker_memory(job: ExtractJob) -> Article | NoArticle:
    """What a worker inherited from the forkserver, before it extracted anything."""
    import gc

    from trafilatura import external

    return Article(title=job.url, body=f"stoplist={external.JT_STOPLIST is not None} "
                                       f"frozen={gc.get_freeze_count() > 10_000}")


def _cannot_start() -> NoReturn:
    raise RuntimeError("this worker cannot start")


class Unstartable:
    """A target that fails to arrive in the worker: the worker dies before it is ready."""

    def __call__(self, job: ExtractJob) -> Article | NoArticle:
        raise AssertionError("never called")

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_cannot_start, ())


def jobs(*names: str) -> list[ExtractJob]:
    return [ExtractJob(data=f"text of {name}".encode(), url=f"http://ward.test/{name}")
            for name in names]


@pytest.fixture
def pool() -> Iterator[ExtractionPool]:
    with ExtractionPool(2, timeout=2.0, target=misbehaving) as extraction_pool:
        yield extraction_pool


def test_a_page_that_raises_comes_back_as_an_error(pool: ExtractionPool) -> None:
    raised, fine = (pool.submit(j) for j in jobs("raises", "fine"))
    result = raised.result(timeout=WAIT).result
    assert result == NoArticle("error", "ValueError: a bug in a rule")
    assert fine.result(timeout=WAIT).result == Article(title="http://ward.test/fine",
                                                       body="text of fine")
    assert pool.restarts == 0


def test_a_worker_that_dies_is_replaced(pool: ExtractionPool) -> None:
    futures = [pool.submit(j) for j in jobs("exits", "a", "exits", "b", "c")]
    results = [f.result(timeout=WAIT).result for f in futures]
    assert [r.reason for r in results if isinstance(r, NoArticle)] == ["error", "error"]
    assert "worker died (exit code 3)" in results[0].detail  # type: ignore[union-attr]
    assert [r.body for r in results if isinstance(r, Article)] == [
        "text of a", "text of b", "text of c"]
    assert pool.restarts == 2


def test_a_page_that_hangs_is_given_up_and_the_rest_go_on(pool: ExtractionPool) -> None:
    started = time.monotonic()
    futures = [pool.submit(j) for j in jobs("hangs", *(f"p{n}" for n in range(10)))]
    results = [f.result(timeout=WAIT).result for f in futures]
    assert results[0] == NoArticle("error", "extraction took longer than 2 s")
    assert all(isinstance(r, Article) for r in results[1:])
    assert time.monotonic() - started < 20
    assert pool.restarts == 1


def test_the_page_a_hanging_worker_held_next_goes_to_another() -> None:
    """Each worker is handed its next page while it extracts one: when that one never ends,
    the page it held comes back extracted, not lost with it."""
    with ExtractionPool(1, timeout=2.0, target=misbehaving) as one:
        hangs, after = (one.submit(j) for j in jobs("hangs", "after"))
        assert hangs.result(timeout=WAIT).result == NoArticle(
            "error", "extraction took longer than 2 s")
        assert after.result(timeout=WAIT).result == Article(title="http://ward.test/after",
                                                            body="text of after")
        assert one.restarts == 1


def test_a_page_too_big_to_wait_in_the_pipe_is_not_handed_over_early() -> None:
    """A page bigger than the pipe's buffer, handed to a worker that is stuck on the page
    before, would leave the pool's dispatcher waiting for it, unable to end that worker: the
    hanging page is never given up and nothing after it comes back."""
    big = ExtractJob(data=b"x" * (8 << 20), url="http://ward.test/big")
    one = ExtractionPool(1, timeout=2.0, target=misbehaving)
    try:
        hangs, *rest = (one.submit(j) for j in [*jobs("hangs"), big, *jobs("small")])
        assert hangs.result(timeout=WAIT).result.reason == "error"  # type: ignore[union-attr]
        assert [len(f.result(timeout=WAIT).result.body)  # type: ignore[union-attr]
                for f in rest] == [8 << 20, len("text of small")]
    finally:
        one.kill()  # unblocks a dispatcher stuck writing to the worker, so close() returns
        one.close()


def test_workers_share_what_extraction_loads_lazily() -> None:
    """The forkserver builds trafilatura's jusText stoplist (~28 MB, built on the first page
    that is not an article) and freezes the library before forking: the workers share one copy
    instead of each building its own, and their cycle collector never copies those pages."""
    with ExtractionPool(2, target=worker_memory) as shared:
        bodies = {f.result(timeout=WAIT).result.body  # type: ignore[union-attr]
                  for f in [shared.submit(j) for j in jobs("a", "b", "c", "d")]}
    assert bodies == {"stoplist=True frozen=True"}


def test_imap_keeps_the_input_order_with_a_bounded_window(pool: ExtractionPool) -> None:
    names = [f"p{n}" for n in range(40)]
    seen = [(job.url, extracted.result.body)  # type: ignore[union-attr]
            for job, extracted in pool.imap(jobs(*names), lambda job: job, window=3)]
    assert seen == [(f"http://ward.test/{n}", f"text of {n}") for n in names]


def test_workers_that_cannot_start_fail_the_pages_and_then_refuse_work() -> None:
    with ExtractionPool(2, timeout=5.0, target=Unstartable()) as broken:
        futures = [broken.submit(j) for j in jobs("a", "b", "c")]
        results = [f.result(timeout=WAIT).result for f in futures]
        assert all(isinstance(r, NoArticle) and r.reason == "error" for r in results)
        assert broken.broken and "cannot start" in broken.broken
        with pytest.raises(ExtractionError, match="MUNI_EXTRACT_WORKERS=0"):
            broken.submit(jobs("d")[0])


def test_in_process_mode_gives_what_the_workers_give() -> None:
    page = (Path(__file__).parent.parent / "crawler/demo/portals/tayson/site").rglob("*.html")
    job = next(ExtractJob(data=p.read_bytes(), url="http://ward.test/x.html") for p in page
               if len(p.read_bytes()) > 5000)
    with ExtractionPool(0) as inline, ExtractionPool(1) as workers:
        assert inline.submit(job).result().result == run_job(job)
        assert workers.submit(job).result(timeout=WAIT).result == run_job(job)
