"""The item a spider yields: one fetched page, with its raw capture and the spider's hints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive.warc import CaptureRef

__all__ = ["PageCapture"]


@dataclass
class PageCapture:
    url: str  # final URL after redirects
    site: str  # SiteProfile.id
    status: int
    # Kept out of repr: a failing item is logged, and a page body is no log line.
    headers: dict[str, str] = field(repr=False)  # response headers, last value wins
    body: bytes = field(repr=False)  # the payload, encoding undone; the WARC keeps it raw
    fetched_at: str = ""  # UTC ISO-8601
    capture: CaptureRef | None = None  # where the WARC record is
    hint: str = "unknown"  # article | listing | unknown: what the site's URL patterns say
    linked_as: list[str] = field(default_factory=list)  # other URLs this page was reached by
    # Set by the spider when the extraction pipeline is to read the page's links from the tree
    # it parses anyway: a Deferred the pipeline fires with the pipelines.links.PageLinks, or
    # with None when they could not be read there (the spider then parses the page itself).
    links_found: Any = field(default=None, repr=False, compare=False)
