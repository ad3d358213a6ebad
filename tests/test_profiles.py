"""Site profiles: validation names the file and the key; `muni sites` lists and checks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import ConfigError
from crawler.profiles import adhoc_profile, load_profile, load_profiles
from tests.conftest import run_muni

GOOD = """
id = "tayson-hn"
name = "Phường Tây Sơn"
extends = "nukeviet"
base_url = "https://tayson.example.gov.vn/"
start_urls = ["/vi/news/"]
ward = "Phường Tây Sơn"
province = "Hà Nội"
[discovery]
max_pages = 50
[extraction]
favor_precision = true
title_xpath = "//h1"
"""


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_profile_extends_its_cms_family(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GOOD))
    assert profile.cms == "nukeviet"
    assert profile.language == "vi"  # from the family
    assert profile.discovery.max_pages == 50  # the site's own value
    assert profile.discovery.article_url_patterns  # merged from the family
    assert profile.extraction == {"favor_precision": True, "title_xpath": "//h1"}
    assert profile.absolute("/vi/news/") == "https://tayson.example.gov.vn/vi/news/"


@pytest.mark.parametrize(("change", "key"), [
    (("extends = \"nukeviet\"", "extends = \"joomla\""), "extends"),
    (("title_xpath = \"//h1\"", "title_xpath = \"//h1[\""), "extraction.title_xpath"),
    (("favor_precision = true", "favour_precision = true"), "extraction.favour_precision"),
    (("max_pages = 50", "max_pages = \"many\""), "discovery.max_pages"),
    (("max_pages = 50", "article_url_patterns = [\"(unclosed\"]"),
     "discovery.article_url_patterns"),
    (("base_url = \"https://tayson.example.gov.vn/\"", "base_url = \"tayson\""), "base_url"),
    (("id = \"tayson-hn\"", "id = \"Tây Sơn\""), "id"),
    (("ward = ", "warden = "), "warden"),
])
def test_bad_profile_errors_name_file_and_key(tmp_path: Path, change: tuple[str, str],
                                              key: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as error:
        load_profile(path)
    assert str(path) in str(error.value)
    assert f"key '{key}'" in str(error.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    with pytest.raises(ConfigError, match="already used"):
        load_profiles([tmp_path])


def test_adhoc_profile_for_an_unknown_site() -> None:
    vn = adhoc_profile("https://phuong-ab.example.gov.vn/tin-tuc")
    assert vn.base_url == "https://phuong-ab.example.gov.vn/"
    assert vn.start_urls == ("https://phuong-ab.example.gov.vn/tin-tuc",)
    assert vn.timezone == "Asia/Ho_Chi_Minh"
    assert adhoc_profile("https://www.stadt.example.de/").timezone == "Europe/Berlin"
    with pytest.raises(ConfigError):
        adhoc_profile("ftp://example.org/")


def test_muni_sites_check_reports_every_bad_file(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.toml")
    bad = write(tmp_path, GOOD.replace("//h1", "//h1[").replace("tayson-hn", "other"), "bad.toml")
    run = run_muni("sites", "check", good, bad)
    assert run.returncode == 3
    assert f"{bad}: key 'extraction.title_xpath'" in run.stderr
    assert "1 of 2 profile(s) have errors" in run.stderr
    ok = run_muni("sites", "check", good)
    assert ok.returncode == 0 and "1 profile(s) OK" in ok.stdout


def test_bundled_profiles_are_valid() -> None:
    run = run_muni("sites", "check")
    assert run.returncode == 0, run.output
