"""`muni crawl`: crawl sites into an archive."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from archive.errors import ConfigError
from crawler.cli.errors import handles_errors
from crawler.profiles import SiteProfile, adhoc_profile, load_profile, load_profiles

__all__ = ["crawl"]


def _parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--set {value!r}: expected NAME=VALUE, e.g. --set DOWNLOAD_DELAY=2")
        overrides[name.strip()] = setting
    return overrides


def choose_profiles(site_ids: tuple[str, ...], crawl_all: bool, urls: tuple[str, ...],
                    timezone: str | None, profile_files: tuple[Path, ...] = ()
                    ) -> list[SiteProfile]:
    chosen: list[SiteProfile] = [adhoc_profile(u, timezone=timezone) for u in urls]
    chosen.extend(load_profile(path) for path in profile_files)
    if site_ids or crawl_all:
        known = load_profiles()
        if crawl_all:
            chosen.extend(known.values())
        for site_id in site_ids:
            if site_id not in known:
                raise ConfigError(f"no site profile {site_id!r}; `muni sites` lists the known "
                                  "ones, `muni crawl --url URL` crawls a site without one")
            chosen.append(known[site_id])
    if not chosen:
        raise ConfigError("nothing to crawl: name SITE_IDs, --all, --profile FILE or --url URL")
    return list({p.id: p for p in chosen}.values())


@click.command()
@click.argument("site_ids", nargs=-1)
@click.option("--all", "crawl_all", is_flag=True, help="Crawl every profile in crawler/sites/.")
@click.option("--url", "urls", multiple=True, metavar="URL",
              help="Crawl a site that has no profile, starting at URL (repeatable).")
@click.option("--profile", "profile_files", multiple=True, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Crawl the site a profile file describes (repeatable).")
@click.option("--db", default="archive", show_default=True, metavar="PATH",
              help="Archive folder (or .db file) to write.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting for this run, as `scrapy -s` does (repeatable).")
@click.option("--timezone", default=None, metavar="TZ",
              help="Time zone of --url sites' local times (default: from the domain, else UTC).")
@click.option("--fail-on-drift", is_flag=True,
              help="Exit 6 when a site's fill rates or article yield fell sharply against "
                   "its recent runs (a broken template).")
@click.option("--log-level", default=None,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="Scrapy log level (default INFO).")
@handles_errors
def crawl(site_ids: tuple[str, ...], crawl_all: bool, urls: tuple[str, ...],
          profile_files: tuple[Path, ...], db: str,
          sets: tuple[str, ...], timezone: str | None, fail_on_drift: bool,
          log_level: str | None) -> None:
    """Crawl municipal news sites into the archive at --db.

    \b
    Examples:
      muni crawl --url https://ward.example.vn/ --db archive.db
      muni crawl tayson phuocvinh --db /srv/muni/archive
      muni crawl --profile my-ward.toml --db archive
      muni crawl --all --db /srv/muni/archive --set DOWNLOAD_DELAY=2

    Exit codes: 0 success, 1 some sites failed, 3 bad configuration, 4 archive locked by
    another crawl, 5 every site failed, 6 drift (with --fail-on-drift).
    """
    from crawler.run import run_crawl  # Scrapy's import cost only when crawling

    profiles = choose_profiles(site_ids, crawl_all, urls, timezone, profile_files)
    result = run_crawl(profiles, db, overrides=_parse_sets(sets),
                       log_level=log_level.upper() if log_level else None,
                       command=shlex.join(["muni", *sys.argv[1:]]))
    echo = click.echo
    echo(f"\nCrawl {result.crawl_id} into {result.db_path}: {result.finish_reason}")
    echo(f"{'site':<24} {'pages':>6} {'articles':>9} {'new':>5} {'updated':>8} "
         f"{'unchanged':>10} {'not article':>12} {'failed':>7}")
    for s in result.sites:
        echo(f"{s.site:<24} {s.pages:>6} {s.articles:>9} {s.new:>5} {s.updated:>8} "
             f"{s.unchanged:>10} {s.not_articles:>12} {s.failed_requests:>7}"
             + ("  FAILED" if s.failed else ""))
    reasons = {k.rsplit("/", 1)[-1]: v for k, v in result.stats.items()
               if k.startswith("muni/extract/no_article/")}
    if reasons:
        echo("not articles, by reason: " + ", ".join(
            f"{reason} {count}" for reason, count in sorted(reasons.items())))
    failures = {k.removeprefix("muni/failed/"): v for k, v in result.stats.items()
                if k.startswith("muni/failed/")}
    if failures:
        echo("failed requests, by reason: " + ", ".join(
            f"{reason} {count}" for reason, count in sorted(failures.items())))
    for site, alarms in result.drift.items():
        for alarm in alarms:
            echo(f"DRIFT {site}: {alarm}")
    sys.exit(int(result.exit_code(fail_on_drift=fail_on_drift)))
