"""The archive's schema, owned by migrations: never create or alter tables anywhere else.

Each migration runs once per database file inside its own transaction (sqlite-utils
``Migrations``); add new ones at the end, never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("muni-archive")

# Column lists are the contract other tools rely on (issue "The archive end to end").
ARTICLE_COLUMNS: dict[str, type] = {
    "id": int,
    "url": str,  # canonical URL, unique
    "site": str,
    "title": str,
    "author": str,  # NULL when the page names nobody
    "published": str,  # ISO-8601 date or datetime with the site's offset; NULL when unknown
    "body": str,  # plain text, paragraphs separated by a blank line
    "language": str,
    "first_seen": str,  # UTC ISO-8601
    "last_seen": str,
    "updated": str,  # when the stored text last changed
    "fetched_url": str,  # the URL actually fetched for the stored version
    "title_raw": str,
    "title_source": str,
    "published_raw": str,
    "published_source": str,
    "published_precision": str,  # day | minute | second
    "author_raw": str,
    "author_source": str,
    "author_rule": str,
    "author_kind": str,  # person | unit
    "news_source": str,  # "Nguồn: …" / "Theo …": where the story came from, not who wrote it
    "description": str,
    "captions": str,  # JSON list of {"text", "image"}
    "content_hash": str,
    "warc_file": str,  # relative to the archive's folder
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "crawl_id": int,
    "status": str,  # live | gone
    "extra": str,  # JSON: anything else extraction reported
}
# Added by later migrations (the table m001 created keeps its first columns).
LATER_ARTICLE_COLUMNS: dict[str, type] = {
    "version": int,  # m002: 1 for the first text seen
    "gone_at": str,  # m002: when 404/410 began
    # m005: JSON list of the site-learned boilerplate blocks (pipelines.extract.learner keys)
    # extraction stripped from this page; NULL when nothing was learned for it
    "learned_boilerplate": str,
}


@migrations()
def m001_initial(db: Database) -> None:
    db.table("sites").create(
        {
            "id": str,
            "name": str,
            "base_url": str,
            "ward": str,
            "city": str,
            "province": str,
            "country": str,
            "cms": str,
            "language": str,
            "timezone": str,
            "profile": str,  # file the profile came from, NULL for ad-hoc --url crawls
            "first_crawled": str,
            "last_crawled": str,
        },
        pk="id",
    )
    db.table("crawls").create(
        {
            "id": int,
            "started": str,
            "finished": str,
            "status": str,  # running | finished | failed | interrupted
            "sites": str,  # JSON list of site ids
            "command": str,
            "warc_file": str,
            "pid": int,
            "requests": int,
            "responses": int,
            "bytes": int,
            "articles_new": int,
            "articles_updated": int,
            "articles_unchanged": int,
            "articles_duplicate": int,
            "not_articles": int,
            "errors": int,
            "finish_reason": str,
            "stats": str,  # JSON: the full Scrapy stats of the run
        },
        pk="id",
    )
    db.table("articles").create(ARTICLE_COLUMNS, pk="id", not_null={"url", "site"},
                          foreign_keys=[("site", "sites", "id"), ("crawl_id", "crawls", "id")])
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["site", "published"])
    db.table("articles").create_index(["published"])
    db.table("articles").create_index(["site", "content_hash"])
    # Every URL an article was reached by (tracking parameters, print views, canonical links):
    # this is how the same article reached twice is stored once.
    db.table("article_urls").create(
        {"url": str, "article_id": int, "first_seen": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_urls").create_index(["article_id"])
    # Full-text index. Its text is archive.text.index_text() of title and body (đ folded,
    # one tone placement); unicode61 remove_diacritics 2 folds the rest at tokenising time.
    # Triggers keep it in sync; they call muni_index_text(), which ArchiveDB registers on every
    # connection that writes, so a write without our code fails loudly instead of desyncing.
    db.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.executescript(
        """
        CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
          INSERT INTO articles_fts (rowid, title, body)
          VALUES (new.id, muni_index_text(new.title), muni_index_text(new.body));
        END;
        CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
          DELETE FROM articles_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, body ON articles BEGIN
          DELETE FROM articles_fts WHERE rowid = old.id;
          INSERT INTO articles_fts (rowid, title, body)
          VALUES (new.id, muni_index_text(new.title), muni_index_text(new.body));
        END;
        """
    )


@migrations()
def m002_versions_fetch_state_ledger(db: Database) -> None:
    # Every version of an article's text, oldest first; the articles row is the newest.
    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "seen": str,  # when this version was first fetched (UTC)
            "crawl_id": int,
            "title": str,
            "author": str,
            "published": str,
            "body": str,
            "content_hash": str,
            "warc_file": str,
            "warc_offset": int,
            "warc_length": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("crawl_id", "crawls", "id")],
    )
    db.table("article_versions").create_index(["article_id", "version"], unique=True)
    db.table("articles").add_column("version", int)
    db.table("articles").add_column("gone_at", str)  # when the page first answered 404/410
    db.execute("UPDATE articles SET version = 1 WHERE version IS NULL")
    # What each fetched URL looked like last time: conditional requests and "unchanged"
    # decisions on the next run come from here.
    db.table("fetch_state").create(
        {
            "url": str,
            "site": str,
            "status": int,
            "etag": str,
            "last_modified": str,
            "content_hash": str,
            "first_fetched": str,
            "last_fetched": str,
            "last_changed": str,
            "crawl_id": int,
        },
        pk="url",
    )
    db.table("fetch_state").create_index(["site"])
    # The run ledger: one row per site per crawl.
    db.table("crawl_sites").create(
        {
            "crawl_id": int,
            "site": str,
            "status": str,  # ok | failed
            "requests": int,
            "responses": int,
            "not_modified": int,
            "bytes": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "duplicate": int,
            "gone": int,
            "not_articles": int,
            "failed_requests": int,
            "http_status": str,  # JSON {"200": 41, "304": 12, "404": 1}
            "duration_seconds": float,
            "articles": int,
            "fill_title": float,
            "fill_published": float,
            "fill_author": float,
            "fill_body": float,
            "article_yield": float,
            "drift": str,  # JSON list of alarms, empty when none
        },
        pk=("crawl_id", "site"),
        foreign_keys=[("crawl_id", "crawls", "id"), ("site", "sites", "id")],
    )
    db.execute(
        "INSERT INTO article_versions (article_id, version, seen, crawl_id, title, author, "
        "published, body, content_hash, warc_file, warc_offset, warc_length) "
        "SELECT id, 1, first_seen, crawl_id, title, author, published, body, content_hash, "
        "warc_file, warc_offset, warc_length FROM articles")


@migrations()
def m003_fetch_state_links(db: Database) -> None:
    # The links a navigation page had, so a 304 Not Modified can still lead the crawl on to
    # the pages it links to (which may have changed even when it did not).
    db.table("fetch_state").add_column("links", str)


@migrations()
def m004_drop_articles_fts(db: Database) -> None:
    # articles_search (archive/schema_search.py) indexes title and body folded *and* with
    # their marks, contentless and kept in sync by builtin-only triggers: it replaces this
    # first index, the archive's largest table and a third of its write time.
    db.executescript(
        """
        DROP TRIGGER IF EXISTS articles_fts_ai;
        DROP TRIGGER IF EXISTS articles_fts_ad;
        DROP TRIGGER IF EXISTS articles_fts_au;
        DROP TABLE IF EXISTS articles_fts;
        """
    )


@migrations()
def m005_article_learned_boilerplate(db: Database) -> None:
    # Which blocks the crawl's boilerplate learner stripped from each article: re-extraction
    # repeats those decisions instead of replaying the learner, whose state when a page was
    # extracted depended on the crawl's timing.
    db.table("articles").add_column("learned_boilerplate", str)


# The search indexes register their own migrations on `migrations`; importing them here makes
# every archive get them, whoever opens it first.
import archive.schema_search  # noqa: E402, F401
