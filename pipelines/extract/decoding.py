"""Raw response bytes → NFC text, without trusting the declared charset blindly.

Municipal servers label pages wrongly in both directions: UTF-8 pages declared as
windows-1252/latin-1, and legacy windows-1258 pages declared as UTF-8 or not at all. Scrapy's
``response.text`` believes the label and silently loses the Vietnamese letters, so we decide
from the bytes: valid UTF-8 wins (random legacy bytes are almost never valid UTF-8), otherwise
each plausible single-byte charset is tried and the one that reads most like real text is kept.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DecodeFailure", "DecodedPage", "decode_page"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_HTML_MIME = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0",
                 b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"ID3", b"OggS", b"RIFF", b"\x00\x00\x01\x00")
_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|meta|title|table|span|a)\b", re.I)
# Letters only Vietnamese uses (after NFC) — not the á/ã/ê/ô/ý that Western charsets share, so a
# legacy page misread as windows-1252 scores none of them.
_VIETNAMESE = frozenset(
    "ăđơưĂĐƠƯ"
    "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
)
# Typical debris of a wrong single-byte guess: stray combining marks, C1 controls, symbols that
# real prose almost never contains mid-word, and windows-1258 tone bytes read as windows-1252
# letters glued to a vowel ('HoÌa', 'XaÞ').
_DEBRIS = re.compile(r"[\u0080-\u009f\u00a4\u00a6\u00a8\u00ac\u00af\u00b8\u00bc-\u00be\ufffd"
                     r"ðÐþÞ]|(?<![\w])[\u0300-\u036f]|[\u0300-\u036f]{2,}"
                     r"|(?<=[aeiouyAEIOUYâêôÂÊÔ])[ÌÒìò]")
# UTF-8 read as cp1252/latin-1 and re-encoded ("Ä‘", "Ã¡", "áº¡"): repairable mojibake.
# Latin-1 symbols a TCVN3 page puts inside words ('Th«ng b¸o'); not the soft hyphen, the
# ordinal indicators or the middle dot that German, Spanish and Catalan use legitimately.
_GLUED_SYMBOL = re.compile(r"[^\W\d_]([\u00a1-\u00a9\u00ab\u00ac\u00ae-\u00b6\u00b8\u00b9"
                           r"\u00bb-\u00bf])[^\W\d_]")
_TCVN3_SYMBOLS = re.compile(r"[\u00a1-\u00a9\u00ab\u00ac\u00ae-\u00b6\u00b8\u00b9\u00bb-\u00bf]")
_NOT_TCVN3_SYMBOL = bytes(b for b in range(256) if not _TCVN3_SYMBOLS.match(chr(b)))
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MOJIBAKE = re.compile(r"(?:Ã[\u0080-\u00bf¡-¿]|Ä[\u0080-\u00bf‘’]|Æ[°¡]|á[º»][\u0080-\u00bf¡-¿])")


@dataclass(frozen=True)
class DecodedPage:
    text: str  # NFC
    encoding: str  # the codec actually used
    declared: str | None  # what the headers or the page claimed
    repaired: bool = False  # double-encoded UTF-8 was repaired


class DecodeFailure(Exception):
    """The bytes are not a readable HTML page; ``reason`` is a NoArticle reason slug."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers read latin-1 labels as windows-1252 (WHATWG encoding standard); so do we.
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def _declared_charset(data: bytes, content_type: str | None) -> str | None:
    if content_type:
        declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
        if declared:
            return declared.group(1)
    head = data[:4096]
    in_page = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return in_page.group(1).decode("ascii", "replace") if in_page else None


def _plausibility(text: str) -> float:
    """How much a decoding reads like real text: Vietnamese letters up, debris down."""
    sample = unicodedata.normalize("NFC", text)
    viet = sum(1 for ch in sample if ch in _VIETNAMESE)
    debris = len(_DEBRIS.findall(sample)) + 3 * len(_MOJIBAKE.findall(sample))
    return viet - 4 * debris


