"""The list of subcommands. Each lives in its own module: add yours here."""

from __future__ import annotations

import importlib

import click

# module name → attribute holding the click command.
_COMMANDS = {
    "crawler.cli.crawl_cmd": "crawl",
    "crawler.cli.sites_cmd": "sites",
    "crawler.cli.extract_cmd": "extract",
    "crawler.cli.reextract_cmd": "reextract",
    "crawler.cli.serve_cmd": "serve",
    "crawler.cli.demo_cmd": "demo",
    "crawler.cli.export_cmd": "export",
}

ALL: list[click.Command] = [getattr(importlib.import_module(module), attribute)
                            for module, attribute in _COMMANDS.items()]
