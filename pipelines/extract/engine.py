"""extract(): raw bytes in, Article or NoArticle out.

Order of work: decode the bytes ourselves → parse once → read what the page declares (JSON-LD,
meta) → find the headline → drop related-article lists → read the visible lines for the date
and bylines → take captions out → let trafilatura extract the body from the cleaned tree (on a
client-rendered page, from the article HTML its scripts carry) → strip bylines, sources and
boilerplate from its paragraphs → decide whether it is an article."""

from __future__ import annotations

import inspect
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement

from archive.errors import ConfigError
from pipelines.extract import bylines as by
from pipelines.extract.boilerplate import block_key, clean_paragraphs
from pipelines.extract.captions import PHOTO_CREDIT, take_captions
from pipelines.extract.classify import classify_page, collect_signals
from pipelines.extract.dates import (
    FoundDate,
    date_by_headline,
    date_from_url,
    date_of_own_teaser,
    find_time_element,
    find_visible_date,
    htmldate_guess,
    parse_structured_date,
    parse_visible_date,
)
from pipelines.extract.decoding import DecodedPage, DecodeFailure, decode_page
from pipelines.extract.hydration import embedded_article_html
from pipelines.extract.layout import unwrap_layout_tables
from pipelines.extract.lines import Line, page_lines
from pipelines.extract.local_day import local_reading
from pipelines.extract.parsing import HTML_PARSER  # noqa: F401  (element classes chosen in C)
from pipelines.extract.result import Article, Caption, NoArticle
from pipelines.extract.structured import StructuredData, read_structured
from pipelines.extract.titles import choose_title, find_headline, site_like
from pipelines.extract.widget_dates import only_in_widgets
from pipelines.extract.zones import related_zones

__all__ = ["PROFILE_KEYS", "TRAFILATURA_KEYS", "TreeHook", "extract", "parse_page"]

LOGGER = logging.getLogger(__name__)

PROFILE_KEYS = frozenset({"title_xpath", "body_xpath", "date_xpath", "author_xpath"})
# bare_extraction's own keyword arguments that a profile may set; the rest are ours to decide.
TRAFILATURA_KEYS = frozenset(inspect.signature(trafilatura.bare_extraction).parameters) - {
    "filecontent", "url", "with_metadata", "output_format", "as_dict", "config", "options",
    "only_with_metadata",
}
_HEAD_PARAGRAPHS = 2  # where a repeated headline can stand at the top of the body
_HEAD_BYLINE = 3  # paragraphs at the top of the body where a bold name can be the byline
_LEAD_LINE = 150  # characters; a longer paragraph is the text itself, not a kicker
# The word PHOTO_CREDIT always matches ('Ảnh: …'), as its case-insensitive match can only see
# it: after lower(), a credit always holds it.
_CREDIT_WORD = "ảnh"
_DEFAULTS: dict[str, Any] = {"include_comments": False, "include_tables": True}
_VIETNAMESE_LETTER = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
# Runs of letters, not single letters: findall then builds a list of words, not of characters
# (a third of the cost of counting 5,000 characters).
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Author:
    name: str | None
    raw: str
    source: str
    rule: str
    kind: str


