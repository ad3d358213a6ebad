"""What the article page shows, read from the archive through Datasette's read-only connection."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from datasette.database import Database

__all__ = ["ArticleView", "load_article"]

# Where a date or a byline was found, in words a reader understands.
_SOURCE_LABELS = {
    "meta": "the page's metadata",
    "jsonld": "the page's structured data",
    "url": "the article's URL",
    "text": "the article text",
    "byline": "the byline",
    "htmldate": "the page (htmldate)",
    "trafilatura": "the page (trafilatura)",
}


@dataclass(frozen=True)
class ArticleView:
    row: dict[str, Any]
    paragraphs: list[str]
    captions: list[dict[str, Any]]
    site: dict[str, Any] | None
    has_capture: bool
    alias_urls: list[str] = field(default_factory=list)

    @property
    def published_source_label(self) -> str | None:
        source = self.row.get("published_source")
        return _SOURCE_LABELS.get(source, source) if source else None

    @property
    def author_source_label(self) -> str | None:
        source = self.row.get("author_source")
        return _SOURCE_LABELS.get(source, source) if source else None


def paragraphs_of(body: str | None) -> list[str]:
    """Stored bodies separate paragraphs by a blank line; single newlines stay inside one."""
    return [p.strip() for p in (body or "").split("\n\n") if p.strip()]


def captions_of(raw: str | None) -> list[dict[str, Any]]:
    try:
        captions = json.loads(raw or "[]")
    except ValueError:
        return []
    return [c for c in captions if isinstance(c, dict) and c.get("text")]


async def load_article(db: Database, article_id: str) -> ArticleView | None:
    result = await db.execute("select * from articles where id = ?", [article_id])
    row = result.first()
    if row is None:
        return None
    article = dict(row)
    site_result = await db.execute("select * from sites where id = ?", [article["site"]])
    site = site_result.first()
    urls = await db.execute(
        "select url from article_urls where article_id = ? and url != ? order by url",
        [article["id"], article["url"]])
    return ArticleView(
        row=article,
        paragraphs=paragraphs_of(article.get("body")),
        captions=captions_of(article.get("captions")),
        site=dict(site) if site else None,
        has_capture=bool(article.get("warc_file")) and article.get("warc_offset") is not None,
        alias_urls=[r["url"] for r in urls.rows],
    )
