"""Response headers that make the published archive safe to put on the internet."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Datasette's own pages use inline scripts and styles, so 'unsafe-inline' stays for those;
# everything else is same-origin only. Stored HTML is never rendered into these pages
# (archived copies are served by archive.datasette.capture under a stricter, sandboxing CSP).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


def with_security_headers(app: ASGIApp) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(n, v) for n, v in HEADERS if n not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", PAGE_POLICY.encode()))
                message = {**message, "headers": headers + extra}
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
