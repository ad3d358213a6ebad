"""A timestamp declared in UTC is published on the local day the page shows; the offset comes
from the page (its date line's clock, or the day in its date line or URL), never from a guess."""

from __future__ import annotations

import json

import pytest

from pipelines.extract import Article, extract

TEXT = ("The city council elected a new mayor on Tuesday evening after a close race that kept "
        "the whole town awake until the last ballots were counted. ") * 3


def _page(declared: str, date_line: str, url: str = "https://news.example.com/story") -> Article:
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "A new mayor for the town", "datePublished": declared}
    html = (f'<html lang="en"><head><title>A new mayor for the town</title>'
            f'<script type="application/ld+json">{json.dumps(data)}</script></head><body>'
            f"<article><h1>A new mayor for the town</h1><p>{date_line}</p><p>{TEXT}</p>"
            f"<p>{TEXT}</p></article></body></html>")
    result = extract(html.encode(), url)
    assert isinstance(result, Article)
    return result


@pytest.mark.parametrize(
    ("declared", "date_line", "value"),
    [("2023-11-09T05:30:59Z", "PUBLISHED: November 8, 2023 at 11:30 p.m.",
      "2023-11-08T23:30:59-06:00"),
     ("Wed, 04 May 2022 02:41:00 GMT", "Ariel Melgar 3/5/2022 22:41", "2022-05-03T22:41-04:00"),
     ("2024-05-03T14:24:00.000Z", "03.05.2024, 16:24 Uhr", "2024-05-03T16:24+02:00")],
)
def test_the_offset_comes_from_the_clock_on_the_date_line(declared: str, date_line: str,
                                                          value: str) -> None:
    result = _page(declared, date_line)
    assert result.published == value
    assert result.published_source == "json-ld+visible-line"


def test_the_day_alone_when_the_page_shows_no_time() -> None:
    result = _page("2020-02-18T02:18:11Z", "Por: Agencia Reforma | 17 de Febrero 2020")
    assert (result.published, result.published_precision) == ("2020-02-17", "day")


def test_the_url_day() -> None:
    result = _page("2023-11-09T05:30:59Z", "Local news",
                   url="https://news.example.com/2023/11/08/a-new-mayor/")
    assert (result.published, result.published_source) == ("2023-11-08", "json-ld+url")


@pytest.mark.parametrize("date_line", ["Local news", "November 9, 2023", "Nov 9, 2023 05:30"])
def test_nothing_moves_without_evidence(date_line: str) -> None:
    result = _page("2023-11-09T05:30:59Z", date_line)
    assert (result.published, result.published_source) == ("2023-11-09T05:30:59+00:00",
                                                           "json-ld")


def test_an_impossible_day_is_no_evidence() -> None:
    # Three days off is another date on the page, not this moment's local day.
    result = _page("2023-11-09T05:30:59Z", "Updated: November 6, 2023")
    assert result.published == "2023-11-09T05:30:59+00:00"


def test_the_date_printed_by_the_headline_wins_over_a_declared_one() -> None:
    result = _page("2021-11-22T18:42:22+01:00", "1. Januar 2023")
    assert (result.published, result.published_source) == ("2023-01-01", "visible-line")


def test_an_updated_line_by_the_headline_does_not() -> None:
    result = _page("2021-11-22T18:42:22+01:00", "Updated: January 1, 2023")
    assert result.published == "2021-11-22T18:42:22+01:00"


def test_the_date_beside_the_articles_own_teaser() -> None:
    html = (f'<html lang="de"><head><title>Achtsam durch die Krise</title></head><body>'
            f"<article><h1>Achtsam durch die Krise</h1><p>{TEXT}</p><p>{TEXT}</p></article>"
            f'<aside><div class="teaser"><h2>Achtsam durch die Krise</h2>'
            f"<footer>18. März 2020</footer></div>"
            f'<div class="teaser"><h2>Eine ganz andere Geschichte aus der Stadt</h2>'
            f"<footer>13. März 2020</footer></div></aside></body></html>")
    result = extract(html.encode(), "https://news.example.com/achtsam")
    assert isinstance(result, Article)
    assert (result.published, result.published_source) == ("2020-03-18", "own-teaser")
