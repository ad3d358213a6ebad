"""Bundled demo portals and the loopback server that serves them (tests, `muni demo`, benchmarks).

``portals/<name>/`` holds each portal's files, routes, site profile and reviewed gold;
``server`` serves them on 127.0.0.1; ``authoring`` is the tool that wrote them.
"""

from crawler.demo.portal import Portal, portal_names
from crawler.demo.server import PortalServer, RequestRecord, serve_portals

__all__ = ["Portal", "PortalServer", "RequestRecord", "portal_names", "serve_portals"]
