"""Re-extraction: run the current extraction rules over the captures the archive already keeps.

Every article row points to the WARC record of the page it came from, so when the rules
improve the whole archive can benefit without touching the sites again. Pages are read and
extracted by the worker pool on every core; results are written in batches, one transaction
each; an article whose text changed gets a new version, one whose other extracted fields
changed is corrected in place, and the rest are not written at all.

The per-site boilerplate learner's decisions are the crawl's: each article keeps which learned
blocks its extraction stripped (``learned_boilerplate``), and exactly those are given to its
re-extraction, so with unchanged rules a re-extraction reproduces what the crawl stored, page
for page, whatever the crawl's timing was (what the learner knew when a page was handed to a
worker depended on the crawl's backlog: replaying it gave 1-2 pages in 3,000 a different cut).
For articles stored without that record (before m005) and pages newly taken for articles, the
learner is replayed as the crawl ran it: a site's articles in the order they were stored, its
first ``WARMUP_PAGES`` one at a time; its decisions are kept from then on.

With ``all_captures``, every other HTML page the crawls fetched (each is in the WARC files) is
classified again too: a page the earlier rules did not take for an article, and the current
ones do, becomes a new article pointing to its capture.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from archive.db import ArchiveDB, ArticleRecord
from archive.urls import canonical_url
from archive.warc import CaptureRef
from pipelines.extract import Article, BoilerplateLearner, NoArticle
from pipelines.extract.learner import learned_record, recorded_blocks
from pipelines.extraction import WARMUP_PAGES, ExtractedPage
from pipelines.items import PageCapture
from pipelines.parallel import Extracted, ExtractionPool, ExtractJob, StoredCapture
from pipelines.session import ArchiveLock
from pipelines.storage import record_for

__all__ = ["ReextractProgress", "SiteExtraction", "reextract"]

_SAMPLES = 20  # URLs kept per kind of notable outcome, for the summary


@dataclass(frozen=True)
class SiteExtraction:
    """How a site's pages are extracted: its profile's options, time zone and language."""

    options: Mapping[str, Any] | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str | None = None


@dataclass
class ReextractProgress:
    total: int
    done: int = 0
    updated: int = 0  # the text changed: a new version
    refreshed: int = 0  # other extracted fields changed, corrected in place
    unchanged: int = 0
    not_article: int = 0  # the rules no longer see an article there: the row is kept
    errors: int = 0  # unreadable capture, extraction error or timeout: the row is kept
    no_capture: int = 0  # the row points to no WARC record
    captures: int = 0  # with all_captures: other HTML captures classified again
    found: int = 0  # … of which the current rules see a new article
    cpu_seconds: float = 0.0  # extraction time summed over the workers
    started: float = field(default_factory=time.monotonic)
    samples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    def note(self, kind: str, text: str) -> None:
        kept = self.samples.setdefault(kind, [])
        if len(kept) < _SAMPLES:
            kept.append(text)


def reextract(archive: ArchiveDB, *, site_settings: Mapping[str, SiteExtraction],
              sites: Iterable[str] | None = None, seen_since: str | None = None,
              workers: int | None = None, timeout: float = 60.0, learn: bool = True,
              all_captures: bool = False, site_urls: Mapping[str, str] | None = None,
              batch_size: int = 500, progress: Callable[[ReextractProgress], None] | None = None,
              progress_every: float = 1.0) -> ReextractProgress:
    """Re-extract the chosen articles of ``archive``; returns the final counts.

    ``all_captures`` also classifies again every other HTML capture of the crawls (started on
    or after ``seen_since``) of the chosen sites, which ``site_urls`` (site id → base URL)
    tells apart by their URLs."""
    lock = ArchiveLock(archive.path)
    lock.acquire()  # a crawl writing the same rows at the same time would race us
    try:
        chosen = list(sites or [])
        state = ReextractProgress(total=archive.count_articles(chosen, seen_since))
        last_report = 0.0

        def report() -> None:
            nonlocal last_report
            if progress and time.monotonic() - last_report >= progress_every:
                last_report = time.monotonic()
                progress(state)

        with ExtractionPool(workers, timeout=timeout) as pool:
            run = _Run(archive, pool, site_settings, state, learn)
            batch: list[tuple[int, ArticleRecord]] = []
            for row, extracted in run.results(archive.article_captures(chosen, seen_since)):
                record = run.account(row, extracted)
                if record is not None:
                    batch.append((row["id"], record))
                if len(batch) >= batch_size:
                    run.write(batch)
                report()
            run.write(batch)
            if all_captures:
                found: list[tuple[int, ArticleRecord]] = []
                wanted = {k: v for k, v in (site_urls or {}).items() if not chosen or k in chosen}
                captures = _OtherCaptures(archive, wanted, seen_since)
                for (crawl_id, row), extracted in pool.imap(captures, run.capture_job):
                    record = run.account_capture(row, extracted)
                    if record is not None:
                        found.append((crawl_id, record))
                    if len(found) >= batch_size:
                        run.store_found(found)
                    report()
                run.store_found(found)
        if progress:
            progress(state)
        return state
    finally:
        lock.release()


class _Run:
    def __init__(self, archive: ArchiveDB, pool: ExtractionPool,
                 site_settings: Mapping[str, SiteExtraction], state: ReextractProgress,
                 learn: bool):
        self.archive = archive
        self.pool = pool
        self.site_settings = site_settings
        self.state = state
        self.learn = learn
        self.learner = BoilerplateLearner()
        self.folder = str(archive.folder)

    def boilerplate(self, row: dict[str, Any]) -> frozenset[str]:
        """The learned boilerplate to strip from the row's page: what the crawl stripped from
        it when that was recorded, else what the replayed learner knows now. Kept in the row
        for ``account``."""
        known = recorded_blocks(row.get("learned_boilerplate")) if self.learn else None
        if known is None:
            known = self.learner.known(row["site"]) if self.learn else frozenset()
        row["known_boilerplate"] = known
        return known

    def job(self, row: dict[str, Any]) -> ExtractJob:
        settings = self.site_settings.get(row["site"], SiteExtraction())
        return ExtractJob(
            data=b"", url=row["fetched_url"] or row["url"],
            options=settings.options,
            site_boilerplate=self.boilerplate(row),
            timezone=settings.timezone, language=settings.language,
            stored=StoredCapture(self.folder, row["warc_file"], row["warc_offset"],
                                 row["warc_length"]))

    def results(self, rows: Iterable[dict[str, Any]]
                ) -> Iterator[tuple[dict[str, Any], Extracted | None]]:
        for site, site_rows in itertools.groupby(rows, key=itemgetter("site")):
            yield from self._site_results(site, site_rows)

    def _site_results(self, site: str, rows: Iterable[dict[str, Any]]
                      ) -> Iterator[tuple[dict[str, Any], Extracted | None]]:
        captured, missing = _split_missing(rows)
        remaining = iter(captured)
        # Warm-up, as in the crawl: the learner sees each page before the next is extracted.
        for row in remaining:
            if not self.learn or self.learner.pages_seen(site) >= WARMUP_PAGES:
                remaining = itertools.chain([row], remaining)
                break
            yield row, self.pool.submit(self.job(row)).result()
        yield from self.pool.imap(remaining, self.job)
        for row in missing:
            yield row, None

    def account(self, row: dict[str, Any], extracted: Extracted | None
                ) -> ArticleRecord | None:
        state = self.state
        state.done += 1
        if extracted is None:
            state.no_capture += 1
            state.note("no_capture", row["url"])
            return None
        state.cpu_seconds += extracted.seconds
        result = extracted.result
        if isinstance(result, NoArticle):
            if result.reason == "error":
                state.errors += 1
                state.note("errors", f"{row['url']}: {result.detail}")
            else:
                state.not_article += 1
                state.note("not_article", f"{row['url']} ({result.reason})")
            return None
        if self.learn:
            self.learner.observe(row["site"], result)
        learned = learned_record(row["known_boilerplate"], result) if self.learn else None
        return _record(row, result, learned=learned)

    def capture_job(self, entry: tuple[int, dict[str, Any]]) -> ExtractJob:
        row = entry[1]
        settings = self.site_settings.get(row["site"], SiteExtraction())
        return ExtractJob(
            data=row.pop("body"), url=row["fetched_url"], headers=row["headers"],
            options=settings.options, site_boilerplate=self.boilerplate(row),
            timezone=settings.timezone, language=settings.language)

    def account_capture(self, row: dict[str, Any], extracted: Extracted
                        ) -> ArticleRecord | None:
        self.state.captures += 1
        self.state.cpu_seconds += extracted.seconds
        result = extracted.result
        if not isinstance(result, Article):
            return None
        if self.learn:
            self.learner.observe(row["site"], result)
        learned = learned_record(row["known_boilerplate"], result) if self.learn else None
        # A page newly taken for an article gets the identity a crawl would give it (its
        # canonical link, if it declares one).
        return _record(row, result, keep_row_identity=False, learned=learned)

    def store_found(self, found: list[tuple[int, ArticleRecord]]) -> None:
        if not found:
            return
        with self.archive.transaction():
            outcomes = [(record.url, self.archive.store_article(record, crawl_id=crawl_id))
                        for crawl_id, record in found]
        found.clear()
        for url, outcome in outcomes:
            if outcome == "new":
                self.state.found += 1
                self.state.note("found", url)

    def write(self, batch: list[tuple[int, ArticleRecord]]) -> None:
        if not batch:
            return
        with self.archive.transaction():
            outcomes = [(record.url, self.archive.apply_reextraction(article_id, record))
                        for article_id, record in batch]
        batch.clear()
        for url, outcome in outcomes:
            setattr(self.state, outcome, getattr(self.state, outcome) + 1)
            if outcome != "unchanged":
                self.state.note(outcome, url)


class _OtherCaptures:
    """Every HTML capture (status 200) of the chosen sites that no article points to, one
    crawl's WARC file after another, as (crawl id, row) with the page's bytes in the row."""

    def __init__(self, archive: ArchiveDB, site_urls: Mapping[str, str],
                 started_since: str | None):
        self.archive = archive
        self.sites = sorted(((urlsplit(url).netloc.lower().removeprefix("www."),
                              urlsplit(url).path.rstrip("/"), site)
                             for site, url in site_urls.items()), key=lambda s: -len(s[1]))
        self.started_since = started_since
        self.seen: set[str] = set()

    def site_of(self, url: str) -> str | None:
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        return next((site for netloc, prefix, site in self.sites
                     if netloc == host and parts.path.startswith(prefix)), None)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for crawl_id, file in self.archive.crawl_warc_files(self.started_since):
            path = self.archive.folder / file
            if not path.is_file():
                continue
            with path.open("rb") as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    row = self._row(record, file)
                    if row is None:
                        continue
                    row["body"] = record.content_stream().read()
                    row["warc_offset"] = records.get_record_offset()
                    row["warc_length"] = records.get_record_length()
                    yield crawl_id, row

    def _row(self, record: Any, file: str) -> dict[str, Any] | None:
        if record.rec_type != "response" or record.http_headers is None:
            return None
        http = record.http_headers
        if http.get_statuscode() != "200" or \
                "html" not in (http.get_header("Content-Type") or "").lower():
            return None
        url = record.rec_headers.get_header("WARC-Target-URI")
        site = self.site_of(url)
        canonical = canonical_url(url)
        if site is None or canonical in self.seen:
            return None
        self.seen.add(canonical)
        if self.archive.find_article_id([canonical, url]) is not None:
            return None
        return {"url": canonical, "fetched_url": url, "site": site, "warc_file": file,
                "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
                "headers": dict(http.headers)}


def _split_missing(rows: Iterable[dict[str, Any]]
                   ) -> tuple[Iterator[dict[str, Any]], list[dict[str, Any]]]:
    """Rows with a capture (streamed) and rows without one (few; reported at the site's end)."""
    missing: list[dict[str, Any]] = []

    def captured() -> Iterator[dict[str, Any]]:
        for row in rows:
            if row["warc_file"] and row["warc_length"]:
                yield row
            else:
                missing.append(row)

    return captured(), missing


def _record(row: dict[str, Any], article: Article, *, keep_row_identity: bool = True,
            learned: str | None = None) -> ArticleRecord:
    fetched = row["fetched_url"] or row["url"]
    capture = PageCapture(
        url=fetched, site=row["site"], status=200, headers={}, body=b"",
        capture=CaptureRef(row["warc_file"], row["warc_offset"], row["warc_length"],
                           row.get("warc_record_id") or ""))
    page = ExtractedPage(capture, article, learned)
    if not keep_row_identity:
        return record_for(page)
    # The row's URL stays its identity, whatever canonical link the page now declares.
    return record_for(page, url=row["url"])
