"""One article, one URL: variants of a URL reduce to the same identity."""

from __future__ import annotations

import pytest

from archive.urls import canonical_url, is_print_view, same_site


@pytest.mark.parametrize(("variant", "canonical"), [
    ("HTTP://Phuong.Example.vn:80/tin/a.html#top", "http://phuong.example.vn/tin/a.html"),
    ("http://x.vn/tin/a.html?utm_source=zalo&utm_medium=share", "http://x.vn/tin/a.html"),
    ("http://x.vn/tin/a.html?fbclid=IwAR0", "http://x.vn/tin/a.html"),
    ("http://x.vn/?tc=123&gd=2&cn=5", "http://x.vn/?cn=5&gd=2&tc=123"),
    ("http://x.vn/Pages/t.aspx;jsessionid=A1B2?NewsID=4", "http://x.vn/Pages/t.aspx?NewsID=4"),
    ("http://x.vn/index.php?nv=news&PHPSESSID=abc", "http://x.vn/index.php?nv=news"),
    ("http://x.vn/vi/news/a-1.html?print=1", "http://x.vn/vi/news/a-1.html"),
])
def test_variants_reduce_to_one_url(variant: str, canonical: str) -> None:
    assert canonical_url(variant) == canonical


def test_meaningful_parameters_are_kept() -> None:
    assert canonical_url("http://x.vn/?gd=2&cn=5&tc=123") != canonical_url("http://x.vn/?gd=2&cn=5&tc=124")
    assert canonical_url("http://x.vn/list?page=2") == "http://x.vn/list?page=2"


def test_print_view_detection() -> None:
    assert is_print_view("http://x.vn/a.html?print=1")
    assert is_print_view("http://x.vn/in-bai/a.html")
    assert not is_print_view("http://x.vn/a.html?id=1")


def test_same_site_and_path_prefixes() -> None:
    assert same_site("https://www.ward.vn/a", "ward.vn")
    assert not same_site("https://other.vn/a", "ward.vn")
    assert same_site("https://city.vn/phuong-a/tin", "city.vn", ("/phuong-a/",))
    assert not same_site("https://city.vn/phuong-b/tin", "city.vn", ("/phuong-a/",))
    assert not same_site("mailto:a@ward.vn", "ward.vn")
