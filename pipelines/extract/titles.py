"""The article's own headline: the visible heading that agrees with what the page declares,
else the declared title with the site name cut off."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from archive.text import fold_marks
from pipelines.extract.structured import StructuredData
from pipelines.extract.zones import is_noise_container

__all__ = ["TitleChoice", "choose_title", "find_headline", "site_like", "strip_site_name"]

_HEADLINE_CLASS = re.compile(
    r"headline|(?:^|[-_\s])title|tieu[-_]?de|tieude|heading|news[-_]?name|detail[-_]?name",
    re.I)
_NOT_HEADLINE_CLASS = re.compile(r"site[-_]?(?:title|name)|logo|brand|widget|sidebar|menu|"
                                 r"navigation|related|other|footer|section-title|box-title|"
                                 r"portlet-title|"
                                 r"block-title|cat(?:egory)?[-_]?title|module[-_]?title", re.I)
_SEPARATORS = re.compile(r"\s+[|\-–—:»«·•/]+\s+|\s*[|»«·•ㅣ]+\s*|\s+::\s+")
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
    # A part of the declared title counts only if it is most of it: a section name ('Wärmepumpe')
    # inside 'Wärmepumpe im Altbau - Wann es sich lohnt' is not the headline.
    if a == b or (len(a) >= 10 and a in b and len(a) > 0.4 * len(b)) or \
            (len(b) >= 10 and b in a and len(b) > 0.6 * len(a)):
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
    # Portals whose <title> is only the site name: the first headline-classed element of a
    # sentence's length outside page chrome is the headline (real headings first).
    fallback = [(e, t) for e, t in candidates if len(t.split()) >= 5 and not _in_chrome(e)]
    fallback.sort(key=lambda c: c[0].tag not in ("h1", "h2", "h3"))
    if fallback:
        return fallback[0][0]
    return None


def _compact(text: str) -> str:
    return re.sub(r"\W+", "", fold_marks(_fold(text)))


# How Vietnamese portals name themselves in a <title> suffix.
_PORTAL_NAME = re.compile(r"^(?:cổng|trang)\s+(?:thông tin|tt)|^(?:website|portal)\b|"
                          r"^(?:ubnd|ủy ban|uỷ ban|hđnd|đảng ủy|đảng uỷ|đảng bộ|mttq)\s",
                          re.IGNORECASE)


def _site_like(segment: str, site_names: list[str], host: str) -> bool:
    """Is this title segment the site's name ('MDR.DE', 'Daily Mail Online', 'Cổng TTĐT …')?"""
    compact = _compact(segment)
    if not compact:
        return True
    for name in site_names:
        name_compact = _compact(name) if name else ""
        if name_compact and (compact == name_compact or
                             (len(name_compact) > 3 and name_compact in compact
                              and len(compact) <= 2 * len(name_compact))):
            return True
    if host and len(host) >= 3 and host in compact and len(segment.split()) <= 5:
        return True
    if _PORTAL_NAME.match(segment.strip()) and len(segment.split()) <= 12:
        return True
    return bool(re.fullmatch(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", _fold(segment)))


def _host_core(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    parts = [p for p in host.split(".") if p not in ("www", "m", "amp")]
    # 'dailymail.co.uk' → 'dailymail'; 'tayson.hanoi.gov.vn' → 'tayson'
    return re.sub(r"\W+", "", parts[0]) if parts else ""


def _in_chrome(element: HtmlElement) -> bool:
    if element.find(".//a") is not None or element.tag == "a":
        return True  # a linked title is a teaser of another page
    return any(a.tag in ("a", "li", "nav", "header", "footer", "aside") or is_noise_container(a)
               for a in element.iterancestors())


def strip_site_name(title: str, site_names: list[str], url: str | None = None) -> str:
    """Cut 'Headline | Site' / 'Site - Headline' down to the headline: only segments at either
    end that name the site are removed, never a part of the headline itself."""
    host = _host_core(url)
    # Text pieces and the separators between them, kept aligned: a separator at either end of
    # the title (a leading '| ') leaves no empty piece behind.
    parts: list[str] = []
    separators: list[str] = []
    position = 0
    for match in _SEPARATORS.finditer(title):
        piece = title[position:match.start()]
        if piece.strip():
            parts.append(piece)
            separators.append(match.group(0))
        elif separators:
            separators[-1] += match.group(0)
        position = match.end()
    tail = title[position:]
    if tail.strip():
        parts.append(tail)
    elif separators:
        separators.pop()
    if len(parts) < 2:
        return title.strip()
    start, end = 0, len(parts)
    while end - start > 1 and _site_like(parts[end - 1], site_names, host):
        end -= 1
    while end - start > 1 and _site_like(parts[start], site_names, host):
        start += 1
    if (start, end) == (0, len(parts)):
        return title.strip()
    # Rebuild the kept middle with its own separators, so 'A – B' inside a headline survives.
    kept = parts[start]
    for index in range(start + 1, end):
        kept += separators[index - 1] + parts[index]
    return kept.strip()


# Weight of each source's vote ('headline' is <meta name="headline">, the page's declared
# headline like JSON-LD's); ties go to the earlier source in _TIE_ORDER. The titles an
# editor writes for sharing (og:title, twitter:title) are the chosen headline more often than
# the visible h1, which carries kickers and live-blog prefixes; the <title> tag is the least
# reliable (decorated, truncated) and counts half.
_WEIGHTS = {"og:title": 1.5, "twitter:title": 1.0, "json-ld": 1.0, "headline": 1.0, "h1": 1.0,
            "headline-element": 1.0, "title-tag": 0.5}
_TIE_ORDER = ("twitter:title", "json-ld", "headline", "og:title", "h1", "headline-element",
              "title-tag")
_EDGE_SEPARATOR = re.compile(r"^\s*[|\-–—:：»·•/]")
_TRAILING_SEPARATOR = re.compile(r"[|\-–—:：»·•/]\s*$")


def _vote_target(folded: str, others: set[str], shown: str | None) -> str:
    """A title that is another candidate plus a decoration ('Headline - Section', 'Kicker:
    Headline | Section') votes for the undecorated candidate. A kicker the visible headline
    (``shown``) itself carries is part of the headline, not a decoration."""
    best = folded
    for other in others:
        if other == folded or len(other) < 15 or len(other) >= len(best):
            continue
        at = folded.find(other)
        if at < 0:
            continue
        before, after = folded[:at], folded[at + len(other):]
        if before and (folded == shown or not _TRAILING_SEPARATOR.search(before)):
            continue
        if after and not _EDGE_SEPARATOR.match(after):
            continue
        best = other
    return best


def choose_title(tree: HtmlElement, data: StructuredData, headline: HtmlElement | None,
                 url: str | None = None) -> TitleChoice:
    """Let the title sources vote: the text most of them agree on wins."""
    site_names = [data.meta.get("og:site_name", ""), data.jsonld_publisher or "",
                  data.meta.get("application-name", "")]
    host = _host_core(url)
    candidates: dict[str, tuple[str, str]] = {}  # source → (clean title, raw)
    if data.jsonld_headline:
        raw = html.unescape(data.jsonld_headline)
        candidates["json-ld"] = (strip_site_name(raw, site_names, url), raw)
    if headline is not None:
        text = _clean(headline.text_content())
        candidates["h1" if headline.tag == "h1" else "headline-element"] = (text, text)
    for key in ("og:title", "twitter:title", "headline"):
        value = data.meta.get(key)
        if value:
            raw = html.unescape(value)
            candidates[key] = (strip_site_name(raw, site_names, url), raw)
    if data.title_tag:
        candidates["title-tag"] = (strip_site_name(data.title_tag, site_names, url),
                                   data.title_tag)
    # A declared title that is only the site's name (a sitewide og:title) has no vote.
    candidates = {k: v for k, v in candidates.items()
                  if v[0] and not _site_like(v[0], site_names, host)}
    if not candidates:
        return TitleChoice(None, None, None)
    folded = {k: _fold(v[0]) for k, v in candidates.items()}
    # The <title> tag is often cut short: it may be decorated, never be what others reduce to.
    undecorated = {f for k, f in folded.items() if k != "title-tag"}
    shown = folded.get("h1") or folded.get("headline-element")
    targets = {k: _vote_target(f, undecorated, shown) for k, f in folded.items()}
    votes: dict[str, float] = {}
    for source, target in targets.items():
        votes[target] = votes.get(target, 0.0) + _WEIGHTS[source]
    best = max(votes.values())
    for source in _TIE_ORDER:
        if source in targets and votes[targets[source]] == best:
            target = targets[source]
            # Report the source whose own text is the winner (not a decorated variant).
            owner = next((k for k in _TIE_ORDER if folded.get(k) == target), source)
            text, raw = candidates[owner]
            return TitleChoice(text, raw, owner)
    return TitleChoice(None, None, None)


def site_like(text: str, site_names: list[str], url: str | None) -> bool:
    """Is ``text`` just the site's own name (for rejecting it as a title or an author)?"""
    return _site_like(text, site_names, _host_core(url))
