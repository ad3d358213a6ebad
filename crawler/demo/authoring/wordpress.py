"""A German town hall's news on WordPress: slug-only post URLs, ``/kategorie/<cat>/page/N/``
listings, an RSS feed at ``/feed/`` and WordPress's own ``/wp-sitemap.xml``. Nothing here is
Vietnamese: dates like ``12. März 2024``, bylines like ``Von Anna Berger``."""

# ruff: noqa: E501 -- the page templates below keep the theme's markup one element per line, as
# the real theme does; wrapping them would make the HTML unreadable.

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import partial

from crawler.demo.authoring.common import (
    pages_of,
    rss,
    sitemap_index,
    sitemap_urlset,
    tiny_pdf,
    with_seconds,
)
from crawler.demo.authoring.markup import BodyStyle, captions, escape, render_body
from crawler.demo.authoring.model import Article, SiteContent
from crawler.demo.authoring.site import PortalBuild

LIST_SIZE = 3
HOME_SIZE = 5
FEED_SIZE = 5
BOILERPLATE = [
    "Diesen Beitrag teilen", "Das könnte Sie auch interessieren", "Wir verwenden Cookies",
    "Veranstaltungen", "Öffnungszeiten", "Kommentare sind geschlossen", "Zurück zur Übersicht",
]


def _image(src: str, alt: str, caption: str) -> str:
    cap = f'<figcaption class="wp-element-caption">{caption}</figcaption>' if caption else ""
    return (f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
            f'height="683" src="{src}" alt="" class="wp-image-{zlib.crc32(alt.encode()) % 9000 + 1000}" />'
            f"{cap}</figure>")


STYLE = BodyStyle("<p>", _image, "/wp-content/uploads/2024")


def post_path(article: Article) -> str:
    return f"/{article.slug}/"


def category_path(key: str, page: int = 1) -> str:
    return f"/kategorie/{key}/" if page == 1 else f"/kategorie/{key}/page/{page}/"


def home_path(page: int = 1) -> str:
    return "/" if page == 1 else f"/page/{page}/"


