"""How a page's HTML becomes the tree that extraction reads: trafilatura's parser, with lxml's
element classes chosen in C.

lxml.html's parsers choose the Python class of each element (HtmlElement, or FormElement,
InputElement… for form controls) by calling a Python method, ``HtmlElementClassLookup.lookup``,
every time Python touches an element it has not wrapped yet: ~2,200 calls a portal page, about
a tenth of extraction's CPU. Extraction never uses the form controls' extra methods, so every
element is an HtmlElement, chosen by lxml's C lookup. Same tree, same methods, same results
(``benchmarks/extract_cpu.py --dump`` gives byte-identical output on every page set).
"""

from __future__ import annotations

from lxml import etree, html
from trafilatura import utils as trafilatura_utils

__all__ = ["HTML_PARSER"]

_C_LOOKUP = etree.ElementDefaultClassLookup(
    element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
    entity=html.HtmlEntity)

# The parser trafilatura.load_html (and its fallbacks) parse pages with.
HTML_PARSER = trafilatura_utils.HTML_PARSER
HTML_PARSER.set_element_class_lookup(_C_LOOKUP)
