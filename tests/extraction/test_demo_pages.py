"""Extraction on every page of the bundled demo portals, fetched over loopback HTTP from the demo
server and compared with each portal's reviewed expected.json: one test per article and field
(`test_demo_article[xuanphuong-/tin-chi-tiet/…-author]`), one per page that is not an article.
Faster feedback than a crawl, and the same gold the crawl tests use (crawler/demo/check.py)."""

from __future__ import annotations

import tomllib
import urllib.request
from functools import cache
from typing import Any

import pytest

from crawler.demo.check import FIELDS, body_ok, fold
from crawler.demo.portal import Portal, portal_names
from crawler.demo.server import PortalServer
from pipelines.extract import Article, NoArticle, extract


def _profile(name: str) -> dict[str, Any]:
    return tomllib.loads((Portal(name).root / "portal.toml").read_text(encoding="utf-8"))


def _article_cases() -> list[pytest.param]:
    return [pytest.param(name, item, field, id=f"{name}-{item['path']}-{field}")
            for name in portal_names() for item in Portal(name).expected["articles"]
            for field in FIELDS]


def _not_article_cases() -> list[pytest.param]:
    return [pytest.param(name, path, id=f"{name}-{path}")
            for name in portal_names() for path in Portal(name).expected["not_articles"]]


@cache
def _extracted(base_url: str, name: str, path: str) -> Article | NoArticle | None:
    """The page as the crawl extracts it (the portal profile's timezone and language); None when
    the server does not answer it with a page (a 404 trap)."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + path, timeout=10) as response:
            data, headers, url = response.read(), dict(response.headers.items()), response.url
    except urllib.error.HTTPError:
        return None
    profile = _profile(name)
    return extract(data, url, headers=headers, timezone=profile["timezone"],
                   language=profile.get("language"))


@pytest.mark.parametrize(("name", "item", "field"), _article_cases())
def test_demo_article(portals: dict[str, PortalServer], name: str, item: dict[str, Any],
                      field: str) -> None:
    result = _extracted(portals[name].base_url, name, item["path"])
    assert isinstance(result, Article), result
    if field == "body":
        assert body_ok(result.body, item), result.body
        # The body is the article's text: the headline and the date line are fields of their own.
        first = fold(result.body.split("\n\n")[0])
        assert first != fold(item["title"]), "the body starts with the headline"
        assert first != fold(result.published_raw), "the body starts with the date line"
    elif field in item:
        value = getattr(result, field)
        assert fold(value) == fold(item[field]), (
            value, result.published_raw if field == "published" else result.author_raw)


@pytest.mark.parametrize(("name", "path"), _not_article_cases())
def test_demo_not_article(portals: dict[str, PortalServer], name: str, path: str) -> None:
    result = _extracted(portals[name].base_url, name, path)
    assert result is None or isinstance(result, NoArticle), (
        f"{path} came back as an article: {result!r}"[:400])
