"""A journalist's path through the real `muni serve`, in headless Chromium (issue 4).

Debian's chromium (installed by .ci/run) is driven by Playwright; browser downloads cannot
work here. In CI this test must run: it is skipped only outside CI when chromium is absent.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.publish.archive_builder import HOSTILE_SCRIPT, SEED_TITLE, BuiltArchive

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"chromium not found at {CHROMIUM}: `apt-get install -y chromium` (.ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture()
def browser_archive(built_archive: BuiltArchive) -> Path:
    """The archive the browser reads. Built by project code (ArchiveDB + WarcFile) with the
    seed article and its captured page; swap for a crawl of the demo portals by returning
    that archive's folder instead."""
    return built_archive.folder


@pytest.fixture()
def served(browser_archive: Path) -> Iterator[str]:
    """`muni serve` as a user runs it, on a free port; yields the URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(browser_archive),
         "--port", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"})
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    output = []
    try:
        while True:
            try:
                line = lines.get(timeout=60)
            except queue.Empty:
                pytest.fail(f"muni serve printed no address within 60 s: {''.join(output)}")
            output.append(line)
            if line.startswith("Serving the archive at "):
                break
        yield line.removeprefix("Serving the archive at ").strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)  # the pipe ends with the process
        assert process.stdout is not None
        process.stdout.close()


def test_journalist_searches_reads_and_opens_the_archived_copy(served: str,
                                                              tmp_path: Path) -> None:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            console: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: console.append(m.text))

            # 1. Type the query without diacritics in the home page's search box.
            page.goto(served)
            page.fill("#muni-q", "dang uy tay son")
            page.press("#muni-q", "Enter")
            page.wait_for_url("**/archive/search?q=dang+uy+tay+son*")
            result = page.locator(".muni-result", has_text=SEED_TITLE)
            result.wait_for()
            marks = result.locator(".muni-snippet mark").all_inner_texts()
            assert "Đảng ủy" in marks and "Tây Sơn" in marks, marks
            page.screenshot(path=str(tmp_path / "1-search.png"), full_page=True)

            # 2. Open the article: author, date, clean body.
            result.locator("a.muni-result-title").click()
            page.wait_for_url("**/archive/articles/*")
            assert page.locator("h1.muni-headline").inner_text() == SEED_TITLE
            assert page.locator(".muni-author").inner_text().startswith("Hoàng Bình")
            assert page.locator(".muni-published time").get_attribute(
                "datetime") == "2024-01-08T16:30+07:00"
            body = page.locator(".muni-body").inner_text()
            assert body.startswith("Chiều 8/1, Đảng ủy phường Tây Sơn tổ chức Hội nghị")
            for boilerplate in ("Trực tuyến", "Hôm nay", "Quanh cảnh hội nghị.",
                                "Hoàng Bình"):
                assert boilerplate not in body
            page.screenshot(path=str(tmp_path / "2-article.png"), full_page=True)

            # 3. The archived copy: the captured page is shown, and none of its scripts ran.
            page.click("a.muni-archived-copy")
            page.wait_for_url("**/-/archived/*")
            frame_element = page.wait_for_selector("iframe.muni-capture")
            frame = frame_element.content_frame()
            assert frame is not None
            frame.wait_for_load_state("load")
            assert "Đảng ủy phường Tây Sơn" in frame.locator("body").inner_text()
            html = frame.locator("html")
            assert html.get_attribute("data-script-ran") is None
            assert html.get_attribute("data-onerror-ran") is None
            assert frame.title() != "SCRIPT RAN"
            assert page.locator("body").get_attribute("data-capture-script") is None
            page.screenshot(path=str(tmp_path / "3-archived-copy.png"), full_page=True)

            # Opened directly, the raw capture is sandboxed by its own CSP header too.
            raw = browser.new_page()
            raw.goto(frame.url)
            assert "Đảng ủy phường Tây Sơn" in raw.locator("body").inner_text()
            assert raw.locator("html").get_attribute("data-script-ran") is None
            assert raw.title() != "SCRIPT RAN"
            raw.screenshot(path=str(tmp_path / "4-raw-capture.png"))

            # 4. The one box over every table: articles by the ranked search, with snippets
            # and a link to every result; sites by table search.
            box = browser.new_page()
            box.goto(served.rstrip("/") + "/-/search?q=dang+uy+tay+son")
            best = box.locator('[data-table="archive/articles"] .muni-result', has_text=SEED_TITLE)
            best.wait_for()
            assert "Đảng ủy" in best.locator(".muni-snippet mark").all_inner_texts()
            # No site is named "Đảng ủy …": the sites table answers, with nothing.
            box.locator("#search-all-no-results", has_text="archive: sites").wait_for()
            assert box.locator(".search-all-loading").count() == 0
            box.screenshot(path=str(tmp_path / "5-one-box.png"), full_page=True)
            best.locator("a.muni-result-title").click()
            box.wait_for_url("**/archive/articles/*")
            assert box.locator("h1.muni-headline").inner_text() == SEED_TITLE

            # Control: the same script does run in a page without those protections, so
            # the checks above can fail.
            control = browser.new_page()
            control.set_content(f"<html><body>{HOSTILE_SCRIPT}</body></html>")
            assert control.locator("html").get_attribute("data-script-ran") == "yes"
            assert dialogs == []
        finally:
            browser.close()
    for name in ("1-search.png", "2-article.png", "3-archived-copy.png", "4-raw-capture.png",
                 "5-one-box.png"):
        assert (tmp_path / name).stat().st_size > 1000
