"""Why a request failed, as a short stable name: the ``muni/failed/<reason>`` stats keys.

Every request that ends without a page to parse reaches the spider's errback with a Failure;
the reason goes into the crawl's stats (and so into the archive's ``crawls.stats``), where an
operator reads e.g. ``muni/failed/timeout: 2`` instead of digging through logs.

    http_<status>            a 4xx/5xx answer, after retries (HttpErrorMiddleware)
    timeout                  no complete answer within DOWNLOAD_TIMEOUT (slow or slow-drip)
    too_large                more than DOWNLOAD_MAXSIZE bytes on the wire, announced or counted
    decompressed_too_large   a compressed body past DOWNLOAD_MAXSIZE once inflated (gzip bomb)
    redirect_loop            a redirect back to a URL of its own chain
    too_many_redirects       more than REDIRECT_MAX_TIMES hops
    robots_disallowed        robots.txt forbids it (or could not be read: RFC 9309)
    connection_refused, connection_lost, data_loss, dns, ignored, other
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, ConnectionDone, ConnectionLost
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from crawler.middlewares.traps import RedirectLoop

__all__ = ["failure_reason"]

# IgnoreRequest carries no reason but its message; these are Scrapy's own wordings (2.19),
# pinned by tests/hostile, which fail if a Scrapy upgrade rewords them.
_IGNORED_BECAUSE = (
    ("during decompression", "decompressed_too_large"),
    ("max redirections reached", "too_many_redirects"),
    ("forbidden by robots.txt", "robots_disallowed"),
)


def failure_reason(failure: Failure) -> str:
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, DownloadTimeoutError | TwistedTimeoutError):
        return "timeout"
    if isinstance(error, DownloadCancelledError):
        # The only cancellation during a crawl: the download handler stopping a body past
        # DOWNLOAD_MAXSIZE (announced by Content-Length or counted as it arrives).
        return "too_large"
    if isinstance(error, RedirectLoop):
        return "redirect_loop"
    if isinstance(error, IgnoreRequest):
        message = str(error).lower()
        return next((reason for text, reason in _IGNORED_BECAUSE if text in message),
                    "ignored")
    if isinstance(error, DownloadConnectionRefusedError):
        return "connection_refused"
    if isinstance(error, CannotResolveHostError):
        return "dns"
    if isinstance(error, ResponseDataLossError):
        return "data_loss"
    if isinstance(error, DownloadFailedError | ConnectionLost | ConnectionDone | ConnectError):
        return "connection_lost"
    return "other"
