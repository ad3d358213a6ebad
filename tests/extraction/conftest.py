"""The municipal fixture set, served byte-exact over real HTTP on 127.0.0.1 with each page's own
response headers (a mislabelled charset is part of what is being tested)."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "municipal"


@dataclass(frozen=True)
class FixturePage:
    page_id: str  # e.g. "nukeviet-03"
    html: Path
    gold: dict[str, Any]


def fixture_pages() -> list[FixturePage]:
    pages = []
    for html in sorted(FIXTURES.glob("*.html")):
        gold_file = html.with_suffix(".json")
        gold = json.loads(gold_file.read_text(encoding="utf-8")) if gold_file.exists() else {}
        pages.append(FixturePage(html.stem, html, gold))
    return pages


class _FixtureHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page_id = self.path.strip("/")
        html = FIXTURES / f"{page_id}.html"
        gold = FIXTURES / f"{page_id}.json"
        if not html.is_file() or not gold.is_file():
            self.send_error(404)
            return
        body = html.read_bytes()
        headers = json.loads(gold.read_text(encoding="utf-8")).get("headers") or {}
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FixtureHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fetch(base: str, page_id: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(f"{base}/{page_id}", timeout=10) as response:
        return response.read(), dict(response.headers.items())
