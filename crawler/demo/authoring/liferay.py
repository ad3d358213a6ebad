"""A Liferay 6.2 commune portal built by a telecom vendor: friendly URLs
``/tin-chi-tiet/-/chi-tiet/<slug>-<id>-<cat>.html`` and ``/-/view_content/<id>-<slug>.html``,
Asset Publisher pagination in portlet query parameters, a sitemap index declared in robots.txt,
no feed."""

# ruff: noqa: E501 -- the page templates below keep the CMS's markup one element per line, as
# the real theme does; wrapping them would make the HTML unreadable.

from __future__ import annotations

from crawler.demo.authoring.common import pages_of, sitemap_index, sitemap_urlset, tiny_pdf
from crawler.demo.authoring.markup import BodyStyle, captions, escape, render_body
from crawler.demo.authoring.model import Article, SiteContent
from crawler.demo.authoring.site import PortalBuild

LIST_SIZE = 3
PORTLET = "101_INSTANCE_kxqa9Bv2TmLc"
BOILERPLATE = [
    "Đang online", "Hôm nay", "Tổng truy cập", "Chào mừng bạn đến với", "Asset Publisher",
    "Các tin khác", "Lượt xem", "Ý kiến bạn đọc", "Chia sẻ",
]


def _image(src: str, alt: str, caption: str) -> str:
    figure = f'<img alt="{escape(alt)}" src="{src}" style="width: 100%;" />'
    if not caption:
        return f'<p style="text-align: center;">{figure}</p>'
    return (f'<figure class="image" style="text-align: center;">{figure}'
            f"<figcaption>{caption}</figcaption></figure>")


STYLE = BodyStyle("<p>", _image, "/documents/20182/1245789")


def category_number(content: SiteContent, key: str) -> int:
    return 101 + [c.key for c in content.categories].index(key)


def detail_path(content: SiteContent, article: Article) -> str:
    number = category_number(content, article.category)
    return f"/tin-chi-tiet/-/chi-tiet/{article.slug}-{article.id}-{number}.html"


def view_content_path(article: Article) -> str:
    return f"/-/view_content/{article.id}-{article.slug}.html"


def linked_path(content: SiteContent, article: Article) -> str:
    """Where listings link to. Older articles, migrated from the previous portal, keep their
    ``view_content`` addresses."""
    if article.extra.get("linked_as") == "view_content":
        return view_content_path(article)
    return detail_path(content, article)


def page_url(base: str, page: int) -> str:
    if page == 1:
        return base
    return f"{base}?p_p_id={PORTLET}&p_p_lifecycle=0&_{PORTLET}_cur={page}"


