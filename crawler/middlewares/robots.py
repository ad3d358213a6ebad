"""robots.txt, obeyed without gaps.

Scrapy 2.14–2.19's RobotsTxtMiddleware shares one Deferred among every request that arrives while
robots.txt is still downloading; awaiting it as an asyncio Future consumes its result, so every
waiter after the first receives None — "no robots.txt" — and is let through. Here each waiter
gets its own Deferred, fired with the parsed rules.

RFC 9309 §2.3.1: a robots.txt that answers 5xx (or cannot be fetched) means "disallow all" until
it can be read; 4xx means no rules.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

__all__ = ["SafeRobotsTxtMiddleware"]

logger = logging.getLogger(__name__)
_DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class SafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):  # type: ignore[no-untyped-def]
        super().__init__(crawler)
        self._waiters: dict[str, list[Deferred[RobotParser | None]]] = {}

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        pending = self._parsers.get(netloc)
        if isinstance(pending, Deferred):
            waiter: Deferred[RobotParser | None] = Deferred()
            self._waiters.setdefault(netloc, []).append(waiter)
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)

    def _release_waiters(self, netloc: str) -> None:
        parser = self._parsers.get(netloc)
        for waiter in self._waiters.pop(netloc, []):
            waiter.callback(None if isinstance(parser, Deferred) else parser)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            logger.warning("robots.txt of %s answered %d: treating the site as disallowed "
                           "(RFC 9309)", netloc, response.status)
            self._stats.inc_value("muni/robots/unreachable")
            response = response.replace(body=_DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=b"")
        try:
            await super()._parse_robots(response, netloc, request)
        finally:
            self._release_waiters(netloc)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # Unreachable robots.txt (timeout, connection refused): disallow all, as for 5xx.
        from scrapy.exceptions import IgnoreRequest

        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value("muni/robots/unreachable")
            rp = build_from_crawler(self._parserimpl, self.crawler, _DISALLOW_ALL)
            pending = self._parsers.get(netloc)
            self._parsers[netloc] = rp
            if isinstance(pending, Deferred):
                pending.callback(rp)
        else:
            super()._robots_error(exc, netloc)
        self._release_waiters(netloc)
