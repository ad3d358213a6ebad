"""What a portal's content file (``content/<name>.toml``) says: the site, its categories, its
articles, and the reviewed gold for each article. Renderers turn this into pages."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).parent / "content"

_SITE_KEYS = {
    "id", "name", "family", "ward", "city", "province", "country", "language", "timezone",
    "banner", "clock", "address", "phone", "email", "counter", "robots", "extra",
}
_ARTICLE_KEYS = {
    "id", "slug", "category", "title", "date", "list_date", "lead", "body", "after_body",
    "published", "author", "news_source", "with", "without", "encoding", "normalization",
    "aliases", "canonical", "image", "extra",
}


@dataclass(frozen=True)
class Category:
    key: str
    name: str


@dataclass(frozen=True)
class Article:
    id: int
    slug: str
    category: str
    title: str
    body: str  # blocks separated by blank lines; see markup.render_body
    published: str | None  # gold, as the page states it
    author: str | None
    news_source: str | None
    with_: tuple[str, ...]
    without: tuple[str, ...]
    date: str | None = None  # the date line exactly as the CMS shows it on the article page
    list_date: str | None = None  # the date shown next to the title in listings and sidebars
    lead: str | None = None
    after_body: str | None = None  # raw HTML of the CMS's author/source block, if any
    encoding: str = "utf-8"
    normalization: str = "NFC"
    aliases: tuple[str, ...] = ()  # other URLs that serve this very page
    canonical: str | None = None  # set when rel=canonical names a URL other than the linked one
    image: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteContent:
    site: dict[str, Any]
    categories: tuple[Category, ...]
    articles: tuple[Article, ...]  # newest first, as the CMS lists them
    pages: dict[str, Any]  # intro, contact, documents: free-form per renderer

    @property
    def id(self) -> str:
        return str(self.site["id"])

    def category(self, key: str) -> Category:
        for category in self.categories:
            if category.key == key:
                return category
        raise KeyError(f"{self.id}: unknown category {key!r}")

    def in_category(self, key: str) -> list[Article]:
        return [a for a in self.articles if a.category == key]


def load_content(name: str, directory: Path = CONTENT_DIR) -> SiteContent:
    path = directory / f"{name}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    site = data["site"]
    _check_keys(site, _SITE_KEYS, f"{path}: [site]")
    categories = tuple(Category(c["key"], c["name"]) for c in data["categories"])
    articles = []
    for index, raw in enumerate(data["articles"]):
        _check_keys(raw, _ARTICLE_KEYS, f"{path}: articles[{index}]")
        values = dict(raw)
        values["with_"] = tuple(values.pop("with", ()))
        values["without"] = tuple(values.get("without", ()))
        values["aliases"] = tuple(values.get("aliases", ()))
        for gold in ("published", "author", "news_source"):
            values.setdefault(gold, None)
        articles.append(Article(**values))
    content = SiteContent(site, categories, tuple(articles), data.get("pages", {}))
    for article in content.articles:
        content.category(article.category)
    return content


def _check_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown key {sorted(unknown)[0]!r}")
