"""Authors off Vietnamese portals: what the page declares, what it shows, and which to believe."""

from __future__ import annotations

import json

import pytest

from pipelines.extract import Article, extract

TEXT = ("The council approved the new budget on Tuesday after a long debate about the costs of "
        "the planned school building and the repairs to the old town hall. ") * 3


def _page(head: str = "", above: str = "", below: str = "") -> Article:
    html = (f'<html lang="en"><head><title>Council approves budget</title>{head}</head><body>'
            f"<article><h1>Council approves budget</h1>{above}<p>{TEXT}</p><p>{TEXT}</p>"
            f"{below}</article></body></html>")
    result = extract(html.encode(), "https://town.example.org/news/budget")
    assert isinstance(result, Article)
    return result


def test_a_meta_author_the_page_never_shows_is_the_cms_account() -> None:
    result = _page(head='<meta name="author" content="wegewerk GmbH">')
    assert result.author is None


def test_a_meta_author_the_page_shows_is_the_author() -> None:
    result = _page(head='<meta name="author" content="Jane Miller">',
                   below="<p>Jane Miller reports on local politics.</p>")
    assert (result.author, result.author_source) == ("Jane Miller", "meta")


def test_a_linked_name_glued_to_an_icon_label() -> None:
    result = _page(above='<div class="meta">By <a href="/authors/sarah-lazare">Sarah Lazare</a>'
                         '<a href="https://twitter.com/x"><span>Twitter</span></a></div>')
    assert result.author == "Sarah Lazare"


def test_a_bold_name_above_the_text_is_the_byline() -> None:
    result = _page(above="<p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>")
    assert (result.author, result.author_rule) == ("Mathatisi Sebusi, Mohalenyane Phakela",
                                                   "leading-bold")
    assert "Sebusi" not in result.body


def test_a_bold_dateline_is_no_byline() -> None:
    result = _page(above="<p><strong>Bergisch Gladbach -</strong></p>")
    assert result.author is None


def test_an_organisation_is_the_author_when_the_article_type_says_so() -> None:
    data = {"@context": "https://schema.org", "@type": "ReportageNewsArticle",
            "headline": "Council approves budget",
            "author": {"@type": "NewsMediaOrganization", "name": "Town News"}}
    result = _page(head=f'<script type="application/ld+json">{json.dumps(data)}</script>')
    assert (result.author, result.author_source) == ("Town News", "json-ld")


def test_a_link_to_the_authors_page_after_the_headline() -> None:
    html = (f'<html lang="en"><head><title>Council approves budget</title></head><body>'
            f'<div class="top"><h4><a href="/news/other">Another story of the day here</a></h4>'
            f'<a href="/author/tim-rice/">Tim Rice</a></div>'
            f"<article><h1>Council approves budget</h1>"
            f'<div><a href="/staff/uriel-gadessaud/">Uriel Gadessaud</a></div>'
            f"<p>{TEXT}</p><p>{TEXT}</p></article></body></html>")
    result = extract(html.encode(), "https://town.example.org/news/budget")
    assert isinstance(result, Article)
    assert (result.author, result.author_rule) == ("Uriel Gadessaud", "markup:author-link")


def test_the_name_heading_of_an_about_the_author_box() -> None:
    result = _page(below='<div class="author-bio"><h3>Martin Junker</h3><p>Martin Junker '
                         "berät seit zehn Jahren Unternehmen bei der Finanzierung.</p></div>")
    assert (result.author, result.author_rule) == ("Martin Junker", "markup:author-box")


def test_a_json_ld_person_the_page_never_names_is_no_byline() -> None:
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Council approves budget",
            "author": {"@type": "Person", "name": "Menso Groenewegen"}}
    hidden = _page(head=f'<script type="application/ld+json">{json.dumps(data)}</script>')
    shown = _page(head=f'<script type="application/ld+json">{json.dumps(data)}</script>',
                  above="<p>Menso Groenewegen</p>")
    assert hidden.author is None
    assert (shown.author, shown.author_source) == ("Menso Groenewegen", "json-ld")


