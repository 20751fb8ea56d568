"""Security headers on every response, refusals and static assets included.

No page of ours may be framed by another site (clickjacking: ``frame-ancestors 'none'``, and
``X-Frame-Options`` for older browsers), no answer is sniffed into another type, no URL leaks
through ``Referer``, and no answer — personal data, a token form — is kept in a browser's or a
proxy's cache. An answer that is not a page gets a policy that allows nothing; a page brings
its own (:func:`page`): its inline scripts and styles allowed by their hashes, not by
``'unsafe-inline'``, so an injected script would not run.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "content-security-policy"
NOTHING = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
STATIC_PREFIX = "/static/"
STATIC_CACHE = "no-cache"  # the vendored console: kept, but revalidated (ETag) before each use
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)


def _hashes(pattern: re.Pattern[str], html: str) -> str:
    digests = (hashlib.sha256(m.group(1).encode()).digest() for m in pattern.finditer(html))
    return "".join(f" 'sha256-{base64.b64encode(d).decode()}'" for d in digests)


def page_policy(html: str, *, assets: bool = False, connect: bool = False) -> str:
    """The Content-Security-Policy of one of our pages: its inline scripts and styles by hash;
    with ``assets``, scripts, styles, images and fonts from this server (the vendored
    console) and ``data:`` images and fonts; with ``connect``, requests to this server."""
    own = " 'self'" if assets else ""
    directives = ["default-src 'none'"]
    for name, pattern in (("script-src", _INLINE_SCRIPT), ("style-src", _INLINE_STYLE)):
        sources = own + _hashes(pattern, html)
        if sources:
            directives.append(name + sources)
    if assets:
        directives += ["img-src 'self' data:", "font-src 'self' data:"]
    if connect:
        directives.append("connect-src 'self'")
    directives += ["form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"]
    return "; ".join(directives)


def page(html: str, status_code: int = 200, *, assets: bool = False, connect: bool = False) -> HTMLResponse:
    """An HTML page with its own policy (see :func:`page_policy`)."""
    policy = page_policy(html, assets=assets, connect=connect)
    return HTMLResponse(html, status_code=status_code, headers={CSP: policy})


class SecurityHeaders:
    """Pure ASGI, outermost: it sees every response, those of the other middleware too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers[name] = value
                if CSP not in headers:
                    headers[CSP] = NOTHING
                headers["cache-control"] = STATIC_CACHE if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
