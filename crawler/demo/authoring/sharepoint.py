"""A ward site on SharePoint 2013: ``/`` redirects to ``/Pages/default.aspx``; older articles
are ``/Pages/noi-dung-tin.aspx?NewsID=<id>``, newer ones ``/portal/pages/<yyyy-mm-dd>/<slug>-<id>.aspx``
(the date in the path may be the only date there is); listings are
``/Pages/danh-sach-tin.aspx?CatID=<n>&Page=<n>``. No sitemap, no feed."""

# ruff: noqa: E501 -- the page templates below keep the CMS's markup one element per line, as
# the real theme does; wrapping them would make the HTML unreadable.

from __future__ import annotations

from crawler.demo.authoring.common import pages_of, tiny_pdf
from crawler.demo.authoring.markup import BodyStyle, captions, escape, render_body
from crawler.demo.authoring.model import Article, SiteContent
from crawler.demo.authoring.site import PortalBuild

LIST_SIZE = 3
HOME = "/Pages/default.aspx"
LOGIN = "/_layouts/15/Authenticate.aspx?Source=%2FPages%2Fdefault%2Easpx"
BOILERPLATE = [
    "Lượt xem", "Lượt truy cập", "Đang trực tuyến", "Chào mừng bạn đến với", "Tin cùng chuyên mục",
    "Gửi phản hồi", "In trang", "Hôm nay",
]


def _image(src: str, alt: str, caption: str) -> str:
    cap = f'<p class="ms-rteElement-Caption" style="text-align: center;"><em>{caption}</em></p>' if caption else ""
    return f'<p style="text-align: center;"><img src="{src}" alt="{escape(alt)}" style="width: 600px;" /></p>{cap}'


STYLE = BodyStyle('<p class="ms-rteElement-P">', _image, "/PublishingImages/TinTuc")


def category_id(content: SiteContent, key: str) -> int:
    return int(content.site["extra"]["category_ids"][key])


def article_path(article: Article) -> str:
    day = article.extra.get("url_date")
    if day:
        return f"/portal/pages/{day}/{article.slug}-{article.id}.aspx"
    return f"/Pages/noi-dung-tin.aspx?NewsID={article.id}"


def listing_path(content: SiteContent, key: str, page: int = 1) -> str:
    url = f"/Pages/danh-sach-tin.aspx?CatID={category_id(content, key)}"
    return url if page == 1 else f"{url}&Page={page}"


