"""`muni export`: the archive's articles as JSON lines or CSV, for other tools."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from archive.db import ArchiveDB
from crawler.cli.errors import handles_errors

__all__ = ["export"]

DEFAULT_COLUMNS = ("url", "site", "title", "author", "published", "body", "language",
                   "first_seen", "last_seen", "status", "version", "published_source",
                   "author_source", "news_source")


@click.command()
@click.option("--db", default="archive", show_default=True, metavar="PATH",
              help="Archive folder (or .db file) to read.")
@click.option("--site", "sites", multiple=True, metavar="SITE_ID", help="Only these sites.")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE "
              "(YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--all-columns", is_flag=True, help="Every column, provenance included.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
@handles_errors
def export(db: str, sites: tuple[str, ...], since: str | None, fmt: str, all_columns: bool,
           output: Path | None) -> None:
    """Export articles, newest first, as JSON lines (default) or CSV.

    \b
    Examples:
      muni export --db archive > articles.jsonl
      muni export --db archive --site tayson --since 2024-01-01 --format csv -o tayson.csv
    """
    archive = ArchiveDB.open(db, create=False)
    where: list[str] = ["1 = 1"]
    params: list[str] = []
    if sites:
        where.append(f"site IN ({', '.join('?' for _ in sites)})")
        params.extend(sites)
    if since:
        where.append("published >= ?")
        params.append(since)
    columns = "*" if all_columns else ", ".join(DEFAULT_COLUMNS)
    cursor = archive.db.execute(
        f"SELECT {columns} FROM articles WHERE {' AND '.join(where)} "
        "ORDER BY published IS NULL, published DESC, id DESC", params)
    names = [d[0] for d in cursor.description]
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "csv":
            writer = csv.writer(stream)
            writer.writerow(names)
            writer.writerows(cursor)
        else:
            for row in cursor:
                record: dict[str, Any] = dict(zip(names, row, strict=True))
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if output:
            stream.close()
        archive.close()
