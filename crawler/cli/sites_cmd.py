"""`muni sites`: list and check site profiles."""

from __future__ import annotations

from pathlib import Path

import click

from archive.errors import ConfigError
from crawler.cli.errors import handles_errors
from crawler.profiles import SITES_DIR, load_profile, load_profiles

__all__ = ["sites"]


@click.group(invoke_without_command=True)
@click.pass_context
@handles_errors
def sites(ctx: click.Context) -> None:
    """List the site profiles in crawler/sites/ (id, CMS family, place, base URL).

    \b
    Examples:
      muni sites
      muni sites check
      muni sites check my-profiles/*.toml
    """
    if ctx.invoked_subcommand is not None:
        return
    profiles = load_profiles()
    if not profiles:
        click.echo(f"No site profiles in {SITES_DIR}. See {SITES_DIR / 'README.md'}.")
        return
    for profile in sorted(profiles.values(), key=lambda p: p.id):
        place = ", ".join(x for x in (profile.ward, profile.city, profile.province) if x)
        click.echo(f"{profile.id:<24} {profile.cms or '-':<11} {place or '-':<40} "
                   f"{profile.base_url}")


@sites.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@handles_errors
def check(files: tuple[Path, ...]) -> None:
    """Validate profiles; each error names the file and the key.

    \b
    Examples:
      muni sites check                       every profile in crawler/sites/
      muni sites check new-ward.toml
    """
    paths = list(files) or sorted(SITES_DIR.glob("*.toml"))
    errors: list[str] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            profile = load_profile(path)
        except ConfigError as exc:
            errors.append(str(exc))
            continue
        if profile.id in seen:
            errors.append(f"{path}: key 'id': {profile.id!r} is already used by {seen[profile.id]}")
        seen[profile.id] = path
    for error in errors:
        click.echo(error, err=True)
    if errors:
        raise ConfigError(f"{len(errors)} of {len(paths)} profile(s) have errors")
    click.echo(f"{len(paths)} profile(s) OK")
