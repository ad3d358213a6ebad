#!/usr/bin/env python3
"""What Scrapy alone costs to fetch a site's pages: the floor under any Scrapy-based crawl.

Fetches every page of the synthetic portal `muni crawl` fetches in benchmarks/throughput.py
(home, documents, every listing page, every article) with a spider that does nothing with them: no
parsing, no item pipelines, no WARC, no SQLite; Scrapy's default download path (its stock
downloader and spider middlewares, minus cookies and telnet), the project's reactor, 32
requests at once, politeness off. The URLs are known up front, so no link is looked for.

The CPU this process spends per article page is what the crawl's own process can hardly go
below while it is a Scrapy crawl (with every Scrapy middleware and extension removed as well,
~80 % of it remained on the development machine). On a machine whose cores are all busy with
extraction, that puts a ceiling on the crawl/extract ratio of issue 6: with E ms of extraction
CPU per page and F ms of this floor, no Scrapy crawl can exceed E / (E + F) of the pure
extraction rate.

    .venv/bin/python benchmarks/scrapy_floor.py http://127.0.0.1:8100/ --pages 10000

Prints one JSON line: responses, article pages, seconds and CPU seconds of the crawl, and the
CPU seconds spent listing the site's URLs first (no crawl does that: benchmarks/throughput.py
takes it out of this process's CPU).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on the path, and its incremental.py would shadow
# the `incremental` package Twisted imports: it goes last.
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p != _HERE] + [_HERE]

import scrapy  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402
from synthetic_portal import Portal  # noqa: E402

sys.path.insert(0, str(Path(_HERE).parent))
from crawler.settings import TWISTED_REACTOR  # noqa: E402  (the floor our crawl stands on)


class FloorSpider(scrapy.Spider):
    name = "floor"

    def __init__(self, urls: list[str], **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> Any:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> None:
        return None


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="the synthetic portal's address")
    parser.add_argument("--pages", type=int, required=True, help="its article pages")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    listing_started = cpu_seconds()
    base = args.url.rstrip("/")
    urls = [base + path for path in Portal(args.pages, args.seed).html_paths()]
    listing_cpu = cpu_seconds() - listing_started
    process = CrawlerProcess({
        "TWISTED_REACTOR": TWISTED_REACTOR, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False, "ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency, "DOWNLOAD_MAXSIZE": 0,
        "DOWNLOAD_WARNSIZE": 0})
    crawler = process.create_crawler(FloorSpider)
    cpu_before, started = cpu_seconds(), time.monotonic()
    process.crawl(crawler, urls=urls)
    process.start()
    seconds, cpu = time.monotonic() - started, cpu_seconds() - cpu_before
    responses = crawler.stats.get_value("downloader/response_count", 0)
    print(json.dumps({"responses": responses, "articles": args.pages, "urls": len(urls),
                      "seconds": seconds, "cpu_seconds": cpu,
                      "listing_cpu_seconds": listing_cpu}))


if __name__ == "__main__":
    main()
