"""`muni`: one command for people and cron. Each subcommand lives in its own module beside this
one; this module only assembles them and turns MuniError into a message and an exit code."""

from __future__ import annotations

import click

from crawler.cli.exit_codes import ExitCode

__all__ = ["ExitCode", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="muni-archive")
def cli() -> None:
    """Crawl municipal news sites into a permanent, searchable archive.

    \b
    Start here:
      muni demo                      crawl the bundled demo portals and serve them
      muni crawl --url https://ward.example.vn/ --db archive.db
      muni serve --db archive.db     browse and search at http://127.0.0.1:8001
    """


def _register() -> None:
    # Imported here so that `muni --help` stays fast and a broken optional module names itself.
    from crawler.cli import commands

    for command in commands.ALL:
        cli.add_command(command)


_register()
