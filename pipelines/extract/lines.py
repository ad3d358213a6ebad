"""The page as a reader sees it: visible text split into lines at block boundaries, each line
knowing its element, whether it sits in a noise box (sidebar, counter, related list), and
whether it is bold or right-aligned. Dates and bylines are read from these lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

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
_MAX_LIST_ITEM = 600  # characters; longer rows are layout, not teasers


@dataclass
class Line:
    text: str
    element: HtmlElement  # the block element the line belongs to
    noise: bool  # inside a sidebar/counter/related box
    in_list: bool  # inside a list item or table row holding a link to another page
    bold: bool = False
    right: bool = False
    headline: bool = False


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
        text = " ".join("".join(self.parts).split())
        if text and self.owner is not None:
            bold = self.bold_parts >= 0.8 * len(text.replace(" ", ""))
            right = any(_RIGHT.search(f"{e.get('style', '')} {e.get('align', '')} "
                                      f"{e.get('class', '')}")
                        for e in (self.owner, *self.owner.iterancestors())
                        if isinstance(e.tag, str) and e.tag not in ("body", "html"))
            is_headline = self.headline is not None and (
                self.owner is self.headline or self.headline in self.owner.iterancestors())
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
            if tag in ("li", "tr") and not in_list and element not in self.protected and \
                    len(element.text_content()) <= _MAX_LIST_ITEM:
                in_list = any(len(a.text_content().split()) >= 4 for a in element.iter("a"))
            elif tag in _TEASER_BOXES and not in_list and len(element) <= 8 and \
                    element not in self.protected and element is not self.headline:
                # A small box linking to another story with a headline-sized link is a
                # teaser: its date is that story's date.
                in_list = any(len(a.text_content().split()) >= 5 for a in element.iter("a"))
        bold = bold or tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(element.get("style", "")))
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
    collector.walk(root, False, False, False, root)
    collector.flush()
    return collector.lines
