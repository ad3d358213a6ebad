"""“View archived copy”: the captured page from the WARC, shown with every script disabled.

The raw capture is served under ``Content-Security-Policy: sandbox`` (an opaque origin with
scripts, forms and popups off, even when opened directly) and ``script-src 'none'``, and the
page around it embeds it in ``<iframe sandbox>``. Two locks, so a captured page can never run
code in the archive's origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datasette.utils.asgi import NotFound, Request, Response

from archive.errors import ArchiveError
from archive.warc import CapturedResponse, read_response

ARCHIVE_DATABASE = "archive"

CAPTURE_POLICY = (
    "sandbox; default-src 'none'; script-src 'none'; object-src 'none'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


async def _article_capture(datasette: Any, article_id: str) -> tuple[dict[str, Any], Path]:
    db = datasette.get_database(ARCHIVE_DATABASE)
    result = await db.execute(
        "select id, url, title, first_seen, warc_file, warc_offset, warc_length, "
        "warc_record_id from articles where id = ?", [article_id])
    row = result.first()
    if row is None or not row["warc_file"] or row["warc_offset"] is None:
        raise NotFound("This article has no archived copy.")
    return dict(row), Path(db.path).parent


def _read(folder: Path, row: dict[str, Any]) -> CapturedResponse:
    try:
        return read_response(folder, row["warc_file"], row["warc_offset"], row["warc_length"])
    except ArchiveError as exc:
        raise NotFound(f"The archived copy cannot be read: {exc}") from exc


async def archived_copy_page(datasette: Any, request: Request) -> Response:
    row, folder = await _article_capture(datasette, request.url_vars["id"])
    captured = _read(folder, row)
    return Response.html(await datasette.render_template(
        "archived_copy.html",
        {"article": row, "captured": captured,
         "raw_url": datasette.urls.path(f"/-/archived/{row['id']}/raw"),
         "article_url": datasette.urls.row(ARCHIVE_DATABASE, "articles", str(row["id"]))},
        request=request,
    ))


async def archived_copy_raw(datasette: Any, request: Request) -> Response:
    row, folder = await _article_capture(datasette, request.url_vars["id"])
    captured = _read(folder, row)
    content_type = captured.header("content-type") or "text/html"
    return Response(
        captured.body,
        status=200,
        content_type=content_type,
        headers={
            "Content-Security-Policy": CAPTURE_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "public, max-age=86400",
            "X-Robots-Tag": "noindex",
        },
    )


ROUTES: list[tuple[str, Any]] = [
    (r"^/-/archived/(?P<id>\d+)$", archived_copy_page),
    (r"^/-/archived/(?P<id>\d+)/raw$", archived_copy_raw),
]
