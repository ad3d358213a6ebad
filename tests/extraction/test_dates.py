"""Day-first dates in every form DOMAIN.md lists, and the traps around them."""

from __future__ import annotations

import pytest

from pipelines.extract import Article, extract
from pipelines.extract.dates import date_from_url, parse_structured_date, parse_visible_date

TZ = "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Đăng lúc: 10:39:22 02/07/2024 (GMT+7)", "2024-07-02T10:39:22+07:00", "second"),
        ("Thứ Bảy, 09/08/2025", "2025-08-09", "day"),
        ("Thứ hai - 23/12/2019 15:09", "2019-12-23T15:09+07:00", "minute"),
        ("09/12/2022", "2022-12-09", "day"),
        ("10 07 2024", "2024-07-10", "day"),
        ("Ngày cập nhật 28/08/2020", "2020-08-28", "day"),
        ("Đăng ngày 17 - 05 - 2024", "2024-05-17", "day"),
        ("Publish date 22/08/2024 | 16:54", "2024-08-22T16:54+07:00", "minute"),
        ("Tây Sơn, ngày 07 tháng 5 năm 2025", "2025-05-07", "day"),
        ("Thứ Ba, 6/8/2024 - 08:05", "2024-08-06T08:05+07:00", "minute"),
        ("Đăng lúc 22:10 ngày 1/2/2024 (GMT+8)", "2024-02-01T22:10+08:00", "minute"),
    ],
)
def test_visible_forms(text: str, value: str, precision: str) -> None:
    found = parse_visible_date(text, TZ, allow_spaced=True)
    assert found is not None
    assert found[:2] == (value, precision)


@pytest.mark.parametrize("text", ["Chiều 8/1", "Sáng ngày 04/01", "Năm 2024", "© 2024",
                                  "31/02/2024", "Hôm nay: 1314", "1/2099"])
def test_no_date_without_a_full_day(text: str) -> None:
    assert parse_visible_date(text, TZ, allow_spaced=True) is None


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2024-07-02T10:39:22+07:00", "2024-07-02T10:39:22+07:00"),
        ("2024-07-02T03:39:00Z", "2024-07-02T03:39+00:00"),
        ("2024-07-02T10:39:00", "2024-07-02T10:39+07:00"),  # naive: the site's offset
        ("2024-07-02", "2024-07-02"),
        ("Tue, 02 Jul 2024 10:39:00 +0700", "2024-07-02T10:39+07:00"),
        ("2024-07-02T10:39:22.123+0700", "2024-07-02T10:39:22+07:00"),
    ],
)
def test_structured_dates(raw: str, value: str) -> None:
    parsed = parse_structured_date(raw, TZ)
    assert parsed is not None and parsed[0] == value


def test_year_only_is_never_a_date() -> None:
    assert parse_structured_date("2024", TZ) is None


def test_url_dates() -> None:
    found = date_from_url("https://haichau.example.gov.vn/portal/pages/2024-07-02/a-123.aspx")
    assert found is not None and (found.value, found.source) == ("2024-07-02", "url")
    assert date_from_url("https://x.vn/tin-tuc/nam-2024/bai-viet-123.html") is None


def _page(meta: str, body_extra: str = "", sidebar: str = "") -> bytes:
    text = ("UBND phường tổ chức hội nghị tổng kết công tác năm với sự tham gia của đại biểu các "
            "tổ dân phố, các ban ngành đoàn thể và đông đảo nhân dân trên địa bàn phường. ") * 3
    return (f'<html lang="vi"><head><title>Hội nghị tổng kết công tác năm 2024 - UBND phường'
            f'</title></head><body><div class="clock">Hôm nay: 18/10/2024</div>'
            f'<div class="main"><h1>Hội nghị tổng kết công tác năm 2024</h1>{meta}'
            f"<p>{body_extra}{text}</p><p>{text}</p></div>{sidebar}"
            f'<div class="thongke"><p>Hôm nay: 1314</p></div></body></html>').encode()


def test_clock_widget_and_counters_are_not_the_date() -> None:
    result = extract(_page(""), "https://x.vn/tin/1.html")
    assert isinstance(result, Article)
    assert result.published is None


def test_event_dates_in_the_text_are_not_the_date() -> None:
    result = extract(_page("", body_extra="Sáng ngày 04/01/2024, tại hội trường, "),
                     "https://x.vn/tin/1.html")
    assert isinstance(result, Article)
    assert result.published is None


def test_sidebar_dates_are_not_the_date() -> None:
    sidebar = ('<div class="box"><h3>Tin khác</h3><ul><li><a href="/a">Hội nghị sơ kết công tác '
               'quý ba năm 2023</a> (12/10/2023)</li><li><a href="/b">Phường ra quân tổng vệ '
               'sinh môi trường đón Tết</a> (05/10/2023)</li></ul></div>')
    result = extract(_page("", sidebar=sidebar), "https://x.vn/tin/1.html")
    assert isinstance(result, Article)
    assert result.published is None
    assert "Tin khác" not in result.body


def test_the_date_line_is_recorded_with_its_source() -> None:
    result = extract(_page('<div class="date">Thứ hai - 23/12/2019 15:09</div>'),
                     "https://x.vn/tin/1.html")
    assert isinstance(result, Article)
    assert result.published == "2019-12-23T15:09+07:00"
    assert (result.published_source, result.published_precision) == ("visible-line", "minute")
    assert result.published_raw == "Thứ hai - 23/12/2019 15:09"
    assert "23/12/2019" not in result.body


def test_timezone_argument_sets_the_offset() -> None:
    result = extract(_page('<div class="date">Đăng lúc 09:30 ngày 05/03/2024</div>'),
                     "https://x.vn/tin/1.html", timezone="Europe/Berlin")
    assert isinstance(result, Article)
    assert result.published == "2024-03-05T09:30+01:00"