class LiferayPortal:
    def __init__(self, content: SiteContent) -> None:
        self.c = content
        self.s = content.site

    def layout(self, *, title: str, main: str, canonical: str, page_id: str) -> str:
        s = self.s
        nav = "".join(
            f'<li class="lfr-nav-item"><a href="/{c.key}"><span>{escape(c.name)}</span></a></li>'
            for c in self.c.categories
        )
        counter = s["counter"]
        return f"""<!DOCTYPE html>
<html class="aui ltr" dir="ltr" lang="vi-VN">
<head>
<title>{escape(title)} - {escape(s['name'])}</title>
<meta content="initial-scale=1.0, width=device-width" name="viewport" />
<meta content="text/html; charset=UTF-8" http-equiv="content-type" />
<link href="{{{{BASE}}}}{canonical}" rel="canonical" />
<link href="/html/themes/classic/images/favicon.ico" rel="Shortcut Icon" />
<link href="/xuanphuong-theme/css/main.css?browserId=other&amp;themeId=xuanphuong_WAR_xuanphuongtheme&amp;minifierType=css&amp;languageId=vi_VN&amp;b=6210&amp;t=1718851200000" rel="stylesheet" type="text/css" />
<script type="text/javascript">var themeDisplay = {{getLayoutId: function() {{return "{page_id}";}}, getLanguageId: function() {{return "vi_VN";}}}};</script>
</head>
<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">
<a href="#main-content" id="skip-to-content">Bỏ qua để tới nội dung</a>
<div class="container-fluid" id="wrapper">
<header id="banner" role="banner">
  <div class="top-bar"><span class="date-now">{escape(s['clock'])}</span>
    <span class="sign-in"><a data-redirect="false" href="/c/portal/login?p_l_id=20184" id="sign-in" rel="nofollow">Đăng nhập</a></span></div>
  <div id="heading"><h1 class="site-title"><a class="logo custom-logo" href="/" title="Đi tới {escape(s['name'])}">
    <img alt="{escape(s['name'])}" height="120" src="/image/layout_set_logo?img_id=31207&amp;t=1718851200000" width="1200" /></a></h1></div>
  <div class="marquee-wrap"><marquee>{escape(s['banner'])}</marquee></div>
  <nav class="sort-pages modify-pages" id="navigation" role="navigation"><ul aria-label="Trang Web" role="menubar">
    <li class="lfr-nav-item"><a href="/"><span>Trang chủ</span></a></li>
    <li class="lfr-nav-item"><a href="/gioi-thieu"><span>Giới thiệu</span></a></li>
    {nav}
    <li class="lfr-nav-item"><a href="/van-ban-chi-dao-dieu-hanh"><span>Văn bản</span></a></li>
    <li class="lfr-nav-item"><a href="/lien-he"><span>Liên hệ</span></a></li>
  </ul></nav>
</header>
<div id="content">
  <div class="columns-2-r" id="main-content" role="main"><div class="portlet-layout row-fluid">
    <div class="portlet-column span8" id="column-1">
{main}
    </div>
    <div class="portlet-column span4" id="column-2">
      <section class="portlet" id="portlet_{PORTLET}_side"><header class="portlet-topper"><h2 class="portlet-title"><span class="portlet-title-text">Tin mới nhất</span></h2></header>
        <div class="portlet-body"><ul class="list-news-side">{self._side_list()}</ul></div></section>
      <section class="portlet" id="portlet_statistic"><header class="portlet-topper"><h2 class="portlet-title"><span class="portlet-title-text">Thống kê truy cập</span></h2></header>
        <div class="portlet-body"><table class="statistic">
          <tr><td>Đang online:</td><td>{counter['online']}</td></tr>
          <tr><td>Hôm nay:</td><td>{counter['today']}</td></tr>
          <tr><td>Hôm qua:</td><td>{counter['yesterday']}</td></tr>
          <tr><td>Tổng truy cập:</td><td>{counter['total']}</td></tr>
        </table></div></section>
    </div>
  </div></div>
</div>
<footer id="footer" role="contentinfo">
  <p><strong>CỔNG THÔNG TIN ĐIỆN TỬ {escape(s['ward'].upper())}</strong></p>
  <p>Cơ quan chủ quản: Ủy ban nhân dân {escape(s['ward'][0].lower() + s['ward'][1:])} - {escape(s['province'])}</p>
  <p>Địa chỉ: {escape(s['address'])} - Điện thoại: {escape(s['phone'])} - Email: {s['email']}</p>
  <p>Thiết kế và xây dựng bởi VNPT {escape(s['province'].removeprefix('Tỉnh '))} | <a href="/group/xuanphuong/quan-tri">Quản trị nội dung</a></p>
</footer>
</div>
</body>
</html>
"""

    def _side_list(self) -> str:
        return "".join(
            f'<li><a href="{linked_path(self.c, a)}">{escape(a.title)}</a>'
            + (f' <span class="date">{a.list_date}</span>' if a.list_date else "") + "</li>"
            for a in self.c.articles[:5]
        )

    def article_page(self, article: Article, canonical: str) -> str:
        category = self.c.category(article.category)
        others = [a for a in self.c.in_category(article.category) if a is not article][:4]
        other_html = "".join(
            f'<li><a href="{linked_path(self.c, a)}">{escape(a.title)}</a>'
            + (f' <span class="date">({a.list_date})</span>' if a.list_date else "") + "</li>"
            for a in others
        )
        date = f'<div class="date-view">{escape(article.date)}</div>' if article.date else ""
        lead = f'<div class="sapo"><strong>{article.lead}</strong></div>' if article.lead else ""
        main = f"""<section class="portlet" id="portlet_{PORTLET}">
  <header class="portlet-topper"><h2 class="portlet-title"><span class="portlet-title-text">Asset Publisher</span></h2></header>
  <div class="portlet-body"><div class="breadcrumb-news"><a href="/">Trang chủ</a> &gt; <a href="/{category.key}">{escape(category.name)}</a></div>
  <div class="asset-full-content default-asset-publisher no-title">
    <div class="detail-news">
      <h3 class="asset-title header-title"><span>{escape(article.title)}</span></h3>
      {date}
      {lead}
      <div class="asset-content"><div class="journal-content-article">
{render_body(article.body, STYLE)}
      </div></div>
      {article.after_body or ""}
      <div class="tools-news"><span class="view-count">Lượt xem: {article.extra.get('views', 118)}</span>
        <a href="{detail_path(self.c, article)}?print=1" target="_blank">In bài viết</a>
        <span class="share">Chia sẻ: <a href="https://www.facebook.com/sharer.php?u={{{{BASE}}}}{canonical}" rel="nofollow">Facebook</a>
        <a href="{linked_path(self.c, article)}?utm_source=zalo&amp;utm_medium=share&amp;utm_campaign=zalo_share" rel="nofollow">Zalo</a></span></div>
    </div>
  </div>
  <div class="comment-news"><h4>Ý kiến bạn đọc</h4><form action="/c/portal/comment" method="post"><textarea name="comment"></textarea><input type="submit" value="Gửi ý kiến" /></form></div>
  <div class="other-news"><h4>Các tin khác</h4><ul>{other_html}</ul></div>
  </div>
</section>"""
        return self.layout(title=article.title, main=main, canonical=canonical,
                           page_id=str(article.id))

    def listing_page(self, *, title: str, base: str, articles: list[Article], page: int,
                     pages: int) -> str:
        rows = []
        for a in articles:
            date = f'<span class="date">{a.list_date}</span>' if a.list_date else ""
            rows.append(f"""<div class="asset-abstract">
  <div class="asset-small-image"><a href="{linked_path(self.c, a)}"><img alt="" class="asset-small-image" src="/documents/20182/1245789/{a.image or 'thumb-default.jpg'}" width="150" /></a></div>
  <h3 class="asset-title"><a href="{linked_path(self.c, a)}">{escape(a.title)}</a></h3>
  {date}
  <div class="asset-summary">{escape(_teaser(a))}</div>
  <div class="asset-more"><a href="{linked_path(self.c, a)}">Xem tiếp »</a></div>
</div>""")
        pager = ""
        if pages > 1:
            items = "".join(
                f'<li class="{"active" if n == page else ""}"><a href="{escape(page_url(base, n))}">{n}</a></li>'
                for n in range(1, pages + 1)
            )
            if page < pages:
                items += f'<li><a href="{escape(page_url(base, page + 1))}">Trang sau</a></li>'
            pager = (f'<div class="taglib-page-iterator"><div class="search-results">Hiển thị '
                     f'{len(articles)} kết quả - Trang {page}/{pages}</div>'
                     f'<div class="pagination"><ul>{items}</ul></div></div>')
        main = (f'<section class="portlet" id="portlet_{PORTLET}"><header class="portlet-topper">'
                f'<h2 class="portlet-title"><span class="portlet-title-text">{escape(title)}</span>'
                f'</h2></header><div class="portlet-body">\n' + "\n".join(rows) + pager
                + "\n</div></section>")
        return self.layout(title=title, main=main, canonical=base, page_id=base.strip("/"))

    def home(self) -> str:
        blocks = []
        for category in self.c.categories:
            items = "".join(
                f'<li><a href="{linked_path(self.c, a)}">{escape(a.title)}</a>'
                + (f' <span class="date">({a.list_date})</span>' if a.list_date else "")
                + "</li>"
                for a in self.c.in_category(category.key)[:3]
            )
            blocks.append(
                f'<section class="portlet"><header class="portlet-topper"><h2 class="portlet-title">'
                f'<a href="/{category.key}">{escape(category.name)}</a></h2></header>'
                f'<div class="portlet-body"><ul>{items}</ul>'
                f'<a class="view-more" href="/{category.key}">Xem thêm</a></div></section>'
            )
        return self.layout(title="Trang chủ", main="\n".join(blocks), canonical="/",
                           page_id="trang-chu")

    def simple_page(self, *, title: str, html_body: str, canonical: str) -> str:
        main = (f'<section class="portlet"><header class="portlet-topper"><h2 class="portlet-title">'
                f'<span class="portlet-title-text">{escape(title)}</span></h2></header>'
                f'<div class="portlet-body"><div class="journal-content-article">\n{html_body}\n'
                f"</div></div></section>")
        return self.layout(title=title, main=main, canonical=canonical,
                           page_id=canonical.strip("/"))


