"""Shared fixtures: the demo portals served on 127.0.0.1, and the `muni` CLI run for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.demo.check import write_portal_profile
from crawler.demo.server import PortalServer, serve_portals

REPO = Path(__file__).resolve().parent.parent


@dataclass
class MuniRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_muni(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 300,
             check: bool = False) -> MuniRun:
    """Run the real `muni` command in a fresh process (each crawl needs its own reactor)."""
    completed = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *map(str, args)],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=False)
    run = MuniRun(completed.returncode, completed.stdout, completed.stderr)
    if check and run.returncode != 0:
        raise AssertionError(f"muni {' '.join(map(str, args))} exited {run.returncode}:\n"
                             f"{run.output[-4000:]}")
    return run


# Fast but still polite in shape: one request per host at a time.
FAST = ("--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1")


@pytest.fixture(scope="session")
def portals() -> Iterator[dict[str, PortalServer]]:
    with serve_portals() as servers:
        yield servers


@dataclass
class CrawledArchive:
    folder: Path
    db_path: Path
    run: MuniRun
    portals: dict[str, PortalServer]

    def expected(self, name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (self.portals[name].portal.root / "expected.json").read_text(encoding="utf-8"))
        return data


@pytest.fixture(scope="session")
def demo_archive(portals: dict[str, PortalServer],
                 tmp_path_factory: pytest.TempPathFactory) -> CrawledArchive:
    """Every demo portal crawled once, over HTTP, by the real CLI, into one archive."""
    folder = tmp_path_factory.mktemp("demo-archive")
    profiles = [write_portal_profile(p.portal.root, p.base_url, folder / "profiles")
                for p in portals.values()]
    args: list[str] = ["crawl", "--db", str(folder), *FAST]
    for profile in profiles:
        args += ["--profile", str(profile)]
    run = run_muni(*args, check=True)
    return CrawledArchive(folder, folder / "archive.db", run, portals)
