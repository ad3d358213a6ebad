"""Is this page an article? Category listings, home pages, document lists and contact/intro
pages come back as NoArticle: the crawler archives only what this module calls an article.

Signals, none decisive alone: how much of the extracted text is the text of links to other pages
(teaser lists), how many headline-sized links the page holds, document tables (số ký hiệu, trích
yếu, tải về), contact blocks, the page's own claims (og:type, JSON-LD), and whether a headline
and a date were found."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from pipelines.extract.element_text import text_of
from pipelines.extract.teasers import teaser_coverage
from pipelines.extract.zones import noise_judge

__all__ = ["PageSignals", "classify_page", "collect_signals"]

_DOC_HEADER = re.compile(r"số\s*(?:ký|kí)?\s*hiệu|trích\s*yếu|ngày\s*ban\s*hành|cơ\s*quan\s*ban\s*"
                         r"hành|tải\s*về|loại\s*văn\s*bản|ngày\s*hiệu\s*lực|người\s*ký|"
                         r"file\s*đính\s*kèm|tên\s*văn\s*bản", re.I)
_FILE_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|rar|zip)(?:$|\?)", re.I)
_CONTACT = re.compile(r"điện\s*thoại|\bemail\b|e-mail|\bfax\b|địa\s*chỉ|hotline|đường\s*dây\s*nóng|"
                      r"\bphone\b|\btel\b|telefon|adresse|address", re.I)
_NON_ARTICLE_PATH = re.compile(
    r"lien[-_]?he|contact|gioi[-_]?thieu|about|impressum|so[-_]?do|co[-_]?cau[-_]?to[-_]?chuc|"
    r"chuc[-_]?nang|nhiem[-_]?vu|lich[-_]?su[-_]?hinh[-_]?thanh|ban[-_]?do|sitemap|"
    r"dieu[-_]?kien|privacy|chinh[-_]?sach[-_]?bao[-_]?mat|kontakt|mentions[-_]?legales", re.I)
_NON_ARTICLE_TITLE = re.compile(
    r"^(?:liên hệ|giới thiệu(?: chung)?|sơ đồ(?: tổ chức| cổng| trang| site)?|cơ cấu tổ chức|"
    r"chức năng(?:,)? nhiệm vụ.*|lịch sử hình thành.*|bản đồ.*|thông tin liên hệ|"
    r"ban lãnh đạo|lãnh đạo(?: phường| xã| ubnd.*)?|danh bạ.*|hỏi đáp|văn bản.*|"
    r"contact(?: us)?|about(?: us)?|impressum|kontakt)\s*$", re.I)
# 'Tin tức - Trang 2', 'Aktuelles – Seite 2', 'News | Page 3': a numbered page of a listing.
_PAGED_TITLE = re.compile(r"[-–—|:·]\s*(?:trang|page|seite|pagina|página|strona)\s+\d+\b",
                          re.I)
# Class names WordPress and Drupal give a static page ('Über uns', 'Impressum'), not a post.
_STATIC_PAGE_CLASS = frozenset({"type-page", "node--type-page", "node-type-page", "page-type-page"})
# '?page=2', '&pg=3', Liferay's '_…_cur=2', '/page/2/', NukeViet's '/page-2'.
_PAGED_URL = re.compile(r"[?&](?:[\w-]*_)?(?:page|pg|p|trang|paged|cur|currentpage|pageindex)=\d+|"
                        r"/(?:page|trang|seite)[-/]\d+/?(?:$|\?)", re.I)
_CONTACT_BODY_WORDS = 250  # a contact page is short: a longer body is never judged by contacts
_HOME_PATH = re.compile(r"^/?(?:(?:index|default|home|trang-chu|trangchu)(?:\.\w+)?|vi|en|"
                        r"portal|vi-vn|pages/default\.aspx)?/?$", re.I)


@dataclass(frozen=True)
class PageSignals:
    headline_links: int  # links with headline-sized text outside noise boxes
    linked_share: float  # share of the body's characters that are link texts
    doc_table_rows: int  # rows of document tables (văn bản lists)
    file_links: int
    contact_hits: int  # contact labels in the body; counted only in a short body (_contact_hits)
    body_words: int
    truncated_share: float  # share of paragraphs that end in '...': teaser summaries
    declares_article: bool  # og:type=article or a JSON-LD article
    has_headline: bool
    has_date: bool
    path: str
    title: str
    query: str = ""  # in-house portals serve every page at '/' and tell them apart by query
    teaser_boxes: int = 0  # teaser boxes (headline link + summary) in the content
    teasers: int = 0  # teaser boxes whose text is in the body
    teaser_share: float = 0.0  # share of the body that is teasers' text
    static_page: bool = False  # the CMS marks the page as a static page, not a post


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _contact_hits(text: str, body_words: int) -> int:
    """Contact labels ('Điện thoại', 'Email', 'Địa chỉ') in the body. Only a short body is
    judged by them (classify_page), so a long one is not scanned: the pattern costs ~0.1 ms
    per thousand characters, more than the rest of the classification."""
    return len(_CONTACT.findall(text)) if body_words < _CONTACT_BODY_WORDS else 0


def _static_page(tree: HtmlElement) -> bool:
    for element in tree.iter("body", "article", "div", "main"):
        names = element.get("class")
        # Every static-page class name says 'page': most boxes are ruled out without a split.
        if names and "page" in names and _STATIC_PAGE_CLASS.intersection(names.split()):
            return True
    return False


def collect_signals(tree: HtmlElement, paragraphs: list[str], *, url: str | None,
                    declares_article: bool, has_headline: bool, has_date: bool,
                    title: str | None) -> PageSignals:
    link_texts: set[str] = set()
    headline_links = 0
    in_noise = noise_judge()
    file_links = 0
    for anchor in tree.iter("a"):
        href = anchor.get("href") or ""
        if _FILE_LINK.search(href):
            file_links += 1
        text = _fold(text_of(anchor))
        if len(text) < 12:
            continue
        link_texts.add(text)
        if len(text.split()) >= 5 and not href.startswith(("#", "javascript")) and \
                not in_noise(anchor.getparent()):
            headline_links += 1
    body_chars = sum(len(p) for p in paragraphs) or 1
    linked = sum(len(p) for p in paragraphs if _fold(p) in link_texts)
    doc_rows = 0
    for table in tree.iter("table"):
        rows = table.findall(".//tr")
        head = " ".join(row.text_content() for row in rows[:2])[:600]
        if _DOC_HEADER.search(head):
            doc_rows += max(0, len(rows) - 1)
    text = " ".join(paragraphs)
    body_words = len(text.split())
    teasers = teaser_coverage(tree, paragraphs, url, in_noise=in_noise)
    return PageSignals(
        headline_links=headline_links,
        linked_share=linked / body_chars,
        doc_table_rows=doc_rows,
        file_links=file_links,
        contact_hits=_contact_hits(text, body_words),
        truncated_share=sum(1 for p in paragraphs if p.rstrip().endswith(("...", "…")))
        / max(1, len(paragraphs)),
        body_words=body_words,
        declares_article=declares_article,
        has_headline=has_headline,
        has_date=has_date,
        path=urlsplit(url or "").path,
        title=title or "",
        query=urlsplit(url or "").query,
        teaser_boxes=teasers.boxes,
        teasers=teasers.teasers,
        teaser_share=teasers.share,
        static_page=_static_page(tree),
    )


def classify_page(s: PageSignals) -> tuple[str, str] | None:
    """None for an article, else (reason, detail)."""
    if s.body_words == 0:
        return "empty", "no text could be extracted"
    if s.doc_table_rows >= 3 and s.body_words < 400 + 20 * s.doc_table_rows:
        return "listing", f"document list: {s.doc_table_rows} rows of văn bản"
    if s.linked_share >= 0.5:
        return "listing", f"{s.linked_share:.0%} of the text is links to other pages"
    evidence = s.declares_article + s.has_headline + s.has_date
    if s.headline_links >= 8 and s.linked_share >= 0.2 and evidence < 3:
        return "listing", f"{s.headline_links} headline links, {s.linked_share:.0%} linked text"
    if s.headline_links >= 5 and s.truncated_share >= 0.3 and not s.declares_article:
        return "listing", f"{s.truncated_share:.0%} of the paragraphs are cut-off teasers"
    if s.headline_links >= 8 and not s.has_headline and not s.has_date and not s.declares_article:
        return "listing", f"{s.headline_links} headline links, no headline, no date"
    # A page with its own headline and date may be an article that trafilatura padded with
    # teasers: then only a body of nothing but teasers is a listing.
    if s.teasers >= 2 and s.teaser_share >= 0.5 and (s.teaser_share >= 0.8 or not (
            s.declares_article or (s.has_headline and s.has_date))):
        return "listing", f"{s.teasers} teasers make up {s.teaser_share:.0%} of the text"
    paged = bool(_PAGED_TITLE.search(s.title) or _PAGED_URL.search(f"{s.path}?{s.query}"))
    if paged and s.teaser_boxes >= 1 and not s.declares_article and (
            not s.has_date or s.teaser_share >= 0.5):
        return "listing", "a numbered page of teasers"
    if s.teaser_boxes >= 3 and not s.has_date and not s.declares_article and s.body_words < 150:
        return "listing", f"{s.teaser_boxes} teasers, no date, {s.body_words} words of text"
    # The query matters: in-house portals serve their articles at '/?gd=2&cn=5&tc=123'.
    if _HOME_PATH.match(s.path) and not s.query and not s.declares_article and (
            s.headline_links >= 8 or not (s.has_date or s.has_headline)):
        return "listing", "home page"
    if not s.has_date and not s.declares_article and s.static_page:
        return "not-article", "a static page of the site (its CMS says so), without a date"
    if not s.has_date and not s.declares_article and (
            _NON_ARTICLE_TITLE.match(s.title.strip()) or _NON_ARTICLE_PATH.search(s.path)):
        return "not-article", "contact/intro page without a date"
    if not s.has_date and not s.has_headline and s.contact_hits >= 3 and \
            s.body_words < _CONTACT_BODY_WORDS:
        return "not-article", "contact details, no date"
    if s.body_words < 25 and not (s.has_date and s.has_headline):
        return "too-short", f"{s.body_words} words"
    return None
