"""The demo portals, crawled by the real CLI (tests/conftest.py's demo_archive), published:
the seed article is found the way a journalist types and reads clean."""

from __future__ import annotations

import asyncio
import re

import pytest

from archive.serve import make_datasette

pytestmark = pytest.mark.slow


def test_crawled_seed_article_is_found_and_reads_clean(demo_archive) -> None:  # type: ignore[no-untyped-def]
    ds = make_datasette(demo_archive.db_path)

    def get(path: str, **params: str):  # type: ignore[no-untyped-def]
        return asyncio.run(ds.client.get(path, params=params))

    found = get("/archive/search.json", q="dang uy tay son", _shape="objects").json()["rows"]
    seed = next(r for r in found if r["title"].startswith("Đảng ủy phường Tây Sơn tổ chức"))
    assert "<mark>Đảng ủy</mark> phường <mark>Tây Sơn</mark>" in seed["snippet_html"]
    page = get(f"/archive/articles/{seed['id']}").text
    assert re.search(r'class="muni-author">\s*Hoàng Bình', page)
    body = page.split('<div class="muni-body">', 1)[1].split("</div>", 1)[0]
    for boilerplate in ("Trực tuyến", "Hôm nay", "Quanh cảnh hội nghị.", "Hoàng Bình"):
        assert boilerplate not in body
    assert "View archived copy" in page
    capture = get(f"/-/archived/{seed['id']}/raw")
    assert capture.status_code == 200
    assert capture.headers["content-security-policy"].startswith("sandbox;")
    assert "Trực tuyến" in capture.text, "the capture is the page as the portal served it"