def _check_not_html(data: bytes, content_type: str | None) -> None:
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and not mime.startswith(_HTML_MIME) and not mime.endswith(("+xml", "/html")):
        raise DecodeFailure("not-html", f"Content-Type is {mime}")
    head = data[:2048].lstrip()
    if head.startswith(_BINARY_MAGIC):
        raise DecodeFailure("not-html", "binary file signature")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeFailure("not-html", "binary content (NUL bytes)")


def _single_byte_value(ch: str) -> int | None:
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(ch) if ord(ch) < 256 else None  # latin-1 passes C1 bytes through


def _repair_mojibake(text: str) -> str | None:
    """UTF-8 that was read as windows-1252/latin-1 and saved again ('TÃ¢y SÆ¡n')."""
    if "Ã" not in text and "Ä" not in text and "á»" not in text and "Æ" not in text:
        return None  # cheap test first: most pages have none of mojibake's lead characters
    if len(_MOJIBAKE.findall(text[:20000])) < 3:
        return None
    values = [_single_byte_value(ch) for ch in text]
    if any(v is None for v in values):
        return None
    try:
        return bytes(values).decode("utf-8")  # type: ignore[arg-type]
    except UnicodeDecodeError:
        return None


def _tcvn3_symbols(text: str) -> int:
    """len(_TCVN3_SYMBOLS.findall(text)), at a third of the cost: the symbols are Latin-1
    characters, so they are the bytes left when the text is encoded as Latin-1 (dropping
    every other character) and every byte that is not one of them is deleted."""
    return len(text.encode("latin-1", "ignore").translate(None, _NOT_TCVN3_SYMBOL))


def _legacy_font_encoding(text: str) -> bool:
    """TCVN3/ABC pages ('Th«ng b¸o'): Vietnamese drawn with a legacy font's byte layout, which
    no charset maps back to letters. Latin-1 symbols glued inside words give it away."""
    if _tcvn3_symbols(text[:80000]) < 20:
        return False  # most pages stop here
    sample = _SCRIPTS.sub(" ", text[:80000])
    glued = _GLUED_SYMBOL.findall(sample)
    return len(glued) >= 20 and len(set(glued)) >= 3 and \
        len(glued) > 0.03 * max(1, len(sample.split()))


def decode_page(data: bytes, headers: Mapping[str, str] | None = None) -> DecodedPage:
    """Decode a response body. Raises DecodeFailure(reason) for empty, non-HTML or unreadable
    input — the caller turns it into NoArticle."""
    if not data or not data.strip():
        raise DecodeFailure("empty", "the response body is empty")
    content_type = _header(headers, "content-type")
    _check_not_html(data, content_type)
    declared = _declared_charset(data, content_type)
    declared_codec = _codec(declared)

    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _finish(data.decode(codec, "replace"), codec, declared)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text, codec = _best_single_byte(data, declared_codec, exc)
    else:
        codec = "utf-8"
    return _finish(text, codec, declared)


def _best_single_byte(data: bytes, declared_codec: str | None,
                      utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    candidates = [c for c in (declared_codec, "cp1258", "cp1252") if c and c != "utf-8"]
    best: tuple[float, str, str] | None = None
    for codec in dict.fromkeys(candidates):
        try:
            text = data.decode(codec, "replace")
        except LookupError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    # A UTF-8 page with a handful of corrupt bytes reads better as UTF-8 with replacements.
    utf8_text = data.decode("utf-8", "replace")
    utf8_score = _plausibility(utf8_text)
    if best is None or utf8_score >= best[0]:
        return utf8_text, "utf-8"
    return best[1], best[2]


def _finish(text: str, codec: str, declared: str | None) -> DecodedPage:
    repaired = _repair_mojibake(text)
    if repaired is not None:
        text = repaired
    sample = text[:50000]
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    broken = sample.count("\ufffd")
    if non_ascii and broken > max(20, non_ascii // 5):
        raise DecodeFailure("broken-charset",
                            f"{broken} of {non_ascii} non-ASCII characters are undecodable")
    if _legacy_font_encoding(text):
        raise DecodeFailure("broken-charset",
                            "legacy Vietnamese font encoding (TCVN3/VNI): letters cannot be "
                            "recovered")
    if not _MARKUP.search(text[:20000]):
        raise DecodeFailure("not-html", "no HTML markup found")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return DecodedPage(text, codec, declared, repaired is not None)
