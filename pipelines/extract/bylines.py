"""Bylines and sources. A byline leaves the body and becomes ``author``; a source ('Nguồn: …',
'Theo …') is kept apart from a person; a unit ('BBT', 'Admin', 'Ban biên tập …') is recorded as
a unit. Every result says which rule fired."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["Byline", "clean_declared_author", "clean_person_names", "find_author_link",
           "find_author_markup", "find_headline_credit",
           "name_from_markup", "parse_label_byline", "parse_source_line",
           "parse_trailing_name"]


@dataclass(frozen=True)
class Byline:
    author: str | None  # clean name(s); None for an empty 'Tác giả:' label
    raw: str
    rule: str  # e.g. "label:Tác giả", "trailing-bold", "by-line"
    kind: str  # person | unit


_AUTHOR_LABEL = re.compile(
    r"^\s*[(\[]?\s*(?P<label>tác giả bài viết|tác giả|thực hiện|người viết|người thực hiện|"
    r"phóng viên|nhóm phóng viên|pv|ctv|cộng tác viên|tin,?\s*ảnh|tin và ảnh|tin\s*-\s*ảnh|"
    r"bài,?\s*ảnh|bài và ảnh|bài\s*-\s*ảnh|tin,?\s*bài|bài viết|tin|bài|authors?|autor(?:in)?|"
    r"autoren|auteure?|verfasser(?:in)?|von|"
    r"written by|text\s*(?:und|&|/)\s*(?:fotos?|bilder?)|(?:fotos?|bilder?)\s*(?:und|&|/)\s*text|"
    r"text and photos?|texte et photos?|text|texte)\s*[:：]\s*(?P<name>.*?)\s*[)\]]?\s*$",
    re.IGNORECASE,
)
_SOURCE_LABEL = re.compile(
    r"^\s*[(\[]?\s*(?P<label>nguồn tin|nguồn|source|quelle|fuente)\s*[:：]\s*(?P<name>.+?)"
    r"\s*[)\]]?\s*\.?$", re.IGNORECASE)
_THEO = re.compile(r"^\s*[(\[]?\s*(?P<label>theo)\s+(?P<name>(?:[^.!?]|\.(?=\w)){2,80}?)\s*[)\]]?"
                   r"\s*\.?\s*$", re.IGNORECASE)
# 'By …', 'Von …', and the same after a word naming the piece ('Ein Artikel von …', 'Text von …',
# 'Story by …'); never a photographer's credit ('Fotos von …').
_BY_START = re.compile(
    r"^\s*(?:(?:posted|written|published|geschrieben|verfasst)\s+|"
    r"(?:(?:ein|eine|un|une)\s+)?(?:artikel|beitrag|gastbeitrag|kommentar|gastkommentar|text|"
    r"bericht|reportage|interview|story|article|words|report|texte|analyse|analysis)\s+)?"
    r"(?P<label>by|von|par|por|door|av|af)\s+\S", re.IGNORECASE)
# A label standing alone ('Autor' as the heading of an author box): the name is on the next line.
_LONE_LABEL = re.compile(r"^\s*(?P<label>autor(?:in)?|autoren|author|authors|auteure?|"
                         r"verfasser(?:in)?|über (?:den|die) autor(?:in)?|about the author|"
                         r"written by|von|by|tác giả|người viết|thực hiện)\s*:?\s*$",
                         re.IGNORECASE)
# 'Autor Mark Newton' without a colon: only the unambiguous label words, and only a clean name.
_BARE_LABEL = re.compile(r"^\s*(?P<label>autor(?:in)?|author|verfasser(?:in)?)\s+"
                         r"(?P<name>[^:]{3,60}?)\s*:?\s*$", re.IGNORECASE)
# What follows a name on a byline line: a date, 'Datum: …', 'Veröffentlicht am …', a role.
_AFTER_NAME = re.compile(
    r"\s*(?:[,|•·]\s*|\s)(?=(?:[^,|]*\d|[^,|:]{1,20}:|(?:veröffentlicht|aktualisiert|publiziert|"
    r"erschienen|published|posted|updated|publié|mis à jour|publicado|am|on|le|el|il|op|em|den|"
    r"vom|um)\b))", re.IGNORECASE)
_UNIT = re.compile(
    r"^(?:bbt|btv|ban biên tập|ban bien tap|admin|administrator|quản trị viên|quản trị|"
    r"văn phòng|vp\b|ubnd|hđnd|ủy ban|uỷ ban|đảng ủy|đảng uỷ|mttq|đài truyền thanh|"
    r"đài phát thanh|trung tâm|phòng\b|ban\b|bộ phận|tổ dân phố|đoàn thanh niên|hội liên hiệp|"
    r"hội nông dân|hội cựu chiến binh|chi bộ|công an|editorial|redaktion|rédaction|staff|"
    r"newsroom|webmaster|"
    # a place's own name signs for its administration ('Xã Hòa Phú', 'Phường Tây Sơn')
    r"(?:xã|phường|thị trấn|huyện|quận|tỉnh|thành phố|thôn|ấp|khu phố)\s)",
    re.IGNORECASE,
)
_UNIT_CODE = re.compile(
    r"^(?P<name>.+?)\s*(?:\((?P<paren>[^)]{1,40})\)|\s[-–—]\s*(?P<dash>.{1,40}))$")
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w'’.-]*$")
_LOWER_OK = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "bin",
                       "al", "del", "dos", "das", "y", "e", "zu", "ten", "ter", "st."})


def _is_name(text: str, *, max_tokens: int = 5) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= max_tokens or len(text) > 50:
        return False
    for token in tokens:
        if token.lower() in _LOWER_OK:
            continue
        if not _NAME_TOKEN.match(token) or not token[0].isupper():
            return False
    # All-caps multi-word strings are headings or unit codes more often than names.
    return not (text.isupper() and len(tokens) > 3)


def _initials(text: str) -> bool:
    """'H.B', 'N.V.A', 'T.Hà' — pen initials common on ward portals."""
    return bool(re.fullmatch(r"(?:[^\W\d_]{1,3}\.\s?){1,3}[^\W\d_]{1,12}\.?", text))


def _split_names(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*(?:,|;|/|\s+và\s+|\s+and\s+|\s+und\s+|&)\s*", text)
            if p.strip()]


def _is_description(text: str) -> bool:
    """'Projektleiterin der HSS in Tunesien', 'phóng viên Đài truyền thanh xã': a role or an
    affiliation after a name, not another name."""
    words = text.split()
    return len(words) >= 2 and any(w[0].islower() for w in words) and not _is_name(text)


def clean_person_names(text: str) -> tuple[str, str] | None:
    """A byline text → (clean author, kind) or None when it does not look like a byline."""
    text = " ".join(text.split()).strip(" .:;,-–—")
    if not text or len(text) > 90 or any(ch.isdigit() for ch in text):
        return None
    if _UNIT.match(text) and len(text.split()) <= 10:
        return text, "unit"
    if _is_name(text) or _initials(text):
        return text, "person"
    match = _UNIT_CODE.match(text)
    if match:
        name, code = match["name"].strip(), (match["paren"] or match["dash"] or "").strip()
        if code and (_is_name(code) and not code.isupper()) and _is_name(name):
            return f"{name}, {code}", "person"  # two people: 'Hoàng Bình - Thu Hà'
        if _is_name(name) or _initials(name):
            return name, "person"  # a name with a unit code: 'Nguyễn Khánh (CCVH)'
        if _UNIT.match(name):
            return name, "unit"
    names = _split_names(text)
    if len(names) > 1:
        # 'David Straub, MDR THÜRINGEN': an all-caps part is the newsroom, not a co-author.
        people = [n for n in names if not (n.isupper() and len(n) > 3)]
        if people and all(_is_name(n) or _initials(n) for n in people):
            return ", ".join(people), "person"
        # 'Uta Staschewski, Projektleiterin der HSS': the name and what the person does.
        if _is_name(names[0]) and all(_is_description(n) for n in names[1:]):
            return names[0], "person"
    return None


_ROLE_WORDS = re.compile(r"\s*(?:기자|특파원|記者|(?:senior |staff |chief )?(?:writer|reporter|"
                         r"correspondent|editor)|staff|contributor|redakteur(?:in)?|"
                         r"korrespondent(?:in)?|journalist(?:in)?|phóng viên|pv)\s*$",
                         re.IGNORECASE)


_DECLARED_LABEL = re.compile(r"^(?:by|von|par|por|door)\s+", re.IGNORECASE)
# 'FOCUS-Online-Experte Robin Tschöpe': a compound naming the role, before the name.
_ROLE_PREFIX = re.compile(r"^\S+-(?:experte|expertin|autor|autorin|redakteur|redakteurin|"
                          r"korrespondent|korrespondentin|reporter|reporterin)\s+", re.IGNORECASE)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)


def clean_declared_author(raw: str) -> str | None:
    """An author the page declares in metadata: trusted as written (any script, no
    capitalisation test), minus labels and role words ('By …', '신현주 기자' → '신현주'), URLs,
    and what describes the author rather than names them ('…, Mykolo Romerio universiteto …
    profesorius, Lrt.lt')."""
    parts = [p.strip() for p in re.split(r"\s*[,;|]\s*", raw) if p.strip()]
    kept = []
    for part in parts:
        part = _ROLE_PREFIX.sub("", _DECLARED_LABEL.sub("", part))
        part = _ROLE_WORDS.sub("", part).strip(" .")
        if not part or len(part) > 80 or part.casefold() in _GENERIC or "/" in part or \
                "@" in part or part.isdigit():
            continue
        kept.append(part)
    if len(kept) > 1:
        # A site's domain or a description of several words beside a name is not a co-author.
        named = [k for k in kept if not _DOMAIN.fullmatch(k) and len(k.split()) <= 6]
        kept = named or kept
    return ", ".join(dict.fromkeys(kept)) or None


def parse_label_byline(text: str) -> Byline | None:
    """'Tác giả: …', 'Thực hiện: …', 'Tin, ảnh: …', 'By …', 'Von …'. An empty label yields a
    Byline with author None: the caller may look at the next line."""
    match = _AUTHOR_LABEL.match(text) or _BARE_LABEL.match(text)
    if match:
        label = " ".join(match["label"].split())
        name = match["name"].strip(" .")
        rule = f"label:{label[0].upper()}{label[1:]}"
        if not name:
            return Byline(None, text, rule, "person")
        cleaned = clean_person_names(name)
        if cleaned is None:
            # 'Author: Gàbor Muniér, Datum: 03.Mär.19': the name, then the line's other fields.
            cut = _AFTER_NAME.search(name)
            cleaned = clean_person_names(name[:cut.start()]) if cut and cut.start() else None
        if cleaned is None:
            return None
        return Byline(cleaned[0], text, rule, cleaned[1])
    match = _LONE_LABEL.match(text)
    if match:
        label = " ".join(match["label"].split())
        return Byline(None, text, f"label:{label[0].upper()}{label[1:]}", "person")
    match = _BY_START.match(text)
    if match and len(text) <= 120:
        name = name_from_markup(text)
        if name is not None:
            cleaned = clean_person_names(name)
            kind = cleaned[1] if cleaned else "person"
            return Byline(name, text, f"by:{match['label'].lower()}", kind)
    return None


def parse_source_line(text: str, *, allow_theo: bool) -> str | None:
    """'Nguồn: Báo Hà Nội Mới' or a trailing 'Theo baochinhphu.vn' → the source's name."""
    match = _SOURCE_LABEL.match(text)
    if match and len(text) <= 200:
        return match["name"].strip(" .")
    if allow_theo:
        match = _THEO.match(text)
        name = match["name"].strip(" .") if match else ""
        # 'Theo Báo Nhân Dân', 'Theo baochinhphu.vn' — not 'Theo kế hoạch, hội nghị …'.
        if name and "," not in name and len(name.split()) <= 8 and (
                name[0].isupper() or re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", name)):
            return name
    return None


def parse_trailing_name(text: str) -> tuple[str, str] | None:
    """A bare name (or unit) alone as the last paragraph: 'Hoàng Bình', 'BBT',
    'Nguyễn Khánh (CCVH)', 'Quang Trị - ĐTT xã'."""
    stripped = text.strip()
    if len(stripped) > 60 or stripped.endswith(("?", "!", ":")) or stripped.count(".") > 3:
        return None
    if stripped.endswith(".") and not _initials(stripped):
        return None
    if stripped.endswith(("-", "–", "—")):
        return None  # a dateline ('Bergisch Gladbach -') opens the text, it signs nothing
    cleaned = clean_person_names(stripped)
    if cleaned is not None and "," in stripped and len(_split_names(stripped)) > 1 and \
            cleaned[0].count(",") < len(_split_names(stripped)) - 1 and \
            any(_is_description(n) for n in _split_names(stripped)[1:]):
        return None  # 'Name, what they do' is a labelled byline's form, not a bare line's
    return cleaned


# Only elements whose class or id can say 'author': their attribute values are collected in C
# and tested with one quick pattern before the exact test (_author_names).
_CLASS_AND_ID = etree.XPath("//@class | //@id")
_AUTHORISH = re.compile(r"uthor|UTHOR|yline|YLINE|y-line|utor|UTOR|erfasser|riter|osted|"
                        r"ontributor|eporter|tac-?gia|tacgia|nguoi-viet")
_REL_AUTHOR = etree.XPath("//*[@rel='author']")  # compiled XPath runs in C; iterfind does not
_ITEMPROP_AUTHOR = etree.XPath("//*[@itemprop='author']")
_AUTHOR_MARKUP = re.compile(
    r"(?:^|[\s_-])(?:author|authors|byline|by-line|autor|autoren|verfasser|writer|posted-by|"
    r"postedby|author-name|authorname|contributor|reporter|tac-gia|tacgia|nguoi-viet|"
    r"article-author|entry-author|post-author|meta-author)(?:$|[\s_-])", re.IGNORECASE)
_MARKUP_EXCLUDE = re.compile(r"bio|avatar|image|img|photo|comment|related|teaser|box-author|"
                             r"author-info|about|social|share|follow|more|list", re.IGNORECASE)
_LEADING_LABEL = re.compile(
    r"^\s*(?:(?:posted|written|published|geschrieben|verfasst|erstellt|veröffentlicht)\s+|"
    r"(?:(?:ein|eine|un|une)\s+)?(?:artikel|beitrag|gastbeitrag|kommentar|text|bericht|"
    r"reportage|interview|story|article|words|report|texte)\s+(?=(?:by|von|par|por)\s))?"
    r"(?:by|von|par|por|door|di|av|af|autor(?:in)?|author|verfasser(?:in)?|text|texte|"
    r"tác giả|người viết|thực hiện)\s*[:：]?\s+", re.IGNORECASE)
_MONTH_WORDS = (r"jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|"
                r"june?|juni|july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?|"
                r"nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|février|mars|avril|juin|"
                r"juillet|août|septembre|octobre|novembre|décembre")
# What trails a name in an author box: a date, 'Veröffentlicht am …', the photographer, a
# separator and whatever follows it.
_TRAILING_NOISE = re.compile(
    r"\s+(?:am|on|le|el|il|op|em|den|vom|um|veröffentlicht|aktualisiert|publiziert|erstellt|"
    r"published|posted|updated|publié|publicado|" + _MONTH_WORDS + r")(?:\s.*)?$|"
    r"\s+(?:illustrations?|fotos?|photos?|bilder?|grafik(?:en)?|kamera|mitarbeit)\b.*$|"
    r"\s+(?:\||•|·|-|–|—|,)\s+.*$|\s*[|•·,]\s*$|\s+\d.*$|[,|•·]\s*\d.*$", re.IGNORECASE)
# Words that are no author at all. A newsroom ('Redaktion') is an author, recorded as a unit.
_GENERIC = frozenset({"admin", "administrator", "guest", "gast", "anonymous", "anonym",
                      "unknown", "webmaster", "user", "published", "posted", "author", "by",
                      "von", "no author", "team", "editor", "staff", "publiziert",
                      "veröffentlicht", "aktualisiert", "erstellt", "updated", "publié",
                      "publicado", "geschrieben", "written"})
_NEWSROOM = frozenset({"redaktion", "die redaktion", "redaction", "rédaction", "la rédaction",
                       "redacción", "redazione", "redactie", "editorial team", "newsroom"})
_STAMPED = re.compile(r"\d|posted|published|written|veröffentlicht|geschrieben|erstellt|publié|"
                      r"publicado|\bam\b|\bon\b|\ble\b", re.IGNORECASE)


def name_from_markup(text: str) -> str | None:
    """The name in an author element's text: 'Von R. R. am 12.3.' → 'R. R.', 'By Alex Bozarjian'
    → 'Alex Bozarjian'. A single-word handle is allowed here: explicit markup vouches for it."""
    text = " ".join(text.split())
    if not text or len(text) > 100:
        return None
    text = _LEADING_LABEL.sub("", text, count=1)
    trailing_by = re.search(r"\b(?:by|von|par|por)\s+([^\W\d_].{2,50})$", text, re.IGNORECASE)
    # 'Posted on September 21, 2020 by Adi Tzlil', 'Disko Von Ernst Lohoff' — but 'Walter von
    # Aachen' is one name.
    if trailing_by and trailing_by.start() > 0 and (
            trailing_by.group(0)[0].isupper() or _STAMPED.search(text[:trailing_by.start()])):
        text = trailing_by.group(1)
    text = _TRAILING_NOISE.sub("", text).strip(" .:;,")
    text = _ROLE_WORDS.sub("", text) if len(text.split()) > 2 else text
    words = text.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        text = " ".join(words[:half])  # a name printed twice (a link and its tooltip)
    if not text or text.casefold() in _GENERIC or len(text) > 60:
        return None
    if text.casefold() in _NEWSROOM:
        return text
    cleaned = clean_person_names(text)
    if cleaned is not None:
        return cleaned[0]
    tokens = text.split()
    if len(tokens) == 1 and 3 <= len(text) <= 30 and not text.isdigit() and \
            re.fullmatch(r"[\w.\-]+", text):
        return text
    if re.fullmatch(r"[^\W\d_]{2}", text) and text.isupper():
        return text  # initials the author signs with ('LD'): markup vouches they are a name
    if _initials(text.replace(" ", "")) or re.fullmatch(r"(?:[^\W\d_]\.\s?){1,3}", text + "."):
        return text
    return None


def find_author_markup(tree: HtmlElement) -> tuple[str, str, str] | None:
    """An author named by the page's markup: rel=author, itemprop=author, or an element whose
    class/id says author/byline. Returns (name, raw text, rule)."""
    for element in _REL_AUTHOR(tree):
        named = element.find(".//*[@itemprop='name']")  # not the job title beside it
        text = " ".join((named if named is not None else element).itertext()) \
            if element.tag != "link" else ""
        name = name_from_markup(text)
        if name and not _in_excluded(element):
            return name, " ".join(text.split()), "markup:rel-author"
    for element in _ITEMPROP_AUTHOR(tree):
        named = element.find(".//*[@itemprop='name']")
        text = (named.get("content") or named.text_content()) if named is not None else (
            element.get("content") or element.text_content())
        name = name_from_markup(text)
        if name and not _in_excluded(element):
            return name, " ".join(text.split()), "markup:itemprop-author"
    for element in _author_candidates(tree):
        if element.tag in ("body", "html", "meta", "link", "script", "style", "img"):
            continue
        if _author_names(element.get("class", ""), element.get("id", "")) != "author":
            continue
        if len(element) > 12 or _in_excluded(element):
            continue
        text = " ".join(element.itertext())
        name = name_from_markup(text)
        if name:
            return name, " ".join(text.split()), "markup:class-author"
    return _author_box_name(tree)


def _author_candidates(tree: HtmlElement) -> list[HtmlElement]:
    elements = [value.getparent() for value in _CLASS_AND_ID(tree) if _AUTHORISH.search(value)]
    return list(dict.fromkeys(elements))  # an element with both a class and an id comes once


@lru_cache(maxsize=8192)
def _author_names(class_: str, id_: str) -> str | None:
    """'author' for an element whose class/id names its author, 'box' for an about-the-author
    box (biography), None otherwise. Pages repeat class names: each pair is judged once."""
    names = f"{class_} {id_}"
    if not _AUTHOR_MARKUP.search(names):
        return None
    if not _MARKUP_EXCLUDE.search(names):
        return "author"
    return "box" if _AUTHOR_BOX.search(names) else None


def _author_box_name(tree: HtmlElement) -> tuple[str, str, str] | None:
    """An 'about the author' box ('author-bio', 'author-info'): its prose is a biography, but
    its heading or name element is the author's name."""
    for element in _author_candidates(tree):
        if _author_names(element.get("class", ""), element.get("id", "")) != "box" or \
                _in_excluded(element):
            continue
        for part in element.iter("h2", "h3", "h4", "h5", "strong", "span", "div", "p", "a"):
            if part.tag in ("span", "div", "p", "a") and \
                    "name" not in (part.get("class") or "").lower():
                continue
            # The name's own link first: a 'Follow' button glued to it makes 'Inga HoeltmannFollow'.
            for piece in (*part.iter("a"), part):
                text = " ".join(piece.text_content().split())
                cleaned = clean_person_names(text) if text else None
                if cleaned is not None and cleaned[1] == "person":
                    return cleaned[0], text, "markup:author-box"
    return None


_CREDIT = re.compile(r"(?:^|[-_\s])(?:credits?|byline)(?:$|[-_\s])", re.IGNORECASE)
_HEADER_SIBLINGS = 3  # elements after the headline where its credit line stands


def find_headline_credit(headline: HtmlElement | None) -> tuple[str, str, str] | None:
    """The credit printed right under the headline (<p class="credit">JIJI</p>): the agency or
    person the story is credited to. A credit inside a figure is the photographer's."""
    if headline is None:
        return None
    anchors = [headline]
    parent = headline.getparent()
    if parent is not None and len(parent) <= _HEADER_SIBLINGS and parent.tag not in ("body",):
        anchors.append(parent)  # <hgroup><h1>…</h1></hgroup><p class="credit">
    for anchor in anchors:
        for sibling in list(anchor.itersiblings())[:_HEADER_SIBLINGS]:
            if not isinstance(sibling.tag, str) or sibling.tag in ("figure", "figcaption"):
                continue
            if not _CREDIT.search(sibling.get("class", "")):
                continue
            text = " ".join(sibling.text_content().split())
            name = name_from_markup(text) if 2 <= len(text) <= 60 else None
            if name is not None:
                return name, text, "markup:headline-credit"
    return None


def find_author_link(tree: HtmlElement, headline: HtmlElement | None = None
                     ) -> tuple[str, str, str] | None:
    """A link to the author's own page ('/author/jane-doe/', '/staff/…', '/autoren/…') whose
    text is a name: how many CMSs print a byline without any author markup. The first such
    link after the headline; one above it only when none follows (those above are usually
    other stories' teasers)."""
    candidates = [a for a in _LINKS(tree) if _AUTHOR_PATH.search(a.get("href", ""))]
    if not candidates:
        return None
    following = set(_FOLLOWING_LINKS(headline)) if headline is not None else None
    before: tuple[str, str, str] | None = None
    for anchor in candidates:
        text = " ".join(anchor.text_content().split())
        name = name_from_markup(text) if 3 <= len(text) <= 60 else None
        if name is None or _in_excluded(anchor) or \
                any(a.tag in ("nav", "li") for a in anchor.iterancestors()):
            continue  # a menu, or a list of other stories and their authors
        if following is None or anchor in following:
            return name, text, "markup:author-link"
        before = before or (name, text, "markup:author-link")
    return before


_LINKS = etree.XPath("//a[contains(@href, '/')]")
_FOLLOWING_LINKS = etree.XPath("following::a[contains(@href, '/')]")
_AUTHOR_BOX = re.compile(r"bio|about|author-info|box-author|author-box|profile", re.IGNORECASE)
_AUTHOR_PATH = re.compile(
    r"/(?:authors?|autor(?:en|in)?|staff|people|profil(?:e|es)?|journalist(?:s|en)?|"
    r"redakteur(?:e|in)?|newsteam|contributors?|writers?|verfasser|reporters?|columnists?|"
    r"mitarbeiter|tac-gia|nguoi-viet)/", re.IGNORECASE)
_EXCLUDED_BOX = re.compile(r"comment|related|sidebar|teaser|recommend|footer", re.IGNORECASE)


def _in_excluded(element: HtmlElement) -> bool:
    """Inside a comment, related-article or sidebar box. Page-wide wrappers whose class merely
    mentions a sidebar layout ('one-sidebar') hold the article itself and do not count."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("aside", "footer", "nav"):
            return True
        names = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if _EXCLUDED_BOX.search(names) and len(ancestor.text_content()) < 3000:
            return True
    return False
