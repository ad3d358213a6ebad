"""A NukeViet 4 ward portal: ``/vi/news/<cat>/<slug>-<id>.html``, ``/page-N`` listings, an RSS
feed linked from every page, no sitemap."""

# ruff: noqa: E501 -- the page templates below keep the CMS's markup one element per line, as
# the real theme does; wrapping them would make the HTML unreadable.

from __future__ import annotations

from collections.abc import Sequence

from crawler.demo.authoring.common import pages_of, rss, tiny_pdf, with_seconds
from crawler.demo.authoring.markup import BodyStyle, captions, escape, render_body
from crawler.demo.authoring.model import Article, SiteContent
from crawler.demo.authoring.site import PortalBuild

LIST_SIZE = 3
ALL_NEWS_SIZE = 5
FEED_SIZE = 10
BOILERPLATE = [
    "Trực tuyến", "Hôm nay", "Tổng truy cập", "Chào mừng bạn đến với", "Viết bình luận",
    "Ý kiến bạn đọc", "Những tin mới hơn", "Tổng số điểm của bài viết", "Tin mới",
]


def _image(src: str, alt: str, caption: str) -> str:
    img = (f'<p style="text-align: center;"><img alt="{escape(alt)}" height="533" '
           f'src="{src}" width="800" /></p>')
    if not caption:
        return img
    return img + f'\n<p style="text-align: center;"><em>{caption}</em></p>'


STYLE = BodyStyle('<p style="text-align: justify;">', _image, "/uploads/news/2024_01")


def article_path(article: Article) -> str:
    return f"/vi/news/{article.category}/{article.slug}-{article.id}.html"


def print_path(article: Article) -> str:
    return f"/vi/news/print/{article.slug}-{article.id}.html"


