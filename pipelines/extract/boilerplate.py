"""Boilerplate that leaks into extracted text on municipal portals (DOMAIN.md): counters,
comment prompts, related-list headings, rating and print widgets, banners, CMS artefacts, image
file names, gallery lead-ins, attachment lists. Rules work on paragraphs after trafilatura."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipelines.extract.zones import RELATED_HEADING

__all__ = ["block_key", "clean_paragraphs", "is_boilerplate_line"]

_LINE = re.compile(
    # visitor counters: a label and a number, nothing else
    r"^\s*(?:"
    r"trực tuyến|đang (?:online|truy cập|trực tuyến)|online|hôm nay|hôm qua|tuần này|tháng này|"
    r"năm nay|tổng (?:số )?(?:lượt )?truy cập|lượt (?:xem|truy cập|đọc)|số lượt (?:xem|truy cập)|"
    r"đã xem|lượt thích|khách|thành viên|thống kê truy cập|bộ đếm|tổng cộng|tất cả"
    r")\s*[:：]?\s*[\d.,\s]*(?:lượt)?\s*\.{0,3}\s*$"
    # clock widgets: today's date
    r"|^\s*hôm nay\s*[:：,]?\s*(?:(?:thứ\s+\w+|chủ nhật)\s*[,-]?\s*)?(?:ngày\s+)?"
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}.*$"
    # widgets whose label is the whole line
    r"|^\s*(?:viết bình luận|gửi bình luận|ý kiến bạn đọc|gửi ý kiến|bình luận của bạn|"
    r"họ (?:và )?tên|mã (?:xác nhận|bảo mật|an toàn)|nhập mã(?: xác nhận)?|gửi|hủy|huỷ|"
    r"đánh giá bài viết|bạn đánh giá|bình chọn|"
    r"đăng nhập|đăng xuất|đăng ký|quên mật khẩu|tên đăng nhập|mật khẩu|"
    r"in bài(?: viết)?|in trang|bản in|gửi email|gửi bài viết qua email|chia sẻ|chia sẻ bài viết|"
    r"cỡ chữ|phóng to|thu nhỏ|cỡ chữ mặc định|lưu bài viết|quay lại|về đầu trang|trở về|"
    r"asset publisher|xem thêm tin tức|tải về|download|email|print|share)"
    r"(?:\s*[:：|/]\s*(?:in|email|chia sẻ|facebook|zalo|twitter|[a+-]+)?)*\s*$"
    # widgets with a tail of their own
    r"|^\s*(?:tổng số điểm của bài viết là|chào mừng (?:bạn|quý vị) đến với|một số hình ảnh|"
    r"file đính kèm|tệp đính kèm|tập tin đính kèm|tài liệu đính kèm|tags?\s*:|từ khóa\s*:|"
    r"từ khoá\s*:).*$"
    # image file names and camera/auto alt text left as text
    r"|^\s*\S+\.(?:jpe?g|png|gif|webp|bmp|tiff?)\s*$"
    r"|^\s*z\d{6,}_\S*\s*$"
    r"|^\s*(?:img|dsc|image|ảnh|anh)[_-]?\d{2,}\S*\s*$",
    re.IGNORECASE,
)
# Elsewhere: a pointer to another story ('Lea también: …', 'Lesen Sie auch: …', 'Read more: …'),
# a prompt to follow the site on a social network, a paywall's pitch.
_CROSS_LINK = re.compile(
    r"^\s*(?:lea|lee|vea|ver|mire|mira)(?:\s+(?:también|tambien|más|mas|además))?\s*[:：»]|"
    r"^\s*(?:lesen sie (?:auch|mehr)|auch lesen|lies auch|mehr dazu|mehr zum thema|"
    r"read (?:more|also)|also read|see also|related|lire aussi|à lire aussi|voir aussi|"
    r"leggi anche|czytaj (?:też|także|również)|xem thêm|đọc thêm|tin liên quan|"
    r"bài liên quan)\s*[:：»]|"
    # the same label standing alone above one link: only that line goes, the text goes on
    r"^\s*(?:leggi anche|czytaj (?:też|także|również)|lesen sie auch|read also|also read|"
    r"see also|lea también|vea también)\s*[:：»]?\s*$", re.IGNORECASE)
# Both words anywhere in a short line, in either order ('Follow us on Twitter', 'Únete a
# nuestro canal de Telegram', 'To view the full story, please subscribe').
_SOCIAL_PROMPT = re.compile(
    r"^(?=.*(?:^|\W)(?:follow|folgen sie|folge uns|síguenos|siga|suivez|únete|unete|join|"
    r"abonniere|suscríbete|subscribe|canal de|channel|kanal)\b)"
    r"(?=.*\b(?:twitter|facebook|instagram|telegram|whatsapp|youtube|tiktok|linkedin)\b)",
    re.IGNORECASE)
_PAYWALL = re.compile(
    r"^(?=.*\b(?:subscribe|subscribers?|subscription|abonnez|abonnement|abonnieren|"
    r"suscríbase|suscripción)\b)(?=.*\b(?:full story|to continue|continue reading|"
    r"read the rest|la suite|en illimité|immediate access|welcome gift)\b)", re.IGNORECASE)
_PROMPT_SIZE = 300  # characters; a prompt is a sentence or two, never a paragraph of text
# Lines that end the article: everything after is a related list, attachments or comments.
_CUT = re.compile(
    r"^\s*(?:file đính kèm|tệp đính kèm|tập tin đính kèm|tài liệu đính kèm|"
    r"viết bình luận|gửi bình luận|ý kiến bạn đọc|ý kiến của bạn|bình luận)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_ATTACHMENT = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|rar|zip)\s*(?:\(\s*[\d.,]+\s*[kmg]?b\s*\))?\s*$", re.IGNORECASE)
# An official document's tail: the recipients list ('Nơi nhận: …') ends the text, and the
# signature block ('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH') is not prose.
_RECIPIENTS = re.compile(r"^\s*nơi nhận\s*[:：]", re.IGNORECASE)
_SIGNATURE = re.compile(r"^\s*(?:TM|KT|TL|TUQ|Q)\s*\.\s*\w")
_DIGITS = re.compile(r"\d+")
_MAX_KEY = 300  # longer blocks are compared by their first characters


@lru_cache(maxsize=4096)
def block_key(text: str) -> str:
    """How repeated blocks are compared across pages: NFC, case- and space-folded, with digits
    folded so that 'Hôm nay: 1314' and 'Hôm nay: 1402' are the same block. Remembered: one
    page asks for the key of each of its paragraphs four or five times (captions, boilerplate,
    the date line, the headline, the learned boilerplate)."""
    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return _DIGITS.sub("0", folded)[:_MAX_KEY]


def is_boilerplate_line(text: str) -> bool:
    return bool(_LINE.match(text)) or bool(RELATED_HEADING.match(text))


def _row_text(text: str) -> str:
    """A table row as trafilatura writes it ('| Hôm nay: | 312 |') → its cells' text, so a
    counter laid out in a table is recognised like one written on a line."""
    if text.startswith("|") and text.endswith("|"):
        return " ".join(cell.strip() for cell in text.strip("|").split(" | ") if cell.strip())
    return text


def _is_caps_line(text: str) -> bool:
    if len(text.split()) > 8:
        return False  # asked of every paragraph late in the text: the cheap test first
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def clean_paragraphs(paragraphs: list[str], site_boilerplate: frozenset[str] = frozenset()
                     ) -> list[str]:
    """Drop boilerplate paragraphs; stop at a related-list/comment/attachment heading that comes
    after the text has started."""
    kept: list[str] = []
    in_signature = False
    for index, paragraph in enumerate(paragraphs):
        original = paragraph.strip()
        text = _row_text(original)
        if not text:
            continue
        key = block_key(original)
        heading_like = len(text) <= 60
        late = index >= len(paragraphs) // 3 and bool(kept)
        if heading_like and (_CUT.match(text) or RELATED_HEADING.match(text)) and late:
            break
        if late and _RECIPIENTS.match(text):
            break
        if late and _is_caps_line(text) and (in_signature or _SIGNATURE.match(text)):
            in_signature = True
            continue
        in_signature = False
        if heading_like and is_boilerplate_line(text):
            continue
        if len(text) <= _PROMPT_SIZE and (_CROSS_LINK.match(text) or _SOCIAL_PROMPT.match(text)
                                          or _PAYWALL.match(text)):
            continue
        if _ATTACHMENT.search(text) and len(text) <= 200:
            continue
        if key in site_boilerplate:
            continue
        kept.append(original)
    return kept
