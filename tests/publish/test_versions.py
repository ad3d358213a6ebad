"""An article that changed shows its versions and what changed, escaped, through Datasette."""

from __future__ import annotations

import asyncio
from pathlib import Path

from archive.db import ArchiveDB, ArticleRecord
from archive.serve import make_datasette
from archive.versions import diff_versions

FIRST = "Chiều 8/1, Đảng ủy phường tổ chức hội nghị.\n\nQuanh cảnh hội nghị.\n\nHội nghị kết thúc."
SECOND = ("Chiều 8/1, Đảng ủy phường tổ chức hội nghị tổng kết.\n\nHội nghị kết thúc.\n\n"
          "<script>alert(1)</script> Bổ sung thông tin.")


def record(body: str, title: str = "Hội nghị tổng kết") -> ArticleRecord:
    return ArticleRecord(url="http://ward.example.vn/tin/1.html", site="ward", body=body,
                         fetched_url="http://ward.example.vn/tin/1.html", title=title)


def test_diff_marks_changed_removed_and_added_paragraphs() -> None:
    versions = [{"version": 1, "seen": "a", "title": "T", "author": None, "published": None,
                 "body": FIRST},
                {"version": 2, "seen": "b", "title": "T2", "author": None, "published": None,
                 "body": SECOND}]
    (diff,) = diff_versions(versions)
    assert [f.name for f in diff.fields] == ["title"]
    kinds = [c.kind for c in diff.body]
    assert kinds.count("removed") == 1 and kinds.count("added") == 1
    changed = next(c for c in diff.body if c.kind == "changed")
    assert any(tag == "added" and "tổng kết" in text for text, tag in changed.words)
    assert ("Chiều 8/1, Đảng ủy phường tổ chức hội", "same") in changed.words


def test_versions_page_through_datasette(tmp_path: Path) -> None:
    archive = ArchiveDB.open(tmp_path)
    archive.upsert_site({"id": "ward", "name": "Phường"})
    assert archive.store_article(record(FIRST)) == "new"
    assert archive.store_article(record(SECOND, "Hội nghị tổng kết năm")) == "updated"
    archive.close()
    ds = make_datasette(tmp_path / "archive.db")

    def get(path: str) -> tuple[int, str]:
        response = asyncio.run(ds.client.get(path))
        return response.status_code, response.text

    status, row = get("/archive/articles/1")
    assert status == 200 and "2 versions — see what changed" in row
    status, page = get("/-/versions/1")
    assert status == 200
    assert '<del class="removed">Quanh cảnh hội nghị.</del>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert get("/-/versions/99")[0] == 404
