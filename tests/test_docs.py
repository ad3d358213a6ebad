"""Every command is documented: --help with an example, and a mention in the README."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.conftest import REPO


def commands(group: click.Group = cli, prefix: str = "muni") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")


ALL = list(commands())


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_help_has_an_example(name: str, command: click.Command) -> None:
    words = name.split()[1:]
    result = CliRunner().invoke(cli, [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`{name} --help` shows no example"
    assert name in result.output or f"muni {words[-1]}" in result.output


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_readme_mentions_command(name: str, command: click.Command) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`{name}" in readme, f"README.md does not document `{name}`"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = readme.index("make demo")
    assert first < readme.index("make test") < first + 400