class NukeVietPortal:
    def __init__(self, content: SiteContent) -> None:
        self.c = content
        self.s = content.site

    # -- chrome ---------------------------------------------------------------------------

    def layout(
        self, *, title: str, main: str, crumbs: list[tuple[str, str]], canonical: str,
        head: str = "", charset: str = "utf-8",
    ) -> str:
        s = self.s
        crumb_html = "".join(
            f'<li><a href="{href}"><span>{escape(name)}</span></a></li>' for name, href in crumbs
        )
        menu = "".join(
            f'<li><a href="/vi/news/{c.key}/">{escape(c.name)}</a></li>' for c in self.c.categories
        )
        return f"""<!DOCTYPE html>
<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">
<head>
<title>{escape(title)} - {escape(s['name'])}</title>
<meta name="description" content="{escape(title)}" />
<meta name="author" content="{escape(s['name'])}" />
<meta name="copyright" content="{escape(s['name'])} [{s['email']}]" />
<meta name="generator" content="NukeViet v4.5" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta property="og:site_name" content="{escape(s['name'])}" />
{head}<link rel="canonical" href="{{{{BASE}}}}{canonical}" />
<link rel="alternate" href="{{{{BASE}}}}/vi/news/rss/" title="Tin Tức" type="application/rss+xml" />
<link rel="StyleSheet" href="/themes/default/css/style.css" />
<script src="/assets/js/jquery/jquery.min.js"></script>
</head>
<body>
<noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ trợ JavaScript.<br />Website chỉ làm việc khi bạn bật nó trở lại.</div></noscript>
<div class="body-bg"><div class="wraper">
<header>
  <div class="container"><div id="header" class="row">
    <div class="logo col-xs-24 col-sm-24 col-md-8">
      <a title="{escape(s['name'])}" href="/"><img src="/uploads/logo-tayson.png" width="90" height="90" alt="{escape(s['name'])}" /></a>
      <span class="site_name">{escape(s['name'])}</span>
      <span class="site_description">{escape(s['city'])} - {escape(s['province'])}</span>
    </div>
  </div></div>
</header>
<nav class="second-nav" id="menusite"><div class="container"><ul class="nav navbar-nav">
  <li><a title="Trang nhất" href="/"><em class="fa fa-lg fa-home">&nbsp;</em> Trang nhất</a></li>
  <li><a href="/vi/about/gioi-thieu-chung.html">Giới thiệu</a></li>
  <li class="dropdown"><a href="/vi/news/">Tin Tức</a><ul class="dropdown-menu">{menu}</ul></li>
  <li><a href="/vi/laws/">Văn bản</a></li>
  <li><a href="/vi/contact/">Liên hệ</a></li>
</ul></div></nav>
<section><div class="container" id="body">
  <nav class="third-nav"><div class="row"><div class="bg">
    <div class="col-xs-24 col-sm-18 col-md-18">
      <div class="marquee"><marquee scrollamount="3">{escape(s['banner'])}</marquee></div>
      <div class="breadcrumbs-wrap"><ul class="breadcrumbs list-none">
        <li><a href="/" title="Trang nhất"><span><em class="fa fa-lg fa-home"></em><span class="hidden-xs">Trang nhất</span></span></a></li>{crumb_html}
      </ul></div>
    </div>
    <div class="headerSearch col-xs-24 col-sm-6 col-md-6"><span class="current-time">{escape(s['clock'])}</span>
      <form action="/vi/seek/" method="get"><input type="text" name="q" maxlength="60" placeholder="Tìm kiếm..." /></form></div>
  </div></div></nav>
  <div class="row">
    <div class="col-sm-16 col-md-18">
{main}
    </div>
    <div class="col-sm-8 col-md-6">
{self.sidebar()}
    </div>
  </div>
</div></section>
<footer id="footer"><div class="wraper"><div class="container"><div class="row">
  <div class="col-xs-24 col-sm-24 col-md-12">
    <p><strong>Cơ quan chủ quản: Ủy ban nhân dân {escape(s['ward'][0].lower() + s['ward'][1:])}</strong></p>
    <p>Địa chỉ: {escape(s['address'])}</p>
    <p>Điện thoại: {escape(s['phone'])} - Email: <a href="mailto:{s['email']}">{s['email']}</a></p>
    <p>Ghi rõ nguồn "{escape(s['name'])}" khi phát hành lại thông tin từ website này.</p>
  </div>
  <div class="col-xs-24 col-sm-24 col-md-12 text-right">
    <a href="/vi/users/login/">Đăng nhập</a> | <a href="/admin/">Quản trị</a> | <a href="/vi/news/rss/">RSS</a>
    <p>Powered by <a href="https://nukeviet.vn/" rel="nofollow">NukeViet CMS</a></p>
  </div>
</div></div></div></footer>
</div></div>
</body>
</html>
"""

    def sidebar(self) -> str:
        latest = "".join(
            f'<li class="clearfix"><a href="{article_path(a)}" title="{escape(a.title)}">'
            f'{escape(a.title)}</a>'
            + (f' <span class="text-muted">({a.list_date[:10]})</span>' if a.list_date else "")
            + "</li>"
            for a in self.c.articles[:5]
        )
        counter = self.s["counter"]
        return f"""<div class="panel panel-primary"><div class="panel-heading">Tin mới</div>
  <div class="panel-body"><ul class="list-none list-items">{latest}</ul></div></div>
<div class="panel panel-primary"><div class="panel-heading">Liên kết website</div>
  <div class="panel-body"><select onchange="window.open(this.value)"><option>-- Chọn liên kết --</option>
  <option value="https://chinhphu.vn/">Cổng TTĐT Chính phủ</option></select></div></div>
<div class="panel panel-primary"><div class="panel-heading">Thống kê truy cập</div>
  <div class="panel-body"><ul class="counter list-none">
    <li><em class="fa fa-bolt fa-lg fa-horizon"></em>Trực tuyến: <span class="pull-right">{counter['online']}</span></li>
    <li><em class="fa fa-filter fa-lg fa-horizon"></em>Hôm nay: <span class="pull-right">{counter['today']}</span></li>
    <li><em class="fa fa-calendar-o fa-lg fa-horizon"></em>Tháng hiện tại: <span class="pull-right">{counter['month']}</span></li>
    <li><em class="fa fa-bars fa-lg fa-horizon"></em>Tổng truy cập: <span class="pull-right">{counter['total']}</span></li>
  </ul></div></div>"""

    # -- pages ----------------------------------------------------------------------------

    def article_page(self, article: Article, index: int) -> str:
        category = self.c.category(article.category)
        path = article_path(article)
        canonical = article.canonical or path
        date = (f'<span class="h5">{escape(article.date)}</span>' if article.date else "")
        lead = (f'<div class="hometext m-bottom"><strong>{article.lead}</strong></div>'
                if article.lead else "")
        newer = self.c.articles[max(0, index - 3):index]
        older = [a for a in self.c.in_category(article.category) if a is not article][:4]
        other = self.c.articles[index + 1:index + 4]
        head = ""
        if article.published:
            head = (f'<meta property="article:published_time" '
                    f'content="{with_seconds(article.published)}" />\n')
        main = f"""<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope>
  <div class="panel-body">
    <h1 class="title margin-bottom-lg" itemprop="headline">{escape(article.title)}</h1>
    <div class="row margin-bottom-lg">
      <div class="col-md-12">{date}</div>
      <div class="col-md-12"><ul class="list-inline text-right">
        <li><a class="dimgray" rel="nofollow" title="In ra" href="{print_path(article)}" target="_blank"><em class="fa fa-print fa-lg">&nbsp;</em></a></li>
      </ul></div>
    </div>
    {lead}
    <div id="news-bodyhtml" class="bodytext margin-bottom-lg">
{render_body(article.body, STYLE)}
    </div>
    {article.after_body or ""}
  </div>
</div>
<div class="news_column panel panel-default"><div class="panel-body">
  <div class="socialicon clearfix">
    <a href="https://www.facebook.com/sharer/sharer.php?u={{{{BASE}}}}{path}" rel="nofollow">Chia sẻ Facebook</a>
    <a href="{path}?utm_source=zalo&amp;utm_medium=share" rel="nofollow">Chia sẻ Zalo</a>
  </div>
  <div class="h5 clearfix"><p>Tổng số điểm của bài viết là: 15 trong 3 đánh giá</p></div>
</div></div>
<div class="news_column panel panel-default" id="idcomment"><div class="panel-body">
  <h3>Ý kiến bạn đọc</h3>
  <form method="post" action="/vi/comment/post/"><p>Viết bình luận</p>
  <input type="text" name="name" placeholder="Họ tên" /><textarea name="content" placeholder="Nội dung bình luận"></textarea>
  <input type="submit" value="Gửi bình luận" /></form>
</div></div>
{self._related("Những tin mới hơn", newer)}
{self._related("Những tin cũ hơn", other)}
{self._related("Tin khác", older)}"""
        return self.layout(
            title=article.title, main=main, canonical=canonical, head=head,
            charset=article.encoding,
            crumbs=[("Tin Tức", "/vi/news/"), (category.name, f"/vi/news/{category.key}/")],
        )

    def _related(self, heading: str, articles: Sequence[Article]) -> str:
        if not articles:
            return ""
        items = "".join(
            f'<li><em class="fa fa-angle-right">&nbsp;</em><a href="{article_path(a)}" '
            f'title="{escape(a.title)}">{escape(a.title)}</a>'
            + (f' <em>({a.list_date[:10]})</em>' if a.list_date else "") + "</li>"
            for a in articles
        )
        return (f'<div class="news_column panel panel-default"><div class="panel-body">'
                f'<p class="h3"><strong>{heading}</strong></p><ul class="related list-items">'
                f"{items}</ul></div></div>")

    def listing_page(self, *, title: str, base: str, articles: list[Article], page: int,
                     pages: int, crumbs: list[tuple[str, str]]) -> str:
        rows = []
        for a in articles:
            when = f'<span class="time">{a.list_date}</span>' if a.list_date else ""
            rows.append(f"""<div class="news_column panel panel-default"><div class="panel-body">
  <a href="{article_path(a)}"><img alt="{escape(a.title)}" src="/assets/news/{a.image or 'no-image.jpg'}" width="183" class="img-thumbnail pull-left imghome" /></a>
  <h3><a href="{article_path(a)}" title="{escape(a.title)}">{escape(a.title)}</a></h3>
  <div class="text-muted"><ul class="list-unstyled list-inline"><li><em class="fa fa-clock-o">&nbsp;</em> {when}</li></ul></div>
  <p>{escape(_teaser(a))}</p>
</div></div>""")
        return self.layout(
            title=title if page == 1 else f"{title} - Trang {page}",
            main="\n".join(rows) + _pagination(base, page, pages),
            canonical=base if page == 1 else f"{base}page-{page}", crumbs=crumbs,
        )

    def home(self) -> str:
        first, *rest = self.c.articles[:7]
        notice = self.c.articles[[a.aliases != () for a in self.c.articles].index(True)]
        rows = "".join(
            f'<li><a href="{article_path(a)}">{escape(a.title)}</a>'
            + (f" <span>({a.list_date[:10]})</span>" if a.list_date else "") + "</li>"
            for a in rest
        )
        main = f"""<div class="panel panel-default"><div class="panel-body">
  <h2><a href="{article_path(first)}">{escape(first.title)}</a></h2>
  <p>{escape(_teaser(first))}</p>
  <ul class="list-items">{rows}</ul>
  <p class="text-right"><a href="/vi/news/">Xem thêm tin tức</a></p>
</div></div>
<div class="panel panel-default"><div class="panel-heading">Thông báo</div><div class="panel-body">
  <ul><li><a href="{notice.aliases[0].replace('&', '&amp;')}">{escape(notice.title)}</a></li></ul>
</div></div>"""
        return self.layout(title="Trang nhất", main=main, canonical="/", crumbs=[])

    def simple_page(self, *, title: str, html_body: str, canonical: str,
                    crumbs: list[tuple[str, str]]) -> str:
        main = (f'<div class="page panel panel-default"><div class="panel-body">'
                f'<h1 class="title">{escape(title)}</h1>\n{html_body}\n</div></div>')
        return self.layout(title=title, main=main, canonical=canonical, crumbs=crumbs)

    def feed(self) -> str:
        items = [
            (a.title, "{{BASE}}" + article_path(a), _teaser(a), a.published)
            for a in self.c.articles[:FEED_SIZE]
        ]
        return rss(title=f"Tin Tức - {self.s['name']}", link="{{BASE}}/vi/news/",
                   description=self.s["name"], language="vi", items=items)


