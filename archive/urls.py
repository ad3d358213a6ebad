"""URL identity: one article, one URL, whatever variant a page links to.

Query order, tracking parameters (``utm_*``, ``fbclid``…), session ids (``;jsessionid=``,
``PHPSESSID``) and print views (``?print=1``, ``/print/``) do not make a different page. The
canonical URL a page declares (``rel=canonical``) wins over all of this, once the page is fetched.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

__all__ = ["canonical_url", "is_print_view", "same_site"]

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_[ce]id|_ga|_gl|igshid|zarsrc|zalo_\w+|"
    r"ref|ref_src|spm|cmpid|at_\w+)$", re.IGNORECASE)
_SESSION = re.compile(r"^(phpsessid|jsessionid|sid|sessionid|aspsessionid\w*|cfid|cftoken)$",
                      re.IGNORECASE)
_PRINT_PARAM = re.compile(r"^(print|in|printable|view|mode|layout|format)$", re.IGNORECASE)
_PRINT_VALUE = re.compile(r"^(1|true|yes|print|printer|in|inbai)$", re.IGNORECASE)
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_PRINT_PATH = re.compile(r"/(print|in-bai|inbai|ban-in|printer-friendly)(?=/)", re.IGNORECASE)


def _is_print_param(key: str, value: str) -> bool:
    return bool(_PRINT_PARAM.match(key) and _PRINT_VALUE.match(value)) or key.lower() in {
        "print", "printable"}


def is_print_view(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_PRINT_PATH.search(parts.path)) or any(
        _is_print_param(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True))


# Menus, sidebars and "older news" lists repeat the same links on page after page. An entry
# (the URL twice, the LRU's link) is ~450 bytes, and every extraction worker has its own cache
# (it canonicalises each page's links): 2,048 hold a portal's menus and its recent pages, where
# the crawl's links are (same hits as 16,384 over 3,000 synthetic pages in crawl order); more
# only held links seen once (16,384 were ~7 MB of every worker).
@lru_cache(maxsize=2048)
def canonical_url(url: str) -> str:
    """The identity of a URL: lower-case scheme/host, no fragment, sorted query without
    tracking, session or print-view parameters, no ``;jsessionid=`` path parameters."""
    parts = urlsplit(url.strip())
    # A print view in the path (/print/…) is left alone: unlike ?print=1 there is no telling
    # which path it stands for. rel=canonical or the text's hash join it to its article.
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k) and not _SESSION.match(k) and not _is_print_param(k, v)]
    netloc = parts.netloc.lower()
    if parts.port in {80, 443} and parts.scheme in {"http", "https"}:
        default = (parts.scheme == "http" and parts.port == 80) or (
            parts.scheme == "https" and parts.port == 443)
        if default:
            netloc = netloc.rsplit(":", 1)[0]
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


def same_site(url: str, host: str, prefixes: tuple[str, ...] = ()) -> bool:
    """Is ``url`` on ``host`` (``www.`` ignored) and, when prefixes are given, under one?"""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return False
    netloc = parts.netloc.lower().removeprefix("www.")
    if netloc != host.lower().removeprefix("www."):
        return False
    return not prefixes or any(parts.path.startswith(p) for p in prefixes)
