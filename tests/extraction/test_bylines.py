"""Every byline form of DOMAIN.md: label, next-line, trailing bold/right/bare, units, sources."""

from __future__ import annotations

import pytest

from pipelines.extract import Article, extract
from pipelines.extract.bylines import (
    clean_declared_author,
    clean_person_names,
    name_from_markup,
    parse_label_byline,
    parse_source_line,
)

TEXT = ("Hội Nông dân xã phối hợp với UBND xã tổ chức hội nghị đối thoại giữa Chủ tịch UBND xã "
        "với hội viên nông dân về phát triển sản xuất nông nghiệp trong năm tới. ") * 3


def _article(tail: str) -> Article:
    html = (f'<html lang="vi"><head><title>Đối thoại với nông dân - Xã Hòa Phú</title></head>'
            f'<body><h1>Đối thoại với nông dân</h1><div class="content"><p>{TEXT}</p>'
            f"<p>{TEXT}</p>{tail}</div></body></html>")
    result = extract(html.encode(), "https://hoaphu.example.gov.vn/tin/1.html")
    assert isinstance(result, Article)
    return result


@pytest.mark.parametrize(
    ("tail", "author", "kind", "rule"),
    [
        ('<p style="text-align:right"><strong>Hoàng Bình</strong></p>', "Hoàng Bình", "person",
         "trailing-bold"),
        ('<p style="text-align: right;">Thu Hà</p>', "Thu Hà", "person", "trailing-right"),
        ("<p>Trần Minh Tuấn</p>", "Trần Minh Tuấn", "person", "trailing-line"),
        ("<p><strong>Thực hiện: Minh Anh</strong></p>", "Minh Anh", "person", "label:Thực hiện"),
        ("<p><strong>Thực hiện:</strong></p><p><strong>Nguyễn Thị Lan</strong></p>",
         "Nguyễn Thị Lan", "person", "label:Thực hiện+next-line"),
        ("<p>Tác giả: Nguyễn Thu Hà</p>", "Nguyễn Thu Hà", "person", "label:Tác giả"),
        ("<p><em>Tin, ảnh: Phạm Hùng</em></p>", "Phạm Hùng", "person", "label:Tin, ảnh"),
        ("<p><strong>BBT</strong></p>", "BBT", "unit", "trailing-bold"),
        ("<p>Admin</p>", "Admin", "unit", "trailing-line"),
        ("<p>Ban biên tập phường Tây Sơn</p>", "Ban biên tập phường Tây Sơn", "unit",
         "trailing-line"),
        ("<p><strong>Nguyễn Khánh (CCVH)</strong></p>", "Nguyễn Khánh", "person",
         "trailing-bold"),
        ("<p><strong>Quang Trị - ĐTT xã</strong></p>", "Quang Trị", "person", "trailing-bold"),
    ],
)
def test_byline_forms(tail: str, author: str, kind: str, rule: str) -> None:
    result = _article(tail)
    assert (result.author, result.author_kind, result.author_rule) == (author, kind, rule)
    assert result.author_raw
    assert author not in result.body


def test_empty_author_label_means_no_author() -> None:
    result = _article("<p><strong>Tác giả:</strong></p>")
    assert result.author is None
    assert "Tác giả" not in result.body


def test_author_and_source_together() -> None:
    result = _article('<div class="author"><p>Tác giả bài viết: Lê Văn Tám</p>'
                      "<p>Nguồn tin: UBND xã Hòa Phú</p></div>")
    assert (result.author, result.news_source) == ("Lê Văn Tám", "UBND xã Hòa Phú")
    assert "Nguồn tin" not in result.body


@pytest.mark.parametrize(
    ("tail", "source"),
    [("<p><strong>Nguồn: Báo Hà Nội Mới</strong></p>", "Báo Hà Nội Mới"),
     ("<p><em>Theo baochinhphu.vn</em></p>", "baochinhphu.vn")],
)
def test_a_source_is_not_a_person(tail: str, source: str) -> None:
    result = _article(tail)
    assert result.author is None
    assert result.news_source == source
    assert source not in result.body


