"""Layout tables: old portals lay whole pages out with <table>. trafilatura reads a table as
data (cells joined with '|'), which glues paragraphs, bylines and print links into one line.
Tables used for layout become plain blocks before extraction; data tables (document lists)
stay tables."""

from __future__ import annotations

from lxml.html import HtmlElement

__all__ = ["unwrap_layout_tables"]

_BLOCK_CHILDREN = ("p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "table", "blockquote")


def _is_layout(table: HtmlElement) -> bool:
    if table.find(".//table") is not None:
        return True
    for cell in table.iter("td", "th"):
        blocks = [c for c in cell if isinstance(c.tag, str) and c.tag in _BLOCK_CHILDREN]
        if len(blocks) >= 2 or (blocks and len(cell.text_content()) > 200):
            return True
    return False


def unwrap_layout_tables(tree: HtmlElement) -> int:
    """Turn layout tables into divs in place; returns how many were unwrapped."""
    count = 0
    for table in list(tree.iter("table")):
        if table.getparent() is None or not _is_layout(table):
            continue
        own = [e for e in table.iter("tbody", "thead", "tfoot", "tr", "td", "th")
               if next(e.iterancestors("table"), None) is table]  # not a nested table's cells
        for element in [table, *own]:
            if element.tag in ("tbody", "thead", "tfoot"):
                element.drop_tag()
            else:
                element.tag = "div"
        count += 1
    return count
