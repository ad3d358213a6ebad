"""HeadMetaRefreshMiddleware decides as Scrapy's MetaRefreshMiddleware does, reading less."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.meta_refresh import HeadMetaRefreshMiddleware

URL = "http://ward.test/tin-tuc/bai-1.html"
FILLER = "<p>Đảng ủy phường Tây Sơn tổ chức hội nghị.</p>" * 800  # ~40 KB
REFRESH = '<meta http-equiv="Refresh" content="0; url=/tin-tuc/bai-moi.html">'
PAGES = {
    "no refresh, large": f"<html><head><title>Tin</title></head><body>{FILLER}</body></html>",
    "no refresh, small": "<html><head><title>Tin</title></head><body><p>Ngắn.</p></body></html>",
    "refresh, large": f"<html><head>{REFRESH}</head><body>{FILLER}</body></html>",
    "REFRESH upper case": f"<html><head>{REFRESH.upper()}</head><body>{FILLER}</body></html>",
    "refresh, small": f"<html><head>{REFRESH}</head><body></body></html>",
    "the word in the text only": f"<html><body><p>Refresh the page.</p>{FILLER}</body></html>",
    "refresh past the head": f"<html><body>{FILLER}{REFRESH}</body></html>",
}
ENCODINGS = ["utf-8", "utf-16", "cp1258"]


def _decide(middleware: MetaRefreshMiddleware, html: str, encoding: str) -> str | None:
    """The URL the page is redirected to, or None when it goes on as it is."""
    body = html.encode(encoding, errors="xmlcharrefreplace")
    response = HtmlResponse(URL, body=body, headers={"Content-Type": f"text/html; charset="
                                                     f"{encoding}"},
                            request=Request(URL))
    decided = middleware.process_response(response.request, response, Spider("probe"))
    if decided is response:
        return None
    assert isinstance(decided, Request)
    return decided.url


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_same_decision_as_scrapys_middleware(page: str, encoding: str) -> None:
    crawler = get_crawler(Spider)
    ours = HeadMetaRefreshMiddleware.from_crawler(crawler)
    scrapys = MetaRefreshMiddleware.from_crawler(crawler)
    expected = _decide(scrapys, PAGES[page], encoding)
    assert _decide(ours, PAGES[page], encoding) == expected
    if page.startswith(("refresh,", "REFRESH")):
        assert expected is not None and expected.lower().endswith("/tin-tuc/bai-moi.html")
    elif page.startswith(("no refresh", "the word")):
        assert expected is None
