"""A site never seen before, with no profile: `muni crawl --url` and `scrapy crawl` find its
articles through whatever it offers, and archive only articles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive.db import ArchiveDB
from crawler.demo.check import check_portal
from crawler.demo.server import PortalServer
from tests.conftest import FAST, REPO, run_muni


@pytest.mark.parametrize("portal", ["tayson"])
def test_muni_crawl_url_without_profile(portals: dict[str, PortalServer], tmp_path: Path,
                                        portal: str) -> None:
    server = portals[portal]
    run = run_muni("crawl", "--url", server.base_url, "--db", tmp_path / "archive.db", *FAST)
    assert run.returncode == 0, run.output[-3000:]
    archive = ArchiveDB.open(tmp_path / "archive.db", create=False)
    site = archive.articles()[0]["site"]
    check = check_portal(archive, site, server.base_url, server.portal.root / "expected.json")
    assert check.missing == []
    assert check.unexpected == []
    assert (tmp_path / "warc").is_dir()


def test_scrapy_crawl_keeps_working(portals: dict[str, PortalServer], tmp_path: Path) -> None:
    server = next(iter(portals.values()))
    scrapy = Path(sys.executable).with_name("scrapy")
    run = subprocess.run(
        [str(scrapy), "crawl", "muni", "-a", f"url={server.base_url}",
         "-s", f"MUNI_DB={tmp_path / 'arch'}", "-s", "DOWNLOAD_DELAY=0",
         "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    archive = ArchiveDB.open(tmp_path / "arch", create=False)
    assert len(archive.articles()) >= 3
    assert next(iter(archive.db["crawls"].rows))["status"] == "finished"
