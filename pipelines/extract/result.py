"""What extraction returns: an Article, or NoArticle with the reason. Never an exception for a
page that merely isn't an article; never a half-filled Article."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Article", "Caption", "NoArticle"]


@dataclass(frozen=True)
class Caption:
    text: str
    image: str | None = None  # absolute image URL when known


@dataclass(frozen=True)
class Article:
    """One extracted article. Every inferred field keeps its raw string and where it came from."""

    title: str | None
    body: str  # plain text, NFC, paragraphs separated by one blank line
    url: str | None = None  # canonical URL when the page declares one, else the fetched URL
    author: str | None = None  # clean name(s), ", "-separated; None when the page names nobody
    published: str | None = None  # YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]+HH:MM; None if unknown
    language: str | None = None
    title_raw: str | None = None
    title_source: str | None = None  # h1 | og:title | json-ld | title-tag | trafilatura …
    published_raw: str | None = None  # the string on the page the date was read from
    published_source: str | None = None  # json-ld | meta | time | visible-line | url | …
    published_precision: str | None = None  # day | minute | second
    author_raw: str | None = None
    author_source: str | None = None  # meta | json-ld | byline-label | trailing-line | …
    author_rule: str | None = None  # which rule fired, e.g. "label:Tác giả", "trailing-bold"
    author_kind: str | None = None  # person | unit
    news_source: str | None = None  # "Nguồn: …" / "Theo …" — a source, not a person
    description: str | None = None
    captions: tuple[Caption, ...] = ()
    canonical_url: str | None = None  # <link rel=canonical> / og:url, absolute
    extra: dict[str, Any] = field(default_factory=dict)
    # The body's paragraphs before site-learned boilerplate was stripped: what
    # BoilerplateLearner.observe() counts. Not part of the stored record.
    text_blocks: tuple[str, ...] = field(default=(), repr=False, compare=False)
    # Their block_key()s, made where the page was extracted (its worker already computed them):
    # the learner runs in the crawl's own process, where computing them again cost ~0.3 ms a
    # page (re-extraction: ~1 ms). Empty when the Article was made without them.
    block_keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("text_blocks")
        data.pop("block_keys")
        data["captions"] = [asdict(c) for c in self.captions]
        return data


@dataclass(frozen=True)
class NoArticle:
    """The page holds no article. ``reason`` is a short stable slug used in crawl stats
    (``muni/extract/no_article/<reason>``): empty | not-html | broken-charset | listing |
    too-short | not-article | error."""

    reason: str
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"no_article": self.reason, "detail": self.detail}
