"""A commune site on a province's in-house platform: every page is ``/?gd=<layout>&cn=<cat>``
(``&tc=<id>`` for an article, ``&pg=<n>`` for a listing page), with the parameters in a
different order depending on which template wrote the link. No sitemap, no feed, no
rel=canonical: articles are reachable only through paginated category listings."""

# ruff: noqa: E501 -- the page templates below keep the CMS's markup one element per line, as
# the real theme does; wrapping them would make the HTML unreadable.

from __future__ import annotations

from crawler.demo.authoring.common import pages_of, tiny_pdf
from crawler.demo.authoring.markup import BodyStyle, captions, escape, render_body
from crawler.demo.authoring.model import Article, SiteContent
from crawler.demo.authoring.site import PortalBuild

LIST_SIZE = 3
BOILERPLATE = [
    "Đang truy cập", "Hôm nay", "Tổng số lượt truy cập", "Chào mừng bạn đến với", "Các tin khác",
    "Xem thêm", "Bản in", "Gửi bài viết", "Tin mới",
]


def _image(src: str, alt: str, caption: str) -> str:
    cap = f'<tr><td class="image_desc">{caption}</td></tr>' if caption else ""
    return (f'<table class="image" align="center"><tr><td><img src="{src}" alt="{escape(alt)}" '
            f'width="600" /></td></tr>{cap}</table>')


STYLE = BodyStyle('<p style="text-align: justify;">', _image, "/Uploads/Images/TinTuc")


def category_id(content: SiteContent, key: str) -> int:
    return int(content.site["extra"]["category_ids"][key])


def article_url(content: SiteContent, a: Article, order: str = "gd,cn,tc") -> str:
    values = {"gd": "2", "cn": str(category_id(content, a.category)), "tc": str(a.id)}
    return "/?" + "&".join(f"{k}={values[k]}" for k in order.split(","))


def listing_url(content: SiteContent, key: str, page: int = 1) -> str:
    url = f"/?gd=1&cn={category_id(content, key)}"
    return url if page == 1 else f"{url}&pg={page}"


class ProvincialPortal:
    def __init__(self, content: SiteContent) -> None:
        self.c = content
        self.s = content.site

    def layout(self, *, title: str, main: str, charset: str = "utf-8") -> str:
        s = self.s
        menu = "".join(
            f'<td class="menu"><a href="{escape(listing_url(self.c, c.key))}">{escape(c.name.upper())}</a></td>'
            for c in self.c.categories
        )
        latest = "".join(
            f'<li><a href="{escape(article_url(self.c, a, "tc,cn,gd"))}">{escape(a.title)}</a>'
            + (f' <span class="ngay">({a.list_date})</span>' if a.list_date else "") + "</li>"
            for a in self.c.articles[:6]
        )
        counter = s["counter"]
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{escape(title)}</title>
<link href="/Css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/Js/common.js"></script>
</head>
<body>
<form name="aspnetForm" method="post" action="./" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRkx7FZ3Xq0bG3v" />
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="khung">
  <tr><td class="banner"><img src="/Uploads/banner-tanlap.jpg" width="1000" height="150" alt="{escape(s['name'])}" /></td></tr>
  <tr><td class="chaomung"><marquee>{escape(s['banner'])}</marquee></td></tr>
  <tr><td><table class="menungang"><tr>
    <td class="menu"><a href="/">TRANG CHỦ</a></td>
    <td class="menu"><a href="/?gd=5&amp;cn=1">GIỚI THIỆU</a></td>
    {menu}
    <td class="menu"><a href="/?gd=7&amp;cn=40">VĂN BẢN</a></td>
    <td class="menu"><a href="/?gd=6">LIÊN HỆ</a></td>
  </tr></table></td></tr>
  <tr><td class="ngayhientai">{escape(s['clock'])}</td></tr>
  <tr><td><table width="100%"><tr>
    <td width="700" valign="top" class="cotgiua">
{main}
    </td>
    <td width="300" valign="top" class="cotphai">
      <div class="khoiphai"><div class="tieudekhoi">TIN MỚI</div><ul class="dstin">{latest}</ul></div>
      <div class="khoiphai"><div class="tieudekhoi">LIÊN KẾT WEBSITE</div>
        <a href="https://bacgiang.gov.vn/" target="_blank">Cổng TTĐT tỉnh Bắc Giang</a><br /><a href="https://lucngan.bacgiang.gov.vn/" target="_blank">Cổng TTĐT huyện Lục Ngạn</a></div>
      <div class="khoiphai"><div class="tieudekhoi">THỐNG KÊ TRUY CẬP</div>
        <div class="thongke">Đang truy cập: {counter['online']}<br />Hôm nay: {counter['today']}<br />Tổng số lượt truy cập: {counter['total']}</div></div>
    </td>
  </tr></table></td></tr>
  <tr><td class="chantrang">
    <b>TRANG THÔNG TIN ĐIỆN TỬ {escape(s['ward'].upper())}</b><br />
    Địa chỉ: {escape(s['address'])}<br />
    Điện thoại: {escape(s['phone'])} - Email: {s['email']}<br />
    Chịu trách nhiệm chính: Chủ tịch UBND {escape(s['ward'][0].lower() + s['ward'][1:])}<br />
    <a href="/quantri/">Quản trị</a> | <a href="/Uploads/private/danh-sach-ho-ngheo-2024.xlsx">Danh sách hộ nghèo (nội bộ)</a>
  </td></tr>
