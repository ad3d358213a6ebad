"""`muni reextract`: run the current extraction rules over the archive's stored captures."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from archive.db import ArchiveDB
from archive.errors import ConfigError, MuniError
from crawler.cli.errors import handles_errors
from crawler.cli.exit_codes import ExitCode
from crawler.profiles import SiteProfile, load_profile, load_profiles

if TYPE_CHECKING:  # imported when running: pipelines load Scrapy, too slow for `muni --help`
    from pipelines.reextract import SiteExtraction

__all__ = ["reextract"]


def _since(value: str | None) -> str | None:
    """A date or datetime as the ISO text the archive stores (UTC), for comparing."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat(timespec="seconds")
    except ValueError as exc:
        raise ConfigError(f"--since {value!r}: expected a date such as 2025-07-01") from exc


def site_settings(archive: ArchiveDB) -> dict[str, SiteExtraction]:
    """Each archived site's extraction settings: from its profile when one is known (the
    bundled profiles by id, or the file the site was crawled with), else the site row's own
    time zone and language, as an ad-hoc `--url` crawl had them."""
    from pipelines.reextract import SiteExtraction

    known = load_profiles()
    settings: dict[str, SiteExtraction] = {}
    for row in archive.db["sites"].rows:
        profile: SiteProfile | None = known.get(row["id"])
        source = row.get("profile")
        if profile is None and source and Path(source).is_file():
            try:
                profile = load_profile(Path(source))
            except MuniError:
                profile = None
        if profile is not None:
            settings[row["id"]] = SiteExtraction(dict(profile.extraction), profile.timezone,
                                                 profile.language)
        else:
            settings[row["id"]] = SiteExtraction(None, row.get("timezone") or "UTC",
                                                 row.get("language"))
    return settings


@click.command()
@click.option("--db", required=True, metavar="PATH",
              help="Archive folder (or .db file) to re-extract.")
@click.option("--site", "sites", multiple=True, metavar="ID",
              help="Only this site's articles (repeatable).")
@click.option("--since", metavar="DATE",
              help="Only articles a crawl saw on or after DATE (YYYY-MM-DD, UTC).")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: one per core; 0 = in this process).")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=60.0, show_default=True,
              help="Seconds one page may take before it is given up.")
@click.option("--all-captures", is_flag=True,
              help="Also classify again every other page the crawls fetched: pages the "
                   "current rules take for articles become new articles.")
@click.option("--quiet", is_flag=True, help="No progress line, only the summary.")
@handles_errors
def reextract(db: str, sites: tuple[str, ...], since: str | None, workers: int | None,
              timeout: float, all_captures: bool, quiet: bool) -> None:
    """Re-run extraction over the pages the archive already keeps, without re-crawling.

    Every article points to its raw capture in the archive's WARC files. When the extraction
    rules improve, this brings the whole archive up to them: articles whose text changed get
    a new version, other changed fields are corrected, the rest are left untouched. Progress
    goes to stderr, the summary to stdout.

    \b
    Examples:
      muni reextract --db /srv/muni/archive
      muni reextract --db archive --site tayson --since 2025-07-01
      muni reextract --db archive --workers 4
      muni reextract --db archive --all-captures

    Exit codes: 0 done, 1 some captures could not be read or extracted, 3 bad option,
    4 a crawl is writing this archive.
    """
    from pipelines.reextract import ReextractProgress
    from pipelines.reextract import reextract as run_reextract

    archive = ArchiveDB.open(db, create=False)
    try:
        known_sites = {row["id"] for row in archive.db["sites"].rows}
        unknown = sorted(set(sites) - known_sites)
        if unknown:
            raise ConfigError(f"--site {', '.join(unknown)}: not in this archive; it has "
                              f"{', '.join(sorted(known_sites)) or 'no sites yet'}")

        # On a terminal one line rewritten in place; in a log (cron) a line now and then.
        live = sys.stderr.isatty()
        start = "\r" if live else ""

        def show(state: ReextractProgress) -> None:
            if quiet:
                return
            click.echo(f"{start}reextract: {state.done}/{state.total} articles, "
                       f"{state.rate:.1f}/s, {state.updated} updated, "
                       f"{state.refreshed} refreshed, {state.errors} errors",
                       err=True, nl=not live)

        site_urls = {row["id"]: row["base_url"] for row in archive.db["sites"].rows
                     if row.get("base_url")}
        state = run_reextract(archive, site_settings=site_settings(archive),
                              sites=sites, seen_since=_since(since), workers=workers,
                              timeout=timeout, all_captures=all_captures, site_urls=site_urls,
                              progress=show,
                              progress_every=1.0 if live else 10.0)
    finally:
        archive.close()
    if live and not quiet:
        click.echo("", err=True)
    echo = click.echo
    echo(f"Re-extracted {state.done} articles of {archive.path} in {state.elapsed:.1f} s "
         f"({state.rate:.1f}/s, {state.cpu_seconds:.1f} s of extraction CPU)")
    for label, count in (("updated (text changed, new version)", state.updated),
                         ("refreshed (other fields corrected)", state.refreshed),
                         ("unchanged", state.unchanged),
                         ("no longer an article (kept)", state.not_article),
                         ("errors (kept)", state.errors),
                         ("without a stored capture", state.no_capture)):
        echo(f"  {count:>8}  {label}")
    if all_captures:
        echo(f"  {state.captures:>8}  other pages classified again, of which "
             f"{state.found} are new articles")
    for kind, urls in state.samples.items():
        if kind in ("updated", "not_article", "errors", "no_capture", "found"):
            echo(f"{kind}:")
            for url in urls:
                echo(f"  {url}")
    sys.exit(int(ExitCode.SOME_SITES_FAILED if state.errors else ExitCode.OK))