class WordPressPortal:
    def __init__(self, content: SiteContent) -> None:
        self.c = content
        self.s = content.site

    def layout(self, *, title: str, main: str, canonical: str, body_class: str,
               head: str = "") -> str:
        s = self.s
        cats = "".join(
            f'<li class="menu-item"><a href="{category_path(c.key)}">{escape(c.name)}</a></li>'
            for c in self.c.categories
        )
        events = "".join(f"<li><time>{escape(d)}</time> {escape(t)}</li>" for d, t in s["extra"]["events"])
        return f"""<!doctype html>
<html lang="de-DE">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} &#8211; {escape(s['name'])}</title>
<meta name="robots" content="max-image-preview:large">
<link rel="alternate" type="application/rss+xml" title="{escape(s['name'])} &raquo; Feed" href="{{{{BASE}}}}/feed/">
<link rel="canonical" href="{{{{BASE}}}}{canonical}">
{head}<link rel="https://api.w.org/" href="{{{{BASE}}}}/wp-json/">
<meta name="generator" content="WordPress 6.5.3">
<link rel="stylesheet" id="stadt-style-css" href="/wp-content/themes/stadt/style.css?ver=2.1" media="all">
</head>
<body class="{body_class}">
<div id="cookie-notice" role="dialog">Wir verwenden Cookies, um unsere Website optimal zu gestalten. <a href="/datenschutz/">Datenschutz</a> <button>Akzeptieren</button></div>
<a class="skip-link screen-reader-text" href="#primary">Zum Inhalt springen</a>
<header id="masthead" class="site-header">
  <div class="site-branding"><a href="/" rel="home"><img src="/wp-content/uploads/2023/01/wappen-lindenbrunn.png" alt="Wappen {escape(s['ward'])}" width="80" height="96"></a>
    <p class="site-title"><a href="/" rel="home">{escape(s['name'])}</a></p>
    <p class="site-description">{escape(s['banner'])}</p></div>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
    <li class="menu-item"><a href="/">Aktuelles</a><ul class="sub-menu">{cats}</ul></li>
    <li class="menu-item"><a href="/rathaus/ueber-lindenbrunn/">Über {escape(s['ward'].removeprefix('Stadt '))}</a></li>
    <li class="menu-item"><a href="/rathaus/bekanntmachungen/">Bekanntmachungen</a></li>
    <li class="menu-item"><a href="/rathaus/kontakt/">Kontakt</a></li>
  </ul></nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
{main}
</main>
<aside id="secondary" class="widget-area">
  <section class="widget widget_opening"><h2 class="widget-title">Öffnungszeiten Bürgerbüro</h2>
    <p>Mo, Di, Do: 8:00 &#8211; 12:00 Uhr<br>Do: 14:00 &#8211; 18:00 Uhr<br>Fr: 8:00 &#8211; 12:30 Uhr</p></section>
  <section class="widget widget_events"><h2 class="widget-title">Veranstaltungen</h2><ul>{events}</ul></section>
  <section class="widget widget_recent_entries"><h2 class="widget-title">Neueste Beiträge</h2><ul>{self._recent()}</ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
  <p>{escape(s['ward'])} &middot; {escape(s['address'])} &middot; Telefon {escape(s['phone'])} &middot; <a href="mailto:{s['email']}">{s['email']}</a></p>
  <p><a href="/impressum/">Impressum</a> &middot; <a href="/datenschutz/">Datenschutz</a> &middot; <a href="/intern/">Intern (Mitarbeitende)</a> &middot; <a href="/wp-admin/">Anmelden</a></p>
</footer>
</body>
</html>
"""

    def _recent(self) -> str:
        return "".join(
            f'<li><a href="{post_path(a)}">{escape(a.title)}</a></li>' for a in self.c.articles[:5]
        )

    def _meta(self, article: Article) -> str:
        if not article.date:
            return ""
        stamp = with_seconds(article.published) if article.published and "T" in article.published else article.published
        byline = (f' <span class="byline">Von <span class="author vcard"><a class="url fn n" href="/author/{_author_slug(article)}/">{escape(article.author)}</a></span></span>'
                  if article.extra.get("byline_in_meta") and article.author else "")
        return (f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" '
                f'datetime="{stamp}">{escape(article.date)}</time></span>{byline}</div>')

    def article_page(self, article: Article) -> str:
        category = self.c.category(article.category)
        related = [a for a in self.c.articles if a is not article and a.category == article.category][:3]
        related_html = "".join(f'<li><a href="{post_path(a)}">{escape(a.title)}</a></li>' for a in related)
        path = post_path(article)
        head = ""
        if article.published:
            stamp = with_seconds(article.published) if "T" in article.published else article.published
            head = f'<meta property="article:published_time" content="{stamp}">\n'
        main = f"""<article id="post-{article.id}" class="post-{article.id} post type-post status-publish format-standard category-{category.key}">
  <header class="entry-header">
    <div class="breadcrumbs"><a href="/">Startseite</a> &raquo; <a href="{category_path(category.key)}">{escape(category.name)}</a> &raquo; <span>{escape(article.title)}</span></div>
    <h1 class="entry-title">{escape(article.title)}</h1>
    {self._meta(article)}
  </header>
  <div class="entry-content">
{render_body(article.body, STYLE)}
  </div>
  <footer class="entry-footer">
    {article.after_body or ""}
    <span class="cat-links">Veröffentlicht in <a href="{category_path(category.key)}" rel="category tag">{escape(category.name)}</a></span>
    <div class="share">Diesen Beitrag teilen: <a href="mailto:?subject={escape(article.title)}&amp;body={{{{BASE}}}}{path}">E-Mail</a>
      <a href="{path}?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=rathausbrief">Link aus dem Newsletter</a>
      <a href="{path}?print=print" rel="nofollow">Drucken</a></div>
  </footer>
</article>
<section class="related"><h2>Das könnte Sie auch interessieren</h2><ul>{related_html}</ul></section>
<div id="comments" class="comments-area"><p class="no-comments">Kommentare sind geschlossen.</p></div>
<p><a href="/">Zurück zur Übersicht</a></p>"""
        return self.layout(title=article.title, main=main, canonical=path, head=head,
                           body_class=f"post-template-default single single-post postid-{article.id}")

    def listing_page(self, *, title: str, articles: list[Article], page: int, pages: int,
                     path_of_page: Callable[[int], str], canonical: str) -> str:
        rows = []
        for a in articles:
            rows.append(f"""<article class="post-{a.id} post type-post status-publish">
  <h2 class="entry-title"><a href="{post_path(a)}" rel="bookmark">{escape(a.title)}</a></h2>
  {self._meta(a)}
  <div class="entry-summary"><p>{escape(_teaser(a))} <a class="more-link" href="{post_path(a)}">Weiterlesen</a></p></div>
</article>""")
        nav = ""
        if pages > 1:
            numbers = "".join(
                f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == page
                else f'<a class="page-numbers" href="{path_of_page(n)}">{n}</a>'
                for n in range(1, pages + 1)
            )
            older = (f'<a class="next page-numbers" href="{path_of_page(page + 1)}">Ältere Beiträge &raquo;</a>'
                     if page < pages else "")
            nav = f'<nav class="navigation pagination" aria-label="Beiträge"><div class="nav-links">{numbers}{older}</div></nav>'
        heading = f'<header class="page-header"><h1 class="page-title">{escape(title)}</h1></header>'
        return self.layout(title=title if page == 1 else f"{title} &#8211; Seite {page}",
                           main=heading + "\n" + "\n".join(rows) + nav, canonical=canonical,
                           body_class="archive")

    def simple_page(self, *, title: str, html_body: str, canonical: str) -> str:
        main = (f'<article class="page type-page status-publish"><header class="entry-header">'
                f'<h1 class="entry-title">{escape(title)}</h1></header><div class="entry-content">'
                f"\n{html_body}\n</div></article>")
        return self.layout(title=title, main=main, canonical=canonical, body_class="page")

    def feed(self) -> str:
        items = [("{{BASE}}" + post_path(a), a) for a in self.c.articles[:FEED_SIZE]]
        return rss(title=self.s["name"], link="{{BASE}}/", description=self.s["banner"],
                   language="de-DE",
                   items=[(a.title, link, _teaser(a), a.published) for link, a in items])


