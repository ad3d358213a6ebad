"""robots.txt is obeyed with no gaps: not while it is still downloading, not when it fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.demo.server import PortalServer
from tests.conftest import FAST, run_muni

ARTICLE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{title}</title></head><body><h1>{title}</h1>
<p>Ngày đăng: 09/01/2024 08:30</p>
<p>Sáng ngày 09/01/2024, Ủy ban nhân dân phường tổ chức hội nghị triển khai nhiệm vụ năm 2024
với sự tham gia của đông đảo cán bộ, công chức và đại diện các tổ dân phố trên địa bàn.</p>
<p>Tại hội nghị, các đại biểu đã thảo luận nhiều giải pháp nhằm nâng cao chất lượng phục vụ
người dân, đẩy mạnh cải cách hành chính và chuyển đổi số trong năm mới.</p>
<p>Hội nghị cũng đã khen thưởng các tập thể và cá nhân có thành tích xuất sắc năm 2023.</p>
</body></html>"""

PRIVATE = [f"/private/bai-{n}.html" for n in range(1, 7)]


def make_portal(root: Path, robots_status: int = 200) -> Path:
    site = root / "site"
    (site / "private").mkdir(parents=True)
    (site / "tin-tuc").mkdir()
    links = "".join(f'<a href="{p}">Bài {p}</a> ' for p in PRIVATE)
    (site / "index.html").write_text(
        f'<html><body><a href="/tin-tuc/bai-mo.html">Bài mở</a> {links}</body></html>',
        encoding="utf-8")
    (site / "tin-tuc" / "bai-mo.html").write_text(ARTICLE.format(title="Bài công khai"),
                                                  encoding="utf-8")
    for path in PRIVATE:
        (site / path.lstrip("/")).write_text(ARTICLE.format(title="Bài riêng"), encoding="utf-8")
    routes: list[dict[str, object]] = []
    if robots_status == 200:
        (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    else:
        routes.append({"url": "/robots.txt", "status": robots_status})
    (root / "routes.json").write_text(json.dumps({"routes": routes}), encoding="utf-8")
    return root


def write_profile(folder: Path, server: PortalServer, start_urls: list[str]) -> Path:
    profile = folder / "robots-test.toml"
    starts = ", ".join(f'"{u}"' for u in start_urls)
    profile.write_text(
        f'id = "robots-test"\nname = "Robots test"\nbase_url = "{server.base_url}"\n'
        f"start_urls = [{starts}]\n[discovery]\nsitemaps = false\n", encoding="utf-8")
    return profile


def test_requests_queued_while_robots_txt_downloads_are_still_checked(tmp_path: Path) -> None:
    # Scrapy 2.14–2.19 lets every request that waited for robots.txt through, except the first.
    # Starting with many disallowed URLs while robots.txt takes a second makes them all wait.
    portal = make_portal(tmp_path / "portal")
    with PortalServer(portal, slow_paths={"/robots.txt": 1.0}) as server:
        profile = write_profile(tmp_path, server, [*PRIVATE, "/"])
        run = run_muni("crawl", "--profile", profile, "--db", tmp_path / "archive", *FAST,
                       "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
        requested = server.requested_paths()
    assert run.returncode == 0, run.output[-3000:]
    assert "/tin-tuc/bai-mo.html" in requested  # the crawl did run
    fetched_private = [p for p in requested if p.startswith("/private/")]
    assert fetched_private == [], f"robots.txt bypassed for {fetched_private}"


@pytest.mark.parametrize("status", [500, 503])
def test_robots_txt_server_error_means_disallow_all(tmp_path: Path, status: int) -> None:
    # RFC 9309 §2.3.1.4: an unreachable robots.txt means the whole site is disallowed.
    portal = make_portal(tmp_path / "portal", robots_status=status)
    with PortalServer(portal) as server:
        profile = write_profile(tmp_path, server, ["/"])
        run = run_muni("crawl", "--profile", profile, "--db", tmp_path / "archive", *FAST,
                       "--set", "RETRY_TIMES=0")
        requested = server.requested_paths()
    assert [p for p in requested if p != "/robots.txt"] == []
    assert run.returncode == 5, run.output[-3000:]  # every site failed: nothing was allowed


def test_robots_txt_missing_means_allow_all(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal", robots_status=404)
    with PortalServer(portal) as server:
        profile = write_profile(tmp_path, server, ["/"])
        run = run_muni("crawl", "--profile", profile, "--db", tmp_path / "archive", *FAST)
        requested = server.requested_paths()
    assert run.returncode == 0, run.output[-3000:]
    assert set(PRIVATE) <= set(requested)
