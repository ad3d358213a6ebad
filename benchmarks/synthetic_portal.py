#!/usr/bin/env python3
"""A synthetic municipal news portal of any size, generated deterministically on request.

Pages look like a Vietnamese ward portal's (NukeViet-style URLs): ~80–120 KB of HTML each, with a
mega-menu, banner, sidebars (latest news, most read, documents, links, visitor counter, poll),
breadcrumbs, print/share tools, a lead, paragraphs of Vietnamese text with a photo and caption,
a byline, a related list and a comment form; category listings of 20 articles with
pagination. Page ``n`` is rebuilt from the seed whenever asked for (``Portal``), so tests
make any page without storing the site.

    .venv/bin/python benchmarks/synthetic_portal.py --pages 10000 [--port 8100]

serves it on 127.0.0.1 (a small asyncio HTTP/1.1 server with keep-alive, in one process, so
its CPU can be measured apart from the crawler's). Every page is rendered first, on every core,
into a temporary folder (~90 KB a page: 9 GB for 100,000 pages, removed when the server ends)
and sent from there with sendfile; ``--on-request`` builds each page when asked instead.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

SEED_TEXT = Path("/work/shared/seed/000_9ccd0a3510ad4263.txt")
PER_PAGE = 20  # articles per listing page

CATEGORIES = (
    ("tin-tuc-su-kien", "Tin tức - Sự kiện"), ("xay-dung-dang", "Xây dựng Đảng"),
    ("chinh-quyen", "Chính quyền"), ("mat-tran-doan-the", "Mặt trận - Đoàn thể"),
    ("kinh-te", "Kinh tế"), ("van-hoa-xa-hoi", "Văn hóa - Xã hội"),
    ("quoc-phong-an-ninh", "Quốc phòng - An ninh"), ("cai-cach-hanh-chinh", "Cải cách hành chính"),
    ("chuyen-doi-so", "Chuyển đổi số"), ("thong-bao", "Thông báo"),
)
_SUBJECTS = ("Đảng ủy phường", "UBND phường", "Ủy ban MTTQ Việt Nam phường", "Hội Phụ nữ phường",
             "Đoàn Thanh niên phường", "Hội Cựu chiến binh phường", "Công an phường",
             "Ban Chỉ huy Quân sự phường", "Chi bộ tổ dân phố số 7", "Trạm Y tế phường")
_ACTIONS = ("tổ chức hội nghị tổng kết", "triển khai kế hoạch", "ra quân", "phát động phong trào",
            "sơ kết công tác", "tập huấn nghiệp vụ về", "kiểm tra, giám sát", "tuyên truyền về",
            "trao quà hỗ trợ", "ra mắt mô hình")
_TOPICS = ("xây dựng Đảng, chính quyền", "chuyển đổi số", "vệ sinh môi trường",
           "cải cách hành chính", "an ninh trật tự", "phòng chống thiên tai",
           "xây dựng đô thị văn minh", "chăm sóc sức khỏe nhân dân", "an toàn giao thông",
           "giảm nghèo bền vững", "phòng cháy chữa cháy", "khuyến học, khuyến tài")
_NAMES = ("Hoàng Bình", "Nguyễn Văn An", "Trần Thị Hoa", "Lê Minh Tuấn", "Phạm Thu Hà",
          "Vũ Đức Thắng", "Đỗ Thị Lan", "Bùi Quang Huy", "Ngô Thanh Tâm", "Đặng Văn Long")
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_FALLBACK = ("Đảng ủy phường tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm "
             "mới với sự tham dự của đại diện các ban, ngành, đoàn thể và tổ dân phố.")


def _sentences() -> list[str]:
    text = SEED_TEXT.read_text(encoding="utf-8") if SEED_TEXT.is_file() else _FALLBACK
    parts = re.split(r"(?<=[.;!?])\s+", unicodedata.normalize("NFC", text))
    return [p.strip() for p in parts if 40 <= len(p.strip()) <= 400] or [_FALLBACK]


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@dataclass(frozen=True)
class ArticleMeta:
    number: int
    category: int
    title: str
    published: date
    hour: int
    minute: int

    @property
    def path(self) -> str:
        return (f"/vi/news/{CATEGORIES[self.category][0]}/{slugify(self.title)[:80]}"
                f"-{self.number}.html")


class Portal:
    """Everything about the site, derived from (pages, seed)."""

    def __init__(self, pages: int, seed: int = 2024):
        self.pages = pages
        self.seed = seed
        self.sentences = _sentences()
        rng = random.Random(seed)
        self.ward = "Tây Sơn"
        self._by_category: list[list[int]] = [[] for _ in CATEGORIES]
        for number in range(pages, 0, -1):  # newest first, as listings show them
            self._by_category[number % len(CATEGORIES)].append(number)
        self._hot = [rng.randint(1, pages) for _ in range(10)] if pages else []
        self._meta: dict[int, ArticleMeta] = {}
        self.chrome_head = self._head_assets(rng)
        self.menu = self._menu()
        self.footer = self._footer(rng)
        # The same on every page, as on real portals: built once.
        self._latest = "".join(self._item(n) for n in range(pages, max(pages - 12, 0), -1))
        self._hot_items = "".join(self._item(n) for n in self._hot)

    # -- the site's parts -------------------------------------------------------------------------

    def meta(self, number: int) -> ArticleMeta:
        known = self._meta.get(number)
        if known is None:
            known = self._meta[number] = self._new_meta(number)
        return known

    def _new_meta(self, number: int) -> ArticleMeta:
        rng = random.Random(self.seed * 1_000_003 + number)
        title = (f"{rng.choice(_SUBJECTS)} {rng.choice(_ACTIONS)} "
                 f"{rng.choice(_TOPICS)} năm {2018 + number * 7 // max(self.pages, 1)}")
        # Article 1 is the oldest: about two a day back from mid-2025.
        published = date(2025, 6, 30) - timedelta(days=(self.pages - number) // 2)
        return ArticleMeta(number, number % len(CATEGORIES), title, published,
                           rng.randint(7, 17), rng.randint(0, 59))

    def listing_pages(self, category: int) -> int:
        return max(1, -(-len(self._by_category[category]) // PER_PAGE))

    def listing_path(self, category: int, page: int) -> str:
        slug = CATEGORIES[category][0]
        return f"/vi/news/{slug}/" if page == 1 else f"/vi/news/{slug}/page-{page}/"

    def article_paths(self) -> list[str]:
        return [self.meta(n).path for n in range(1, self.pages + 1)]

    def html_paths(self) -> list[str]:
        """Every HTML page the site serves: home, documents, every listing page, articles."""
        return ["/", *(f"/vi/laws/detail/van-ban-{k}/" for k in range(20)),
                *(self.listing_path(c, page) for c in range(len(CATEGORIES))
                  for page in range(1, self.listing_pages(c) + 1)),
                *self.article_paths()]

    @cached_property
    def _paths(self) -> dict[str, int]:
        return {self.meta(n).path: n for n in range(1, self.pages + 1)}

    def route(self, path: str) -> tuple[int, bytes, str]:
        """(status, body, content type) for a request path."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8"
        if path in ("/", "/vi/", "/index.html"):
            return 200, self.home().encode(), "text/html; charset=utf-8"
        match = re.fullmatch(r"/vi/news/([a-z-]+)/(?:page-(\d+)/)?", path)
        if match:
            slugs = [c[0] for c in CATEGORIES]
            if match.group(1) in slugs:
                category = slugs.index(match.group(1))
                page = int(match.group(2) or 1)
                if 1 <= page <= self.listing_pages(category):
                    return 200, self.listing(category, page).encode(), "text/html; charset=utf-8"
        document = re.fullmatch(r"/vi/laws/detail/van-ban-(\d+)/", path)
        if document and int(document.group(1)) < 20:
            number = int(document.group(1)) + 101
            main = (f"<h1>Quyết định số {number}/QĐ-UBND</h1><table><tr><td>Số hiệu</td><td>"
                    f"{number}/QĐ-UBND</td></tr><tr><td>Cơ quan ban hành</td><td>UBND phường"
                    '</td></tr><tr><td>Tệp đính kèm</td><td><a href="/uploads/laws/qd.pdf">'
                    "Tải về</a></td></tr></table>")
            return 200, self._page(f"Quyết định số {number}", main).encode(), \
                "text/html; charset=utf-8"
        number = self._paths.get(path)
        if number is not None:
            return 200, self.article(number).encode(), "text/html; charset=utf-8"
        return 404, self._page("Không tìm thấy trang", "<h1>Không tìm thấy trang</h1>").encode(), \
            "text/html; charset=utf-8"

    # -- HTML -------------------------------------------------------------------------------------

    def _head_assets(self, rng: random.Random) -> str:
        css = "".join(f".m{i}{{margin:{rng.randint(0, 20)}px;padding:{rng.randint(0, 9)}px;"
                      f"color:#{rng.randint(0, 0xFFFFFF):06x}}}" for i in range(560))
        config = ",".join(f'"k{i}":"{rng.getrandbits(64):016x}"' for i in range(760))
        links = "".join(f'<link rel="stylesheet" href="/themes/default/css/{name}.css?t=17">'
                        for name in ("bootstrap", "font-awesome", "style", "news", "menu",
                                     "responsive", "slick", "fancybox"))
        scripts = "".join(f'<script src="/assets/js/{name}.js?t=17"></script>'
                          for name in ("jquery.min", "bootstrap.min", "main", "news", "slick",
                                       "fancybox", "counter"))
        return (f"{links}<style>{css}</style>{scripts}<script>var nv_config={{{config}}};"
                "window.dataLayer=window.dataLayer||[];</script>")

    def _menu(self) -> str:
        items = []
        for slug, name in CATEGORIES:
            subs = "".join(f'<li><a href="/vi/news/{slug}/">{name} — mục {k}</a></li>'
                           for k in range(1, 9))
            items.append(f'<li class="dropdown"><a href="/vi/news/{slug}/">{name}</a>'
                         f'<ul class="dropdown-menu">{subs}</ul></li>')
        return ('<header><div class="banner"><img src="/uploads/banner.png" alt="banner">'
                f"<p>Chào mừng bạn đến với Trang Thông tin điện tử phường {self.ward}</p></div>"
                '<nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li>'
                + "".join(items) + "</ul></nav>"
                '<div class="search"><form action="/vi/seek/"><input name="q" '
                'placeholder="Tìm kiếm..."><button>Tìm</button></form></div></header>')

    def _footer(self, rng: random.Random) -> str:
        links = "".join(f'<option value="https://{slugify(s)}.gov.vn/">Cổng thông tin {s}</option>'
                        for s in (f"{k} {w}" for k in ("phường", "xã", "quận", "huyện")
                                  for w in ("An Phú", "Bình Minh", "Hòa Bình", "Tân Lập",
                                            "Xuân Phương", "Hoà An", "Phước Vĩnh", "Đông Hà",
                                            "Tây Hồ", "Nam Sơn", "Bắc Sơn", "Quang Trung",
                                            "Lê Lợi", "Trần Phú", "Hùng Vương")))
        poll = "".join(f'<li><input type="radio" name="poll" value="{k}"> Phương án {k}: '
                       f"{rng.choice(_TOPICS)}</li>" for k in range(1, 6))
        return ('<div class="widgets"><div class="links"><h3>Liên kết website</h3>'
                f'<select onchange="window.open(this.value)">{links}</select></div>'
                f'<div class="poll"><h3>Thăm dò ý kiến</h3><ul>{poll}</ul>'
                '<button>Biểu quyết</button></div></div>'
                '<footer><p>Cơ quan chủ quản: UBND phường '
                f"{self.ward}</p><p>Địa chỉ: số 1 đường Lê Lợi, phường {self.ward}</p>"
                "<p>Điện thoại: 0238.3844.123 - Email: ubnd@tayson.gov.vn</p>"
                "<p>Chịu trách nhiệm chính: Chủ tịch UBND phường</p>"
                '<p>Ghi rõ nguồn "Trang Thông tin điện tử phường" khi phát hành lại thông tin '
                "từ website này.</p></footer>")

    def _item(self, number: int, *, excerpt: str = "") -> str:
        meta = self.meta(number)
        return (f'<li><a href="{meta.path}"><img src="/uploads/news/thumb-{number}.jpg" '
                f'alt="{meta.title}"></a><h3><a href="{meta.path}">{meta.title}</a></h3>'
                f'<span class="date">{meta.published:%d/%m/%Y}</span>{excerpt}</li>')

    def _sidebar(self, near: int) -> str:
        latest, hot = self._latest, self._hot_items
        docs = "".join(f'<li><a href="/vi/laws/detail/van-ban-{(near // 200 + k) % 20}/">'
                       f"Quyết định số {(near // 200 + k) % 20 + 101}/QĐ-UBND về việc "
                       f"{_TOPICS[k % 12]}</a><span>{k + 1:02d}/{k % 12 + 1:02d}/2024</span></li>"
                       for k in range(10))
        return ('<aside class="col-left"><div class="block"><h2>Tin mới</h2>'
                f'<ul class="latest">{latest}</ul></div><div class="block"><h2>Tin đọc nhiều'
                f'</h2><ul class="hot">{hot}</ul></div><div class="block"><h2>Văn bản mới</h2>'
                f'<ul class="docs">{docs}</ul></div><div class="counter"><h2>Thống kê truy '
                f"cập</h2><p>Trực tuyến: {near % 300 + 12}</p><p>Hôm nay: {near % 2000 + 300}"
                f"</p><p>Tổng truy cập: {near * 37 + 120_000:,}</p></div></aside>")

    def _page(self, title: str, main: str, *, near: int = 1, head: str = "") -> str:
        return ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{title} - Phường {self.ward}</title>{head}{self.chrome_head}</head>"
                f'<body><div class="wrapper">{self.menu}<div class="container">'
                f'{self._sidebar(near)}<div class="col-main">{main}</div></div>'
                f"{self.footer}</div></body></html>")

    def _paragraph(self, rng: random.Random) -> str:
        chosen = rng.sample(self.sentences, k=min(len(self.sentences), rng.randint(2, 4)))
        swaps = {"Tây Sơn": rng.choice(("Tây Sơn", "An Phú", "Hòa Bình", "Tân Lập")),
                 "2023": str(rng.randint(2019, 2025))}
        text = " ".join(chosen)
        for old, new in swaps.items():
            text = text.replace(old, new)
        # A number only this paragraph has, as real reports do: no two paragraphs repeat.
        return text + f" Tổng kinh phí thực hiện {rng.randint(10, 9999)} triệu đồng."

    def article(self, number: int) -> str:
        meta = self.meta(number)
        rng = random.Random(self.seed * 7_919 + number)
        paragraphs = [self._paragraph(rng) for _ in range(rng.randint(8, 14))]
        figure = (f'<p style="text-align:center"><img src="/uploads/news/{number}-1.jpg" '
                  f'alt="{meta.title}"></p><p style="text-align:center"><em>Quang cảnh '
                  f"{rng.choice(_ACTIONS)}.</em></p>")
        body = "".join(f"<p>{p}</p>" for p in paragraphs[:2]) + figure + \
            "".join(f"<p>{p}</p>" for p in paragraphs[2:])
        related = "".join(self._item(n) for n in range(number - 1, max(number - 11, 0), -1))
        category_slug, category_name = CATEGORIES[meta.category]
        weekday = _WEEKDAYS[meta.published.weekday()]
        head = (f'<meta property="og:title" content="{meta.title}">'
                f'<meta property="og:type" content="article">'
                f'<meta name="description" content="{paragraphs[0][:150]}">')
        main = (f'<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/vi/news/'
                f'{category_slug}/">{category_name}</a></div><article class="news-detail">'
                f'<h1 class="title">{meta.title}</h1><div class="meta"><span class="date">'
                f"{weekday}, {meta.published:%d/%m/%Y} - {meta.hour:02d}:{meta.minute:02d}"
                '</span></div><div class="tools"><a href="javascript:print()">In bài viết</a> '
                '<a href="#">Gửi email</a> <a href="#">Cỡ chữ A+ A-</a></div>'
                f'<div class="hometext"><strong>{paragraphs[0][:200]}</strong></div>'
                f'<div class="bodytext">{body}<p style="text-align:right"><strong>'
                f"{rng.choice(_NAMES)}</strong></p></div></article>"
                '<div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a>'
                '</div><div class="rating">Tổng số điểm của bài viết là: 0 trong 0 đánh giá'
                '</div><div class="comments"><h3>Ý kiến bạn đọc</h3><form><textarea '
                'name="comment"></textarea><button>Gửi bình luận</button></form></div>'
                f'<div class="related"><h3>Những tin cũ hơn</h3><ul>{related}</ul></div>')
        return self._page(meta.title, main, near=number, head=head)

    def listing(self, category: int, page: int) -> str:
        numbers = self._by_category[category][(page - 1) * PER_PAGE: page * PER_PAGE]
        items = "".join(self._item(n, excerpt=f"<p>{self._paragraph(random.Random(n))[:180]}"
                                               "…</p>") for n in numbers)
        last = self.listing_pages(category)
        window = range(max(1, page - 3), min(last, page + 3) + 1)
        pager = [f'<a href="{self.listing_path(category, 1)}">«</a>'] if page > 1 else []
        pager += [f'<a href="{self.listing_path(category, k)}">{k}</a>' if k != page else
                  f"<span>{k}</span>" for k in window]
        if page < last:
            pager += [f'<a href="{self.listing_path(category, page + 1)}">Trang sau</a>',
                      f'<a href="{self.listing_path(category, last)}">»</a>']
        main = (f'<h1>{CATEGORIES[category][1]}</h1><ul class="news-list">{items}</ul>'
                f'<div class="pagination">{" ".join(pager)}</div>')
        return self._page(CATEGORIES[category][1], main, near=numbers[0] if numbers else 1)

    def home(self) -> str:
        blocks = "".join(
            f'<section><h2><a href="{self.listing_path(c, 1)}">{name}</a></h2><ul>'
            + "".join(self._item(n) for n in self._by_category[c][:5]) + "</ul></section>"
            for c, (_, name) in enumerate(CATEGORIES))
        return self._page("Trang chủ", blocks, near=self.pages)