def _author_slug(article: Article) -> str:
    return (article.author or "").lower().replace(" ", "-").replace("ü", "ue").replace("ö", "oe")


def _teaser(article: Article) -> str:
    first = next(b for b in article.body.strip().split("\n\n") if not b.startswith(("<", "img:")))
    words = first.split()
    return " ".join(words[:35]) + (" [&hellip;]" if len(words) > 35 else "")


def build(content: SiteContent) -> PortalBuild:
    portal = WordPressPortal(content)
    out = PortalBuild(content)
    for article in content.articles:
        path = post_path(article)
        out.add(path, portal.article_page(article), encoding=article.encoding,
                normalization=article.normalization)
        out.article(path, article, without=[*BOILERPLATE, *captions(article.body)])

    home_chunks = pages_of(list(content.articles), HOME_SIZE)
    for number, chunk in enumerate(home_chunks, start=1):
        out.add(home_path(number), portal.listing_page(
            title="Aktuelles", articles=chunk, page=number, pages=len(home_chunks),
            path_of_page=home_path, canonical=home_path(number)))
        out.not_articles.append(home_path(number))
    for category in content.categories:
        chunks = pages_of(content.in_category(category.key), LIST_SIZE)
        for number, chunk in enumerate(chunks, start=1):
            url = category_path(category.key, number)
            out.add(url, portal.listing_page(
                title=f"Kategorie: {category.name}", articles=chunk, page=number,
                pages=len(chunks), canonical=url,
                path_of_page=partial(category_path, category.key)))
            out.not_articles.append(url)

    # The byline links to the author's archive: one more kind of listing.
    by_author: dict[str, list[Article]] = {}
    for article in content.articles:
        if article.extra.get("byline_in_meta") and article.author:
            by_author.setdefault(_author_slug(article), []).append(article)
    for slug, posts in sorted(by_author.items()):
        url = f"/author/{slug}/"
        out.add(url, portal.listing_page(
            title=f"Autor: {posts[0].author}", articles=posts, page=1, pages=1,
            path_of_page=home_path, canonical=url))
        out.not_articles.append(url)

    page_urls = []
    for key in ("intro", "contact", "documents", "imprint", "privacy"):
        page = content.pages[key]
        out.add(page["path"], portal.simple_page(title=page["title"], html_body=page["html"],
                                                 canonical=page["path"]))
        out.not_articles.append(page["path"])
        page_urls.append(("{{BASE}}" + page["path"], None))
    for pdf in content.pages["documents"].get("pdfs", []):
        out.add(pdf["path"], tiny_pdf(pdf["text"]))
    for missing in content.pages["documents"].get("missing_pdfs", []):
        out.route(missing, status=404)

    out.add("/feed/", portal.feed(), content_type="application/rss+xml; charset=UTF-8")
    out.add("/wp-sitemap.xml", sitemap_index([
        "{{BASE}}/wp-sitemap-posts-post-1.xml", "{{BASE}}/wp-sitemap-posts-page-1.xml",
        "{{BASE}}/wp-sitemap-taxonomies-category-1.xml"]))
    out.add("/wp-sitemap-posts-post-1.xml", sitemap_urlset(
        ("{{BASE}}" + post_path(a), (a.published or "")[:10] or None) for a in content.articles))
    out.add("/wp-sitemap-posts-page-1.xml", sitemap_urlset(page_urls))
    out.add("/wp-sitemap-taxonomies-category-1.xml", sitemap_urlset(
        ("{{BASE}}" + category_path(c.key), None) for c in content.categories))
    out.add("/robots.txt", content.site["robots"])
    login = ('<!DOCTYPE html><html lang="de-DE"><head><meta charset="UTF-8"><title>Anmelden'
             '</title></head><body><form name="loginform" method="post"><input name="log">'
             '<input type="password" name="pwd"></form></body></html>\n')
    out.add("/wp-admin/", login)
    out.add("/intern/", login)
    out.never_fetch += ["/wp-admin/", "/intern/"]
    out.add("/404.html", portal.simple_page(
        title="Seite nicht gefunden", canonical="/404.html",
        html_body="<p>Leider konnte die gewünschte Seite nicht gefunden werden.</p>"))
    return out
