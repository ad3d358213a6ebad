"""`muni serve`: publish an archive with Datasette, read-only."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.errors import handles_errors

__all__ = ["serve"]


def _what_to_try(url: str) -> str:
    return "\n".join([
        f"Serving the archive at {url}",
        "Try:",
        f"  {url}archive/articles                    newest articles, facets by site and author",
        f"  {url}archive/articles?_search=dang+uy    search, with or without diacritics",
        f"  {url}-/search?q=tay+son                  search every searchable table",
        "Press Ctrl+C to stop.",
    ])


@click.command()
@click.option("--db", "db_path", default="archive", show_default=True, metavar="PATH",
              help="Archive folder (or .db file) to publish.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to publish beyond this machine).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one and prints it).")
@click.option("--enable-sql", is_flag=True,
              help="Allow arbitrary read-only SQL queries (off by default for public archives).")
@handles_errors
def serve(db_path: str, host: str, port: int, enable_sql: bool) -> None:
    """Publish the archive at --db with Datasette: browse, search, facets, article pages.

    Read-only: nothing can be written through the web, and arbitrary SQL is refused unless
    --enable-sql is given.

    \b
    Examples:
      muni serve --db archive.db
      muni serve --db /srv/muni/archive --host 0.0.0.0 --port 8080
    """
    from archive.serve import serve as run_server  # Datasette's import cost only when serving

    def announce(url: str) -> None:
        click.echo(_what_to_try(url))

    run_server(Path(db_path), host=host, port=port, enable_sql=enable_sql, on_ready=announce)