def _teaser(article: Article) -> str:
    if article.lead:
        return article.lead
    first = next(b for b in article.body.strip().split("\n\n") if not b.startswith(("<", "img:")))
    words = first.split()
    return " ".join(words[:40]) + (" ..." if len(words) > 40 else "")


def _pagination(base: str, page: int, pages: int) -> str:
    if pages == 1:
        return ""
    links = []
    for number in range(1, pages + 1):
        href = base if number == 1 else f"{base}page-{number}"
        css = ' class="active"' if number == page else ""
        links.append(f'<li{css}><a href="{href}">{number}</a></li>')
    if page < pages:
        links.append(f'<li><a href="{base}page-{page + 1}" title="Trang sau">Trang sau</a></li>')
    return f'<div class="text-center"><ul class="pagination">{"".join(links)}</ul></div>'


# (title, base URL, articles, page size, breadcrumbs above it)
_Section = tuple[str, str, list[Article], int, list[tuple[str, str]]]


def build(content: SiteContent) -> PortalBuild:
    portal = NukeVietPortal(content)
    out = PortalBuild(content)
    for index, article in enumerate(content.articles):
        path = article_path(article)
        out.add(path, portal.article_page(article, index), encoding=article.encoding,
                normalization=article.normalization)
        out.alias(print_path(article), path)
        for alias in article.aliases:
            out.alias(alias, path)
        out.article(article.canonical or path, article,
                    without=[*BOILERPLATE, *captions(article.body)])

    sections: list[_Section] = [("Tin Tức", "/vi/news/", list(content.articles), ALL_NEWS_SIZE, [])]
    for category in content.categories:
        sections.append((category.name, f"/vi/news/{category.key}/",
                         content.in_category(category.key), LIST_SIZE,
                         [("Tin Tức", "/vi/news/")]))
    for title, base, articles, size, crumbs in sections:
        chunks = pages_of(articles, size)
        for number, chunk in enumerate(chunks, start=1):
            url = base if number == 1 else f"{base}page-{number}"
            crumb = [*crumbs, (title, base)]
            out.add(url, portal.listing_page(title=title, base=base, articles=chunk,
                                             page=number, pages=len(chunks), crumbs=crumb))
            out.not_articles.append(url)

    out.add("/", portal.home())
    out.not_articles.append("/")
    for key, label in (("intro", "Giới thiệu"), ("contact", "Liên hệ"), ("laws", "Văn bản")):
        info = content.pages[key]
        out.add(info["path"], portal.simple_page(
            title=info["title"], html_body=info["html"], canonical=info["path"],
            crumbs=[(label, info["path"])]))
        out.not_articles.append(info["path"])
    pages = content.pages
    for pdf in pages["laws"].get("pdfs", []):
        out.add(pdf["path"], tiny_pdf(pdf["text"]))
    for missing in pages["laws"].get("missing_pdfs", []):
        out.route(missing, status=404)

    out.add("/vi/news/rss/", portal.feed(), content_type="application/rss+xml; charset=utf-8")
    out.add("/robots.txt", content.site["robots"])
    out.add("/admin/", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Đăng nhập "
            "quản trị</title></head><body><form method=\"post\"><input name=\"nv_login\" />"
            "<input type=\"password\" name=\"nv_password\" /></form></body></html>\n")
    out.add("/vi/users/login/", portal.simple_page(
        title="Đăng nhập", html_body='<form method="post"><input name="nv_login" /></form>',
        canonical="/vi/users/login/", crumbs=[("Thành viên", "/vi/users/")]))
    out.never_fetch += ["/admin/", "/vi/users/login/"]
    out.add("/404.html", portal.simple_page(
        title="Lỗi 404", canonical="/404.html", crumbs=[],
        html_body="<p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p>"
                  '<p><a href="/">Quay lại trang nhất</a></p>'))
    return out
