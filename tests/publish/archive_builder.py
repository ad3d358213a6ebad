"""A small archive built with project code (ArchiveDB.store_article + WarcFile) for the publish
tests: the seed article with its captured page, plus articles chosen to exercise search.

Every article here exists to make one published behaviour observable; the names say which.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import archive.schema_search  # noqa: F401  (until archive/schema.py imports it)
from archive.db import ArchiveDB, ArticleRecord
from archive.warc import WarcFile

REPO = Path(__file__).resolve().parents[2]
SEED_PAGE = (REPO / "crawler/demo/portals/tayson/site/vi/news/xay-dung-dang/"
             "dang-uy-phuong-tay-son-to-chuc-hoi-nghi-tong-ket-cong-tac-xay-dung-dang-"
             "chinh-quyen-nam-2023-1294.html")
SEED_URL = ("http://tayson.demo.invalid/vi/news/xay-dung-dang/dang-uy-phuong-tay-son-to-chuc-"
            "hoi-nghi-tong-ket-cong-tac-xay-dung-dang-chinh-quyen-nam-2023-1294.html")
SEED_TITLE = ("Đảng ủy phường Tây Sơn tổ chức Hội nghị Tổng kết công tác xây dựng Đảng, "
              "Chính quyền năm 2023")

# A script a real portal page could carry: if it ever runs, the page says so in its DOM, in
# its title, and in the parent page when it can reach it.
SCRIPT_MARKER = "muni-script-ran"
HOSTILE_SCRIPT = (
    "<script>document.documentElement.setAttribute('data-script-ran', 'yes');"
    "document.title = 'SCRIPT RAN';"
    "try { window.parent.document.body.setAttribute('data-capture-script', 'ran'); } "
    "catch (e) {}</script>"
    "<img src=\"x\" onerror=\"document.documentElement.setAttribute('data-onerror-ran', 'yes')\">"
)

SITES = [
    {"id": "tayson", "name": "Cổng thông tin điện tử phường Tây Sơn",
     "base_url": "http://tayson.demo.invalid/", "ward": "Phường Tây Sơn",
     "city": "Thành phố Tam Điệp", "province": "Tỉnh Ninh Bình", "country": "VN",
     "cms": "nukeviet", "language": "vi", "timezone": "Asia/Ho_Chi_Minh"},
    {"id": "phuocvinh", "name": "Trang thông tin điện tử phường Phước Vĩnh",
     "base_url": "http://phuocvinh.demo.invalid/", "ward": "Phường Phước Vĩnh",
     "city": "Thành phố Huế", "province": "Thành phố Huế", "country": "VN",
     "cms": "liferay", "language": "vi", "timezone": "Asia/Ho_Chi_Minh"},
    {"id": "musterstadt", "name": "Stadt Musterstadt — Aktuelles",
     "base_url": "http://musterstadt.demo.invalid/", "ward": None, "city": "Musterstadt",
     "province": "Bayern", "country": "DE", "cms": "drupal", "language": "de",
     "timezone": "Europe/Berlin"},
]


def seed_body() -> tuple[str, list[str]]:
    """The seed article's clean body and its captions, from the demo's expectations: the
    captions, the byline and the visitor counter are not body text."""
    lines = [line.strip() for line in (REPO / "tests/publish/seed_article.txt")
             .read_text(encoding="utf-8").splitlines() if line.strip()]
    captions = [
        "Quanh cảnh hội nghị.",
        "Đồng chí Vũ Đình Chiến Ủy viên BTV Thành ủy, Phó Chủ tịch Thường trực UBND thành phố "
        "phát biểu.",
        "Đồng chí Vũ Đình Chiến Ủy viên BTV Thành ủy, Phó Chủ tịch Thường trực UBND thành phố "
        "trao Kỷ niệm chương cho đồng chí Phạm Duy Phong, Thành ủy viên, Bí thư đảng bộ phường.",
        "Lãnh đạo Đảng ủy, UBND phường trao giấy khen cho các tập thể và cá nhân có thành tích "
        "xuất sắc năm 2023.",
    ]
    boilerplate = {"Hoàng Bình", "Trực tuyến: 236", "Hôm nay: 1314"}
    body = [line for line in lines if line not in captions and line not in boilerplate]
    return "\n\n".join(body), captions


@dataclass(frozen=True)
class BuiltArchive:
    folder: Path
    db_path: Path
    ids: dict[str, int]  # article key → articles.id


def _article(key: str, site: str, title: str, body: str, published: str | None,
             author: str | None = None, **extra: object) -> tuple[str, ArticleRecord]:
    url = f"http://{site}.demo.invalid/news/{key}.html"
    return key, ArticleRecord(url=url, fetched_url=url, site=site, title=title, body=body,
                              published=published, author=author,
                              language="de" if site == "musterstadt" else "vi",
                              **extra)  # type: ignore[arg-type]


@contextmanager
def _warcio_temp_files_unclosed() -> Iterator[None]:
    # warcio buffers a record without a known length in a SpooledTemporaryFile it never
    # closes (recordbuilder.ensure_digest); WarcFile.write_exchange passes no length, so each
    # record leaks one. Reported to the archive's owner; ignored here so the fixture builds.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield
        import gc

        gc.collect()


def build_archive(folder: Path) -> BuiltArchive:
    with _warcio_temp_files_unclosed():
        return _build_archive(folder)


def _build_archive(folder: Path) -> BuiltArchive:
    archive = ArchiveDB.open(folder)
    try:
        for site in SITES:
            archive.upsert_site(site)
        warc = WarcFile(archive.folder, "warc/test-0001.warc.gz")
        page = SEED_PAGE.read_bytes().replace(b"{{BASE}}", b"http://tayson.demo.invalid")
        page = page.replace(b"</body>", HOSTILE_SCRIPT.encode() + b"</body>", 1)
        capture = warc.write_exchange(
            url=SEED_URL, method="GET", request_headers=[("User-Agent", "muni-archive-test")],
            status=200, reason="OK",
            response_headers=[("Content-Type", "text/html; charset=utf-8")], body=page)
        hostile_page = (b"<html><head><title>Hostile</title></head><body><p>Captured</p>"
                        + HOSTILE_SCRIPT.encode() + b"</body></html>")
        hostile_capture = warc.write_exchange(
            url="http://phuocvinh.demo.invalid/news/hostile.html", method="GET",
            request_headers=[], status=200, reason="OK",
            response_headers=[("Content-Type", "text/html")], body=hostile_page)
        warc.close()

        body, captions = seed_body()
        articles = [
            ("seed", ArticleRecord(
                url=SEED_URL, fetched_url=SEED_URL, site="tayson", title=SEED_TITLE,
                body=body, published="2024-01-08T16:30+07:00", author="Hoàng Bình",
                language="vi", title_raw=SEED_TITLE, title_source="h1",
                published_raw="Thứ hai - 08/01/2024 16:30", published_source="text",
                published_precision="minute", author_raw="Hoàng Bình",
                author_source="byline", author_rule="trailing-name", author_kind="person",
                captions=[{"text": c, "image": None} for c in captions],
                warc_file=capture.file, warc_offset=capture.offset,
                warc_length=capture.length, warc_record_id=capture.record_id,
                alias_urls=(SEED_URL.replace("/xay-dung-dang/", "/print/"),))),
            _article("hostile", "phuocvinh", "Tiêu đề <i>in nghiêng</i> & ký tự",
                     "Đoạn có mã <script>alert(1)</script> và <b>chữ đậm</b>.\n\n"
                     "Đoạn thứ hai về Đảng ủy phường Phước Vĩnh.",
                     "2023-11-02", "BBT", author_kind="unit",
                     warc_file=hostile_capture.file, warc_offset=hostile_capture.offset,
                     warc_length=hostile_capture.length,
                     warc_record_id=hostile_capture.record_id),
            # Old and new tone placement: hoà (new) must be found by hòa (old) and back.
            _article("hoa-giai", "phuocvinh", "Hội nghị hoà giải ở cơ sở",
                     "Tổ hoà giải phường Phước Vĩnh tổng kết năm.", "2023-12-15T08:00+07:00",
                     "Trần Thị Thuý"),
            # ma, má, mà: three different words.
            _article("ma", "phuocvinh", "Chuyện con ma ở làng",
                     "Người dân kể chuyện con ma.", "2023-10-01", "Lê Văn A"),
            _article("ma-sac", "phuocvinh", "Má tôi đi chợ Tết",
                     "Má tôi đi chợ từ sáng sớm.", "2023-10-02", "Lê Văn A"),
            _article("ma-huyen", "phuocvinh", "Mà thôi, chuyện cũ",
                     "Mà thôi, chuyện đã qua rồi.", "2023-10-03", "Lê Văn B"),
            # đang (is doing) folds to dang like Đảng does.
            _article("dang", "tayson", "Nhân dân đang chờ đường mới",
                     "Bà con đang chờ công trình hoàn thành.", "2023-09-09", "Hoàng Bình"),
            # The phrase "tổng kết" once, against the same syllables many times apart.
            _article("scattered", "tayson", "Kết quả tổng hợp số liệu",
                     "Tổng số hộ: 300. Kết quả: tốt. Tổng thu tăng, kết dư lớn. Tổng hợp, "
                     "kết luận, tổng cộng, kết nối, tổng thể, kết hợp.", "2023-08-08"),
            _article("undated", "tayson", "Thông báo lịch tiếp công dân",
                     "Lịch tiếp công dân của phường Tây Sơn trong tháng.", None),
            _article("german", "musterstadt", "Bürgerversammlung im Rathaus",
                     "Die Bürgerversammlung findet im großen Saal statt.",
                     "2024-02-01T18:00+01:00", "Pressestelle"),
        ]
        ids = {}
        for key, record in articles:
            archive.store_article(record)
            stored = archive.article(record.url)
            assert stored is not None
            ids[key] = int(stored["id"])
        return BuiltArchive(archive.folder, archive.path, ids)
    finally:
        archive.close()
