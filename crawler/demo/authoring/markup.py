"""Article bodies from a light markup to each CMS's editor HTML, and pages to stored bytes.

Body markup: blocks separated by a blank line. A block that starts with ``<`` is raw HTML;
``img: FILE | CAPTION`` is an image with its caption in the CMS's style; anything else is a
paragraph (inline HTML allowed).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

ImageStyle = Callable[[str, str, str], str]  # (src, alt, caption) -> HTML


@dataclass(frozen=True)
class BodyStyle:
    paragraph_open: str
    image: ImageStyle
    image_dir: str  # URL folder images live in


def blocks(body: str) -> list[str]:
    return [" ".join(b.split()) if not b.lstrip().startswith("<") else b.strip()
            for b in body.strip().split("\n\n") if b.strip()]


def captions(body: str) -> list[str]:
    """The captions a body shows: gold says none of them belongs to the article text."""
    found = []
    for block in blocks(body):
        if block.startswith("img:"):
            _, _, caption = block[4:].partition("|")
            if caption.strip():
                found.append(caption.strip())
    return found


def render_body(body: str, style: BodyStyle) -> str:
    out = []
    for block in blocks(body):
        if block.startswith("<"):
            out.append(block)
        elif block.startswith("img:"):
            file, _, caption = (part.strip() for part in block[4:].partition("|"))
            # CMS editors fill alt with the file name: a classic source of junk text.
            alt = file.rsplit(".", 1)[0]
            out.append(style.image(f"{style.image_dir}/{file}", alt, caption))
        else:
            out.append(f"{style.paragraph_open}{block}</p>")
    return "\n".join(out)


def escape(text: str) -> str:
    return html.escape(text, quote=True)


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_windows_1258(text: str) -> bytes:
    """windows-1258 has the vowels with hats and horns precomposed but the five tone marks
    only as combining characters, so ``ế`` is stored as ``ê`` + combining acute."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if c not in _TONE_MARKS)
        )
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        try:
            out += (base + tones).encode("cp1258")
        except UnicodeEncodeError:
            out += f"&#{ord(char)};".encode("ascii")
    return bytes(out)


def encode_page(page: str, *, encoding: str = "utf-8", normalization: str = "NFC") -> bytes:
    if normalization not in ("NFC", "NFD"):
        raise ValueError(f"normalization must be NFC or NFD, not {normalization!r}")
    text = unicodedata.normalize("NFD" if normalization == "NFD" else "NFC", page)
    if encoding.lower() in ("windows-1258", "cp1258"):
        return to_windows_1258(text)
    return text.encode(encoding)
