"""What the archive already knows about a site, so a re-run fetches only what changed.

- Known articles are not fetched again unless young enough to be re-checked
  (``discovery.recheck_days``).
- Pages fetched before are asked for conditionally (If-None-Match / If-Modified-Since).
- A listing page that links to nothing new does not lead on to its further pages.

All of this is trusted only when the site's previous crawl finished: after an interrupted run,
links from "unchanged" pages may never have been followed, so everything is walked again (known
articles are still skipped — they are safely stored).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from archive.db import ArchiveDB

__all__ = ["SiteMemory", "link_set_hash", "looks_like_pagination"]

_PAGE_PARAMS = re.compile(r"^(page|p|pg|paged|trang|pagenum|pageindex|currentpage|start|offset|"
                          r"_[\w]*_cur|cur|pi)$", re.IGNORECASE)
_PAGE_PATH = re.compile(r"/(page|trang|p)[-/]?\d+/?$|[-_](page|trang|p)\d+(\.html?)?$",
                        re.IGNORECASE)


def looks_like_pagination(url: str) -> bool:
    """Page 2, 3… of a listing: ?page=2, &trang=3, /page-2, /page/2/, /trang-3.html …"""
    parts = urlsplit(url)
    if _PAGE_PATH.search(parts.path):
        return True
    return any(_PAGE_PARAMS.match(k) and v.isdigit() and v not in {"0", "1"}
               for k, v in parse_qsl(parts.query))


def link_set_hash(links: Iterable[str]) -> str:
    """What a navigation page means for the crawl is the set of pages it links to, not its
    bytes: clocks and visitor counters change on every load."""
    joined = "\n".join(sorted(set(links)))
    return "links:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _as_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class SiteMemory:
    site: str
    known_articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    # hash() of every URL earlier runs fetched, as the run started. A URL's validators and
    # links are read from the archive when asked: held in memory, the links of a
    # 100,000-page site (~45 URLs a page) were ~500 MB of a nightly run's process.
    fetched: set[int] = field(default_factory=set)
    trusted: bool = False  # the previous crawl of the site finished
    archive: ArchiveDB | None = field(default=None, repr=False)

    @classmethod
    def load(cls, archive: ArchiveDB, site: str) -> SiteMemory:
        last = archive.last_run_of_site(site)
        return cls(site=site, known_articles=archive.known_articles(site),
                   fetched={hash(url) for url in archive.fetched_urls(site)},
                   trusted=bool(last and last["status"] == "finished"), archive=archive)

    def _state(self, url: str) -> dict[str, Any] | None:
        if hash(url) not in self.fetched or self.archive is None:
            return None
        return self.archive.fetch_state(url)

    def is_known_article(self, url: str) -> bool:
        return url in self.known_articles

    def due_for_recheck(self, url: str, recheck_days: int, now: datetime | None = None) -> bool:
        article = self.known_articles.get(url)
        if article is None:
            return True
        when = _as_datetime(article["published"]) or _as_datetime(article["first_seen"])
        if when is None:
            return False
        return (now or datetime.now(UTC)) - when <= timedelta(days=recheck_days)

    def due_articles(self, recheck_days: int) -> list[str]:
        """Canonical URLs of live articles young enough to be fetched again."""
        now = datetime.now(UTC)
        return [url for url, article in self.known_articles.items()
                if article["canonical"] and article["status"] == "live"
                and self.due_for_recheck(url, recheck_days, now)]

    def is_new(self, url: str) -> bool:
        return url not in self.known_articles and hash(url) not in self.fetched

    def links_of(self, url: str) -> list[str]:
        """The links a page had when last fetched in full (a 304 keeps them)."""
        state = self._state(url)
        return json.loads(state["links"]) if state and state.get("links") else []

    def conditional_headers(self, url: str) -> dict[str, str]:
        """Asked once per URL and run, before this run fetches it: the last run's validators."""
        if not self.trusted:
            return {}
        state = self._state(url)
        if not state:
            return {}
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        return headers
