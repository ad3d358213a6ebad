"""Scrapy's MetaRefreshMiddleware, reading only the head of each page.

Scrapy looks for ``<meta http-equiv="refresh">`` in the first 4,096 characters of a page, but
gets them as ``response.text[:4096]``: the whole page decoded (~0.1 ms of the crawl's one
thread for an 85 KB portal page) and kept on the response as long as it is in flight (~170 KB
of text for a Vietnamese page, dozens of pages at once). Nothing else in the crawl's process
reads the text — extraction and link-finding decode the bytes in the workers — so here only
the first 16 KB are decoded (at most 4 bytes a character: the same first 4,096 characters), and
the rest of the decision is Scrapy's own. A head without the word "refresh" in it (in an
ASCII-compatible encoding: no NUL byte) has no such tag, and is not decoded at all.
"""

from __future__ import annotations

import re

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response

__all__ = ["HeadMetaRefreshMiddleware"]

# Bytes that always hold the 4,096 characters Scrapy reads, whatever the encoding.
_HEAD_BYTES = 4 * 4096
_REFRESH = re.compile(rb"refresh", re.IGNORECASE)


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        if not isinstance(response, HtmlResponse):
            return super().process_response(request, response)
        first = response.body[:_HEAD_BYTES]
        if b"\x00" not in first and not _REFRESH.search(first):
            return response  # what Scrapy would decide, without decoding anything
        if len(response.body) <= _HEAD_BYTES:
            return super().process_response(request, response)
        # The head alone, as its own response: the same URL, headers (so the same declared
        # encoding) and request; a <meta charset> is in the head too.
        head = response.replace(body=response.body[:_HEAD_BYTES])
        decided = super().process_response(request, head)
        return response if decided is head else decided
