"""Collects a rendered portal (pages, routes, gold) and writes it as a portal folder."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.demo.authoring.markup import encode_page
from crawler.demo.authoring.model import Article, SiteContent

_TRACKING = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "fbclid", "zarsrc"]


@dataclass
class PortalBuild:
    content: SiteContent
    files: dict[str, bytes] = field(default_factory=dict)  # path under site/ -> bytes
    routes: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    not_articles: list[str] = field(default_factory=list)
    never_fetch: list[str] = field(default_factory=list)

    def add(
        self,
        url: str,
        data: str | bytes,
        *,
        content_type: str | None = None,
        encoding: str = "utf-8",
        normalization: str = "NFC",
    ) -> None:
        """Serve ``data`` at ``url``: as a plain file when the URL is a plain path, else
        through a route."""
        body = data if isinstance(data, bytes) else encode_page(
            data, encoding=encoding, normalization=normalization
        )
        parts = urlsplit(url)
        plain = not parts.query and (
            parts.path.endswith("/") or re.search(r"\.[a-z0-9]{2,4}$", parts.path)
        )
        if plain and content_type is None:
            file = parts.path.lstrip("/")
            if file == "" or file.endswith("/"):
                file += "index.html"
        else:
            file = "_routed/" + _file_name(url)
            route: dict[str, Any] = {"url": url, "file": file}
            if content_type is not None:
                route["content_type"] = content_type
            self.routes.append(route)
        if file in self.files and self.files[file] != body:
            raise ValueError(f"{self.content.id}: two different pages for {file}")
        self.files[file] = body

    def alias(self, url: str, same_as: str, **route: Any) -> None:
        """Serve the file already added at ``same_as`` at another URL too."""
        target = self.file_of(same_as)
        self.routes.append({"url": url, "file": target, **route})

    def route(self, url: str, **route: Any) -> None:
        self.routes.append({"url": url, **route})

    def article(self, path: str, article: Article, *, without: list[str]) -> None:
        self.articles.append({
            "path": path,
            "title": article.title,
            "author": article.author,
            "published": article.published,
            "news_source": article.news_source,
            "with": list(article.with_),
            "without": _unique([*article.without, *without]),
        })

    def file_of(self, url: str) -> str:
        for route in self.routes:
            if route["url"] == url and "file" in route:
                return str(route["file"])
        path = urlsplit(url).path.lstrip("/")
        return path + "index.html" if path == "" or path.endswith("/") else path

    def write(self, portal_dir: Path, portal_toml: str) -> None:
        site_dir = portal_dir / "site"
        if site_dir.exists():
            shutil.rmtree(site_dir)
        for relative, body in sorted(self.files.items()):
            target = site_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        routes = {"ignored_params": _TRACKING, "routes": self.routes}
        _write_json(portal_dir / "routes.json", routes, sort=False)
        expected = {
            "articles": sorted(self.articles, key=lambda a: a["path"]),
            "not_articles": sorted(set(self.not_articles)),
            "never_fetch": sorted(set(self.never_fetch)),
        }
        _write_json(portal_dir / "expected.json", expected, sort=True)
        (portal_dir / "portal.toml").write_text(portal_toml, encoding="utf-8")


def _write_json(path: Path, data: Any, *, sort: bool) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort) + "\n"
    path.write_text(text, encoding="utf-8")


def _file_name(url: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", url.strip("/")) or "root"
    return name if name.endswith((".html", ".xml", ".txt", ".rss")) else name + ".html"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
