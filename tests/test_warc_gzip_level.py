"""MUNI_WARC_GZIP_LEVEL changes how hard each WARC record is compressed, never what it holds."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.warc import GZIP_LEVEL, WarcFile, read_response
from crawler.run import crawl_settings

BODY = ("<html><body>" + "<p>Phường Tây Sơn tổ chức hội nghị.</p>" * 400
        + "</body></html>").encode("utf-8")


def _write(folder: Path, level: int | None) -> tuple[Path, int, int]:
    warc = WarcFile(folder, "warc/test.warc.gz")
    ref = warc.write_exchange(
        url="https://xa.example.gov.vn/tin-tuc/a.html", method="GET",
        request_headers=[("User-Agent", "muni-archive/test")], status=200, reason="OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8")], body=BODY,
        fetched_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), gzip_level=level)
    warc.close()
    assert ref.file == "warc/test.warc.gz"
    return folder / ref.file, ref.offset, ref.length


@pytest.mark.parametrize("level", [0, 1, 6, 9, None])
def test_every_level_reads_back_the_same_bytes(tmp_path: Path, level: int | None) -> None:
    path, offset, length = _write(tmp_path, level)
    captured = read_response(tmp_path, "warc/test.warc.gz", offset, length)
    assert captured.body == BODY
    assert captured.status == 200
    warcio = Path(sys.executable).with_name("warcio")
    check = subprocess.run([str(warcio), "check", str(path)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_lower_level_is_larger_higher_is_smaller(tmp_path: Path) -> None:
    lengths = {level: _write(tmp_path / str(level), level)[2] for level in (0, 1, 9)}
    assert lengths[0] > lengths[1] > lengths[9]


def test_bad_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="gzip level"):
        WarcFile(tmp_path, "warc/bad.warc.gz", gzip_level=10)
    warc = WarcFile(tmp_path, "warc/bad.warc.gz")
    try:
        with pytest.raises(ValueError, match="gzip level"):
            warc.write_exchange(url="https://xa.example.gov.vn/", method="GET",
                                request_headers=[], status=200, reason="OK",
                                response_headers=[], body=BODY, gzip_level=-1)
    finally:
        warc.close()


def test_the_crawl_setting_defaults_to_the_archive_default() -> None:
    assert crawl_settings("archive").getint("MUNI_WARC_GZIP_LEVEL") == GZIP_LEVEL