# -- the server ----------------------------------------------------------------------------------

# The crawl and the portal share this machine's cores: every millisecond the portal spends
# building a page is taken from the crawl it measures (~1 ms an article page, 5 % of the
# crawl). So by default every page is rendered before the server announces itself, in
# parallel, into a few files of whole HTTP responses, and each request is answered with
# os.sendfile (the kernel copies; ~0.1 ms of this process a page).

_RENDERING: Portal | None = None  # the portal, in the forked rendering processes


def _response(status: int, body: bytes, content_type: str, *, head_only: bool = False) -> bytes:
    reason = "OK" if status == 200 else "Not Found"
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
            .encode("latin-1") + (b"" if head_only else body))


def _render_chunk(job: tuple[str, list[str]]) -> list[tuple[str, int, int]]:
    file, paths = job
    assert _RENDERING is not None
    where: list[tuple[str, int, int]] = []
    with Path(file).open("wb") as out:
        for path in paths:
            data = _response(*_RENDERING.route(path))
            where.append((path, out.tell(), len(data)))
            out.write(data)
    return where


def prerender(portal: Portal, folder: Path, processes: int | None = None
              ) -> dict[str, tuple[int, int, int]]:
    """Every page of the site as a whole HTTP response in ``folder``: path → (file number,
    offset, length)."""
    global _RENDERING
    import multiprocessing

    paths = ["/robots.txt", *portal.html_paths()]
    processes = processes or len(os.sched_getaffinity(0))
    chunks = max(1, processes * 4)
    jobs = [(str(folder / f"pages-{k}.http"), paths[k::chunks]) for k in range(chunks)]
    _RENDERING = portal
    try:
        # The renderers are forks of a process whose SIGTERM handler exits through Python:
        # they get the default back, so that the pool can always end them (a renderer blocked
        # on the pool's queue lock once outlived terminate(), and the benchmark waited).
        pool = multiprocessing.get_context("fork").Pool(processes, initializer=signal.signal,
                                                        initargs=(signal.SIGTERM,
                                                                  signal.SIG_DFL))
        try:
            rendered = pool.map(_render_chunk, jobs)
            pool.close()
            pool.join()
        finally:
            pool.terminate()
    finally:
        _RENDERING = None
    return {path: (k, offset, length) for k, chunk in enumerate(rendered)
            for path, offset, length in chunk}


