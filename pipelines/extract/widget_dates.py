"""Dates that only a widget shows. htmldate (trafilatura's date engine) reads the whole page, so
on a page without a date of its own it can return the first date of an events calendar or a
'latest posts' box. A date is rejected when the page shows it only inside such widgets — an
<aside> or a small box named widget/sidebar/calendar/events that lists several dates — and
nowhere else. An entry naming this page's own headline is about this page, not another.

Deliberately narrower than zones.is_noise_container: an article's own date often sits in a
'post-footer' or 'share-bar' box, and whole-page wrappers are named after their sidebar layout."""

from __future__ import annotations

import re
from datetime import date

from lxml.html import HtmlElement

from pipelines.extract.lines import Line

__all__ = ["only_in_widgets"]

_DMY = re.compile(r"(?<![\d/.])([0-3]?\d)\s*([/.-])\s*([01]?\d)\s*\2\s*((?:19|20)\d\d)(?!\d)")
_WIDGET_NAME = re.compile(r"widget|sidebar|side-bar|calendar|lich[-_]?cong[-_]?tac|events?\b|"
                          r"events?[-_]|termine|veranstaltung|agenda", re.I)
_MAX_WIDGET = 3000  # characters; a bigger box named '…sidebar…' is the page layout itself
_YMD = re.compile(r"(?<!\d)((?:19|20)\d\d)-([01]\d)-([0-3]\d)(?!\d)")


def _days(text: str) -> set[str]:
    found: set[str] = set()
    for match in _DMY.finditer(text):
        found.add(_iso(int(match[4]), int(match[3]), int(match[1])))
    for match in _YMD.finditer(text):
        found.add(_iso(int(match[1]), int(match[2]), int(match[3])))
    found.discard("")
    return found


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _is_widget(element: HtmlElement) -> bool:
    if element.tag in ("body", "html", "main", "article"):
        return False
    if element.tag != "aside" and not _WIDGET_NAME.search(
            f"{element.get('class', '')} {element.get('id', '')}"):
        return False
    text = element.text_content()
    # One date in an <aside> is usually the article's own ('blogData', a date column).
    return len(text) < _MAX_WIDGET and len(_days(text)) >= 2


def _in_widget(element: HtmlElement) -> bool:
    return any(_is_widget(a) for a in (element, *element.iterancestors()))


def only_in_widgets(tree: HtmlElement, lines: list[Line], value: str,
                    title: str | None = None) -> bool:
    """Is the day of ``value`` (ISO date or datetime) shown only inside widgets?"""
    day = value[:10]
    own = " ".join(title.casefold().split()) if title and len(title) >= 15 else None
    in_widgets = in_page = False
    for line in lines:
        if day in _days(line.text):
            about_this_page = own is not None and own in " ".join(line.text.casefold().split())
            if line.noise and not about_this_page and _in_widget(line.element):
                in_widgets = True
            else:
                in_page = True
    for element in tree.iter("time", "abbr", "meta"):
        raw = element.get("datetime") or element.get("title") or element.get("content") or ""
        if day not in _days(raw):
            continue
        if element.tag == "meta" or not _in_widget(element):
            in_page = True
        else:
            in_widgets = True
    return in_widgets and not in_page
