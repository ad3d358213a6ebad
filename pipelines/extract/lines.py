"""The page as a reader sees it: visible text split into lines at block boundaries, each line
knowing its element, whether it sits in a noise box (sidebar, counter, related list), and
whether it is bold or right-aligned. Dates and bylines are read from these lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from pipelines.extract.element_text import text_of
from pipelines.extract.zones import is_noise_container

__all__ = ["Line", "page_lines"]

_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "center", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
})
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "select", "option",
                   "iframe", "textarea", "button", "head", "title", "input"})
_BOLD_TAGS = frozenset({"b", "strong"})
_TEASER_BOXES = frozenset({"div", "article", "section"})
_RIGHT = re.compile(r"text-align\s*:\s*right|\bright\b|align-right|text-right", re.I)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_BYLINE_SIZED = 100  # characters
_MAX_LIST_ITEM = 600  # characters; longer rows are layout, not teasers
_MAX_TEASER_BOX = 1200  # characters; a teaser is a headline, a date and a summary


@dataclass
class Line:
    text: str
    element: HtmlElement  # the block element the line belongs to
    noise: bool  # inside a sidebar/counter/related box
    in_list: bool  # inside a list item or table row holding a link to another page
    bold: bool = False
    right: bool = False
    headline: bool = False


def _aligned_right(element: HtmlElement) -> bool:
    attributes = element.attrib
    if not ("style" in attributes or "align" in attributes or "class" in attributes):
        return False
    return bool(_RIGHT.search(f"{attributes.get('style', '')} {attributes.get('align', '')} "
                              f"{attributes.get('class', '')}"))


def _boxes_with_headline_links(root: HtmlElement) -> tuple[set[HtmlElement], set[HtmlElement]]:
    """The elements holding a link whose text is headline-sized (another story's title): of
    four words or more, and of five or more. One pass over the links, marking their ancestors,
    instead of searching every box's subtree."""
    four: set[HtmlElement] = set()
    five: set[HtmlElement] = set()
    for anchor in root.iter("a"):
        text = text_of(anchor)
        if len(text) < 16:
            continue
        words = len(text.split())
        if words < 4:
            continue
        marks = (four, five) if words >= 5 and len(text) >= 20 else (four,)
        for box in (anchor, *anchor.iterancestors()):
            if box in marks[-1]:
                break  # its ancestors are marked already
            for mark in marks:
                mark.add(box)
    return four, five


class _Collector:
    def __init__(self, headline: HtmlElement | None) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.bold_parts = 0
        self.owner: HtmlElement | None = None
        self.noise = False
        self.in_list = False
        self.headline = headline
        self.protected = set(headline.iterancestors()) if headline is not None else set()
        self.headline_nodes = set(headline.iter()) if headline is not None else set()
        self.linking4: set[HtmlElement] = set()
        self.linking5: set[HtmlElement] = set()
        # Lines share their wrappers: each element's alignment is read once. The keys keep
        # the elements alive, so an element's identity cannot be reused by another.
        self.aligned: dict[HtmlElement, bool] = {}

    def aligned_right(self, element: HtmlElement) -> bool:
        known = self.aligned.get(element)
        if known is None:
            known = self.aligned[element] = _aligned_right(element)
        return known

    def right_here(self, owner: HtmlElement) -> bool:
        """Right-aligned by the block itself or by one of its two nearest wrappers."""
        if self.aligned_right(owner):
            return True
        parent = owner.getparent()
        if parent is None:
            return False
        if self.aligned_right(parent):
            return True
        grandparent = parent.getparent()
        return grandparent is not None and self.aligned_right(grandparent)

    def add(self, text: str | None, owner: HtmlElement, noise: bool, in_list: bool,
            bold: bool) -> None:
        if not text or not text.strip():
            if text and self.parts:
                self.parts.append(" ")
            return
        if self.owner is None:
            self.owner, self.noise, self.in_list = owner, noise, in_list
        self.parts.append(text)
        if bold:
            self.bold_parts += len(text.strip())

    def flush(self) -> None:
        if not self.parts:
            self.owner = None
            return
        text = " ".join("".join(self.parts).split())
        if text and self.owner is not None:
            bold = self.bold_parts >= 0.8 * len(text.replace(" ", ""))
            # Alignment only matters for byline-sized lines; it sits on the block or a wrapper.
            right = len(text) <= _BYLINE_SIZED and self.right_here(self.owner)
            is_headline = self.owner in self.headline_nodes
            self.lines.append(Line(text, self.owner, self.noise, self.in_list, bold, right,
                                   is_headline))
        self.parts, self.bold_parts, self.owner = [], 0, None

    def walk(self, element: HtmlElement, noise: bool, in_list: bool, bold: bool,
             block: HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIP:
            return
        if not noise and element not in self.protected and element is not self.headline:
            noise = is_noise_container(element)
        is_block = tag in _BLOCK
        if is_block:
            self.flush()
            block = element
            # A teaser row is small; a layout table's row (in-house and ASP.NET portals put
            # the whole page in one) holds the article itself and is never a list item.
            if tag in ("li", "tr") and not in_list and element not in self.protected:
                in_list = element in self.linking4 and \
                    len(element.text_content()) <= _MAX_LIST_ITEM
            elif tag in _TEASER_BOXES and not in_list and len(element) <= 8 and \
                    element not in self.protected and element is not self.headline:
                # A small box linking to another story with a headline-sized link is a
                # teaser: its date is that story's date. A box of few children can still hold
                # a whole article (<article> with header, body, footer): size decides.
                in_list = element in self.linking5 and \
                    len(element.text_content()) <= _MAX_TEASER_BOX
        style = element.get("style")
        bold = bold or tag in _BOLD_TAGS or (style is not None and bool(_BOLD_STYLE.search(style)))
        self.add(element.text, block, noise, in_list, bold)
        for child in element:
            self.walk(child, noise, in_list, bold, block)
            if isinstance(child.tag, str) and child.tag in _BLOCK:
                self.flush()
            self.add(child.tail, block, noise, in_list, bold and child.tag not in _BLOCK)
        if is_block:
            self.flush()


def page_lines(tree: HtmlElement, headline: HtmlElement | None = None) -> list[Line]:
    body = tree.find(".//body")
    root = body if body is not None else tree
    collector = _Collector(headline)
    collector.linking4, collector.linking5 = _boxes_with_headline_links(root)
    collector.walk(root, False, False, False, root)
    collector.flush()
    return collector.lines
