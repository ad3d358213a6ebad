"""Where not to look: page regions that carry other articles' dates and text (related lists,
sidebars, counters, clock widgets, comment forms). Used to keep dates and bylines from being read
off a sidebar, and to drop related-article lists before trafilatura sees them."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml.html import HtmlElement

from pipelines.extract.element_text import text_of

__all__ = ["RELATED_HEADING", "is_noise_container", "link_density", "noise_judge",
           "related_zones"]

# Headings that introduce a list of *other* articles. Whole-text matches only.
RELATED_HEADING = re.compile(
    r"^\s*(?:các\s+|những\s+)?(?:tin|bài|bài viết|tin bài|tin tức|thông tin)\s*"
    r"(?:khác|liên quan|cùng chuyên mục|cùng loại|đã đưa|mới hơn|cũ hơn|mới nhất|mới|nổi bật|"
    r"đọc nhiều|xem nhiều|đọc nhiều nhất|xem nhiều nhất|tiêu điểm|cùng danh mục)\s*"
    r"(?:[:»>]+)?\s*$"
    r"|^\s*(?:xem thêm tin tức|tin tức khác|ý kiến bạn đọc|viết bình luận|bình luận|"
    r"related (?:articles|posts|stories|news|content)|more (?:stories|news|articles)|"
    r"you may also like|recommended|most (?:read|popular)|"
    r"weitere artikel(?: zum thema)?|weitere meldungen|das könnte sie auch interessieren|"
    r"mehr zum thema|mehr themen|empfohlene (?:beiträge|artikel)|kommentierte artikel|"
    r"lire aussi|à lire aussi|sur le même sujet|noticias relacionadas|notas relacionadas|"
    r"artículos relacionados|te puede interesar|articoli correlati)"
    r"\s*(?:[:»>]+)?\s*$",
    re.IGNORECASE,
)
# class/id fragments of containers that never hold the article itself.
_NOISE_NAME = re.compile(
    r"related|other[-_]?news|tin[-_]?khac|tinkhac|tin[-_]?lien[-_]?quan|lienquan|sidebar|"
    r"side[-_]bar|widget|counter|thong[-_]?ke|thongke|visitor|truy[-_]?cap|online|clock|"
    r"weather|thoi[-_]?tiet|footer|menu|navbar|breadcrumb|comment|binh[-_]?luan|share|social|"
    r"banner|popular|most[-_]?read|xem[-_]?nhieu|doc[-_]?nhieu|login|dang[-_]?nhap|search|"
    r"tim[-_]?kiem|marquee|advert|quang[-_]?cao|rating|danh[-_]?gia|newsletter|cookie",
    re.IGNORECASE,
)
# Class names of layout wrappers that hold the article although they say sidebar or widget:
# layout modifiers ('has-double-sidebar'), Genesis' 'content-sidebar-wrap', the sticky-column
# plugin's 'theiaStickySidebar', Elementor's 'elementor-widget-container' around every block.
_LAYOUT_NAME = re.compile(
    r"(?<![\w-])(?:(?:(?:has|with|no|one|two|double|three|both|full)[-_])+sidebars?|"
    r"content[-_]sidebar[-_]wrap|theiastickysidebar|elementor[-_]widget(?:[-_]container|"
    r"[-_]wrap)?)(?![\w-])", re.IGNORECASE)
_BLOGGER_POSTS = re.compile(r"^(?:Blog|Header)\d+$")  # Blogger's post list and title gadgets
_NOISE_TAGS = frozenset({"nav", "aside", "footer", "select", "marquee", "button"})
# A form is noise (login, search, comment) unless it wraps the whole page, as ASP.NET does:
# then it holds paragraphs of prose.
_PROSE = 120
_PAGE_FORM = 1500  # characters
# Ancestors that mean "the page itself", never a noise box even if their class says sidebar.
_PAGE_TAGS = frozenset({"html", "body", "main", "article"})


def link_density(element: HtmlElement) -> float:
    text = " ".join(element.text_content().split())
    if not text:
        return 0.0
    linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return min(1.0, linked / len(text))


def is_noise_container(element: HtmlElement) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    attributes = element.attrib
    if "class" not in attributes and "id" not in attributes and tag not in _NOISE_TAGS and \
            tag != "form":
        return False  # the common case, decided without a regex
    if tag in _PAGE_TAGS:
        return False
    if tag in _NOISE_TAGS:
        return True
    if tag == "form":
        # A listing page wrapped in the form has no long paragraph, but more text than a
        # login, search or comment form holds, and the form hangs right under <body>.
        parent = element.getparent()
        wraps_page = len(element.text_content()) >= (
            _PAGE_FORM if parent is None or parent.tag != "body" else _PAGE_FORM // 5)
        return not wraps_page and \
            not any(len(p.text_content()) >= _PROSE for p in element.iter("p"))
    return _noise_name(attributes.get("class", ""), attributes.get("id", ""))


@lru_cache(maxsize=8192)
def _noise_name(class_: str, id_: str) -> bool:
    # Pages repeat the same few class names thousands of times: judge each pair once.
    if _BLOGGER_POSTS.match(id_):
        return False  # class 'widget Blog': the posts themselves, not a gadget
    names = _LAYOUT_NAME.sub(" ", f"{class_} {id_}")
    return bool(names.strip()) and bool(_NOISE_NAME.search(names))


def noise_judge() -> Callable[[HtmlElement | None], bool]:
    """A judge of 'is this element, or a box around it, noise?' for one tree, remembering
    each verdict: a page's links share their ancestors, so each box is judged once."""
    memo: dict[HtmlElement, bool] = {}

    def in_noise(element: HtmlElement | None) -> bool:
        chain: list[HtmlElement] = []
        verdict = False
        node = element
        while node is not None:
            known = memo.get(node)
            if known is not None:
                verdict = known
                break
            chain.append(node)
            if is_noise_container(node):
                verdict = True
                break
            node = node.getparent()
        for visited in chain:
            memo[visited] = verdict
        return verdict

    return in_noise




def related_zones(tree: HtmlElement, headline: HtmlElement | None) -> list[HtmlElement]:
    """Elements holding lists of other articles: a related-list heading and the link-heavy
    siblings after it. Never the headline or anything containing it."""
    protected = set(headline.iterancestors()) | {headline} if headline is not None else set()
    zones: list[HtmlElement] = []
    for element in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "div", "p", "span", "strong",
                             "b", "li", "td", "header", "a", "em"):
        if len(element) > 3:  # a heading has at most a few inline children; skip big boxes cheaply
            continue
        own = element.text
        if own is not None and len(own) > 60:
            continue  # its whole text starts with this: too long for a heading, known unread
        text = text_of(element)
        if len(text) > 60 or not RELATED_HEADING.match(text):
            continue
        heading = " ".join(text.split())
        anchor = element
        # Climb out of wrappers that hold nothing but the heading, so the list is a sibling.
        while anchor.getparent() is not None and anchor.getparent() not in protected and \
                not any(isinstance(s.tag, str) for s in anchor.itersiblings()):
            parent = anchor.getparent()
            if " ".join(parent.text_content().split()) != heading:
                break
            anchor = parent
        if anchor in protected:
            continue
        following = []
        for sibling in anchor.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            if sibling in protected:
                break
            following.append(sibling)
        linked = [s for s in following if link_density(s) >= 0.4 or not s.text_content().strip()]
        if following and len(linked) == len(following):
            zones.append(anchor)
            zones.extend(following)
    return zones
