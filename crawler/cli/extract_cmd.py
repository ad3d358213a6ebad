"""`muni extract`: run the extraction on saved pages and print one JSON object per page.

The output is the contract of the evaluation sets (shared/eval/README.md) plus our provenance
fields, so the same command feeds the scorer and lets a person see why a date or author was
chosen."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from archive.errors import ExtractionError
from crawler.cli.errors import handles_errors
from pipelines.extract import Article
from pipelines.extract import extract as extract_page

__all__ = ["extract_command", "page_record"]


def _manifest_pages(manifest: Path) -> Iterator[tuple[str, Path, str | None]]:
    try:
        handle = manifest.open(encoding="utf-8")
    except OSError as exc:
        raise ExtractionError(f"cannot read manifest {manifest}: {exc.strerror}") from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                path = row["path"]
            except (ValueError, KeyError, TypeError) as exc:
                raise ExtractionError(f"{manifest}:{number}: not a manifest line with a 'path' "
                                      f"({exc})") from exc
            yield path, manifest.parent / path, row.get("url")


def page_record(shown_path: str, file: Path, url: str | None, timezone: str,
            language: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"path": shown_path, "url": url}
    try:
        data = file.read_bytes()
    except OSError as exc:
        return {**record, "title": None, "author": None, "published": None, "body": None,
                "language": None, "no_article": "unreadable", "detail": exc.strerror}
    result = extract_page(data, url, timezone=timezone, language=language)
    if isinstance(result, Article):
        fields = result.as_json()
        fields.pop("url", None)
        return {**record, "article_url": result.url, **fields}
    return {**record, "title": None, "author": None, "published": None, "body": None,
            "language": None, **result.as_json()}


def _emit(record: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


@click.command("extract")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--url", help="The URL the page was fetched from (for relative links, URL dates).")
@click.option("--manifest", type=click.Path(path_type=Path),
              help="A JSONL manifest ({'path', 'url'} per line, paths relative to it), "
                   "e.g. an eval gold.jsonl.")
@click.option("--timezone", default="Asia/Ho_Chi_Minh", show_default=True,
              help="Offset for times shown without one.")
@click.option("--language", help="Force the page language (default: detect).")
@handles_errors
def extract_command(files: tuple[Path, ...], url: str | None, manifest: Path | None,
                    timezone: str, language: str | None) -> None:
    """Extract articles from saved HTML pages; print one JSON object per page.

    Each line has path, url, title, author, published, body and language, plus where each
    value came from (title_source, published_raw, author_rule, …). A page that is not an
    article prints "no_article": REASON with body null; it never stops the run.

    \b
    Examples:
      muni extract page.html --url https://phuongtayson.example.vn/tin-tuc/hoi-nghi-123.html
      muni extract --manifest ../shared/eval/fundus/gold.jsonl > pred.jsonl
    """
    if not files and manifest is None:
        raise click.UsageError("give FILE.html … or --manifest GOLD.jsonl")
    out = sys.stdout
    for file in files:
        if not file.is_file():
            raise ExtractionError(f"no such file: {file}")
    for file in files:
        _emit(page_record(str(file), file, url, timezone, language), out)
    if manifest is not None:
        for shown, file, page_url in _manifest_pages(manifest):
            _emit(page_record(shown, file, page_url, timezone, language), out)


extract = extract_command  # the name crawler/cli/commands.py registers