async def _handle(portal: Portal, pages: dict[str, tuple[int, int, int]], files: list[Any],
                  reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    loop = asyncio.get_running_loop()
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split()
            path = parts[1] if len(parts) >= 2 else "/"
            head_only = parts[:1] == ["HEAD"]
            known = pages.get(path.split("?", 1)[0].split("#", 1)[0])
            if known is not None and not head_only:
                number, offset, length = known
                await writer.drain()
                await loop.sendfile(writer.transport, files[number], offset, length)
                continue
            writer.write(_response(*portal.route(path), head_only=head_only))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def serve(portal: Portal, port: int, pages: dict[str, tuple[int, int, int]],
                files: list[Any]) -> None:
    server = await asyncio.start_server(lambda r, w: _handle(portal, pages, files, r, w),
                                        "127.0.0.1", port, backlog=256)
    bound = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{bound}/", flush=True)  # the parent reads this line
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--on-request", action="store_true",
                        help="build each page when asked for instead of rendering all first "
                             "(no disk; ~1 ms of CPU a page while the crawl runs)")
    args = parser.parse_args()
    # Ended with SIGTERM by the benchmark: exit through the finally blocks (the rendered pages
    # are removed).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    portal = Portal(args.pages, args.seed)
    portal._paths  # noqa: B018 — build the route table before the first request is timed
    with tempfile.TemporaryDirectory(prefix="muni-portal-") as folder:
        pages = {} if args.on_request else prerender(portal, Path(folder))
        files = [(Path(folder) / f"pages-{k}.http").open("rb")
                 for k in range(1 + max((n for n, _, _ in pages.values()), default=-1))]
        try:
            asyncio.run(serve(portal, args.port, pages, files))
        except KeyboardInterrupt:
            pass
        finally:
            for file in files:
                file.close()


if __name__ == "__main__":
    main()
