"""The trap, failure and Retry-After rules on their own: traps refused, real CMS URLs never.

The hostile crawl (test_hostile_sites.py) shows the rules work in a crawl; these pin the edges,
above all that the URL shapes of real municipal CMSs (DOMAIN.md) are never taken for traps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.failures import failure_reason
from crawler.middlewares.retry_after import retry_after_seconds
from crawler.middlewares.traps import RedirectLoop, RedirectLoopMiddleware, SpiderTrapMiddleware

HOST = "https://phuongdonghung.gov.vn"


def trap_guard(**settings: int) -> SpiderTrapMiddleware:
    return SpiderTrapMiddleware.from_crawler(get_crawler(settings_dict=settings))


def admitted(guard: SpiderTrapMiddleware, urls: list[str]) -> list[str]:
    return [u for u in urls if guard.get_processed_request(Request(u), None) is not None]


# -- real municipal URL shapes are never traps ------------------------------------------------

REAL_SHAPES = {
    "liferay": "/-/view_content/{n}-hoi-nghi-tong-ket.html",
    "liferay_asset": "/tin-tuc/-/asset_publisher/Ab12/content/hoi-nghi-{n}",
    "nukeviet_query": "/index.php?language=vi&nv=news&op=tin-tuc/hoi-nghi-{n}",
    "inhouse_query": "/?gd=1&cn=28&tc={n}",
    "inhouse_path": "/tin-tuc/hoi-nghi/ct/28/{n}",
    "sharepoint_id": "/Pages/noi-dung-tin.aspx?NewsID={id}",
    "sharepoint_dated": "/portal/pages/2024-01-05/hoi-nghi-{n}.aspx",
    "dnn": "/trang-chu/ctl/detail/mid/512?ID={n}",
    "wordpress_dated": "/2024/01/{day:02d}/hoi-nghi-{n}/",
    "dated_query_with_id": "/tin-tuc/chi-tiet.aspx?ngay=2024-01-{day:02d}&id={n}",
    "listing_pages": "/vi/news/tin-tuc/page-{n}/",
}


@pytest.mark.parametrize("shape", REAL_SHAPES)
def test_hundreds_of_real_article_urls_are_all_admitted(shape: str) -> None:
    # 6-digit ids like 201203 look like months: still articles, not a calendar.
    urls = [HOST + REAL_SHAPES[shape].format(n=n, id=201200 + n, day=n % 28 + 1)
            for n in range(1, 301)]
    assert admitted(trap_guard(), urls) == urls


# -- traps --------------------------------------------------------------------------------------

def test_ever_deeper_relative_links_stop_at_the_third_repeat() -> None:
    urls = [f"{HOST}/chuyen-muc/{'tin-tuc/' * n}" for n in range(1, 6)]
    assert admitted(trap_guard(), urls) == urls[:2]


def test_cycling_paths_stop() -> None:
    assert admitted(trap_guard(), [f"{HOST}/a/b/a/b/", f"{HOST}/a/b/a/b/a/"]) == \
        [f"{HOST}/a/b/a/b/"]


def test_paths_deeper_than_the_limit_stop() -> None:
    urls = [HOST + "".join(f"/muc-{i}" for i in range(n)) for n in (15, 16)]
    assert admitted(trap_guard(), urls) == urls[:1]


def test_calendar_months_are_capped_per_page_family() -> None:
    guard = trap_guard(MUNI_TRAP_MAX_CALENDAR_PAGES=24)
    months = [f"{HOST}/lich-cong-tac.html?thang={2020 + i // 12}-{i % 12 + 1:02d}"
              for i in range(60)]
    assert admitted(guard, months) == months[:24]
    # Already admitted pages stay admitted (a listing may link to them again) ...
    assert admitted(guard, months[:3]) == months[:3]
    # ... and another department's calendar is a family of its own.
    other = [f"{HOST}/lich-cong-tac.html?phong=2&thang=2024-{m:02d}" for m in range(1, 13)]
    assert admitted(guard, other) == other


def test_calendar_with_separate_month_and_year_parameters_is_capped() -> None:
    urls = [f"{HOST}/lich?nam={2000 + i // 12}&thang={i % 12 + 1}" for i in range(40)]
    assert len(admitted(trap_guard(MUNI_TRAP_MAX_CALENDAR_PAGES=24), urls)) == 24


def test_refusals_are_counted_by_kind() -> None:
    crawler = get_crawler(settings_dict={"MUNI_TRAP_MAX_CALENDAR_PAGES": 1})
    guard = SpiderTrapMiddleware.from_crawler(crawler)
    admitted(guard, [f"{HOST}/lich?thang=2024-01", f"{HOST}/lich?thang=2024-02",
                     f"{HOST}/a/a/a/"])
    assert crawler.stats is not None
    assert crawler.stats.get_value("muni/trap/calendar") == 1
    assert crawler.stats.get_value("muni/trap/repeated_segments") == 1


# -- redirect loops -------------------------------------------------------------------------------

def redirect(request: Request, location: str) -> Response:
    return Response(request.url, status=302, headers={"Location": location}, request=request)


def test_redirect_back_into_the_chain_is_a_loop() -> None:
    guard = RedirectLoopMiddleware()
    request = Request(f"{HOST}/b", meta={"redirect_urls": [f"{HOST}/a"]})
    with pytest.raises(RedirectLoop, match=r"/a → .*/b → .*/a"):
        guard.process_response(request, redirect(request, "/a"))


def test_session_id_first_visit_redirect_is_not_a_loop() -> None:
    guard = RedirectLoopMiddleware()
    request = Request(f"{HOST}/dich-vu-cong")
    response = redirect(request, "/dich-vu-cong;jsessionid=0A1B2C")
    assert guard.process_response(request, response) is response


# -- failure reasons ------------------------------------------------------------------------------

def failure_of(error: Exception) -> Failure:
    return Failure(error)  # type: ignore[no-untyped-call]  # Twisted's Failure is untyped


@pytest.mark.parametrize(("error", "reason"), [
    (HttpError(Response(HOST, status=503), "Ignoring non-200 response"), "http_503"),
    (DownloadTimeoutError("Getting … took longer than 3.0 seconds."), "timeout"),
    (DownloadCancelledError("Expected to receive 31457280 bytes which is larger than download "
                            "max size (4194304)"), "too_large"),
    (IgnoreRequest("Ignored response because its body exceeded DOWNLOAD_MAXSIZE (4194304 B) "
                   "during decompression."), "decompressed_too_large"),
    (IgnoreRequest("max redirections reached"), "too_many_redirects"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed"),
    (RedirectLoop("redirect loop: /a → /b → /a"), "redirect_loop"),
    (ValueError("something new"), "other"),
])
def test_failure_reason(error: Exception, reason: str) -> None:
    assert failure_reason(failure_of(error)) == reason


# -- Retry-After ----------------------------------------------------------------------------------

def test_retry_after_in_seconds() -> None:
    assert retry_after_seconds("120") == 120.0


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2024, 3, 16, 8, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(header, now=now) == 90.0
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True),
                               now=now) == 0.0


@pytest.mark.parametrize("value", ["", "soon", "-5", "1.5"])
def test_retry_after_that_says_nothing_usable(value: str) -> None:
    assert retry_after_seconds(value) is None
