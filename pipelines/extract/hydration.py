"""The article a client-rendered page carries in its scripts. Next.js, Nuxt and React Query
pages ship their content as JSON for the browser to render ('"contentHtml":"\\u003cp\\u003e…'),
so the markup itself holds no text. When the page's markup yields nothing, the longest HTML
string with several paragraphs in its scripts is the article."""

from __future__ import annotations

import json
import re

from lxml.html import HtmlElement

__all__ = ["embedded_article_html"]

_MIN_SCRIPT = 800  # characters; smaller scripts are configuration, not content
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){800,})"')
_PARAGRAPH = re.compile(r"<p[\s>]", re.IGNORECASE)
_MIN_PARAGRAPHS = 3


def embedded_article_html(tree: HtmlElement) -> str | None:
    best: str | None = None
    for script in tree.iter("script"):
        text = script.text or ""
        if len(text) < _MIN_SCRIPT or ("\\u003cp" not in text and "<p" not in text):
            continue
        for match in _JSON_STRING.finditer(text):
            raw = match.group(1)
            if "\\u003cp" not in raw and "<p" not in raw:
                continue
            try:
                value = json.loads(f'"{raw}"')
            except ValueError:
                continue
            if not isinstance(value, str) or len(_PARAGRAPH.findall(value)) < _MIN_PARAGRAPHS:
                continue
            if best is None or len(value) > len(best):
                best = value
    return best
