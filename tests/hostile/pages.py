"""What the hazard server says: a ward portal's good articles, and the bytes of its bad pages.

Invented articles in the shape of a small Vietnamese ward portal (DOMAIN.md): a title, a date
line, several paragraphs and a byline alone at the end. Each good article must come out of the
crawl with exactly this title, date and text, whatever hazard it is served through.
"""

from __future__ import annotations

import gzip
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from html import escape

__all__ = ["ARTICLES", "GoodArticle", "article_html", "gzip_bomb_member", "pdf_bytes",
           "to_windows_1258", "zip_bytes"]


@dataclass(frozen=True)
class GoodArticle:
    key: str
    path: str
    title: str
    date_line: str
    published: str  # what the archive must store, day-first date read with the site's offset
    paragraphs: tuple[str, ...]
    author: str


ARTICLES: dict[str, GoodArticle] = {a.key: a for a in (
    GoodArticle(
        key="plain",
        path="/tin-tuc/hoi-nghi-so-ket-cong-tac-quy-i-nam-2024.html",
        title="Phường Đông Hưng sơ kết công tác quý I năm 2024",
        date_line="Ngày đăng: 05/04/2024 09:15",
        published="2024-04-05T09:15+07:00",
        paragraphs=(
            "Sáng ngày 04/4/2024, Ủy ban nhân dân phường Đông Hưng tổ chức hội nghị sơ kết "
            "công tác quý I, triển khai nhiệm vụ trọng tâm quý II năm 2024.",
            "Theo báo cáo, trong quý I, tình hình kinh tế - xã hội trên địa bàn phường tiếp tục "
            "ổn định; công tác cải cách hành chính, chuyển đổi số được đẩy mạnh, tỷ lệ hồ sơ "
            "giải quyết đúng hạn đạt 99,2%.",
            "Phát biểu chỉ đạo, đồng chí Chủ tịch UBND phường đề nghị các ban, ngành, đoàn thể "
            "và 12 tổ dân phố tập trung hoàn thành chỉ tiêu thu ngân sách, chỉnh trang đô thị "
            "và giữ gìn trật tự an toàn xã hội.",
        ),
        author="Minh Đức",
    ),
    GoodArticle(
        key="duplicate",
        path="/tin-tuc/le-giao-nhan-quan-nam-2024.html",
        title="Rộn ràng lễ giao nhận quân năm 2024",
        date_line="Ngày đăng: 26/02/2024 07:30",
        published="2024-02-26T07:30+07:00",
        paragraphs=(
            "Trong không khí phấn khởi, phường Đông Hưng long trọng tổ chức lễ giao nhận quân "
            "năm 2024 cho 18 thanh niên ưu tú lên đường nhập ngũ.",
            "Thay mặt các tân binh, thanh niên Nguyễn Văn Hải bày tỏ niềm tự hào và hứa sẽ ra "
            "sức học tập, rèn luyện, hoàn thành xuất sắc mọi nhiệm vụ được giao.",
            "Dịp này, lãnh đạo phường đã tặng quà, động viên gia đình các tân binh có hoàn "
            "cảnh khó khăn, góp phần để các em yên tâm lên đường làm nhiệm vụ.",
        ),
        author="Thu Hà",
    ),
    GoodArticle(
        key="after_503",
        path="/bao-tri/ngay-hoi-hien-mau-tinh-nguyen.html",
        title="Ngày hội hiến máu tình nguyện đợt 1 năm 2024",
        date_line="Thứ Bảy, 16/03/2024",
        published="2024-03-16",
        paragraphs=(
            "Hưởng ứng phong trào hiến máu tình nguyện, Hội Chữ thập đỏ phường Đông Hưng phối "
            "hợp với bệnh viện đa khoa tỉnh tổ chức ngày hội hiến máu đợt 1 năm 2024.",
            "Ngay từ sáng sớm, đông đảo cán bộ, đoàn viên thanh niên và người dân đã có mặt để "
            "đăng ký, khám sàng lọc và hiến máu; kết quả tiếp nhận được 156 đơn vị máu.",
            "Những giọt máu hồng được trao đi sẽ góp phần cứu chữa kịp thời cho nhiều người "
            "bệnh đang điều trị tại các cơ sở y tế trên địa bàn tỉnh.",
        ),
        author="Quỳnh Anh",
    ),
    GoodArticle(
        key="windows_1258_labelled_utf8",
        path="/tin-tuc/ra-mat-mo-hinh-phu-nu-tiet-kiem.html",
        title="Ra mắt mô hình “Phụ nữ tiết kiệm vì cộng đồng”",
        date_line="Ngày đăng: 08/03/2024 14:00",
        published="2024-03-08T14:00+07:00",
        paragraphs=(
            "Nhân kỷ niệm ngày Quốc tế Phụ nữ 8/3, Hội Liên hiệp Phụ nữ phường Đông Hưng ra mắt "
            "mô hình “Phụ nữ tiết kiệm vì cộng đồng” tại tổ dân phố số 7.",
            "Mô hình thu hút 45 hội viên tham gia, mỗi tháng đóng góp một khoản nhỏ để hỗ trợ "
            "chị em khó khăn vay vốn phát triển kinh tế gia đình, không tính lãi.",
            "Chủ tịch Hội đề nghị các chi hội nhân rộng mô hình, quản lý nguồn quỹ minh bạch, "
            "đúng mục đích và thường xuyên thông tin kết quả đến hội viên.",
        ),
        author="Lê Thị Thuỷ",
    ),
    GoodArticle(
        key="utf8_labelled_windows_1258",
        path="/tin-tuc/tuyen-truyen-phong-chay-chua-chay-mua-kho.html",
        title="Tuyên truyền phòng cháy, chữa cháy trong mùa khô",
        date_line="Ngày đăng: 21/03/2024 16:45",
        published="2024-03-21T16:45+07:00",
        paragraphs=(
            "Trước diễn biến nắng nóng kéo dài, Công an phường Đông Hưng tổ chức tuyên truyền "
            "kỹ năng phòng cháy, chữa cháy cho hộ kinh doanh và nhà trọ trên địa bàn.",
            "Cán bộ Công an phường hướng dẫn người dân cách sử dụng bình chữa cháy, thoát nạn "
            "khi có cháy và kiểm tra hệ thống điện trong gia đình thường xuyên.",
            "Qua đợt tuyên truyền, 230 hộ gia đình đã ký cam kết bảo đảm an toàn phòng cháy, "
            "chữa cháy, không để xảy ra cháy nổ do chủ quan, bất cẩn.",
        ),
        author="Trọng Nghĩa",
    ),
    GoodArticle(
        key="malformed",
        path="/tin-tuc/khanh-thanh-nha-van-hoa-to-dan-pho-5.html",
        title="Khánh thành nhà văn hóa tổ dân phố 5",
        date_line="Đăng lúc: 10:20:05 12/01/2024 (GMT+7)",
        published="2024-01-12T10:20:05+07:00",
        paragraphs=(
            "Chiều ngày 11/01/2024, tổ dân phố 5 phường Đông Hưng tổ chức lễ khánh thành và đưa "
            "vào sử dụng nhà văn hóa mới sau 6 tháng thi công.",
            "Công trình có tổng kinh phí hơn 1,2 tỷ đồng, trong đó nhân dân đóng góp 450 triệu "
            "đồng cùng hàng trăm ngày công lao động.",
            "Nhà văn hóa là nơi sinh hoạt cộng đồng, tổ chức các hoạt động văn hóa, thể thao, "
            "góp phần xây dựng tổ dân phố văn minh, đoàn kết.",
        ),
        author="Hoàng Bình",
    ),
    GoodArticle(
        # Linked only through an old address whose page says <meta http-equiv="refresh">.
        key="moved",
        path="/tin-tuc/trao-hoc-bong-cho-hoc-sinh-ngheo-vuot-kho.html",
        title="Trao học bổng cho học sinh nghèo vượt khó năm học 2023 - 2024",
        date_line="Ngày đăng: 20/11/2023 16:45",
        published="2023-11-20T16:45+07:00",
        paragraphs=(
            "Chiều ngày 20/11/2023, Hội Khuyến học phường Đông Hưng tổ chức trao 35 suất học "
            "bổng cho học sinh có hoàn cảnh khó khăn, vươn lên trong học tập.",
            "Mỗi suất học bổng trị giá 1 triệu đồng, do các doanh nghiệp và nhà hảo tâm trên "
            "địa bàn phường đóng góp.",
            "Dịp này, Hội cũng biểu dương 12 giáo viên có nhiều đóng góp cho phong trào khuyến "
            "học, khuyến tài của địa phương.",
        ),
        author="Thanh Tâm",
    ),
)}

