"""`muni extract`: one JSON line per page, the eval contract's fields, never a crash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from tests.extraction.conftest import FIXTURES

CONTRACT = ("path", "url", "title", "author", "published", "body", "language")


def test_single_file_with_url(tmp_path: Path) -> None:
    page = tmp_path / "seed.html"
    shutil.copy(FIXTURES / "nukeviet-01.html", page)
    result = CliRunner().invoke(cli, ["extract", str(page), "--url",
                                      "https://tayson.example.gov.vn/vi/news/tin-tuc/a-1.html"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert all(key in row for key in CONTRACT)
    assert row["path"] == str(page)
    assert row["author"] == "Hoàng Bình"
    assert row["author_rule"] == "trailing-bold"
    assert row["captions"][0]["image"].startswith("https://tayson.example.gov.vn/")
    assert "Hoàng Bình" in lines[0]  # ensure_ascii=False: Vietnamese as written


def test_manifest_reports_every_page_and_survives_bad_ones(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "liferay-01.html", tmp_path / "a.html")
    shutil.copy(FIXTURES / "liferay-06.html", tmp_path / "listing.html")
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4\n1 0 obj")
    manifest = tmp_path / "gold.jsonl"
    rows = [{"path": "a.html", "url": "https://quangtrung.example.gov.vn/-/view_content/1-a.html"},
            {"path": "listing.html", "url": "https://quangtrung.example.gov.vn/web/guest/tin"},
            {"path": "empty.html", "url": None}, {"path": "doc.pdf", "url": None},
            {"path": "missing.html", "url": None}]
    manifest.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [r["path"] for r in out] == [r["path"] for r in rows]
    assert out[0]["published"] == "2024-07-02T10:39:22+07:00" and out[0]["body"]
    assert [r.get("no_article") for r in out[1:]] == ["listing", "empty", "not-html",
                                                      "unreadable"]
    assert all(r["body"] is None for r in out[1:])


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.html")])
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_bad_manifest_line_names_the_line(tmp_path: Path) -> None:
    manifest = tmp_path / "gold.jsonl"
    manifest.write_text('{"url": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--manifest", str(manifest)])
    assert result.exit_code == 1
    assert "gold.jsonl:1" in result.output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert result.exit_code == 0
    assert "muni extract --manifest" in result.output
