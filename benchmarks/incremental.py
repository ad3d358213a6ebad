#!/usr/bin/env python3
"""How much a nightly re-run of an unchanged site costs, against the first run (issue 5).

Generates a NukeViet-style ward portal of N articles (default 1,000) with paginated category
listings, serves it on 127.0.0.1, crawls it twice into a fresh archive with the real `muni crawl`
and prints the requests of each run and their ratio (target: second ≤ 3 % of first). Then adds
one article and runs a third time, to show a changed site is still followed.

    .venv/bin/python benchmarks/incremental.py [--articles 1000] [--per-page 20]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.demo.server import PortalServer  # noqa: E402

CATEGORIES = ["tin-tuc-su-kien", "xay-dung-dang", "van-hoa-xa-hoi", "kinh-te"]
_VOCABULARY = ("ủy ban nhân dân phường tổ chức hội nghị triển khai nhiệm vụ cán bộ công chức "
               "đại diện tổ dân phố địa bàn chính quyền đoàn thể thanh niên phụ nữ cựu chiến "
               "binh an ninh trật tự vệ sinh môi trường giải phóng mặt bằng cải cách hành chính "
               "chuyển đổi số y tế giáo dục văn hóa thể thao xây dựng nông thôn mới kinh tế")
WORDS = _VOCABULARY.split()


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'</head><body><nav><a href="/">Trang nhất</a> '
            + " ".join(f'<a href="/vi/news/{c}/">{c}</a>' for c in CATEGORIES)
            + f"</nav><main>{body}</main><footer>Trực tuyến: 12 · Hôm nay: 345</footer>"
            "</body></html>")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def article_html(n: int) -> str:
    # Each article its own text: a site whose articles share paragraphs would (rightly) have
    # them learned as boilerplate.
    rng = random.Random(n)
    day, month = n % 28 + 1, n % 12 + 1
    paragraphs = "".join("<p>" + " ".join(sentence(rng) for _ in range(4)) + "</p>"
                         for _ in range(5))
    return page(f"Bài viết số {n}", f"<h1>Bài viết số {n} về hoạt động của phường</h1>"
                f"<p>Thứ Hai, {day:02d}/{month:02d}/2023 - 08:30</p>{paragraphs}"
                "<p><strong>Nguyễn Văn An</strong></p>")


def build(root: Path, articles: int, per_page: int) -> None:
    site = root / "site"
    by_category: dict[str, list[int]] = {c: [] for c in CATEGORIES}
    for n in range(articles, 0, -1):
        by_category[CATEGORIES[n % len(CATEGORIES)]].append(n)
    for category, numbers in by_category.items():
        for n in numbers:
            path = site / "vi/news" / category / f"bai-viet-{n}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article_html(n), encoding="utf-8")
        pages = [numbers[i:i + per_page] for i in range(0, len(numbers), per_page)]
        for index, chunk in enumerate(pages, start=1):
            items = "".join(f'<li><a href="/vi/news/{category}/bai-viet-{n}.html">Bài viết số '
                            f"{n}</a></li>" for n in chunk)
            nav = f'<a href="/vi/news/{category}/page-{index + 1}/">Trang sau</a>' \
                if index < len(pages) else ""
            folder = site / "vi/news" / category / ("" if index == 1 else f"page-{index}")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(page(category, f"<ul>{items}</ul>{nav}"),
                                               encoding="utf-8")
    newest = "".join(f'<li><a href="/vi/news/{CATEGORIES[n % 4]}/bai-viet-{n}.html">Bài {n}</a>'
                     "</li>" for n in range(articles, max(articles - 10, 0), -1))
    (site / "index.html").write_text(page("Trang nhất", f"<ul>{newest}</ul>"), encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")
    (root / "routes.json").write_text(json.dumps({"routes": []}), encoding="utf-8")
    (root / "portal.toml").write_text(
        'id = "bench"\nname = "Benchmark ward"\nextends = "nukeviet"\n'
        'base_url = "http://demo.invalid/"\nstart_urls = ["/"]\n', encoding="utf-8")


def crawl(server: PortalServer, root: Path, archive: Path) -> tuple[int, float, int]:
    profile = archive.parent / "bench.toml"
    text = (root / "portal.toml").read_text(encoding="utf-8")
    profile.write_text(text.replace("http://demo.invalid/", server.base_url), encoding="utf-8")
    before, started = len(server.requests), time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--profile", str(profile), "--db",
         str(archive), "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
         "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "--log-level", "WARNING"],
        cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        sys.exit(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return len(server.requests) - before, time.monotonic() - started, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--per-page", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root, archive = Path(tmp) / "bench", Path(tmp) / "archive"
        build(root, args.articles, args.per_page)
        with PortalServer(root) as server:
            first, t1, _ = crawl(server, root, archive)
            second, t2, _ = crawl(server, root, archive)
            newest = args.articles + 1
            category = CATEGORIES[newest % 4]
            (root / "site/vi/news" / category / f"bai-viet-{newest}.html").write_text(
                article_html(newest), encoding="utf-8")
            listing = root / "site/vi/news" / category / "index.html"
            listing.write_text(listing.read_text(encoding="utf-8").replace(
                "<ul>", f'<ul><li><a href="/vi/news/{category}/bai-viet-{newest}.html">Bài mới'
                "</a></li>", 1), encoding="utf-8")
            third, t3, _ = crawl(server, root, archive)
        import sqlite3

        conn = sqlite3.connect(archive / "archive.db")
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        found_new = conn.execute("SELECT count(*) FROM articles WHERE title LIKE ?",
                                 [f"%số {newest} %"]).fetchone()[0]
    print(f"articles on the site     {args.articles} (+1 before run 3)")
    print(f"articles archived        {stored}")
    print(f"run 1 (first)            {first:>6} requests  {t1:6.1f} s")
    print(f"run 2 (unchanged site)   {second:>6} requests  {t2:6.1f} s   "
          f"ratio {second / first:.2%}  (target <= 3%)")
    print(f"run 3 (one new article)  {third:>6} requests  {t3:6.1f} s   new article found: "
          f"{'yes' if found_new else 'NO'}")


if __name__ == "__main__":
    main()
