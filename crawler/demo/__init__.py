"""Bundled demo portals and the loopback server that serves them (tests, `muni demo`, benchmarks).

``portals/<name>/`` holds each portal's files, routes, site profile and reviewed gold;
``server`` serves them on 127.0.0.1; ``authoring`` is the tool that wrote them.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Portal", "PortalServer", "RequestRecord", "portal_names", "serve_portals"]

_HOMES = {
    "Portal": "crawler.demo.portal",
    "portal_names": "crawler.demo.portal",
    "PortalServer": "crawler.demo.server",
    "RequestRecord": "crawler.demo.server",
    "serve_portals": "crawler.demo.server",
}


def __getattr__(name: str) -> Any:
    # Imported on first use, so that `python -m crawler.demo.server` does not find its own
    # module already imported by the package (runpy warns about exactly that).
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'crawler.demo' has no attribute {name!r}")
