"""`muni demo`: the bundled demo portals, crawled into an archive and served, on one machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from archive.db import ArchiveDB
from crawler.cli.errors import handles_errors

__all__ = ["demo"]


@click.command()
@click.option("--dir", "folder", default="demo-archive", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the demo archive is written (replaced on each run).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int,
              help="Port of the Datasette that serves the archive.")
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Serve the archive with Datasette after crawling.")
@handles_errors
def demo(folder: Path, host: str, port: int, serve: bool) -> None:
    """Crawl the bundled demo portals (served on 127.0.0.1) and serve the archive.

    \b
    Examples:
      muni demo                         crawl, check, then serve at http://127.0.0.1:8001
      muni demo --no-serve --dir /tmp/demo
    """
    import shutil

    from crawler.demo.check import check_portal, write_portal_profile
    from crawler.demo.server import serve_portals

    if (folder / "archive.db").exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with serve_portals() as servers:
        profiles = {name: write_portal_profile(s.portal.root, s.base_url, folder / "profiles")
                    for name, s in servers.items()}
        click.echo("Demo portals:")
        for name, server in servers.items():
            click.echo(f"  {name:<14} {server.base_url}")
        args = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(folder),
                "--set", "DOWNLOAD_DELAY=0.05", "--set", "AUTOTHROTTLE_ENABLED=False",
                "--log-level", "WARNING"]
        for profile in profiles.values():
            args += ["--profile", str(profile)]
        click.echo(f"\nCrawling into {folder}/ …")
        crawl = subprocess.run(args, check=False)
        archive = ArchiveDB.open(folder, create=False)
        click.echo("\nWhat the archive holds, against each portal's reviewed expectations:")
        for name, server in servers.items():
            check = check_portal(archive, name, server.base_url,
                                 server.portal.root / "expected.json")
            click.echo("  " + check.line())
        archive.close()
    if crawl.returncode not in (0, 1):
        raise click.ClickException(f"the demo crawl failed (exit {crawl.returncode})")
    if not serve:
        return
    from archive.serve import serve as serve_archive

    click.echo(f"\nServing the archive at http://{host}:{port}/  (Ctrl-C to stop)")
    click.echo(f"  try: http://{host}:{port}/archive/search?q=dang+uy+tay+son  (no diacritics "
               "needed),\n  open the article and its archived copy, or browse "
               f"http://{host}:{port}/archive/articles by site and author.")
    serve_archive(folder / "archive.db", host=host, port=port)