class SharePointPortal:
    def __init__(self, content: SiteContent) -> None:
        self.c = content
        self.s = content.site

    def layout(self, *, title: str, main: str, canonical: str) -> str:
        s = self.s
        menu = "".join(
            f'<li class="static"><a class="static menu-item" href="{escape(listing_path(self.c, c.key))}"><span class="menu-item-text">{escape(c.name)}</span></a></li>'
            for c in self.c.categories
        )
        counter = s["counter"]
        return f"""<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta name="GENERATOR" content="Microsoft SharePoint" /><meta http-equiv="Content-type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=10" />
<title>
	{escape(title)}
</title>
<link rel="canonical" href="{{{{BASE}}}}{escape(canonical)}" />
<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2bpHeX9U8DH09TB5zpJcsQ%3D%3D" />
<script type="text/javascript" src="/_layouts/15/init.js?rev=ZBX%2BHz6ch8q0JVIz0tUfVw%3D%3D"></script>
</head>
<body>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header-portal">
  <div class="banner"><a href="{HOME}"><img src="/PublishingImages/banner-hoaan.png" alt="{escape(s['name'])}" /></a></div>
  <div class="welcome"><marquee>{escape(s['banner'])}</marquee><span class="ngay-thang">{escape(s['clock'])}</span>
    <a href="{escape(LOGIN)}">Đăng nhập</a></div>
  <div class="top-menu"><ul class="root static">
    <li class="static"><a class="static menu-item" href="{HOME}"><span class="menu-item-text">Trang chủ</span></a></li>
    <li class="static"><a class="static menu-item" href="/Pages/gioi-thieu.aspx"><span class="menu-item-text">Giới thiệu</span></a></li>
    {menu}
    <li class="static"><a class="static menu-item" href="/Pages/van-ban.aspx"><span class="menu-item-text">Văn bản</span></a></li>
    <li class="static"><a class="static menu-item" href="/Pages/lien-he.aspx"><span class="menu-item-text">Liên hệ</span></a></li>
  </ul></div>
</div>
<div id="contentRow"><div class="main-content">
<div id="DeltaPlaceHolderMain">
{main}
</div>
</div>
<div class="right-content">
  <div class="box-right"><div class="box-title">Thống kê truy cập</div>
    <div class="box-body">Đang trực tuyến: {counter['online']}<br />Hôm nay: {counter['today']}<br />Lượt truy cập: {counter['total']}</div></div>
</div></div>
<div class="footer-portal">
  <p>Bản quyền thuộc Ủy ban nhân dân {escape(s['ward'][0].lower() + s['ward'][1:])} - {escape(s['city'])}</p>
  <p>Địa chỉ: {escape(s['address'])} - Điện thoại: {escape(s['phone'])}</p>
</div>
</div></div>
</body>
</html>
"""

    def article_page(self, article: Article) -> str:
        others = [a for a in self.c.in_category(article.category) if a is not article][:4]
        other_html = "".join(
            f'<li><a href="{escape(article_path(a))}">{escape(a.title)}</a>'
            + (f" <span>({a.list_date})</span>" if a.list_date else "") + "</li>"
            for a in others
        )
        date = f'<div class="news-date">{escape(article.date)}</div>' if article.date else ""
        lead = f'<div class="news-sapo"><strong>{article.lead}</strong></div>' if article.lead else ""
        path = article_path(article)
        main = f"""<div class="news-detail">
  <h2 class="news-title">{escape(article.title)}</h2>
  {date}
  {lead}
  <div class="news-content"><div class="ms-rtestate-field">
{render_body(article.body, STYLE)}
  </div></div>
  {article.after_body or ""}
  <div class="news-tools"><span>Lượt xem: {article.extra.get('views', 245)}</span> | <a href="{escape(path)}{'&amp;' if '?' in path else '?'}PrintView=1">In trang</a> | <a href="mailto:{self.s['email']}?subject=Phan%20hoi">Gửi phản hồi</a> | <a href="{escape(path)}{'&amp;' if '?' in path else '?'}utm_source=facebook&amp;utm_medium=social&amp;fbclid=IwAR2x">Chia sẻ</a></div>
  <div class="news-other"><div class="box-title">Tin cùng chuyên mục</div><ul>{other_html}</ul></div>
</div>"""
        return self.layout(title=article.title, main=main, canonical=path)

    def listing_page(self, *, key: str, articles: list[Article], page: int, pages: int) -> str:
        category = self.c.category(key)
        rows = "".join(
            f'<li class="news-item"><a class="news-item-title" href="{escape(article_path(a))}">{escape(a.title)}</a>'
            + (f' <span class="news-item-date">{a.list_date}</span>' if a.list_date else "")
            + f'<p>{escape(_teaser(a))}</p></li>'
            for a in articles
        )
        pager = ""
        if pages > 1:
            links = " ".join(
                f"<span>{n}</span>" if n == page
                else f'<a href="{escape(listing_path(self.c, key, n))}">{n}</a>'
                for n in range(1, pages + 1)
            )
            if page < pages:
                links += f' <a href="{escape(listing_path(self.c, key, page + 1))}">Trang sau</a>'
            pager = f'<div class="paging">{links}</div>'
        main = f'<div class="box-title">{escape(category.name)}</div><ul class="news-list">{rows}</ul>{pager}'
        return self.layout(title=category.name, main=main, canonical=listing_path(self.c, key, page))

    def home(self) -> str:
        items = "".join(
            f'<li><a href="{escape(article_path(a))}">{escape(a.title)}</a>'
            + (f" <span>({a.list_date})</span>" if a.list_date else "") + "</li>"
            for a in self.c.articles[:5]
        )
        more = "".join(
            f'<a class="xem-them" href="{escape(listing_path(self.c, c.key))}">Xem thêm {escape(c.name)}</a> '
            for c in self.c.categories
        )
        main = f'<div class="box-title">Tin mới nhất</div><ul class="news-list">{items}</ul>{more}'
        return self.layout(title=self.s["name"], main=main, canonical=HOME)

    def simple_page(self, *, title: str, html_body: str, canonical: str) -> str:
        main = f'<div class="box-title">{escape(title)}</div><div class="ms-rtestate-field">\n{html_body}\n</div>'
        return self.layout(title=title, main=main, canonical=canonical)


def _teaser(article: Article) -> str:
    first = next(b for b in article.body.strip().split("\n\n") if not b.startswith(("<", "img:")))
    words = first.split()
    return " ".join(words[:30]) + (" ..." if len(words) > 30 else "")


def build(content: SiteContent) -> PortalBuild:
    portal = SharePointPortal(content)
    out = PortalBuild(content)
    for article in content.articles:
        path = article_path(article)
        out.add(path, portal.article_page(article), encoding=article.encoding,
                normalization=article.normalization)
        if "?" in path:  # a query-routed page needs its print view routed too
            out.alias(path + "&PrintView=1", path)
        out.article(path, article, without=[*BOILERPLATE, *captions(article.body)])

    for category in content.categories:
        chunks = pages_of(content.in_category(category.key), LIST_SIZE)
        for number, chunk in enumerate(chunks, start=1):
            url = listing_path(content, category.key, number)
            out.add(url, portal.listing_page(key=category.key, articles=chunk, page=number,
                                             pages=len(chunks)))
            out.not_articles.append(url)

    # SharePoint answers the bare host with a redirect to its welcome page.
    out.route("/", status=302, headers={"Location": "{{BASE}}" + HOME})
    out.add(HOME, portal.home())
    out.not_articles.append(HOME)
    for key in ("intro", "contact", "documents"):
        page = content.pages[key]
        out.add(page["path"], portal.simple_page(title=page["title"], html_body=page["html"],
                                                 canonical=page["path"]))
        out.not_articles.append(page["path"])
    for pdf in content.pages["documents"].get("pdfs", []):
        out.add(pdf["path"], tiny_pdf(pdf["text"]))
    for missing in content.pages["documents"].get("missing_pdfs", []):
        out.route(missing, status=404)

    out.add("/robots.txt", content.site["robots"])
    out.add(LOGIN, '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Đăng nhập</title>'
            '</head><body><form method="post"><input name="ctl00$PlaceHolderMain$signInControl'
            '$UserName" /></form></body></html>\n')
    out.never_fetch.append(LOGIN)
    out.add("/404.html", portal.simple_page(
        title="Không tìm thấy trang", canonical="/404.html",
        html_body="<p>Xin lỗi, trang bạn tìm không tồn tại.</p>"))
    return out