def _validate_options(options: Mapping[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    engine_options = dict(_DEFAULTS)
    profile: dict[str, str] = {}
    for key, value in (options or {}).items():
        if key in PROFILE_KEYS:
            if value:
                try:
                    lxml.etree.XPath(value)
                except lxml.etree.XPathSyntaxError as exc:
                    raise ConfigError(f"extraction option {key}={value!r} is not a valid XPath: "
                                      f"{exc}") from exc
                profile[key] = value
        elif key in TRAFILATURA_KEYS:
            engine_options[key] = value
        else:
            raise ConfigError(f"unknown extraction option {key!r}; use one of trafilatura's "
                              f"bare_extraction arguments or {sorted(PROFILE_KEYS)}")
    return engine_options, profile


def _xpath_text(tree: HtmlElement, expression: str) -> str | None:
    result = tree.xpath(expression)
    if isinstance(result, str):
        text = result
    elif isinstance(result, list):
        text = " ".join(r if isinstance(r, str) else r.text_content() for r in result
                        if isinstance(r, str | HtmlElement))
    else:
        return None
    text = " ".join(text.split())
    return text or None


def _detect_language(declared: str | None, text: str) -> str | None:
    sample = text[:5000].lower()
    letters = sum(map(len, _LETTERS.findall(sample)))
    if letters and len(_VIETNAMESE_LETTER.findall(sample)) / letters > 0.03:
        return "vi"
    return declared


def _photo_credit(paragraph: str) -> bool:
    """PHOTO_CREDIT.search, after a cheap test for the word every credit has: the pattern
    tries a match at almost every character of a paragraph."""
    return _CREDIT_WORD in paragraph.lower() and PHOTO_CREDIT.search(paragraph) is not None


def _paragraphs(document: Any) -> list[str]:
    text = getattr(document, "text", None) or ""
    return [" ".join(p.split()) for p in text.split("\n") if p.strip()]


def _formatting(lines: list[Line]) -> dict[str, Line]:
    return {block_key(line.text): line for line in lines if len(line.text) <= 120}


def _trailing_rule(text: str, formatting: dict[str, Line]) -> str:
    line = formatting.get(block_key(text))
    if line is not None and line.bold:
        return "trailing-bold"
    if line is not None and line.right:
        return "trailing-right"
    return "trailing-line"


def _bylines_in_body(paragraphs: list[str], *, vietnamese: bool,
                     formatting: dict[str, Line]) -> tuple[list[str], _Author | None,
                                                           str | None]:
    """Find bylines and sources at the head and tail of the body and take them out."""
    n = len(paragraphs)
    removed: set[int] = set()
    author: _Author | None = None
    news_source: str | None = None
    window = sorted(set(range(min(3, n))) | set(range(max(0, n - 6), n)))
    for index in window:
        if index in removed:
            continue
        text = paragraphs[index]
        tail = index >= n - 6
        source = by.parse_source_line(text, allow_theo=tail and index >= n - 3)
        if source is not None and (tail or len(text) <= 80):
            news_source = source
            removed.add(index)
            continue
        label = by.parse_label_byline(text)
        if label is None:
            continue
        if not vietnamese and label.rule.startswith("by:") and n - 3 > index >= _HEAD_BYLINE:
            # 'von A, B und C' with text still to come credits a book or a quote, not the page
            continue
        if label.author is None:
            following = paragraphs[index + 1] if index + 1 < n else ""
            cleaned = by.clean_person_names(following) if following else None
            removed.add(index)
            if cleaned is not None:
                removed.add(index + 1)
                if author is None:
                    author = _Author(cleaned[0], f"{text}\n{following}", "byline-label",
                                     f"{label.rule}+next-line", cleaned[1])
            continue
        removed.add(index)
        if author is None:
            author = _Author(label.author, text, "byline-label", label.rule, label.kind)
    if author is None:
        author = _leading_bold_name(paragraphs, removed, formatting)
    if author is None and n > 1:
        last = max((i for i in range(n) if i not in removed), default=None)
        if last is not None and last >= n - 4:
            text = paragraphs[last]
            rule = _trailing_rule(text, formatting)
            if vietnamese or rule != "trailing-line":
                cleaned = by.parse_trailing_name(text)
                if cleaned is not None:
                    removed.add(last)
                    author = _Author(cleaned[0], text, "trailing-line", rule, cleaned[1])
    kept = [p for i, p in enumerate(paragraphs) if i not in removed]
    return kept, author, news_source


def _leading_bold_name(paragraphs: list[str], removed: set[int],
                       formatting: dict[str, Line]) -> _Author | None:
    """A bold name alone above the text ('<p><strong>Mohloai Mpesi</strong></p>', then the
    first paragraph): the byline, as long as no prose came before it."""
    for index, text in enumerate(paragraphs[:_HEAD_BYLINE]):
        if len(text) > _LEAD_LINE:
            return None  # the text has begun: a bold line further down is a subheading
        line = formatting.get(block_key(text))
        if index in removed or line is None or not line.bold:
            continue
        cleaned = by.parse_trailing_name(text)
        if cleaned is not None and cleaned[1] == "person":
            removed.add(index)
            return _Author(cleaned[0], text, "leading-line", "leading-bold", cleaned[1])
    return None


def _whole_words_in(name: str, text: str) -> bool:
    """``name`` in ``text`` as whole words: not inside a word, an address or a domain."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        before = text[start - 1] if start else " "
        after = text[end:end + 2]
        if not (before.isalnum() or before in "_.@-") and not (
                after[:1].isalnum() or after[:1] in "_@-" or
                (after[:1] == "." and after[1:2].isalnum())):
            return True
        start = text.find(name, start + 1)
    return False


_INLINE = frozenset({"a", "span", "b", "strong", "em", "i", "small", "font", "u", "abbr"})


def _block_of(element: HtmlElement) -> HtmlElement:
    """The block a piece of inline text belongs to ('© 2019 by <a>Name</a>' → the <p>)."""
    while element.tag in _INLINE and element.getparent() is not None:
        element = element.getparent()
    return element


def _bylines_in_lines(lines: list[Line]) -> tuple[_Author | None, str | None]:
    """Labelled bylines and sources outside the extracted body ('Tác giả: …', 'Nguồn tin: …'
    in an info box under the article)."""
    head = next((i for i, line in enumerate(lines) if line.headline), None)
    window = range(max(0, head - 15), min(len(lines), head + 400)) if head is not None else \
        range(len(lines))
    author: _Author | None = None
    source: str | None = None
    author_index = -1
    for index in window:
        line = lines[index]
        if line.noise or line.in_list or len(line.text) > 120:
            continue
        if source is None and author is not None:
            source = by.parse_source_line(line.text, allow_theo=False)
        if author is not None:
            if source is not None or index > author_index + 3:
                break
            continue
        label = by.parse_label_byline(line.text)
        if label is None:
            continue
        author_index = index
        if label.author is None:
            following = lines[index + 1].text if index + 1 < len(lines) else ""
            cleaned = by.clean_person_names(following) if following else None
            if cleaned is not None:
                author = _Author(_unglued(cleaned[0], lines[index + 1].element),
                                 f"{line.text}\n{following}", "page-label",
                                 f"{label.rule}+next-line", cleaned[1])
            continue
        author = _Author(_unglued(label.author, line.element), line.text, "page-label",
                         label.rule, label.kind)
    if author is None and head is not None:
        author = _name_on_date_line(lines, head)
    return author, source


_DATE_FIELD = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s+\w+\s+\d{4}")
_VISIBLE_TEXT = lxml.etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or "
    "ancestor::template or ancestor::title)]")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved|alle rechte|"
                        r"tous droits|todos los derechos|powered by|powdered by", re.IGNORECASE)
_FIELD_SEPARATOR = re.compile(r"\s+[|•·]\s+")
_DATE_LINE_REACH = 3  # lines from the headline where its date line stands


def _name_on_date_line(lines: list[Line], head: int) -> _Author | None:
    """'04.02.2022 | 13:10 Uhr | Uta Helkenberg': the line by the headline that carries the
    date also names the author in a field of its own."""
    for line in lines[max(0, head - _DATE_LINE_REACH): head + _DATE_LINE_REACH + 1]:
        if line.headline or line.in_list or len(line.text) > 120:
            continue
        fields = _FIELD_SEPARATOR.split(line.text)
        if len(fields) < 2 or not any(_DATE_FIELD.search(f) for f in fields):
            continue
        for text in fields:
            cleaned = by.clean_person_names(text)
            if cleaned is not None and cleaned[1] == "person" and len(text.split()) >= 2:
                return _Author(cleaned[0], line.text, "page-label", "date-line-field",
                               cleaned[1])
    return None


def _unglued(author: str, element: HtmlElement) -> str:
    """'By <a>Sarah Lazare</a><a>Twitter</a>' reads 'Sarah LazareTwitter': where a name the
    line links to is glued to a neighbour's text, the link's own text is the name."""
    linked = []
    for anchor in element.iter("a"):
        text = " ".join(anchor.text_content().split())
        cleaned = by.clean_person_names(text) if 3 <= len(text) <= 60 else None
        if cleaned is not None and cleaned[1] == "person":
            linked.append(cleaned[0])
    if not linked:
        return author
    parts: list[str] = []
    for part in author.split(", "):
        glued = [name for name in linked if name in part and name != part]
        parts.extend(glued if glued and part not in linked else [part])
    return ", ".join(dict.fromkeys(parts))


def _choose_date(tree: HtmlElement, data: StructuredData, lines: list[Line], url: str | None,
                 tz_name: str, vietnamese: bool, date_params: Mapping[str, Any] | None,
                 title: str | None = None) -> FoundDate | None:
    """The page's declared date first (JSON-LD, meta, <time>), then the visible date line
    (day-first, Vietnamese pages), then the URL, then — off Vietnamese portals, whose clock
    widgets and teaser dates it cannot tell apart — the date beside the page's own teaser, then
    htmldate's guess. A declared UTC timestamp is moved to the local day the page itself shows;
    off Vietnamese portals the date printed by the headline wins over a declared one that
    disagrees."""
    declared = _declared_date(tree, data, tz_name)
    if declared is None:
        return _undeclared_date(tree, data, lines, url, tz_name, vietnamese, date_params, title)
    local = local_reading(declared.value, lines, url)
    if local is not None:
        value, evidence, kind, precision = local
        declared = FoundDate(value, f"{declared.raw} | {evidence}", f"{declared.source}+{kind}",
                             precision)
    if not vietnamese:
        # The date printed by the headline is the one readers (and citations) go by; a
        # declared date that disagrees is the CMS record's creation or a republication.
        shown = date_by_headline(lines, tz_name)
        if shown is not None and shown.value[:10] != declared.value[:10]:
            return shown
    return declared


def _declared_date(tree: HtmlElement, data: StructuredData, tz_name: str) -> FoundDate | None:
    if data.jsonld_published:
        parsed = parse_structured_date(data.jsonld_published, tz_name)
        if parsed:
            return FoundDate(parsed[0], data.jsonld_published, "json-ld", parsed[1])
    meta = data.meta_published()
    if meta:
        parsed = parse_structured_date(meta[1], tz_name)
        if parsed:
            return FoundDate(parsed[0], meta[1], f"meta:{meta[0]}", parsed[1])
    return find_time_element(tree, tz_name)


def _undeclared_date(tree: HtmlElement, data: StructuredData, lines: list[Line],
                     url: str | None, tz_name: str, vietnamese: bool,
                     date_params: Mapping[str, Any] | None, title: str | None
                     ) -> FoundDate | None:
    if vietnamese:
        visible = find_visible_date(lines, tz_name)
        if visible is not None:
            return visible
    from_url = date_from_url(url)
    if from_url is not None:
        return from_url
    if not vietnamese:
        visible = find_visible_date(lines, tz_name, day_first=False) or \
            date_of_own_teaser(lines, title, tz_name)
        if visible is not None:
            return visible
        guess = htmldate_guess(tree, data.canonical_url or url, tz_name, date_params)
        # htmldate reads the whole page: an events calendar's first date is not this page's.
        if guess is not None and not only_in_widgets(tree, lines, guess.value, title):
            return guess
    return None


def _author_sources(tree: HtmlElement, structured: StructuredData,
                    body_author: _Author | None, lines: list[Line],
                    url: str | None, headline: HtmlElement | None = None
                    ) -> dict[str, Callable[[], _Author | None]]:
    """Each way of finding the author, to be tried in order: the costly ones (the markup scan)
    only run when the cheaper, more trusted ones found nobody."""
    site_names = [structured.meta.get("og:site_name", ""), structured.jsonld_publisher or ""]
    folded: dict[str, str] = {}  # 'lines' and 'nodes': the page's text, folded once

    def page_text(by: str) -> str:
        if by not in folded:
            if by == "lines":
                texts = [line.text for line in lines if not _COPYRIGHT.search(line.text)]
            else:
                nodes = [node for node in _VISIBLE_TEXT(tree) if node.strip()]
                rights = {_block_of(node.getparent()) for node in nodes
                          if _COPYRIGHT.search(node)}
                texts = [node for node in nodes
                         if not rights or _block_of(node.getparent()) not in rights]
            folded[by] = _fold(" ¶ ".join(texts))
        return folded[by]

    def shown(name: str) -> bool:
        """Does the page print this name as a name — not inside another word ('AgE' in
        'schlagen'), a domain ('manniac.de') or the copyright line ('© 2020 by Paul Sippel')?
        Line by line first (a name split over <b>Robin</b> Amberg), then text node by text
        node (a line glues 'André Klein' to the 'Redakteur' printed beside it)."""
        words = _fold(name).split()
        # 'André Oliver KLEIN' is shown when the byline prints 'André Klein'.
        spellings = [words, [words[0], words[-1]]] if len(words) > 2 else [words]
        return any(_whole_words_in(" ".join(w), page_text(by))
                   for by in ("lines", "nodes") for w in spellings)

    def from_jsonld() -> _Author | None:
        raw = ", ".join(structured.jsonld_authors)
        names = by.clean_declared_author(raw) if raw else None
        if not names:
            return None
        # A person the page never names is the CMS account that saved it, as with meta
        # authors; an organisation signing for its newsroom need not be printed.
        if not structured.jsonld_author_organisation and not any(
                shown(part) for part in names.split(", ")):
            return None
        if structured.jsonld_author_organisation and site_like(names, site_names, url):
            # The publisher signing its own article: right when no one else is named.
            return _Author(names, raw, "json-ld", "json-ld:author-publisher", "unit")
        return _Author(names, raw, "json-ld", "json-ld:author", "person")

    def from_meta() -> _Author | None:
        for raw in structured.meta_authors:
            name = by.clean_declared_author(raw)
            # A meta author that is the site itself is the CMS default, not a byline; one the
            # page never shows is the CMS account that saved it ('helmholtz_de', 'wegewerk').
            if not name or site_like(name, site_names, url):
                continue
            if all(shown(part) for part in name.split(", ")):
                return _Author(name, raw, "meta", "meta:author", "person")
        return None

    def from_markup() -> _Author | None:
        markup = by.find_author_markup(tree)
        return _Author(markup[0], markup[1], "markup", markup[2], "person") if markup else None

    def from_link() -> _Author | None:
        link = by.find_author_link(tree, headline) or by.find_headline_credit(headline)
        return _Author(link[0], link[1], "markup", link[2], "person") if link else None

    return {"body": lambda: body_author, "page-label": lambda: _bylines_in_lines(lines)[0],
            "json-ld": from_jsonld, "meta": from_meta, "markup": from_markup,
            "author-link": from_link}


# Which author source to believe first. On Vietnamese portals the visible byline is the truth
# (their meta author is usually the CMS account or the site); elsewhere a byline in the text,
# then the page's structured data, then explicit markup.
_AUTHOR_ORDER_VI = ("body", "page-label", "markup", "json-ld", "meta", "author-link")
_AUTHOR_ORDER = ("body", "json-ld", "page-label", "markup", "meta", "author-link")
_PRINTED_BYLINES = frozenset({"page-label", "markup"})


def _full_name(name: str) -> bool:
    """A journalist's name, not a desk's short code ('amw') that only stands beside it."""
    cleaned = by.clean_person_names(name)
    return cleaned is not None and cleaned[1] == "person" and len(name.split()) >= 2


def _choose_author(sources: dict[str, Callable[[], _Author | None]], vietnamese: bool
                   ) -> tuple[_Author | None, dict[str, str | None]]:
    """The first source in order that names someone, and what each source tried said."""
    tried: dict[str, str | None] = {}
    publisher: _Author | None = None
    for key in _AUTHOR_ORDER_VI if vietnamese else _AUTHOR_ORDER:
        found = sources[key]()
        tried[key] = found.name if found is not None else None
        if found is None or not found.name:
            continue
        if found.rule == "json-ld:author-publisher":
            publisher = found  # a byline the page prints may still name the journalist
            continue
        if publisher is None or (key in _PRINTED_BYLINES and _full_name(found.name)):
            return found, tried
    return publisher, tried


def _profile_tree(tree: HtmlElement, expression: str) -> HtmlElement | None:
    found = [e for e in tree.xpath(expression) if isinstance(e, HtmlElement)]
    if not found:
        return None
    root = lxml.html.Element("html")
    body = lxml.etree.SubElement(root, "body")
    for element in found:
        body.append(lxml.html.fromstring(lxml.html.tostring(element)))
    return root


# Called with the page's tree as parsed, before extraction changes it, and the decoded page.
TreeHook = Callable[[HtmlElement, DecodedPage], None]


def extract(data: bytes, url: str | None = None, *, headers: Mapping[str, str] | None = None,
            options: Mapping[str, Any] | None = None,
            site_boilerplate: frozenset[str] = frozenset(),
            timezone: str = "Asia/Ho_Chi_Minh", language: str | None = None,
            on_tree: TreeHook | None = None) -> Article | NoArticle:
    """Extract one article from a response body. Bad pages come back as NoArticle with a
    reason; only bad configuration (an unknown option, an XPath that does not compile) raises
    ConfigError. ``on_tree`` sees the parsed page first (the crawl reads its links there,
    instead of parsing the page again)."""
    engine_options, profile = _validate_options(options)
    try:
        return _extract(data, url, headers, engine_options, profile, site_boilerplate,
                        timezone, language, on_tree)
    except Exception as exc:  # one bad page must never stop a crawl
        LOGGER.exception("extraction failed for %s", url)
        return NoArticle("error", f"{type(exc).__name__}: {exc}")


def parse_page(data: bytes, headers: Mapping[str, str] | None = None
               ) -> tuple[HtmlElement, DecodedPage] | NoArticle:
    """The page decoded (pipelines.extract.decoding) and parsed as extraction reads it."""
    try:
        page = decode_page(data, headers)
    except DecodeFailure as failure:
        return NoArticle(failure.reason, failure.detail)
    tree = trafilatura.load_html(page.text)
    if tree is None:
        return NoArticle("not-html", "the document could not be parsed as HTML")
    return tree, page


def _extract(data: bytes, url: str | None, headers: Mapping[str, str] | None,
             engine_options: dict[str, Any], profile: dict[str, str],
             site_boilerplate: frozenset[str], tz_name: str, language: str | None,
             on_tree: TreeHook | None) -> Article | NoArticle:
    loaded = parse_page(data, headers)
    if isinstance(loaded, NoArticle):
        return loaded
    tree, page = loaded
    if on_tree is not None:
        on_tree(tree, page)

    structured = read_structured(tree, url)
    headline = find_headline(tree, structured)
    title = choose_title(tree, structured, headline, url)
    for zone in related_zones(tree, headline):
        if zone.getparent() is not None:
            zone.drop_tree()
    lines = page_lines(tree, headline)
    visible_text = " ".join(line.text for line in lines if not line.noise)
    lang = language or _detect_language(structured.language, visible_text)
    vietnamese = lang == "vi"
    formatting = _formatting(lines)

    captions = take_captions(tree, structured.canonical_url or url, bare_captions=vietnamese)
    if vietnamese:
        # Vietnamese in-house portals put the article in one cell of a layout table, where
        # trafilatura glues paragraphs, byline and print links into one '|' row. Elsewhere its
        # table handling reads old layout pages well enough, and unwrapping can cost text.
        unwrap_layout_tables(tree)
    source_tree = tree
    if "body_xpath" in profile:
        selected = _profile_tree(tree, profile["body_xpath"])
        if selected is not None:
            source_tree = selected
    # Metadata is ours to read (structured data, visible lines); trafilatura's metadata pass
    # would run htmldate on every page, which we only need when nothing better is declared.
    date_params = engine_options.pop("date_extraction_params", None)
    document = trafilatura.bare_extraction(source_tree, url=url, with_metadata=False,
                                           **engine_options)
    paragraphs = _paragraphs(document) if document is not None else []
    body_source = "markup"
    if not paragraphs and (embedded := embedded_article_html(tree)) is not None:
        # A client-rendered page: its markup is empty, its scripts carry the article.
        fragment = lxml.html.document_fromstring(f"<html><body>{embedded}</body></html>")
        captions.extend(take_captions(fragment, structured.canonical_url or url,
                                      bare_captions=vietnamese))
        document = trafilatura.bare_extraction(fragment, url=url, with_metadata=False,
                                               **engine_options)
        paragraphs = _paragraphs(document) if document is not None else []
        body_source = "embedded-json"
    caption_keys = {block_key(c.text) for c in captions}
    paragraphs = [p for p in paragraphs
                  if block_key(p) not in caption_keys and not _photo_credit(p)]
    # Captions trafilatura kept although they were marked ('- Ảnh: …' lines) go to captions.
    paragraphs = clean_paragraphs(paragraphs)
    paragraphs, body_author, news_source = _bylines_in_body(
        paragraphs, vietnamese=vietnamese, formatting=formatting)
    text_blocks = tuple(paragraphs)
    if site_boilerplate:
        paragraphs = [p for p in paragraphs if block_key(p) not in site_boilerplate]

    # Title
    title_text, title_raw, title_source = title.title, title.raw, title.source
    if "title_xpath" in profile:
        found = _xpath_text(tree, profile["title_xpath"])
        if found:
            title_text, title_raw, title_source = found, found, "profile"

    # Date
    published: FoundDate | None = None
    if "date_xpath" in profile:
        raw = _xpath_text(tree, profile["date_xpath"])
        parsed = parse_visible_date(raw, tz_name, allow_spaced=True) if raw else None
        if raw and parsed:
            published = FoundDate(parsed[0], raw, "profile", parsed[1])
        elif raw and (structured_parsed := parse_structured_date(raw, tz_name)):
            published = FoundDate(structured_parsed[0], raw, "profile", structured_parsed[1])
    if published is None:
        published = _choose_date(tree, structured, lines, url, tz_name, vietnamese, date_params,
                                 title_text)

    if published is not None and (published.source == "profile" or (
            published.source == "visible-line" and vietnamese)):
        # The date line ('Cập nhật: 02/02/2024 14:30 | Lượt xem: 523') is metadata, not text.
        date_line = block_key(published.raw)
        paragraphs = [p for p in paragraphs if block_key(p) != date_line]
    if title_text:
        # trafilatura keeps a headline that sits inside the article's box: it is the title,
        # not the first paragraph of the text.
        headline_key = block_key(title_text)
        paragraphs = [p for i, p in enumerate(paragraphs)
                      if i >= _HEAD_PARAGRAPHS or block_key(p) != headline_key]

    # Author
    author: _Author | None = None
    if "author_xpath" in profile:
        raw = _xpath_text(tree, profile["author_xpath"])
        if raw:
            label = by.parse_label_byline(raw)
            cleaned = (label.author, label.kind) if label and label.author else \
                by.clean_person_names(raw)
            if cleaned and cleaned[0]:
                author = _Author(cleaned[0], raw, "profile", "profile:author_xpath", cleaned[1])
    tried: dict[str, str | None] = {}
    if author is None:
        author, tried = _choose_author(
            _author_sources(tree, structured, body_author, lines, url, headline), vietnamese)
    if news_source is None and author is not None and author.source == "page-label":
        _, news_source = _bylines_in_lines(lines)

    signals = collect_signals(
        tree, paragraphs, url=url,
        declares_article=structured.jsonld_is_article or
        structured.meta.get("og:type", "").lower() == "article",
        has_headline=headline is not None, has_date=published is not None, title=title_text)
    LOGGER.debug("page signals for %s: %s", url, signals)
    verdict = classify_page(signals)
    if verdict is not None:
        return NoArticle(*verdict)

    body = unicodedata.normalize("NFC", "\n\n".join(paragraphs))
    canonical = structured.canonical_url
    description = structured.meta.get("description") or structured.meta.get("og:description")
    return Article(
        title=_nfc(title_text),
        body=body,
        url=canonical or url,
        author=_nfc(author.name) if author else None,
        published=published.value if published else None,
        language=lang,
        title_raw=_nfc(title_raw),
        title_source=title_source,
        published_raw=_nfc(published.raw) if published else None,
        published_source=published.source if published else None,
        published_precision=published.precision if published else None,
        author_raw=_nfc(author.raw) if author else None,
        author_source=author.source if author else None,
        author_rule=author.rule if author else None,
        author_kind=author.kind if author else None,
        news_source=_nfc(news_source),
        description=_nfc(description),
        captions=tuple(Caption(_nfc(c.text) or "", c.image) for c in captions),
        canonical_url=canonical,
        extra={"encoding": page.encoding, "declared_encoding": page.declared,
               "charset_repaired": page.repaired,
               "author_sources_tried": tried, "body_source": body_source},
        text_blocks=text_blocks,
        block_keys=frozenset(block_key(b) for b in text_blocks if b.strip()),
    )


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _nfc(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    return unicodedata.normalize("NFC", text) or None

