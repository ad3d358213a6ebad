"""Bytes → text: mislabelled charsets both ways, NFD, and pages that are not pages."""

from __future__ import annotations

import unicodedata

import pytest

from pipelines.extract import Article, NoArticle, extract
from pipelines.extract.decoding import DecodeFailure, decode_page

TEXT = "Đảng ủy phường Tây Sơn tổ chức hội nghị tổng kết công tác năm 2023 và phát động thi đua."


def _page(charset: str, text: str = TEXT) -> str:
    return (f'<html lang="vi"><head><meta charset="{charset}"><title>Hội nghị</title></head>'
            f"<body><h1>Hội nghị tổng kết</h1><p>{text}</p></body></html>")


def _cp1258(text: str) -> bytes:
    """Vietnamese in windows-1258: base letters precomposed, tone marks as combining bytes."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append(base.encode("cp1258") + tones.encode("cp1258"))
    return b"".join(out)


def test_windows_1258_labelled_utf8_is_read_as_windows_1258() -> None:
    data = _cp1258(_page("utf-8"))
    page = decode_page(data, {"Content-Type": "text/html; charset=utf-8"})
    assert page.encoding == "cp1258"
    assert TEXT in page.text


def test_windows_1258_labelled_latin1_is_read_as_windows_1258() -> None:
    data = _cp1258(_page("iso-8859-1"))
    page = decode_page(data, {"Content-Type": "text/html; charset=iso-8859-1"})
    assert TEXT in page.text


def test_utf8_labelled_windows_1258_is_read_as_utf8() -> None:
    data = _page("windows-1258").encode("utf-8")
    page = decode_page(data, {"Content-Type": "text/html; charset=windows-1258"})
    assert page.encoding == "utf-8"
    assert TEXT in page.text


def test_nfd_page_comes_out_nfc() -> None:
    data = unicodedata.normalize("NFD", _page("utf-8")).encode("utf-8")
    page = decode_page(data)
    assert TEXT in page.text
    assert unicodedata.is_normalized("NFC", page.text)


def test_double_encoded_utf8_is_repaired() -> None:
    mojibake = _page("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")
    page = decode_page(mojibake)
    assert page.repaired
    assert "Tây Sơn" in page.text


@pytest.mark.parametrize(
    ("data", "headers", "reason"),
    [
        (b"", None, "empty"),
        (b"   \n\t ", None, "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", None, "not-html"),
        (b'{"title": "x"}', {"Content-Type": "application/json"}, "not-html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "not-html"),
        (b"just some words, no markup at all", None, "not-html"),
        (b"<html><body><p>" + "Th\u00abng b\u00b8o v\u00d2 vi\u00d6c t\u00e6 ch\u00f8c "
         "h\u00e9i ngh\u00de t\u00e6ng k\u00d5t c\u00abng t\u00b8c n\u00a8m. ".encode("cp1252")
         * 12 + b"</p></body></html>", {"Content-Type": "text/html; charset=windows-1252"},
         "broken-charset"),
    ],
    ids=["empty", "whitespace", "pdf", "json", "png", "plain-text", "tcvn3"],
)
def test_bad_input_is_a_no_article_with_a_reason(data: bytes, headers: dict[str, str] | None,
                                                  reason: str) -> None:
    with pytest.raises(DecodeFailure) as failure:
        decode_page(data, headers)
    assert failure.value.reason == reason
    result = extract(data, "https://example.vn/x", headers=headers)
    assert isinstance(result, NoArticle)
    assert result.reason == reason
    assert result.as_json()["no_article"] == reason


def test_every_stored_string_is_nfc() -> None:
    body = " ".join([TEXT] * 6)
    html = (f'<html lang="vi"><head><title>Hội nghị tổng kết năm - Phường</title></head><body>'
            f"<h1>Hội nghị tổng kết năm</h1><p>Ngày đăng: 09/01/2024</p><p>{body}</p>"
            f'<p style="text-align:right"><strong>Thuý Hoà</strong></p></body></html>')
    result = extract(unicodedata.normalize("NFD", html).encode("utf-8"), "https://x.vn/a.html")
    assert isinstance(result, Article)
    for value in (result.title, result.body, result.author, result.published_raw):
        assert value and unicodedata.is_normalized("NFC", value)
    assert result.author == "Thuý Hoà"
