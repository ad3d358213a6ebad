"""The list of subcommands. Each lives in its own module: add yours here."""

from __future__ import annotations

import importlib

import click

# module name → attribute holding the click command. A module that does not exist yet is
# skipped, so the CLI works while commands are being built.
_COMMANDS = {
    "crawler.cli.crawl_cmd": "crawl",
    "crawler.cli.sites_cmd": "sites",
    "crawler.cli.extract_cmd": "extract",
    "crawler.cli.serve_cmd": "serve",
    "crawler.cli.demo_cmd": "demo",
    "crawler.cli.reextract_cmd": "reextract",
}


def _load() -> list[click.Command]:
    commands = []
    for module_name, attribute in _COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        commands.append(getattr(module, attribute))
    return commands


ALL: list[click.Command] = _load()
