"""Image captions: found next to their images in the tree, taken out of the body before
trafilatura runs, and kept with the image URL. On municipal portals a caption is usually a bare
short sentence right after an image ('Quang cảnh hội nghị.'), sometimes '- Ảnh: …'."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.html import HtmlElement

from pipelines.extract.bylines import parse_trailing_name
from pipelines.extract.result import Caption
from pipelines.extract.zones import is_noise_container

__all__ = ["PHOTO_CREDIT", "take_captions"]

_CAPTION_CLASS = re.compile(r"caption|(?:^|[-_\s])desc|chu[-_]?thich|chuthich|image[-_]?desc|"
                            r"img[-_]?desc|photo[-_]?(?:desc|text)|legend|ghi[-_]?chu", re.I)
# Standalone caption boxes, recognisable by name alone (not 'desc': that is often the lead).
_CAPTION_BOX = re.compile(r"caption|chu[-_]?thich|chuthich|image[-_]?desc|img[-_]?desc|"
                          r"photo[-_]?desc|pic[-_]?desc", re.I)
_MAX_CAPTION = 260
PHOTO_CREDIT = re.compile(r"^\s*[(\[]?\s*ảnh\s*[:：]|[(\[-–]\s*ảnh\s*[:：][^)\]]*[)\]]?\s*\.?\s*$",
                          re.IGNORECASE)


def _text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _image_url(img: HtmlElement, base: str | None) -> str | None:
    src = str(img.get("src") or img.get("data-src") or img.get("data-original") or "")
    if not src or src.startswith("data:"):
        return None
    return urljoin(base or "", src.strip())


def _block_of(img: HtmlElement) -> HtmlElement | None:
    block = img.getparent()
    while block is not None and block.tag not in ("p", "div", "td", "center", "figure", "li"):
        if block.tag in ("body", "html"):
            return None
        block = block.getparent()
    return block


def _next_text_sibling(block: HtmlElement) -> HtmlElement | None:
    for sibling in block.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag == "br":
            continue
        if not _text(sibling) and sibling.find(".//img") is None:
            continue
        return sibling
    return None


def _is_caption_text(text: str, *, last_block: bool) -> bool:
    if not text or len(text) > _MAX_CAPTION or len(text.split()) > 45:
        return False
    if text.endswith(":"):
        return False  # a lead-in to the next paragraph or a list
    # A bare name after the last image is the byline, not a caption.
    return not (last_block and parse_trailing_name(text) is not None)


_DECORATIVE_SRC = re.compile(r"logo|banner|icon|avatar|sprite|button|thumb", re.I)


def _decorative(img: HtmlElement) -> bool:
    """Logos, thumbnails of other articles, images in page chrome: their neighbours are menus
    and links, not captions."""
    if _DECORATIVE_SRC.search(img.get("src") or ""):
        return True
    for ancestor in img.iterancestors():
        if ancestor.tag in ("a", "header", "nav", "footer", "aside", "figure") or \
                is_noise_container(ancestor):
            return True
    return False


def _is_last_text_block(element: HtmlElement) -> bool:
    return not any(isinstance(s.tag, str) and _text(s) for s in element.itersiblings())


def take_captions(tree: HtmlElement, base_url: str | None, *, bare_captions: bool
                  ) -> list[Caption]:
    """Find captions, remove their elements from ``tree``, and return them in page order.

    ``bare_captions``: also take an unstyled short sentence right after an image (the municipal
    convention). Elsewhere a paragraph after a picture is as often the story itself, so only
    marked captions (figcaption, caption classes, italics, centred) are taken."""
    found: list[tuple[HtmlElement, Caption]] = []
    seen: set[HtmlElement] = set()

    for element in tree.iter("figcaption"):
        figure = element.getparent()
        img = figure.find(".//img") if figure is not None else None
        text = _text(element)
        if text:
            url = _image_url(img, base_url) if img is not None else None
            found.append((element, Caption(text, url)))
            seen.add(element)

    for img in tree.iter("img"):
        if _decorative(img):
            continue
        block = _block_of(img)
        if block is None or block in seen or is_noise_container(block):
            continue
        if any(a in seen for a in img.iterancestors()):
            continue
        url = _image_url(img, base_url)
        candidate: HtmlElement | None = None
        block_text = _text(block)
        if block.tag == "td":
            table = next(block.iterancestors("table"), None)
            if table is not None and len(table.findall(".//img")) == 1 and \
                    len(table.findall(".//tr")) <= 3:
                for cell in table.iter("td"):
                    if cell is not block and _text(cell):
                        candidate = cell
                        break
        if candidate is None and not block_text:
            candidate = _next_text_sibling(block)
            if candidate is not None and candidate.find(".//img") is not None:
                candidate = None
        elif candidate is None and block_text and len(block) <= 4 and bare_captions:
            # '<p><img><br><em>Caption</em></p>': the text after the image in its own block.
            after = img.tail or ""
            for sibling in img.itersiblings():
                after += sibling.text_content() + (sibling.tail or "")
            if " ".join(after.split()) == block_text and _is_caption_text(block_text,
                                                                            last_block=False):
                for child in list(img.itersiblings()):
                    if child.tag not in ("img", "a"):
                        child.drop_tree()
                img.tail = None
                found.append((img, Caption(block_text, url)))
                continue
        if candidate is None or candidate in seen:
            continue
        text = _text(candidate)
        names = f"{candidate.get('class', '')} {candidate.get('id', '')}"
        styled = bool(_CAPTION_CLASS.search(names)) or candidate.find(".//em") is not None or \
            candidate.find(".//i") is not None or "center" in (candidate.get("style", "") +
                                                               candidate.get("align", ""))
        if _is_caption_text(text, last_block=_is_last_text_block(candidate)) and (
                styled or (bare_captions and len(text) <= 200)):
            found.append((candidate, Caption(text, url)))
            seen.add(candidate)

    for element in tree.iter("p", "div", "span", "em", "i"):
        if element in seen or len(element) > 3:
            continue
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if _CAPTION_BOX.search(names):
            text = _text(element)
            if text and len(text) <= _MAX_CAPTION and element.find(".//p") is None:
                found.append((element, Caption(text, None)))
                seen.add(element)

    captions = []
    for element, caption in found:
        if element.tag == "img":
            captions.append(caption)
            continue
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
        captions.append(caption)
    return captions