def test_caption_after_the_byline_stays_a_caption() -> None:
    result = _article('<p style="text-align:right"><strong>Hoàng Bình</strong></p>'
                      '<p style="text-align:center"><img src="/a/z123456789_x.jpg"></p>'
                      "<p><em>Quang cảnh hội nghị.</em></p>")
    assert result.author == "Hoàng Bình"
    assert [c.text for c in result.captions] == ["Quang cảnh hội nghị."]
    assert result.captions[0].image == "https://hoaphu.example.gov.vn/a/z123456789_x.jpg"
    assert "Quang cảnh" not in result.body


def test_a_closing_sentence_is_not_a_byline() -> None:
    result = _article("<p>Hội nghị kết thúc tốt đẹp.</p>")
    assert result.author is None
    assert "Hội nghị kết thúc tốt đẹp." in result.body


@pytest.mark.parametrize(
    ("text", "expected"),
    [("By Jane Doe | March 3, 2024", "Jane Doe"), ("Von Max Mustermann", "Max Mustermann"),
     ("Tác giả: Nguyễn Văn A, Trần Thị B", "Nguyễn Văn A, Trần Thị B"),
     ("Author: Gàbor Muniér, Datum: 03.Mär.19", "Gàbor Muniér"),
     ("Autorin: Uta Staschewski, Projektleiterin der Stiftung in Tunis.", "Uta Staschewski"),
     ("Autor Mark Newton:", "Mark Newton"),
     ("Ein Artikel von Pamela Sladky | 27.01.2022 - 12:45", "Pamela Sladky"),
     ("von Herr_Rein Veröffentlicht am 11. Juni 2019", "Herr_Rein")],
)
def test_label_bylines_across_languages(text: str, expected: str) -> None:
    byline = parse_label_byline(text)
    assert byline is not None and byline.author == expected


def test_unit_and_name_cleaning() -> None:
    assert clean_person_names("Hoàng Bình - Thu Hà") == ("Hoàng Bình, Thu Hà", "person")
    assert clean_person_names("Xã Hòa Phú") == ("Xã Hòa Phú", "unit")
    assert clean_person_names("Quang cảnh hội nghị") is None
    assert parse_source_line("Theo Báo Nhân Dân", allow_theo=True) == "Báo Nhân Dân"
    assert parse_source_line("Theo kế hoạch, hội nghị diễn ra trong hai ngày.",
                             allow_theo=True) is None


@pytest.mark.parametrize("text", ["Autor", "Von:", "About the author", "Tác giả:"])
def test_a_label_alone_waits_for_the_name_on_the_next_line(text: str) -> None:
    byline = parse_label_byline(text)
    assert byline is not None and byline.author is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Walter von Aachen", "Walter von Aachen"),  # 'von' inside a name is no label
     ("Posted on September 21, 2020 by Adi Tzlil", "Adi Tzlil"),
     ("Text von Christian Seiler Illustration von Markus Roost", "Christian Seiler"),
     ("Evan Halper Staff Writer", "Evan Halper"),
     ("Olivier Minot Olivier Minot", "Olivier Minot"),
     ("Nathanael Johnson January 5, 2020", "Nathanael Johnson"),
     ("Redaktion", "Redaktion"),
     ("LD", "LD"),
     ("Admin", None)],
)
def test_names_in_author_markup(text: str, expected: str | None) -> None:
    assert name_from_markup(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("By Jane Doe", "Jane Doe"),
     ("Von FOCUS-Online-Experte Robin Tschöpe", "Robin Tschöpe"),
     ("Povilas Aleksandravičius, Mykolo Romerio universiteto Žmogaus ir visuomenės studijų "
      "fakulteto profesorius, Lrt.lt", "Povilas Aleksandravičius"),
     ("sportschau.de", "sportschau.de"),
     ("신현주 기자", "신현주")],
)
def test_declared_authors_are_names_not_descriptions(raw: str, expected: str) -> None:
    assert clean_declared_author(raw) == expected