def _teaser(article: Article) -> str:
    if article.lead:
        return article.lead
    first = next(b for b in article.body.strip().split("\n\n") if not b.startswith(("<", "img:")))
    words = first.split()
    return " ".join(words[:35]) + (" ..." if len(words) > 35 else "")


def build(content: SiteContent) -> PortalBuild:
    portal = LiferayPortal(content)
    out = PortalBuild(content)
    news_entries = []
    for article in content.articles:
        detail = detail_path(content, article)
        linked = linked_path(content, article)
        # A migrated article keeps its old address; one of them names its new one canonical.
        canonical = detail if article.extra.get("canonical_to_detail") else linked
        page = portal.article_page(article, canonical)
        out.add(linked, page, encoding=article.encoding, normalization=article.normalization)
        if linked != detail:
            out.alias(detail, linked)
        for alias in article.aliases:
            out.alias(alias, linked)
        out.article(canonical, article, without=[*BOILERPLATE, *captions(article.body)])
        if not article.extra.get("not_in_sitemap"):
            lastmod = article.extra.get("lastmod") or (article.published or "")[:10] or None
            news_entries.append(("{{BASE}}" + canonical, lastmod))

    for category in content.categories:
        base = f"/{category.key}"
        chunks = pages_of(content.in_category(category.key), LIST_SIZE)
        for number, chunk in enumerate(chunks, start=1):
            url = page_url(base, number)
            out.add(url, portal.listing_page(title=category.name, base=base, articles=chunk,
                                             page=number, pages=len(chunks)))
            out.not_articles.append(url)

    out.add("/", portal.home())
    out.not_articles.append("/")
    page_entries = [("{{BASE}}/", None)]
    for key in ("intro", "contact", "documents"):
        page = content.pages[key]
        out.add(page["path"], portal.simple_page(title=page["title"], html_body=page["html"],
                                                 canonical=page["path"]))
        out.not_articles.append(page["path"])
        page_entries.append(("{{BASE}}" + page["path"], None))
    page_entries += [("{{BASE}}/" + c.key, None) for c in content.categories]
    for pdf in content.pages["documents"].get("pdfs", []):
        out.add(pdf["path"], tiny_pdf(pdf["text"]))
    for missing in content.pages["documents"].get("missing_pdfs", []):
        out.route(missing, status=404)

    out.add("/sitemap.xml", sitemap_index(["{{BASE}}/sitemap-pages.xml",
                                           "{{BASE}}/sitemap-news.xml"]))
    out.add("/sitemap-pages.xml", sitemap_urlset(page_entries))
    out.add("/sitemap-news.xml", sitemap_urlset(news_entries))
    out.add("/robots.txt", content.site["robots"])
    login = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Đăng nhập</title></head>'
             '<body><form method="post"><input name="_58_login" /><input type="password" '
             'name="_58_password" /></form></body></html>\n')
    out.add("/c/portal/login", login)
    out.add("/group/xuanphuong/quan-tri", login)
    out.never_fetch += ["/c/portal/login?p_l_id=20184", "/group/xuanphuong/quan-tri"]
    out.route("/c/portal/login?p_l_id=20184", file=out.file_of("/c/portal/login"))
    out.add("/404.html", portal.simple_page(
        title="Không tìm thấy trang", canonical="/404.html",
        html_body="<p>Trang được yêu cầu không tìm thấy.</p>"))
    return out
