"""What a page declares about itself in machine-readable form: JSON-LD, meta tags, canonical
link, language. Read-only over the parsed tree; no guessing here."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["StructuredData", "read_structured"]

_ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "socialmediaposting", "liveblogposting", "report", "posting", "blog",
    "advertisercontentarticle", "satiricalarticle", "askpublicnewsarticle",
})
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "collectionpage", "qapage"})
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "datepublished", "date_published", "publishdate", "publish-date", "publish_date",
    "pubdate", "publication_date", "sailthru.date", "parsely-pub-date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "date", "citation_publication_date",
    "originalpublicationdate", "cxenseparse:recs:publishtime", "article.published",
    "og:published_time", "published_time", "release_date", "dc.date.created", "created",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "byl",
                "parsely-author", "sailthru.author", "citation_author", "og:article:author",
                "twitter:creator", "cxenseparse:author", "article.author")
# Compiled XPath runs in C; ElementPath's iterfind walks the tree in Python.
_JSONLD_SCRIPTS = etree.XPath("//script[@type='application/ld+json']")
_LINKS_WITH_REL = etree.XPath("//link[@rel]")
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net)/", re.I)


@dataclass
class StructuredData:
    jsonld_headline: str | None = None
    jsonld_published: str | None = None
    jsonld_authors: list[str] = field(default_factory=list)
    jsonld_author_organisation: bool = False  # an author typed Organization: a newsroom signs
    jsonld_publisher: str | None = None
    jsonld_is_article: bool = False
    meta: dict[str, str] = field(default_factory=dict)  # lowercased name/property → content
    meta_authors: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    language: str | None = None
    title_tag: str | None = None

    def meta_published(self) -> tuple[str, str] | None:
        for key in _PUBLISHED_META:
            value = self.meta.get(key)
            if value and any(ch.isdigit() for ch in value):
                return key, value
        return None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name"))
    return None


def _person_names(value: Any) -> Iterator[str]:
    """Names in a JSON-LD ``author``: people, or an organisation when the page says an
    organisation wrote it ('BBC News' under a no-bylines policy)."""
    if isinstance(value, list):
        for item in value:
            yield from _person_names(item)
    elif isinstance(value, dict):
        name = _text(value.get("name"))
        if not name and (value.get("givenName") or value.get("familyName")):
            name = " ".join(p for p in (_text(value.get("givenName")),
                                        _text(value.get("familyName"))) if p)
        if name and not _URLISH.search(name):
            yield name
    elif isinstance(value, str):
        name = " ".join(value.split())
        if name and not _URLISH.search(name):
            yield name


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            child = node.get(key)
            if isinstance(child, list | dict):
                yield from _walk_jsonld(child)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, list):
        return {str(k).lower() for k in kind}
    return {str(kind).lower()} if kind else set()


def _read_jsonld(tree: HtmlElement, data: StructuredData) -> None:
    article: dict[str, Any] | None = None
    page: dict[str, Any] | None = None
    for script in _JSONLD_SCRIPTS(tree):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            parsed = json.loads(raw, strict=False)
        except ValueError:
            try:  # several CMSs leave a trailing comma or a stray semicolon
                parsed = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.rstrip(";")), strict=False)
            except ValueError:
                continue
        for node in _walk_jsonld(parsed):
            kinds = _types(node)
            # Any schema.org *Article type counts ('ReportageNewsArticle', 'MedicalWebArticle').
            if article is None and (kinds & _ARTICLE_TYPES or
                                    any(kind.endswith("article") for kind in kinds)):
                article = node
            elif page is None and kinds & _PAGE_TYPES:
                page = node
    chosen = article or page
    if chosen is None:
        return
    data.jsonld_is_article = article is not None
    data.jsonld_headline = _text(chosen.get("headline")) or (
        _text(chosen.get("name")) if article is not None else None)
    data.jsonld_published = _text(chosen.get("datePublished")) or (
        _text(chosen.get("dateCreated")) if article is not None else None)
    data.jsonld_authors = list(dict.fromkeys(_person_names(chosen.get("author"))))
    authors = chosen.get("author")
    data.jsonld_author_organisation = any(
        isinstance(a, dict) and any("organization" in k for k in _types(a))
        for a in (authors if isinstance(authors, list) else [authors]))
    data.jsonld_publisher = _text(chosen.get("publisher"))


def read_structured(tree: HtmlElement, url: str | None) -> StructuredData:
    data = StructuredData()
    _read_jsonld(tree, data)
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop")
               or meta.get("http-equiv") or "").lower()
        content = meta.get("content")
        if not key or not content or not content.strip():
            continue
        content = " ".join(content.split())
        if (key in _AUTHOR_META or key.endswith((".author", ":author"))) and \
                not _URLISH.search(content) and not content.startswith("@"):
            data.meta_authors.append(content)
        data.meta.setdefault(key, content)
    for link in _LINKS_WITH_REL(tree):
        if link.get("rel", "").lower() == "canonical" and link.get("href"):
            data.canonical_url = urljoin(url or "", link.get("href", "").strip())
            break
    if data.canonical_url is None and data.meta.get("og:url", "").startswith("http"):
        data.canonical_url = data.meta["og:url"]
    html = tree.getroottree().getroot()
    lang = html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang") or \
        data.meta.get("content-language") or data.meta.get("og:locale")
    if lang:
        data.language = lang.strip().replace("_", "-").split("-")[0].lower() or None
    title = tree.find(".//title")
    if title is not None:
        data.title_tag = " ".join(title.text_content().split()) or None
    return data
