"""Pages are parsed with lxml's element classes chosen in C (pipelines/extract/parsing.py)."""

from __future__ import annotations

import trafilatura
from lxml import html

import pipelines.extract  # noqa: F401  (sets the lookup on trafilatura's parser)


def test_every_element_is_a_plain_html_element() -> None:
    """lxml.html's own lookup would make the form a FormElement through a Python call per
    element (~8 % of extraction's CPU on portal pages, ~15 % on the eval pages)."""
    tree = trafilatura.load_html("<html><body><form><input name='q'></form><p>Tin</p>"
                                 "</body></html>")
    assert tree is not None
    assert {type(e) for e in tree.iter()} == {html.HtmlElement}
    assert tree.find(".//p").text_content() == "Tin"