_SIDEBAR = """<aside class="sidebar"><h3>Thống kê truy cập</h3><p>Trực tuyến: 17</p>
<p>Hôm nay: 482</p></aside>"""


def article_html(article: GoodArticle, *, charset: str = "utf-8", links: str = "",
                 malformed: bool = False) -> str:
    """The page of one article as the portal's CMS renders it (``charset`` is what it claims)."""
    body = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in article.paragraphs)
    if malformed:
        # What a decade of copy-paste from Word leaves behind: unclosed and misnested tags,
        # unquoted attributes, a stray </div>, a <table> used for layout, no </body></html>.
        return (f'<html><head><meta charset={charset}><title>{escape(article.title)}'
                f'</title>\n<body><table width=100%><tr><td class=noidung>'
                f'<h1><b>{escape(article.title)}</h1></b>\n<div class=ngay>{article.date_line}'
                f'\n<p><font face=Arial>{escape(article.paragraphs[0], quote=False)}\n'
                f'<p><span>{escape(article.paragraphs[1], quote=False)}</div></div>\n'
                f'<p>{escape(article.paragraphs[2], quote=False)}</font>\n'
                f'<p align=right><b>{article.author}</p></td></tr>\n{links}')
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}">
<title>{escape(article.title)} - Cổng thông tin điện tử phường Đông Hưng</title></head>
<body><header><a href="/">Trang chủ</a> | <a href="/tin-tuc/">Tin tức</a></header>
<main><article><h1>{escape(article.title)}</h1>
<p class="ngay-dang">{article.date_line}</p>
{body}
<p style="text-align:right"><strong>{escape(article.author)}</strong></p>
</article></main>{_SIDEBAR}
<footer>{links}</footer></body></html>"""


# Tone marks: windows-1258 writes them as combining characters after a precomposed base letter.
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_windows_1258(text: str) -> bytes:
    """Encode Vietnamese as a windows-1258 page really is: base letter (â, ơ, ư…) plus a
    combining tone mark. Python's codec only maps whole characters, so decompose first."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out += (base + tones).encode("cp1258", errors="xmlcharrefreplace")
    return bytes(out)


def gzip_bomb_member(megabytes: int = 1) -> bytes:
    """One gzip member of ``megabytes`` MiB of zeros: about a kilobyte. Members concatenated
    are one valid gzip stream (RFC 1952 §2.2), so N copies expand to N MiB."""
    return gzip.compress(b"\0" * (megabytes << 20), compresslevel=9, mtime=0)


def pdf_bytes() -> bytes:
    """A small but real PDF: what a 'quyết định' attachment served under an .html name is."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def zip_bytes() -> bytes:
    """A ZIP of forms (biểu mẫu), the kind a CMS serves as text/html under an .html name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mau-don-de-nghi.docx", b"PK fake docx " * 200)
        archive.writestr("huong-dan.txt", "Hướng dẫn điền mẫu đơn đề nghị.\n" * 50)
    return buffer.getvalue()
