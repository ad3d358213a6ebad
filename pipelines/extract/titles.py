"""The article's own headline: the visible heading that agrees with what the page declares,
else the declared title with the site name cut off."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml.html import HtmlElement

from pipelines.extract.structured import StructuredData

__all__ = ["TitleChoice", "choose_title", "find_headline", "strip_site_name"]

_HEADLINE_CLASS = re.compile(
    r"headline|(?:^|[-_\s])title|tieu[-_]?de|tieude|heading|news[-_]?name|detail[-_]?name",
    re.I)
_NOT_HEADLINE_CLASS = re.compile(r"site[-_]?(?:title|name)|logo|brand|widget|sidebar|menu|"
                                 r"related|other|footer|header-title|section-title|box-title|"
                                 r"block-title|cat(?:egory)?[-_]?title|module[-_]?title", re.I)
_SEPARATORS = re.compile(r"\s+[|\-–—:»«·•/]+\s+|\s*[|»«·•]\s*|\s+::\s+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class TitleChoice:
    title: str | None
    raw: str | None
    source: str | None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _words(text: str) -> set[str]:
    return set(_WORD.findall(_fold(text)))


def _agrees(candidate: str, reference: str) -> bool:
    a, b = _fold(candidate), _fold(reference)
    if not a or not b:
        return False
    if a == b or (len(a) >= 10 and a in b) or (len(b) >= 10 and b in a and len(b) > 0.6 * len(a)):
        return True
    wa, wb = _words(a), _words(b)
    return bool(wa) and len(wa & wb) >= 0.8 * len(wa) and len(wa & wb) >= 0.5 * len(wb)


def _references(data: StructuredData) -> list[str]:
    refs = [data.jsonld_headline, data.meta.get("og:title"), data.meta.get("twitter:title"),
            data.title_tag]
    return [r for r in refs if r]


def find_headline(tree: HtmlElement, data: StructuredData) -> HtmlElement | None:
    """The element holding the article's headline, or None when nothing agrees."""
    refs = _references(data)
    h1s = [h for h in tree.iter("h1") if 4 <= len(_clean(h.text_content())) <= 400]
    for h1 in h1s:
        if any(_agrees(_clean(h1.text_content()), r) for r in refs):
            return h1
    candidates = []
    for element in tree.iter("h2", "h3", "h4", "div", "span", "p", "strong", "td", "a"):
        names = f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}"
        if not _HEADLINE_CLASS.search(names) or _NOT_HEADLINE_CLASS.search(names):
            continue
        if len(element) > 6:
            continue
        text = _clean(element.text_content())
        if 10 <= len(text) <= 400:
            candidates.append((element, text))
    for element, text in candidates:
        if any(_agrees(text, r) for r in refs):
            return element
    # A single h1 that is not the site's logo is the headline even when the metadata is poor.
    if len(h1s) == 1 and h1s[0].find(".//img") is None and len(_clean(h1s[0].text_content())) > 15:
        links = h1s[0].findall(".//a")
        if not any((a.get("href") or "").strip() in ("/", "./", "#") for a in links):
            return h1s[0]
    return None


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Cut 'Headline | Site' / 'Site - Headline' down to the headline."""
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    folded_sites = [_fold(s) for s in site_names if s]
    kept = [p for p in parts if not any(_fold(p) == s or (len(s) > 3 and s in _fold(p))
                                        for s in folded_sites)]
    if kept and len(kept) < len(parts):
        parts = kept
    if len(parts) == 1:
        return parts[0].strip()
    # Without a known site name, the headline is the longest segment when it clearly dominates.
    longest = max(parts, key=len)
    if len(longest) >= 2 * max(len(p) for p in parts if p is not longest):
        return longest.strip()
    return title


def choose_title(tree: HtmlElement, data: StructuredData,
                 headline: HtmlElement | None) -> TitleChoice:
    if headline is not None:
        text = _clean(headline.text_content())
        return TitleChoice(text, text, "h1" if headline.tag == "h1" else "headline-element")
    if data.jsonld_headline:
        return TitleChoice(data.jsonld_headline, data.jsonld_headline, "json-ld")
    site_names = [data.meta.get("og:site_name", ""), data.jsonld_publisher or "",
                  data.meta.get("application-name", "")]
    for key in ("og:title", "twitter:title"):
        value = data.meta.get(key)
        if value:
            return TitleChoice(strip_site_name(value, site_names), value, key)
    if data.title_tag:
        return TitleChoice(strip_site_name(data.title_tag, site_names), data.title_tag,
                           "title-tag")
    return TitleChoice(None, None, None)
