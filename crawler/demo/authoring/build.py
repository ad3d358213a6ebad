"""Write the bundled portals from their content files: ``python -m crawler.demo.authoring.build``.

The output under ``crawler/demo/portals/`` is committed and served byte for byte; this tool is
how it is kept consistent (listings, feeds, sitemaps and gold all come from one article list).
Before writing, every gold snippet is checked against the article text it describes.
"""

from __future__ import annotations

import argparse
import html
import importlib
import re
import sys
from pathlib import Path

from crawler.demo.authoring.markup import blocks
from crawler.demo.authoring.model import CONTENT_DIR, Article, SiteContent, load_content
from crawler.demo.authoring.site import PortalBuild
from crawler.demo.portal import PORTALS_DIR


def content_names() -> list[str]:
    return sorted(p.stem for p in CONTENT_DIR.glob("*.toml"))


def body_text(article: Article) -> str:
    """The article's own paragraphs (no raw HTML blocks, images or captions), as plain text."""
    paragraphs = [article.lead or ""]
    paragraphs += [b for b in blocks(article.body) if not b.startswith(("<", "img:"))]
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs)


def check_gold(content: SiteContent) -> list[str]:
    problems = []
    for article in content.articles:
        text = body_text(article)
        for snippet in article.with_:
            if snippet not in text:
                problems.append(f"{content.id}/{article.id}: 'with' not in body: {snippet!r}")
        for snippet in article.without:
            if snippet in text:
                problems.append(f"{content.id}/{article.id}: 'without' in body: {snippet!r}")
    return problems


def render(content: SiteContent) -> PortalBuild:
    # One renderer module per CMS family, named after it (nukeviet.py, liferay.py, ...).
    module = importlib.import_module(f"crawler.demo.authoring.{content.site['family']}")
    build: PortalBuild = module.build(content)
    return build


def portal_toml(content: SiteContent, start_urls: list[str]) -> str:
    s = content.site
    starts = ", ".join(f'"{u}"' for u in start_urls)
    return (
        "# Site profile of a bundled demo portal. base_url is replaced at run time by the\n"
        "# address of the loopback server (crawler.demo.server).\n"
        f'id = "{s["id"]}"\n'
        f'name = "{s["name"]}"\n'
        f'extends = "{s["family"]}"\n'
        'base_url = "http://demo.invalid/"\n'
        f'ward = "{s["ward"]}"\n'
        f'city = "{s["city"]}"\n'
        f'province = "{s["province"]}"\n'
        f'country = "{s["country"]}"\n'
        f'language = "{s["language"]}"\n'
        f'timezone = "{s["timezone"]}"\n'
        f"start_urls = [{starts}]\n"
    )


def build_portal(name: str, out_dir: Path = PORTALS_DIR) -> Path:
    content = load_content(name)
    problems = check_gold(content)
    if problems:
        raise SystemExit("gold does not match the articles:\n  " + "\n  ".join(problems))
    build = render(content)
    target = out_dir / content.id
    target.mkdir(parents=True, exist_ok=True)
    start_urls = content.site.get("extra", {}).get("start_urls", ["/"])
    build.write(target, portal_toml(content, start_urls))
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo.authoring.build",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help="portals to build (default: all)")
    parser.add_argument("--out", type=Path, default=PORTALS_DIR, help="portals folder")
    args = parser.parse_args(argv)
    for name in args.names or content_names():
        print(build_portal(name, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