</table>
</form>
</body>
</html>
"""

    def article_page(self, article: Article) -> str:
        others = [a for a in self.c.in_category(article.category) if a is not article][:5]
        other_html = "".join(
            f'<li><a href="{escape(article_url(self.c, a, "cn,gd,tc"))}">{escape(a.title)}</a>'
            + (f' <i>({a.list_date})</i>' if a.list_date else "") + "</li>"
            for a in others
        )
        date = f'<div class="ngaydang">{escape(article.date)}</div>' if article.date else ""
        lead = f'<div class="tomtat"><b>{article.lead}</b></div>' if article.lead else ""
        category = self.c.category(article.category)
        print_url = article_url(self.c, article) + "&print=1"
        main = f"""<div class="duongdan"><a href="/">Trang chủ</a> » <a href="{escape(listing_url(self.c, category.key))}">{escape(category.name)}</a></div>
<div class="chitiettin">
  {date}
  <div class="tieude_tin">{escape(article.title)}</div>
  {lead}
  <div class="noidung">
{render_body(article.body, STYLE)}
  </div>
  {article.after_body or ""}
  <div class="congcu"><a href="{escape(print_url)}" target="_blank">Bản in</a> | <a href="javascript:void(0)" onclick="guiBaiViet({article.id})">Gửi bài viết</a> | <a href="javascript:history.back()">Quay lại</a> | <a href="{escape(article_url(self.c, article))}&amp;utm_source=zalo&amp;utm_medium=share">Chia sẻ Zalo</a></div>
  <div class="cactinkhac"><div class="tieudekhoi">CÁC TIN KHÁC</div><ul>{other_html}</ul></div>
</div>"""
        return self.layout(title=article.title, main=main, charset=article.encoding)

    def listing_page(self, *, key: str, articles: list[Article], page: int, pages: int) -> str:
        category = self.c.category(key)
        rows = []
        for a in articles:
            date = f'<span class="ngay">{a.list_date}</span>' if a.list_date else ""
            rows.append(f"""<div class="tin">
  <a href="{escape(article_url(self.c, a))}"><img class="anhtin" src="/Uploads/Images/TinTuc/{a.image or 'noimage.jpg'}" width="120" alt="" /></a>
  <a class="tieudetin" href="{escape(article_url(self.c, a))}">{escape(a.title)}</a> {date}
  <div class="tomtattin">{escape(_teaser(a))}</div>
