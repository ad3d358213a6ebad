"""benchmarks/scrapy_floor.py: Scrapy alone fetching the pages `muni crawl` fetches.

Its CPU per page is the floor under the crawl in benchmarks/throughput.py, and the ceilings the
benchmark prints come from it: it must fetch the same pages (no fewer, which would flatter
Scrapy; no more), over real HTTP, every one answered.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse

from crawler.discovery import page_links

REPO = Path(__file__).resolve().parent.parent
sys.path.append(str(REPO / "benchmarks"))  # after the packages: benchmarks/incremental.py
from synthetic_portal import Portal  # noqa: E402
from throughput import Measure, ceilings  # noqa: E402

from pipelines.parallel import default_workers  # noqa: E402

BASE = "http://127.0.0.1:8100"


def pages_a_crawl_reaches(portal: Portal) -> set[str]:
    """Every HTML page reached by following links from the home page, as a crawl does."""
    seen, todo = {"/"}, ["/"]
    while todo:
        path = todo.pop()
        status, body, content_type = portal.route(path)
        assert status == 200, path
        if "html" not in content_type:
            continue
        for link in page_links(HtmlResponse(BASE + path, body=body, encoding="utf-8")):
            parts = urlsplit(link)
            if parts.netloc == urlsplit(BASE).netloc and parts.path not in seen:
                seen.add(parts.path)
                todo.append(parts.path)
    return seen


def test_the_floor_fetches_the_pages_a_crawl_reaches() -> None:
    portal = Portal(300, seed=2024)
    reached = pages_a_crawl_reaches(portal)
    listed = portal.html_paths()
    assert len(listed) == len(set(listed))
    assert reached <= set(listed)
    # A small site's sidebars link some of its 20 documents only; every other page is reached.
    unreached = set(listed) - reached
    assert all(path.startswith("/vi/laws/detail/") for path in unreached), sorted(unreached)
    assert len(reached) > 300


def test_the_floor_fetches_every_page_over_http() -> None:
    pages = 60
    server = subprocess.Popen([sys.executable, str(REPO / "benchmarks" / "synthetic_portal.py"),
                               "--pages", str(pages)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "scrapy_floor.py"), url,
                              "--pages", str(pages)], capture_output=True, text=True,
                             timeout=120, check=False)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    expected = len(Portal(pages).html_paths())
    assert result["urls"] == expected
    assert result["responses"] == expected  # every page answered, none twice
    assert result["cpu_seconds"] > 0


def test_the_ceilings_add_scrapys_cpu_to_extractions() -> None:
    def measure(step: str, pages: int, cpu_seconds: float) -> Measure:
        return Measure(step, pages, seconds=1.0, cpu_seconds=cpu_seconds, peak_rss_mb=None,
                       peak_pss_mb=None)

    measures = {"extract": measure("extract", 4000, 52.4),  # 13.1 ms a page
                "floor": measure("floor", 10_000, 20.0),  # 2.0 ms a page
                "trafilatura": measure("trafilatura", 2000, 44.8)}  # 22.4 ms, one core
    found = ceilings(measures)
    assert round(found["crawl/extract"], 3) == round(13.1 / 15.1, 3)
    assert round(found["crawl/trafilatura"], 3) == round(default_workers() * 22.4 / 15.1, 3)
    assert ceilings({"extract": measures["extract"]}) == {}
