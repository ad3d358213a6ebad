"""Teasers: the boxes a listing page is made of — a headline-sized link to another page, with
its date and summary beside it. A page whose extracted text is mostly teasers' text is a
listing (category page, home page, author archive, tag page), whatever else it claims.

A teaser link stands on its own line (a heading, a list item, a title box); a link inside running
prose ('… theo <a>Quyết định số 12</a> của …') is part of an article, not a teaser. The teaser's
box is the largest ancestor that holds no other teaser link."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, urljoin, urlsplit

from lxml.html import HtmlElement

from pipelines.extract.element_text import text_of
from pipelines.extract.zones import noise_judge

__all__ = ["TeaserCoverage", "teaser_coverage"]

_MIN_WORDS = 3  # German and Vietnamese headlines can be short: 'Haushalt 2024 beschlossen'
_MAX_LEAD = 20  # characters of prose allowed beside a standalone link ('Xem thêm:', '- ')
_MAX_BOX = 1200  # characters; a bigger ancestor is a page region, not one teaser
_MIN_PIECE = 8  # text pieces shorter than this ('|', '»', a day number) prove nothing
_MIN_EXTRA_TEXT = 30  # characters of summary beside a teaser's headline
_PROSE = 80  # characters: a paragraph this long is prose; a teaser has at most one


@dataclass(frozen=True)
class TeaserCoverage:
    boxes: int  # teaser boxes in the page's content (outside sidebars and menus)
    teasers: int  # those of them whose text is in the extracted body
    share: float  # share of the extracted text's characters that come from teaser boxes


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _own_text(element: HtmlElement, skip: HtmlElement) -> int:
    """Characters of prose directly around ``skip`` in ``element``: its own text and the tails
    of its children, not the text inside them."""
    parts = [element.text or ""]
    parts += [child.tail or "" for child in element]
    return len(" ".join(" ".join(parts).split()))


def _not_a_story(href: str, here: SplitResult | None) -> bool:
    """A link to another site (a teaser points to a story of this one), or back to this page:
    its print view, or a share link that only adds parameters."""
    if here is None:
        return False
    if href.startswith("/") and not href.startswith("//"):
        there = urlsplit(href)  # the common case, same host: no join needed
    else:
        there = urlsplit(urljoin(here.geturl(), href))
        if here.netloc != there.netloc:
            return True
    if (here.path or "/") != (there.path or "/"):
        return False
    return set(parse_qsl(here.query)) <= set(parse_qsl(there.query))


def _teaser_href(anchor: HtmlElement, here: SplitResult | None) -> str | None:
    # Cheapest tests first: most links of a page are menu items of a word or two.
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    if len(text_of(anchor).split()) < _MIN_WORDS:
        return None
    parent = anchor.getparent()
    if parent is None or _own_text(parent, anchor) > _MAX_LEAD:
        return None
    return None if _not_a_story(href, here) else href


def _is_article_like(element: HtmlElement) -> bool:
    """Two paragraphs of prose: an article's text, never one teaser (a summary is one)."""
    prose = 0
    for paragraph in element.iter("p"):
        if len(paragraph.text_content()) >= _PROSE:
            prose += 1
            if prose >= 2:
                return True
    return False


def _has_more_than_the_link(box: HtmlElement, anchor: HtmlElement) -> bool:
    """A teaser shows its story's date or summary beside the headline; a breadcrumb or a bare
    link does not."""
    extra = _fold(box.text_content()).replace(_fold(anchor.text_content()), "", 1)
    return len(extra) >= _MIN_EXTRA_TEXT or (len(extra) >= _MIN_PIECE and
                                            any(ch.isdigit() for ch in extra))


def _box(anchor: HtmlElement, under: dict[HtmlElement, set[str]]) -> HtmlElement:
    """The largest ancestor of ``anchor`` that holds no teaser link to another page and no
    article text."""
    box = anchor
    for ancestor in anchor.iterancestors():
        if ancestor.tag in ("body", "html") or len(under[ancestor]) > 1 or \
                len(ancestor.text_content()) > _MAX_BOX or _is_article_like(ancestor):
            break
        box = ancestor
    return box


def teaser_coverage(tree: HtmlElement, paragraphs: list[str], url: str | None = None, *,
                    in_noise: Callable[[HtmlElement | None], bool] | None = None
                    ) -> TeaserCoverage:
    """How many teasers the page's content holds, and how much of the extracted body they
    account for. ``in_noise``: a noise_judge() that has already judged this tree's boxes."""
    here = urlsplit(url) if url else None
    if in_noise is None:
        in_noise = noise_judge()  # ancestors are shared: judge each box once
    links: dict[HtmlElement, str] = {}
    for anchor in tree.iter("a"):
        href = _teaser_href(anchor, here)
        if href is None:
            continue
        if in_noise(anchor.getparent()):
            continue
        links[anchor] = href
    if not links:
        return TeaserCoverage(0, 0, 0.0)
    under: dict[HtmlElement, set[str]] = {}  # element → teaser hrefs inside it
    for anchor, href in links.items():
        for ancestor in anchor.iterancestors():
            under.setdefault(ancestor, set()).add(href)
    boxes: dict[str, HtmlElement] = {}
    for anchor, href in links.items():
        box = _box(anchor, under)
        if href not in boxes and _has_more_than_the_link(box, anchor):
            boxes[href] = box
    body = _fold(" ".join(paragraphs))
    if not body:
        return TeaserCoverage(len(boxes), 0, 0.0)
    covered = teasers = 0
    for box in boxes.values():
        found = 0
        for piece in box.itertext():
            folded = _fold(piece)
            if len(folded) >= _MIN_PIECE and folded in body:
                found += len(folded)
        # Only teasers whose text made it into the body count: a sidebar list trafilatura
        # left out says nothing about this page.
        teasers += found > 0
        covered += found
    return TeaserCoverage(len(boxes), teasers, min(1.0, covered / len(body)))
