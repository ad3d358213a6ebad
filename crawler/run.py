"""Run one crawl of one or many sites into an archive, and judge how it went.

Scrapy exits 0 whatever happened (scrapy#1231), so the outcome is computed here from the stats:
a site that answered no page at all failed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from archive.errors import ConfigError
from crawler.cli.exit_codes import ExitCode
from crawler.profiles import SiteProfile
from crawler.spiders.municipal import MunicipalSpider
from pipelines.session import ArchiveSession

__all__ = ["CrawlResult", "SiteSummary", "crawl_settings", "run_crawl"]


@dataclass(frozen=True)
class SiteSummary:
    site: str
    pages: int
    articles: int
    new: int
    updated: int
    unchanged: int
    duplicate: int
    not_articles: int
    failed_requests: int
    not_modified: int = 0

    @property
    def failed(self) -> bool:
        """Nothing at all answered: not one page, not even a 304 Not Modified."""
        return self.pages == 0 and self.not_modified == 0


@dataclass
class CrawlResult:
    crawl_id: int
    db_path: str
    finish_reason: str
    stats: dict[str, Any]
    sites: list[SiteSummary] = field(default_factory=list)
    drift: dict[str, list[str]] = field(default_factory=dict)

    def exit_code(self, *, fail_on_drift: bool = False) -> ExitCode:
        failed = [s for s in self.sites if s.failed]
        if self.sites and len(failed) == len(self.sites):
            return ExitCode.ALL_SITES_FAILED
        if failed or self.finish_reason != "finished":
            return ExitCode.SOME_SITES_FAILED
        if fail_on_drift and self.drift:
            return ExitCode.DRIFT
        return ExitCode.OK


def crawl_settings(db: str, overrides: Mapping[str, str] | None = None,
                   log_level: str | None = None) -> Settings:
    settings = get_project_settings()
    if not settings.get("BOT_NAME") or "crawler.spiders" not in settings.getlist("SPIDER_MODULES"):
        settings.setmodule("crawler.settings", priority="project")
    settings.set("MUNI_DB", db, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    if log_level:
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
    _check_numbers(settings)
    if "USER_AGENT" not in (overrides or {}):
        # Honest and reachable: whoever runs the crawl says where to contact them.
        settings.set("USER_AGENT", user_agent(settings.get("MUNI_CONTACT_URL")),
                     priority="cmdline")
    return settings


# Our own numeric settings → (smallest, largest) allowed. Checked before anything starts, so a
# typo is a configuration error (exit 3) with nothing written, not a crawl that fails mid-start.
_NUMBERS: dict[str, tuple[float, float]] = {
    "MUNI_WARC_GZIP_LEVEL": (0, 9),
    "MUNI_EXTRACT_WORKERS": (0, 1024),
    "MUNI_EXTRACT_TIMEOUT": (0.001, float("inf")),
}


def _check_numbers(settings: Settings) -> None:
    for name, (low, high) in _NUMBERS.items():
        value = settings.get(name)
        if value in (None, ""):
            continue
        whole = name != "MUNI_EXTRACT_TIMEOUT"
        try:
            number = int(value) if whole else float(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high:
            kind = "a whole number" if whole else "a number"
            upper = "" if high == float("inf") else f" to {high:g}"
            raise ConfigError(f"{name} must be {kind} from {low:g}{upper}, not {value!r}")


def user_agent(contact_url: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("muni-archive")
    except PackageNotFoundError:
        ours = "dev"
    return f"muni-archive/{ours} (+{contact_url}; municipal news archiving)"


def _summaries(stats: Mapping[str, Any], profiles: Sequence[SiteProfile]) -> list[SiteSummary]:
    def get(site: str, key: str) -> int:
        return int(stats.get(f"muni/site/{site}/{key}", 0) or 0)

    return [SiteSummary(
        site=p.id, pages=get(p.id, "responses"), articles=get(p.id, "articles"),
        new=get(p.id, "new"), updated=get(p.id, "updated"), unchanged=get(p.id, "unchanged"),
        duplicate=get(p.id, "duplicate"), not_articles=get(p.id, "no_article"),
        failed_requests=get(p.id, "failed_requests"),
        not_modified=get(p.id, "not_modified")) for p in profiles]


def run_crawl(profiles: Sequence[SiteProfile], db: str, *,
              overrides: Mapping[str, str] | None = None,
              log_level: str | None = None, command: str | None = None) -> CrawlResult:
    settings = crawl_settings(db, overrides, log_level)
    if command:
        settings.set("MUNI_COMMAND", command, priority="cmdline")
    process = CrawlerProcess(settings)
    # Scrapy leaves the root logger at NOTSET and filters in its handler, so each of its
    # debug lines ("Crawled (200) …", "Scraped from …": several a page) was made into a record
    # and then dropped. At the handler's level, a logger that would say nothing stops at once.
    logging.getLogger().setLevel(settings.get("LOG_LEVEL") or logging.DEBUG)
    crawler = process.create_crawler(MunicipalSpider)
    session = ArchiveSession.attach(crawler)
    process.crawl(crawler, profiles=list(profiles))
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    reason = str(stats.get("finish_reason", "unknown"))
    logging.getLogger(__name__).debug("crawl %d finished: %s", session.crawl_id, reason)
    return CrawlResult(crawl_id=session.crawl_id, db_path=str(session.db_path),
                       finish_reason=reason, stats=stats, sites=_summaries(stats, profiles),
                       drift=session.drift)
