#!/usr/bin/env python3
"""trafilatura's own crawler on a site, with trafilatura's extraction of every page it fetches:
what a trafilatura user would run to archive a site in one pass, for comparison with
`muni crawl` (benchmarks/throughput.py).

It follows trafilatura.spider.focused_crawler page by page (init_crawl, then fetch_response +
process_response for each URL the store hands out, navigation pages first) and extracts each
fetched page with trafilatura.extract (metadata on, JSON out). Politeness is switched off as
for our crawl (SLEEP_TIME 0), and loopback is allowed (SSRF_PROTECTION off). Pages whose URL
matches --skip (the listings) are not extracted, so it does no more work than our crawl does.

courlan (trafilatura's URL filter) rejects IP addresses and names without a dot, so the site
is crawled as ``http://portal.localhost:PORT/``, a name this process alone resolves to
127.0.0.1.

    .venv/bin/python benchmarks/trafilatura_crawl.py 8100 --max-pages 2000

Prints one JSON line: pages fetched, pages extracted, articles (extractions with text).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import time
from typing import Any

import trafilatura
from trafilatura.downloads import fetch_response
from trafilatura.settings import use_config
from trafilatura.spider import URL_STORE, init_crawl, process_response

HOST = "portal.localhost"
_getaddrinfo = socket.getaddrinfo


def _resolve_portal(host: Any, *args: Any, **kwargs: Any) -> Any:
    return _getaddrinfo("127.0.0.1" if host == HOST else host, *args, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int, help="port of the portal on 127.0.0.1")
    parser.add_argument("--max-pages", type=int, default=1_000_000)
    parser.add_argument("--skip", default=r"/page-\d+/$|/vi/news/[a-z-]+/$",
                        help="regex of URLs fetched for links only, not extracted")
    parser.add_argument("--article", default=r"-\d+\.html$", help="regex of article URLs")
    args = parser.parse_args()
    config = use_config()
    config.set("DEFAULT", "SLEEP_TIME", "0")
    config.set("DEFAULT", "SSRF_PROTECTION", "off")
    skip, article = re.compile(args.skip), re.compile(args.article)

    socket.getaddrinfo = _resolve_portal  # type: ignore[assignment]

    started = time.monotonic()
    params = init_crawl(f"http://{HOST}:{args.port}/", config=config)
    fetched = extracted = articles = 0
    while params.is_on and fetched < args.max_pages:
        url = URL_STORE.get_url(params.base)
        if not url:
            break
        response = fetch_response(url, decode=False, config=config)
        fetched += 1
        process_response(response, params)
        params.update_metadata(URL_STORE)
        if response is None or not response.data or skip.search(url):
            continue
        result = trafilatura.extract(response.data, url=url, with_metadata=True,
                                     output_format="json", config=config)
        extracted += 1
        if result and article.search(url):
            articles += 1
    print(json.dumps({"fetched": fetched, "extracted": extracted, "articles": articles,
                      "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main()