</div>""")
        links = []
        for number in range(1, pages + 1):
            if number == page:
                links.append(f'<span class="trangchon">{number}</span>')
            else:
                links.append(f'<a href="{escape(listing_url(self.c, key, number))}">{number}</a>')
        if page < pages:
            links.append(f'<a href="{escape(listing_url(self.c, key, page + 1))}">Trang sau »</a>')
        pager = f'<div class="phantrang">Trang: {" ".join(links)}</div>' if pages > 1 else ""
        main = (f'<div class="duongdan"><a href="/">Trang chủ</a> » {escape(category.name)}</div>'
                f'<div class="tieudemuc">{escape(category.name.upper())}</div>\n'
                + "\n".join(rows) + pager)
        title = category.name if page == 1 else f"{category.name} - Trang {page}"
        return self.layout(title=title, main=main)

    def home(self) -> str:
        first = self.c.articles[0]
        blocks = [f"""<div class="tinnoibat">
  <a class="tieudetin" href="{escape(article_url(self.c, first))}">{escape(first.title)}</a>
  <div class="tomtattin">{escape(_teaser(first))}</div>
</div>"""]
        for category in self.c.categories:
            items = "".join(
                f'<li><a href="{escape(article_url(self.c, a))}">{escape(a.title)}</a></li>'
                for a in self.c.in_category(category.key)[:3]
            )
            blocks.append(
                f'<div class="khoitin"><div class="tieudemuc"><a href="{escape(listing_url(self.c, category.key))}">'
                f'{escape(category.name.upper())}</a></div><ul>{items}</ul>'
                f'<a class="xemthem" href="{escape(listing_url(self.c, category.key))}">Xem thêm »</a></div>'
            )
        return self.layout(title=self.s["name"], main="\n".join(blocks))

    def simple_page(self, *, title: str, html_body: str) -> str:
        main = (f'<div class="duongdan"><a href="/">Trang chủ</a> » {escape(title)}</div>'
                f'<div class="tieudemuc">{escape(title.upper())}</div>\n<div class="noidung">'
                f"\n{html_body}\n</div>")
        return self.layout(title=title, main=main)


def _teaser(article: Article) -> str:
    if article.lead:
        return article.lead
    first = next(b for b in article.body.strip().split("\n\n") if not b.startswith(("<", "img:")))
    words = first.split()
    return " ".join(words[:30]) + (" ..." if len(words) > 30 else "")


def build(content: SiteContent) -> PortalBuild:
    portal = ProvincialPortal(content)
    out = PortalBuild(content)
    for article in content.articles:
        url = article_url(content, article)
        # The server's header says UTF-8 whatever the page is stored in: legacy pages lie.
        out.add(url, portal.article_page(article), encoding=article.encoding,
                normalization=article.normalization, content_type="text/html; charset=utf-8")
        out.alias(url + "&print=1", url)
        out.article(url, article, without=[*BOILERPLATE, *captions(article.body)])

    for category in content.categories:
        chunks = pages_of(content.in_category(category.key), LIST_SIZE)
        for number, chunk in enumerate(chunks, start=1):
            url = listing_url(content, category.key, number)
            out.add(url, portal.listing_page(key=category.key, articles=chunk, page=number,
                                             pages=len(chunks)))
            out.not_articles.append(url)

    out.add("/", portal.home())
    out.not_articles.append("/")
    for key in ("intro", "contact", "documents"):
        page = content.pages[key]
        out.add(page["path"], portal.simple_page(title=page["title"], html_body=page["html"]))
        out.not_articles.append(page["path"])
    for pdf in content.pages["documents"].get("pdfs", []):
        out.add(pdf["path"], tiny_pdf(pdf["text"]))
    for missing in content.pages["documents"].get("missing_pdfs", []):
        out.route(missing, status=404)

    out.add("/robots.txt", content.site["robots"])
    out.add("/quantri/", '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Đăng nhập hệ '
            'thống quản trị</title></head><body><form method="post"><input name="txtUser" />'
            '<input type="password" name="txtPass" /></form></body></html>\n')
    out.add("/Uploads/private/danh-sach-ho-ngheo-2024.xlsx", b"PK\x03\x04 not a real workbook")
    out.never_fetch += ["/quantri/", "/Uploads/private/danh-sach-ho-ngheo-2024.xlsx"]
    out.add("/404.html", portal.simple_page(
        title="Thông báo", html_body="<p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p>"))
    return out
