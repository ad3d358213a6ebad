"""Pieces every renderer needs: feed/robots/PDF bytes, pagination, RFC 822 dates."""

from __future__ import annotations

import email.utils
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from crawler.demo.authoring.markup import escape

T = TypeVar("T")


def pages_of(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)] or [[]]


def rfc822(iso: str) -> str:
    moment = datetime.fromisoformat(iso if "T" in iso else iso + "T00:00+07:00")
    return email.utils.format_datetime(moment)


def rss(
    *, title: str, link: str, description: str, language: str,
    items: Iterable[tuple[str, str, str, str | None]],
) -> str:
    """RSS 2.0; items are (title, absolute link, description, ISO date or None)."""
    entries = []
    for item_title, item_link, item_description, date in items:
        pub = f"\n      <pubDate>{rfc822(date)}</pubDate>" if date else ""
        entries.append(
            f"    <item>\n      <title>{escape(item_title)}</title>\n"
            f"      <link>{item_link}</link>\n      <guid isPermaLink=\"true\">{item_link}</guid>"
            f"\n      <description><![CDATA[{item_description}]]></description>{pub}\n    </item>"
        )
    body = "\n".join(entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n  <channel>\n'
        f"    <title>{escape(title)}</title>\n    <link>{link}</link>\n"
        f"    <description>{escape(description)}</description>\n"
        f"    <language>{language}</language>\n{body}\n  </channel>\n</rss>\n"
    )


def sitemap_urlset(entries: Iterable[tuple[str, str | None]]) -> str:
    """entries are (absolute URL, lastmod or None)."""
    rows = []
    for loc, lastmod in entries:
        last = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        rows.append(f"  <url><loc>{loc}</loc>{last}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows) + "\n</urlset>\n"
    )


def sitemap_index(locations: Iterable[str]) -> str:
    rows = [f"  <sitemap><loc>{loc}</loc></sitemap>" for loc in locations]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows) + "\n</sitemapindex>\n"
    )


def tiny_pdf(text: str) -> bytes:
    """A small, valid one-page PDF (ASCII text), so document links lead to a real file."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def with_seconds(iso: str) -> str:
    """``2024-01-08T16:30+07:00`` → ``2024-01-08T16:30:00+07:00`` (what CMS meta tags print)."""
    return datetime.fromisoformat(iso).isoformat(timespec="seconds")
