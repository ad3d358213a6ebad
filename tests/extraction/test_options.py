"""Options: trafilatura's own keyword arguments pass through, profile XPaths win, bad
configuration is a ConfigError naming the key, and trafilatura's global config is untouched."""

from __future__ import annotations

import copy

import pytest
import trafilatura.settings

from archive.errors import ConfigError
from pipelines.extract import Article, extract

TEXT = ("UBND phường tổ chức hội nghị tổng kết công tác năm với sự tham gia của đại biểu các tổ "
        "dân phố, các ban ngành đoàn thể và đông đảo nhân dân trên địa bàn phường. ") * 3
PAGE = (f'<html lang="vi"><head><title>Trang chủ</title></head><body>'
        f'<div class="tieu-de-tin">Hội nghị tổng kết công tác năm 2024</div>'
        f'<span class="ngay">Cập nhật 05/01/2025</span><span class="nguoi-viet">Lê Văn Tám</span>'
        f'<div class="noi-dung"><p>{TEXT}</p><p>{TEXT}</p>'
        f"<table><tr><td>Chỉ tiêu</td><td>Kết quả</td></tr><tr><td>Thu ngân sách</td>"
        f"<td>124.857 triệu đồng</td></tr></table></div>"
        f'<div class="quang-cao"><p>Quảng cáo: nhà hàng tiệc cưới giá rẻ cho mọi gia đình '
        f"trong phường, đặt tiệc ngay hôm nay để nhận ưu đãi lớn nhất.</p></div>"
        f"</body></html>").encode()


def test_profile_xpaths_win() -> None:
    result = extract(PAGE, "https://x.vn/tin/1.html", options={
        "title_xpath": "//div[@class='tieu-de-tin']",
        "date_xpath": "//span[@class='ngay']",
        "author_xpath": "//span[@class='nguoi-viet']/text()",
        "body_xpath": "//div[@class='noi-dung']",
    })
    assert isinstance(result, Article)
    assert (result.title, result.title_source) == ("Hội nghị tổng kết công tác năm 2024",
                                                   "profile")
    assert (result.published, result.published_source) == ("2025-01-05", "profile")
    assert (result.author, result.author_source) == ("Lê Văn Tám", "profile")
    assert "Quảng cáo" not in result.body
    assert "124.857" in result.body


def test_trafilatura_options_pass_through_without_touching_global_config() -> None:
    before = copy.deepcopy(dict(trafilatura.settings.DEFAULT_CONFIG["DEFAULT"]))
    with_tables = extract(PAGE, "https://x.vn/tin/1.html")
    without_tables = extract(PAGE, "https://x.vn/tin/1.html", options={"include_tables": False})
    assert isinstance(with_tables, Article) and isinstance(without_tables, Article)
    assert "124.857" in with_tables.body
    assert "124.857" not in without_tables.body
    assert dict(trafilatura.settings.DEFAULT_CONFIG["DEFAULT"]) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [({"favour_precision": True}, "favour_precision"),
     ({"title_xpath": "//div[@class='x'"}, "title_xpath")],
)
def test_bad_options_are_config_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        extract(PAGE, "https://x.vn/tin/1.html", options=options)
