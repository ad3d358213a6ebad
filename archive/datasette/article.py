"""What the article page shows, read from the archive through Datasette's read-only connection."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from datasette.database import Database

__all__ = ["ArticleView", "load_article"]

# Where a date or a byline was found, in words a reader understands.
# Where extraction read a date or an author (pipelines/extract: *_source), as a reader would
# say it. A source may be two joined by "+" (both agreed), or "meta:<name>" for one meta tag.
_SOURCE_LABELS = {
    "json-ld": "the page's structured data (JSON-LD)",
    "meta": "the page's metadata",
    "time-element": "the page's <time> element",
    "visible-line": "the date line shown on the page",
    "own-teaser": "the date shown beside this article's headline on the page",
    "url": "the article's URL",
    "htmldate": "the page (htmldate)",
    "trafilatura": "the page (trafilatura)",
    "body": "the byline at the end of the text",
    "trailing-line": "the byline at the end of the text",
    "leading-line": "the byline at the start of the text",
    "byline-label": "the labelled byline in the text",
    "page-label": "the labelled byline on the page",
    "markup": "the page's author markup",
    "author-link": "the page's author link",
}


def source_label(source: str | None) -> str | None:
    """``meta:article:published_time`` → "the page's metadata (article:published_time)";
    ``json-ld+visible-line`` → both labels; an unknown source is shown as it is."""
    if not source:
        return None
    labels = []
    for part in source.split("+"):
        kind, _, detail = part.partition(":")
        label = _SOURCE_LABELS.get(part) or _SOURCE_LABELS.get(kind)
        if label is None:
            labels.append(part)
        elif detail and kind == "meta":
            labels.append(f"{label} ({detail})")
        else:
            labels.append(label)
    return " and ".join(dict.fromkeys(labels))


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
        return source_label(self.row.get("published_source"))

    @property
    def author_source_label(self) -> str | None:
        return source_label(self.row.get("author_source"))


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
