"""One crawl's hold on its archive: the open ArchiveDB, the crawl row, the WARC file, the lock.

Shared by the WARC middleware (crawler) and the item pipelines through the crawler object, and
closed when the spider closes, when the crawl's final stats are known.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from archive.db import ArchiveDB
from archive.errors import ArchiveLocked
from archive.warc import WarcFile
from archive.warc import repair as repair_warc
from pipelines.ledger import drift_alarms, site_ledger_row

__all__ = ["ArchiveSession"]

logger = logging.getLogger(__name__)
_ATTRIBUTE = "_muni_archive_session"


class ArchiveLock:
    """An advisory lock beside the database: one crawl writes an archive at a time."""

    def __init__(self, db_path: Path):
        self.path = db_path.with_name(db_path.name + ".lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise ArchiveLocked(
                f"{self.path.parent} is being written by {holder}; wait for it to finish "
                "(or run this crawl against another --db)") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class ArchiveSession:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.db_path = ArchiveDB.resolve(settings.get("MUNI_DB") or "archive")
        self.lock = ArchiveLock(self.db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.lock.acquire()
        self.archive = ArchiveDB.open(self.db_path)
        # We hold the lock, so any crawl still marked running was killed: record it as
        # interrupted and cut its WARC file back to the last complete record.
        for crawl in self.archive.mark_interrupted():
            cut = repair_warc(self.archive.folder / crawl["warc_file"]) \
                if crawl["warc_file"] else 0
            logger.warning("Crawl %d of this archive was interrupted; %d bytes of a partial "
                           "WARC record removed", crawl["id"], cut)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.crawl_id = self.archive.start_crawl(
            sites=[], command=settings.get("MUNI_COMMAND") or shlex.join(sys.argv),
            warc_file=None, pid=os.getpid())
        self.warc_name = f"warc/crawl-{self.crawl_id:05d}-{stamp}.warc.gz"
        self.archive.db.table("crawls").update(self.crawl_id, {"warc_file": self.warc_name})
        self.warc = WarcFile(self.archive.folder, self.warc_name)
        self.sites: set[str] = set()
        self.drift: dict[str, list[str]] = {}
        self.closed = False
        # The crawl's writes (two a page) are committed in batches, at least once a second.
        self.archive.start_batching(
            max_writes=settings.getint("MUNI_COMMIT_WRITES", 250),
            max_seconds=settings.getfloat("MUNI_COMMIT_SECONDS", 1.0))
        self._committer: Any = None
        crawler.signals.connect(self._spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    @classmethod
    def attach(cls, crawler: Crawler) -> ArchiveSession:
        """Open the archive (and take its lock) before the crawl starts, so that a locked or
        unusable archive stops the run at once with a clear error."""
        return cls.of(crawler)

    @classmethod
    def of(cls, crawler: Crawler) -> ArchiveSession:
        session: ArchiveSession | None = getattr(crawler, _ATTRIBUTE, None)
        if session is None:
            session = cls(crawler)
            setattr(crawler, _ATTRIBUTE, session)
        return session

    def register_site(self, row: dict[str, Any]) -> None:
        if row["id"] in self.sites:
            return
        self.sites.add(row["id"])
        self.archive.upsert_site(row)
        self.archive.db.table("crawls").update(
            self.crawl_id, {"sites": json.dumps(sorted(self.sites))})

    def _write_ledger(self, stats: dict[str, Any]) -> dict[str, list[str]]:
        """One ledger row per site; returns the drift alarms by site."""
        alarms: dict[str, list[str]] = {}
        for site in sorted(self.sites):
            row = site_ledger_row(self.crawl_id, site, stats)
            history = self.archive.recent_site_runs(site, self.crawl_id)
            found = drift_alarms(row, history)
            row.pop("_new_pages")
            row["drift"] = json.dumps(found, ensure_ascii=False)
            self.archive.record_site_run(row)
            if found:
                alarms[site] = found
                for alarm in found:
                    logger.warning("DRIFT %s: %s", site, alarm)
        return alarms

    def _spider_opened(self, spider: Spider) -> None:
        # Imported here: the reactor is installed by now (importing it earlier would install
        # Twisted's default one before Scrapy chooses).
        from twisted.internet import task

        self._committer = task.LoopingCall(self.archive.commit_if_due)
        self._committer.start(self.archive.batch_seconds, now=False)

    def _spider_closed(self, spider: Spider, reason: str) -> None:
        self.close(reason)

    def close(self, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        # Scrapy's CoreStats records these after spider_closed handlers run; record them here.
        stats.setdefault("finish_reason", reason)
        started = stats.get("start_time")
        if isinstance(started, datetime):
            stats.setdefault("elapsed_time_seconds",
                             (datetime.now(UTC) - started).total_seconds())
        status = "finished" if reason == "finished" else (
            "interrupted" if reason == "shutdown" else "failed")
        if stats.get("muni/failed", False):
            status = "failed"
        if self._committer is not None and self._committer.running:
            self._committer.stop()
        self.warc.close()
        self.archive.stop_batching()
        self.drift = self._write_ledger(stats)
        stats["muni/drift/sites"] = len(self.drift)
        self.archive.finish_crawl(self.crawl_id, status=status, stats=stats,
                                  finish_reason=reason)
        self.archive.close()
        self.lock.release()
