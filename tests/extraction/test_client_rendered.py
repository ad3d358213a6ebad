"""A client-rendered page: the markup holds no text, the scripts carry the article as JSON for
the browser to render. The article is read from there, and its declared headline names it."""

from __future__ import annotations

import json

from pipelines.extract import Article, NoArticle, extract

TITLE = "Council meets on the bus lines"
PARAGRAPHS = [f"Paragraph {n}: the district council met on Monday to discuss the new bus lines, "
              f"the repairs to the bridge and the budget for the coming year." for n in range(6)]


def _page(state: dict[str, object]) -> bytes:
    # As React Query and Next.js write it: "<" escaped, so the HTML cannot close the script.
    payload = json.dumps({"queries": [{"state": {"data": state}}]}).replace("<", "\\u003c")
    return (f'<html lang="en"><head><title>{TITLE} - Politics | Town News</title>'
            f'<meta name="headline" content="{TITLE}">'
            f'<meta property="og:title" content="{TITLE} - Politics | Town News">'
            f'<meta property="og:site_name" content="Town News"></head>'
            f'<body><div id="root"></div><script>window.__STATE__ = {payload};</script>'
            f"</body></html>").encode()


def test_the_article_in_the_scripts_of_an_empty_page() -> None:
    html = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    result = extract(_page({"title": TITLE, "contentHtml": html}),
                     "https://town.example.org/news/1")
    assert isinstance(result, Article)
    assert result.body.split("\n\n") == PARAGRAPHS
    assert result.extra["body_source"] == "embedded-json"
    assert result.title == TITLE  # the declared headline, not '… - Politics'


def test_scripts_without_an_article_leave_an_empty_page_empty() -> None:
    result = extract(_page({"title": TITLE, "teaser": "<p>One line.</p>"}),
                     "https://town.example.org/news/1")
    assert isinstance(result, NoArticle)
    assert result.reason == "empty"
