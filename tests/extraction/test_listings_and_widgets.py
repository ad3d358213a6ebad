"""The article/listing decision and widget dates on small pages built for one trap each: a page
of teasers is a listing, an article with links in its text or a share link is not; an events
widget's date is never the page's date, an article's own date in an <aside> still is."""

from __future__ import annotations

from pipelines.extract import Article, NoArticle, extract

PROSE = ("Der Gemeinderat hat in seiner Sitzung am Dienstag ausführlich über die Sanierung "
         "der Grundschule beraten und die Mittel für den ersten Bauabschnitt freigegeben. ")


def _page(main: str, aside: str = "", title: str = "Stadt Lindenbrunn") -> bytes:
    return (f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><header><a href='/'>Start</a></header><main>{main}</main>"
            f"<aside class='widget-area'>{aside}</aside></body></html>").encode()


def _teaser(n: int) -> str:
    return (f"<article><h2><a href='/meldung-{n}/'>Neue Meldung Nummer {n} aus dem Rathaus</a>"
            f"</h2><p>{PROSE[:140]}… <a href='/meldung-{n}/'>Weiterlesen</a></p></article>")


EVENTS = ("<section class='widget widget_events'><h2>Veranstaltungen</h2><ul>"
          "<li><time>19.10.2024</time> Herbstmarkt</li><li><time>09.11.2024</time> "
          "Gemeinderatssitzung</li></ul></section>")


def test_a_page_of_teasers_is_a_listing() -> None:
    html = _page("<h1>Aktuelles</h1>" + "".join(_teaser(n) for n in range(4)))
    result = extract(html, "https://stadt.example/aktuelles/", language="de")
    assert isinstance(result, NoArticle)
    assert result.reason == "listing"


def test_a_numbered_listing_page_with_one_teaser_is_a_listing() -> None:
    html = _page("<h1>Aktuelles</h1>" + _teaser(1), title="Aktuelles – Seite 3")
    result = extract(html, "https://stadt.example/page/3/", language="de")
    assert isinstance(result, NoArticle)
    assert result.reason == "listing"


def test_an_article_with_links_in_its_text_and_a_share_link_is_an_article() -> None:
    body = "".join(
        f"<p>{PROSE} Mehr dazu steht im <a href='/beschluss-{n}/'>Beschluss Nummer {n} des "
        f"Gemeinderats vom Frühjahr</a>, der online abrufbar ist.</p>" for n in range(3))
    share = ("<p><a href='/sanierung/?utm_source=share'>Diesen Artikel mit anderen teilen</a>"
             "</p>")
    html = _page(f"<article><h1>Sanierung der Grundschule beginnt</h1>"
                 f"<p class='date'>12.03.2024</p>{body}{share}</article>",
                 title="Sanierung der Grundschule beginnt – Stadt Lindenbrunn")
    result = extract(html, "https://stadt.example/sanierung/", language="de")
    assert isinstance(result, Article), result
    assert "Beschluss Nummer 2" in result.body


def test_an_events_widget_date_is_not_the_page_date() -> None:
    html = _page(f"<article class='page type-post'><h1>Sanierung der Grundschule beginnt</h1>"
                 f"<p>{PROSE * 2}</p><p>{PROSE}</p></article>", aside=EVENTS,
                 title="Sanierung der Grundschule beginnt – Stadt Lindenbrunn")
    result = extract(html, "https://stadt.example/sanierung/", language="de")
    assert isinstance(result, Article), result
    assert result.published is None, (result.published, result.published_source)


def test_the_articles_own_date_in_an_aside_is_kept() -> None:
    html = _page(f"<article><h1>Sanierung der Grundschule beginnt</h1>"
                 f"<p>{PROSE * 2}</p><p>{PROSE}</p></article>",
                 aside="<div class='post-date'>12.03.2024</div>",
                 title="Sanierung der Grundschule beginnt – Stadt Lindenbrunn")
    result = extract(html, "https://stadt.example/sanierung/", language="de")
    assert isinstance(result, Article), result
    assert result.published == "2024-03-12", (result.published, result.published_source)


def test_a_static_cms_page_without_a_date_is_not_an_article() -> None:
    html = _page(f"<article class='page type-page'><h1>Über die Stadt</h1><p>{PROSE}</p>"
                 f"<p>{PROSE}</p></article>", aside=EVENTS, title="Über die Stadt")
    result = extract(html, "https://stadt.example/rathaus/stadt/", language="de")
    assert isinstance(result, NoArticle), result
    assert result.reason == "not-article"
