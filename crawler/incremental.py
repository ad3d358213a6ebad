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

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from archive.db import ArchiveDB
from pipelines.links import link_set_hash

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


def _as_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _young(when: float | None, recheck_days: int, now: datetime) -> bool:
    """Dated no longer than ``recheck_days`` ago (an article with no date never is)."""
    return when is not None and \
        now.timestamp() - when <= timedelta(days=recheck_days).total_seconds()


def _when(published: str | None, first_seen: str | None) -> float | None:
    """An article's age reference as a POSIX timestamp: published, else first seen."""
    moment = _as_datetime(published) or _as_datetime(first_seen)
    return None if moment is None else moment.timestamp()


@dataclass
class SiteMemory:
    site: str
    # hash() of each URL of the site's articles → _when() of its article. Held as URLs and
    # dicts of dates these were ~570 bytes an article (~57 MB for 100,000); due_articles()
    # reads the URLs from the archive again, once a run.
    known_articles: dict[int, float | None] = field(default_factory=dict)
    # hash() of every URL earlier runs fetched, as the run started. A URL's validators and
    # links are read from the archive when asked: held in memory, the links of a
    # 100,000-page site (~45 URLs a page) were ~500 MB of a nightly run's process.
    # (Two URLs of a site share a 64-bit hash with a probability of ~1e-10 at 100,000.)
    fetched: set[int] = field(default_factory=set)
    trusted: bool = False  # the previous crawl of the site finished
    archive: ArchiveDB | None = field(default=None, repr=False)

    @classmethod
    def load(cls, archive: ArchiveDB, site: str) -> SiteMemory:
        last = archive.last_run_of_site(site)
        known = {hash(url): _when(published, first_seen)
                 for url, published, first_seen, _, _ in archive.known_article_rows(site)}
        return cls(site=site, known_articles=known,
                   fetched={hash(url) for url in archive.fetched_urls(site)},
                   trusted=bool(last and last["status"] == "finished"), archive=archive)

    def _state(self, url: str) -> dict[str, Any] | None:
        if hash(url) not in self.fetched or self.archive is None:
            return None
        return self.archive.fetch_state(url)

    def is_known_article(self, url: str) -> bool:
        return hash(url) in self.known_articles

    def due_for_recheck(self, url: str, recheck_days: int, now: datetime | None = None) -> bool:
        key = hash(url)
        if key not in self.known_articles:
            return True
        return _young(self.known_articles[key], recheck_days, now or datetime.now(UTC))

    def due_articles(self, recheck_days: int) -> list[str]:
        """Canonical URLs of live articles young enough to be fetched again."""
        if self.archive is None:
            return []
        now = datetime.now(UTC)
        return [url for url, published, first_seen, status, canonical
                in self.archive.known_article_rows(self.site)
                if canonical and status == "live"
                and _young(_when(published, first_seen), recheck_days, now)]

    def is_new(self, url: str) -> bool:
        key = hash(url)
        return key not in self.known_articles and key not in self.fetched

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
