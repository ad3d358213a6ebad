"""Exit codes cron can act on: computed from what happened, not Scrapy's always-0."""

from __future__ import annotations

import socket
from pathlib import Path

from crawler.demo.check import write_portal_profile
from crawler.demo.server import PortalServer
from tests.conftest import FAST, run_muni


def dead_base_url() -> str:
    """An address where nothing listens (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_some_sites_failed_is_exit_1(portals: dict[str, PortalServer], tmp_path: Path) -> None:
    good = write_portal_profile(portals["tayson"].portal.root, portals["tayson"].base_url,
                                tmp_path / "good")
    dead = tmp_path / "dead.toml"
    dead.write_text(f'id = "dead"\nname = "Gone ward"\nbase_url = "{dead_base_url()}"\n',
                    encoding="utf-8")
    run = run_muni("crawl", "--profile", good, "--profile", dead, "--db", tmp_path / "a",
                   *FAST, "--set", "RETRY_TIMES=0")
    assert run.returncode == 1, run.output[-2000:]
    assert "FAILED" in run.stdout and "dead" in run.stdout


def test_every_site_failed_is_exit_5(tmp_path: Path) -> None:
    run = run_muni("crawl", "--url", dead_base_url(), "--db", tmp_path / "a", *FAST,
                   "--set", "RETRY_TIMES=0")
    assert run.returncode == 5, run.output[-2000:]


def test_bad_configuration_is_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nname = "X"\nbase_url = "not a url"\n', encoding="utf-8")
    run = run_muni("crawl", "--profile", bad, "--db", tmp_path / "a")
    assert run.returncode == 3
    assert f"{bad}: key 'base_url'" in run.stderr
    assert run_muni("crawl", "no-such-site", "--db", tmp_path / "a").returncode == 3
    assert run_muni("crawl", "--url", "x", "--set", "NOEQUALS",
                    "--db", tmp_path / "a").returncode == 3
    for setting in ("MUNI_WARC_GZIP_LEVEL=fast", "MUNI_WARC_GZIP_LEVEL=12",
                    "MUNI_EXTRACT_WORKERS=-1", "MUNI_EXTRACT_TIMEOUT=soon"):
        run = run_muni("crawl", "--url", "http://127.0.0.1:9/", "--set", setting,
                       "--db", tmp_path / "a")
        assert run.returncode == 3, (setting, run.output[-1000:])
        assert setting.split("=")[0] in run.stderr
    assert not (tmp_path / "a" / "archive.db").exists()  # nothing half-written