def test_a_name_in_a_field_of_the_date_line() -> None:
    result = _page(above="<small>04.02.2022 | 13:10 Uhr | Uta Helkenberg</small>")
    assert (result.author, result.author_rule) == ("Uta Helkenberg", "date-line-field")


def test_a_place_in_a_field_of_the_date_line_is_no_author() -> None:
    result = _page(above="<small>04.02.2022 | Politik</small>")
    assert result.author is None


@pytest.mark.parametrize(("author", "shown"), [
    ("Jane Miller", "<p>Copyright © 2020 by Jane Miller - Alle Rechte vorbehalten</p>"),
    ("Manniac", "<p>Ein Blog auf manniac.de seit 2006</p>"),
    ("AgE", "<p>Weihnachtsbäume schlagen</p>"),
])
def test_a_name_inside_other_text_does_not_make_a_meta_author_shown(author: str,
                                                                    shown: str) -> None:
    result = _page(head=f'<meta name="author" content="{author}">', below=shown)
    assert result.author is None


def test_a_layout_wrapper_named_after_its_sidebars_is_not_a_sidebar() -> None:
    html = (f'<html lang="en"><head><title>Energy prices</title></head><body>'
            f'<div class="main-content has-double-sidebar"><div class="itc-headline">'
            f"Energy price crisis: relief and rights at a glance</div>"
            f"<p>Von Leonora Holling</p><p>{TEXT}</p><p>{TEXT}</p></div></body></html>")
    result = extract(html.encode(), "https://town.example.org/news/energy")
    assert isinstance(result, Article)
    assert result.title == "Energy price crisis: relief and rights at a glance"


def test_the_credit_under_the_headline() -> None:
    html = (f'<html lang="en"><head><title>Masks stolen from hospital</title></head><body>'
            f'<article><header><hgroup><h1>Masks stolen from hospital</h1></hgroup>'
            f'<p class="credit">JIJI</p></header><p>{TEXT}</p><p>{TEXT}</p>'
            f'<figure><img src="/a.jpg"><figcaption class="credit">Reuters</figcaption></figure>'
            f"</article></body></html>")
    result = extract(html.encode(), "https://news.example.org/masks")
    assert isinstance(result, Article)
    assert (result.author, result.author_rule) == ("JIJI", "markup:headline-credit")


def _publisher_page(byline: str) -> Article:
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Council approves budget", "publisher": {"name": "Town News"},
            "author": {"@type": "Organization", "name": "Town News"}}
    return _page(head=f'<script type="application/ld+json">{json.dumps(data)}</script>',
                 above=byline)


def test_a_printed_byline_names_the_journalist_when_the_publisher_signs() -> None:
    result = _publisher_page('<div class="byline">Von Christian Mihatsch</div>')
    assert (result.author, result.author_source) == ("Christian Mihatsch", "page-label")


def test_the_publisher_signs_when_only_a_desk_code_is_printed() -> None:
    result = _publisher_page('<span class="author">amw</span>')
    assert (result.author, result.author_rule) == ("Town News", "json-ld:author-publisher")


def test_a_von_line_with_text_still_to_come_credits_a_book_not_the_page() -> None:
    book = ("<p>Das Buch zum Thema</p><p>von Josef Kastner, Marieke Hübner und Imke Schlömer</p>"
            "<p>192 Seiten plus 68 Übungskarten, 39,90 Euro</p><p>bestellen</p>"
            f"<p>{TEXT}</p>")
    result = _page(above="<div>Ein Artikel von <strong>Pamela Sladky</strong> | 27.01.2022</div>",
                   below=book)
    assert result.author == "Pamela Sladky"
    assert "Josef Kastner" in result.body


def test_a_declared_name_printed_without_its_middle_name_beside_a_role() -> None:
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Council approves budget",
            "author": {"@type": "Person", "name": "André Oliver KLEIN"}}
    result = _page(head=f'<script type="application/ld+json">{json.dumps(data)}</script>',
                   above='<div><a href="/autoren/508">André Klein</a><span>Redakteur</span></div>')
    assert (result.author, result.author_source) == ("André Oliver KLEIN", "json-ld")
