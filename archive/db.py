"""ArchiveDB: the only code that writes SQL to the archive.

An archive is a folder: ``archive.db`` (SQLite, WAL) plus ``warc/`` with one WARC file per
crawl. ``ArchiveDB.open(path)`` takes either the folder or the ``.db`` file; the WARC folder
always sits beside the database file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from archive.errors import ArchiveError
from archive.schema import ARTICLE_COLUMNS, LATER_ARTICLE_COLUMNS, migrations
from archive.schema_search import DeferredArticleIndex, register_index_functions
from archive.text import index_text, nfc

__all__ = ["ArchiveDB", "ArticleRecord", "StoreOutcome", "utc_now"]

StoreOutcome = Literal["new", "updated", "unchanged", "duplicate"]


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(title: str | None, body: str) -> str:
    """Identity of an article's text: the same text under two URLs is the same article."""
    normalised = " ".join(nfc(f"{title or ''}\n{body}").split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ArticleRecord:
    """One extracted article as it goes into the archive. Field names are column names."""

    url: str
    site: str
    body: str
    fetched_url: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    title_raw: str | None = None
    title_source: str | None = None
    published_raw: str | None = None
    published_source: str | None = None
    published_precision: str | None = None
    author_raw: str | None = None
    author_source: str | None = None
    author_rule: str | None = None
    author_kind: str | None = None
    news_source: str | None = None
    description: str | None = None
    captions: list[dict[str, str | None]] = field(default_factory=list)
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    warc_record_id: str | None = None
    alias_urls: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    learned_boilerplate: str | None = None  # JSON list (see archive.schema)

    def row(self, *, with_hash: bool = True) -> dict[str, Any]:
        """The row's columns; ``with_hash=False`` leaves out content_hash (~0.15 ms an
        article), for a caller that knows the text did not change."""
        # Shallow: captions and extra become JSON right below, so asdict's deep copy of them
        # (~0.1 ms an article) would be thrown away.
        row = {name: getattr(self, name) for name in _RECORD_FIELDS}
        row["captions"] = json.dumps(self.captions, ensure_ascii=False)
        row["extra"] = json.dumps(self.extra, ensure_ascii=False, sort_keys=True)
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = nfc(value)
        if with_hash:
            row["content_hash"] = content_hash(self.title, self.body)
        unknown = set(row) - set(ARTICLE_COLUMNS) - set(LATER_ARTICLE_COLUMNS)
        assert not unknown, f"ArticleRecord has fields the schema lacks: {unknown}"
        return row


_RECORD_FIELDS = tuple(f.name for f in fields(ArticleRecord) if f.name != "alias_urls")

# Columns whose change makes a new version of an article (issue 5 keeps the versions).
_TEXT_COLUMNS = ("title", "author", "published", "body")


@dataclass
class _WriteBatch:
    max_writes: int
    max_seconds: float
    opened: float = 0.0
    writes: int = 0


class ArchiveDB:
    def __init__(self, db: Database, path: Path):
        self.db = db
        self.path = path
        self._batch: _WriteBatch | None = None
        self._depth = 0  # transaction() blocks open (a batch's savepoints)
        # A batch's new articles go into the search indexes at its commit (see the class).
        self._deferred_index = DeferredArticleIndex()
        self._closed = False

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, location: str | Path, *, create: bool = True) -> ArchiveDB:
        path = cls.resolve(location)
        if not path.exists() and not create:
            raise ArchiveError(f"No archive at {path}: run `muni crawl --db {path}` first.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"Cannot open archive {path}: {exc}") from exc
        db = Database(conn)
        archive = cls(db, path)
        archive._prepare()
        return archive

    @staticmethod
    def resolve(location: str | Path) -> Path:
        """``archive/`` → ``archive/archive.db``; a path ending in .db/.sqlite is the file."""
        path = Path(location).expanduser()
        if path.suffix in {".db", ".sqlite", ".sqlite3"}:
            return path.resolve()
        return (path / "archive.db").resolve()

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def warc_folder(self) -> Path:
        return self.folder / "warc"

    def _prepare(self) -> None:
        conn = self.db.conn
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            # Triggers of the first schema call it; migration m004 drops them, but an archive
            # must be writable on the way there.
            conn.create_function("muni_index_text", 1, index_text, deterministic=True)
            # The search-index triggers call these (m103): without them no row of articles or
            # sites could be written.
            register_index_functions(conn, self._deferred_index)
            migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path} is not a usable archive: {exc}") from exc

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.stop_batching()
        finally:
            self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write, all or nothing. Outside a batch it is its own transaction (the articles it
        wrote are indexed for search as it commits: DeferredArticleIndex); inside one
        (``start_batching``) a savepoint of the batch's transaction: a failing write undoes only
        itself, and the batch is committed when it is due."""
        batch = self._batch
        if batch is None:
            if self.db.conn.in_transaction:  # inside someone else's: theirs to index and commit
                with self.db.atomic():
                    yield
                return
            with self.db.atomic():
                self._deferred_index.active = True
                try:
                    yield
                    self._deferred_index.flush(self.db.conn)
                except BaseException:
                    self._deferred_index.forget()
                    raise
                finally:
                    self._deferred_index.active = False
            return
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
            batch.opened, batch.writes = time.monotonic(), 0
        self._depth += 1
        conn.execute("SAVEPOINT muni_write")
        try:
            yield
        except BaseException:
            # An error such as a full disk can end the whole transaction, savepoint included.
            if conn.in_transaction:
                conn.execute("ROLLBACK TO muni_write")
                conn.execute("RELEASE muni_write")
            else:
                self._deferred_index.forget()
            raise
        finally:
            self._depth -= 1
        conn.execute("RELEASE muni_write")
        if self._depth == 0:
            batch.writes += 1
            if batch.writes >= batch.max_writes:
                self.commit_batch()

    # -- batched writes (a crawl) ------------------------------------------------------------

    def start_batching(self, *, max_writes: int = 250, max_seconds: float = 1.0) -> None:
        """Group the writes that follow into transactions of up to ``max_writes`` writes, each
        committed within ``max_seconds`` if the caller calls ``commit_if_due`` that often.

        A crawl writes two rows a page (its fetch record, its article): one commit each cost
        ~0.7 ms of the crawl's CPU a page, and each commit left FTS5 a new segment to merge.
        Nothing is half-written: a killed crawl loses its last uncommitted writes whole (the
        next run fetches those pages again, as for any interrupted crawl), and a committed
        article's capture is always in the WARC file, which is written before the row. The
        batch's new articles are indexed for search as it commits (DeferredArticleIndex)."""
        self._batch = _WriteBatch(max_writes, max_seconds)
        self._deferred_index.active = True

    @property
    def batch_seconds(self) -> float:
        return self._batch.max_seconds if self._batch is not None else 1.0

    def commit_if_due(self) -> None:
        batch = self._batch
        if batch is not None and time.monotonic() - batch.opened >= batch.max_seconds:
            self.commit_batch()

    def commit_batch(self) -> None:
        """Commit the batch's writes so far (not in the middle of one)."""
        conn = self.db.conn
        if self._depth or not conn.in_transaction:
            return
        writes = self._batch.writes if self._batch is not None else 0
        try:
            self._deferred_index.flush(conn)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._deferred_index.forget()
            raise ArchiveError(f"could not save the last {writes} writes to {self.path} "
                               f"({exc}); their pages will be fetched again next run") from exc

    def stop_batching(self) -> None:
        try:
            self.commit_batch()
        finally:
            self._batch = None
            self._deferred_index.active = False

    # -- sites and crawls --------------------------------------------------------------------

    def upsert_site(self, site: dict[str, Any]) -> None:
        now = utc_now()
        existing = self.db.table("sites").rows_where("id = ?", [site["id"]])
        row = {**site, "last_crawled": now}
        if next(iter(existing), None) is None:
            row["first_crawled"] = now
        with self.transaction():
            self.db.table("sites").upsert(row, pk="id", alter=False)

    def start_crawl(self, *, sites: Iterable[str], command: str, warc_file: str | None,
                    pid: int | None = None) -> int:
        with self.transaction():
            inserted = self.db.table("crawls").insert({
                "started": utc_now(),
                "status": "running",
                "sites": json.dumps(sorted(sites)),
                "command": command,
                "warc_file": warc_file,
                "pid": pid,
            })
            return int(inserted.last_pk or 0)

    def finish_crawl(self, crawl_id: int, *, status: str, stats: dict[str, Any],
                     finish_reason: str | None = None) -> None:
        def count(key: str) -> int:
            return int(stats.get(key, 0) or 0)

        row = {
            "finished": utc_now(),
            "status": status,
            "finish_reason": finish_reason,
            "requests": count("downloader/request_count"),
            "responses": count("downloader/response_count"),
            "bytes": count("downloader/response_bytes"),
            "articles_new": count("muni/article/new"),
            "articles_updated": count("muni/article/updated"),
            "articles_unchanged": count("muni/article/unchanged"),
            "articles_duplicate": count("muni/article/duplicate"),
            "not_articles": sum(v for k, v in stats.items()
                                if k.startswith("muni/extract/no_article/")
                                and isinstance(v, int)),
            "errors": count("log_count/ERROR"),
            "stats": json.dumps(stats, default=str, sort_keys=True, ensure_ascii=False),
        }
        with self.transaction():
            self.db.table("crawls").update(crawl_id, row)

    def mark_interrupted(self, alive: Iterable[int] = ()) -> list[dict[str, Any]]:
        """Crawls still marked running whose process is gone were interrupted (killed).
        Returns their rows, so their WARC files can be repaired."""
        alive_ids = set(alive)
        stale = [dict(r) for r in self.db.table("crawls").rows_where("status = 'running'")
                 if r["id"] not in alive_ids]
        with self.transaction():
            for crawl in stale:
                self.db.table("crawls").update(crawl["id"], {"status": "interrupted",
                                                       "finish_reason": "killed"})
        return stale

    # -- articles ----------------------------------------------------------------------------

    def find_article_id(self, urls: Iterable[str]) -> int | None:
        for url in urls:
            row = self.db.execute(
                "SELECT article_id FROM article_urls WHERE url = ?", [url]).fetchone()
            if row:
                return int(row[0])
        return None

    def store_article(self, record: ArticleRecord, *, crawl_id: int | None = None) -> StoreOutcome:
        """Insert or update one article and every URL it was reached by, in one transaction."""
        row = record.row()
        now = utc_now()
        urls = list(dict.fromkeys([record.url, record.fetched_url, *record.alias_urls]))
        with self.transaction():
            article_id = self.find_article_id(urls)
            outcome: StoreOutcome = "unchanged"
            if article_id is None:
                same_text = self.db.execute(
                    "SELECT id FROM articles WHERE site = ? AND content_hash = ? LIMIT 1",
                    [record.site, row["content_hash"]]).fetchone()
                article_id = int(same_text[0]) if same_text else None
                outcome = "duplicate" if article_id is not None else "new"
            if article_id is None:
                row.update(first_seen=now, last_seen=now, updated=now, crawl_id=crawl_id,
                           status="live", version=1)
                article_id = self._insert("articles", row)
                self._add_version(article_id, 1, row, now, crawl_id)
            else:
                current = self.db.table("articles").get(article_id)
                changed = any(current[c] != row[c] for c in _TEXT_COLUMNS)
                if changed:
                    outcome = "updated"
                    # The canonical URL of the first capture stays the article's identity.
                    row.pop("url")
                    version = int(current["version"] or 1) + 1
                    row.update(last_seen=now, updated=now, crawl_id=crawl_id, status="live",
                               version=version, gone_at=None)
                    self.db.table("articles").update(article_id, row)
                    self._add_version(article_id, version, row, now, crawl_id)
                else:
                    self.db.table("articles").update(
                        article_id, {"last_seen": now, "status": "live", "gone_at": None})
            for url in urls:
                self.db.execute(
                    "INSERT OR IGNORE INTO article_urls (url, article_id, first_seen) "
                    "VALUES (?, ?, ?)", [url, article_id, now])
        return outcome

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """INSERT one row of plain values (str, int, None) → its rowid. Plain SQL: sqlite-utils'
        insert() inspects the schema and converts every value on each call, ~0.3 ms of the
        crawl's CPU per stored article."""
        columns = ", ".join(f'"{name}"' for name in row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
                                 list(row.values()))
        return int(cursor.lastrowid or 0)

    def _add_version(self, article_id: int, version: int, row: dict[str, Any], seen: str,
                     crawl_id: int | None) -> None:
        self._insert("article_versions", {
            "article_id": article_id, "version": version, "seen": seen, "crawl_id": crawl_id,
            **{k: row.get(k) for k in ("title", "author", "published", "body", "content_hash",
                                       "warc_file", "warc_offset", "warc_length")}})

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.table("article_versions").rows_where(
            "article_id = ?", [article_id], order_by="version")]

    def touch_article(self, url: str) -> bool:
        """The article answered 304 Not Modified: seen again, unchanged."""
        article_id = self.find_article_id([url])
        if article_id is None:
            return False
        with self.transaction():
            self.db.table("articles").update(article_id, {"last_seen": utc_now(), "status": "live",
                                                    "gone_at": None})
        return True

    def mark_gone(self, url: str) -> bool:
        """The article's page answers 404/410: keep it, say since when it is gone."""
        article_id = self.find_article_id([url])
        if article_id is None:
            return False
        with self.transaction():
            self.db.execute(
                "UPDATE articles SET status = 'gone', gone_at = coalesce(gone_at, ?) "
                "WHERE id = ?", [utc_now(), article_id])
        return True

    # -- what was fetched, for the next run ---------------------------------------------------

    def record_fetch(self, *, url: str, site: str, status: int, etag: str | None,
                     last_modified: str | None, content_hash: str | None,
                     crawl_id: int | None, links: list[str] | None = None) -> bool:
        """Remember a fetched URL's validators; True when its content changed since last time."""
        now = utc_now()
        with self.transaction():
            previous = self.db.execute(
                "SELECT content_hash FROM fetch_state WHERE url = ?", [url]).fetchone()
            if status == 304 and previous is not None:
                self.db.execute("UPDATE fetch_state SET last_fetched = ?, crawl_id = ?, "
                                "status = 304 WHERE url = ?", [now, crawl_id, url])
                return False
            changed = previous is None or previous[0] != content_hash
            self.db.execute(
                "INSERT INTO fetch_state (url, site, status, etag, last_modified, content_hash, "
                "first_fetched, last_fetched, last_changed, crawl_id, links) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "status = excluded.status, etag = excluded.etag, links = excluded.links, "
                "last_modified = excluded.last_modified, content_hash = excluded.content_hash, "
                "last_fetched = excluded.last_fetched, crawl_id = excluded.crawl_id, "
                "last_changed = CASE WHEN fetch_state.content_hash IS excluded.content_hash "
                "THEN fetch_state.last_changed ELSE excluded.last_changed END",
                [url, site, status, etag, last_modified, content_hash, now, now, now, crawl_id,
                 json.dumps(links) if links is not None else None])
            return changed

    def fetch_states(self, site: str) -> dict[str, dict[str, Any]]:
        rows = self.db.table("fetch_state").rows_where("site = ?", [site])
        return {r["url"]: dict(r) for r in rows}

    def fetched_urls(self, site: str) -> Iterator[str]:
        """Every URL of the site that a crawl recorded (fetch_states without the rows)."""
        return (row[0] for row in self.db.execute(
            "SELECT url FROM fetch_state WHERE site = ?", [site]))

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        """One URL's validators and links as last recorded, or None."""
        row = self.db.execute(
            "SELECT etag, last_modified, links FROM fetch_state WHERE url = ?", [url]).fetchone()
        return None if row is None else {"etag": row[0], "last_modified": row[1],
                                         "links": row[2]}

    def known_articles(self, site: str) -> dict[str, dict[str, Any]]:
        """Every URL of the site's articles → the article's dates and status."""
        return {row[0]: {"published": row[1], "first_seen": row[2], "status": row[3],
                         "canonical": bool(row[4])}
                for row in self.db.execute(
                    "SELECT u.url, a.published, a.first_seen, a.status, u.url = a.url "
                    "FROM article_urls u JOIN articles a ON a.id = u.article_id "
                    "WHERE a.site = ?", [site])}

    def known_article_rows(self, site: str) -> Iterator[tuple[str, str | None, str | None, str,
                                                            bool]]:
        """known_articles() as rows, read as they are used: (url, published, first_seen,
        status, whether the URL is the article's canonical one)."""
        for row in self.db.execute(
                "SELECT u.url, a.published, a.first_seen, a.status, u.url = a.url "
                "FROM article_urls u JOIN articles a ON a.id = u.article_id "
                "WHERE a.site = ?", [site]):
            yield row[0], row[1], row[2], row[3], bool(row[4])

    def last_run_of_site(self, site: str) -> dict[str, Any] | None:
        """The most recent earlier crawl that included this site."""
        row = self.db.execute(
            "SELECT c.id, c.status FROM crawl_sites s JOIN crawls c ON c.id = s.crawl_id "
            "WHERE s.site = ? ORDER BY c.id DESC LIMIT 1", [site]).fetchone()
        return None if row is None else {"id": row[0], "status": row[1]}

    # -- the run ledger -------------------------------------------------------------------------

    def record_site_run(self, row: dict[str, Any]) -> None:
        with self.transaction():
            self.db.table("crawl_sites").upsert(row, pk=("crawl_id", "site"), alter=False)

    def recent_site_runs(self, site: str, before_crawl: int, limit: int = 5
                         ) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.table("crawl_sites").rows_where(
            "site = ? AND crawl_id < ?", [site, before_crawl], order_by="crawl_id desc",
            limit=limit)]

    def article(self, url: str) -> dict[str, Any] | None:
        article_id = self.find_article_id([url])
        return None if article_id is None else dict(self.db.table("articles").get(article_id))

    def articles(self, site: str | None = None) -> list[dict[str, Any]]:
        where, params = ("site = ?", [site]) if site else (None, [])
        return [dict(r) for r in self.db.table("articles").rows_where(where, params, order_by="id")]

    def known_urls(self, site: str) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT u.url FROM article_urls u JOIN articles a ON a.id = u.article_id "
            "WHERE a.site = ?", [site])}

    def store_articles(self, records: Iterable[ArticleRecord], *,
                       crawl_id: int | None = None) -> list[StoreOutcome]:
        """Store many articles in one transaction (each one in its own savepoint inside it):
        one commit per batch instead of one per page, for bulk writers such as reextract."""
        with self.transaction():
            return [self.store_article(record, crawl_id=crawl_id) for record in records]

    # -- re-extraction (muni reextract) ---------------------------------------------------------

    @staticmethod
    def _article_filter(sites: Iterable[str] | None, seen_since: str | None
                        ) -> tuple[str, list[Any]]:
        clauses, params = ["1"], []
        chosen = list(sites or [])
        if chosen:
            clauses.append(f"site IN ({', '.join('?' for _ in chosen)})")
            params += chosen
        if seen_since:
            clauses.append("last_seen >= ?")
            params.append(seen_since)
        return " AND ".join(clauses), params

    def count_articles(self, sites: Iterable[str] | None = None,
                       seen_since: str | None = None) -> int:
        where, params = self._article_filter(sites, seen_since)
        return int(self.db.execute(f"SELECT count(*) FROM articles WHERE {where}",
                                   params).fetchone()[0])

    def article_captures(self, sites: Iterable[str] | None = None,
                         seen_since: str | None = None, page_size: int = 1000
                         ) -> Iterator[dict[str, Any]]:
        """Each article's identity and where its stored capture is, by site then id, read a
        page at a time so that a million-article archive does not sit in memory."""
        where, params = self._article_filter(sites, seen_since)
        after: tuple[str, int] = ("", 0)
        while True:
            rows = self.db.execute(
                "SELECT id, url, site, fetched_url, warc_file, warc_offset, warc_length, "
                f"learned_boilerplate FROM articles WHERE {where} AND (site, id) > (?, ?) "
                "ORDER BY site, id LIMIT ?", [*params, *after, page_size]).fetchall()
            if not rows:
                return
            for row in rows:
                yield dict(zip(("id", "url", "site", "fetched_url", "warc_file", "warc_offset",
                                "warc_length", "learned_boilerplate"), row, strict=True))
            after = (rows[-1][2], rows[-1][0])

    def apply_reextraction(self, article_id: int, record: ArticleRecord
                           ) -> Literal["updated", "refreshed", "unchanged"]:
        """A new extraction of the capture the article already points to. Nothing was fetched,
        so when it was seen, its status, URLs and capture stay. Its text changing makes a new
        version ("updated"); other extracted fields changing (sources, raw strings, captions)
        are corrected in place ("refreshed")."""
        row = record.row(with_hash=False)
        for same_capture in ("url", "fetched_url", "warc_file", "warc_offset", "warc_length",
                             "warc_record_id"):
            row.pop(same_capture)
        with self.transaction():
            # A plain SELECT: sqlite-utils' get() reads the table's schema on every call.
            cursor = self.db.execute("SELECT * FROM articles WHERE id = ?", [article_id])
            found = cursor.fetchone()
            if found is None:
                raise ArchiveError(f"article {article_id} is not in {self.path}")
            current = dict(zip((d[0] for d in cursor.description), found, strict=True))
            if row["title"] != current["title"] or row["body"] != current["body"]:
                # The text's identity follows the text; unchanged text keeps its hash.
                row["content_hash"] = content_hash(record.title, record.body)
            changed = {k: v for k, v in row.items() if current[k] != v}
            if not changed:
                return "unchanged"
            if not any(c in changed for c in _TEXT_COLUMNS):
                self.db.table("articles").update(article_id, changed)
                return "refreshed"
            now = utc_now()
            version = int(current.get("version") or 1) + 1
            changed.update(updated=now, version=version)
            self.db.table("articles").update(article_id, changed)
            self._add_version(article_id, version, {**current, **changed}, now,
                              current.get("crawl_id"))
            return "updated"

    def crawl_warc_files(self, started_since: str | None = None) -> list[tuple[int, str]]:
        """(crawl id, WARC file) of every crawl that wrote one, oldest first."""
        where, params = ("AND started >= ?", [started_since]) if started_since else ("", [])
        return [(int(r[0]), str(r[1])) for r in self.db.execute(
            f"SELECT id, warc_file FROM crawls WHERE warc_file IS NOT NULL {where} ORDER BY id",
            params)]
