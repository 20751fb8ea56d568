"""How a browser gets into the console: a token form that sets an HttpOnly cookie.

GraphiQL and the import page then work as they are (their requests carry the cookie), the
token is never readable by page scripts, and ``SameSite=Strict`` keeps other sites from
using it — a forged cross-site request arrives without it and is refused.

Signing in and out is refused to other sites' forms too: a cross-site form posting an
attacker's token would sign the victim into the attacker's account (login CSRF), and what HR
then entered would be the attacker's to read. Browsers say where a form came from
(``Sec-Fetch-Site``, or at least ``Origin``); a client that says neither is not a browser,
and no other site can make it post.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from urllib.parse import urlsplit

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.http import headers
from api.http.gate import COOKIE
from api.http.pages import STATIC_DIR
from api.tokens import AuthError, TokenVerifier

PAGES = ("/graphql", "/import")  # where a sign-in may lead (no open redirect)


def _page(next_page: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    text = (STATIC_DIR / "login.html").read_text(encoding="utf-8")
    text = text.replace("<!--next-->", html.escape(next_page))
    if error:
        text = text.replace("<!--error-->", f'<p class="bad" id="error">{html.escape(error)}</p>')
    return headers.page(text, status)


def _next(value: object) -> str:
    return value if value in PAGES else PAGES[0]


def _cross_site(request: Request) -> bool:
    """Whether a browser says the request comes from another site's page (see above).

    ``Origin`` is compared with ``Host`` by host and port only: behind a proxy that ends TLS
    the scheme the server sees is not the browser's."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


CROSS_SITE = "Signing in and out works only from the pages of this server."


def routes(verifier: TokenVerifier):
    async def login(request: Request) -> Response:
        if request.method == "GET":
            return _page(_next(request.query_params.get("next")))
        if _cross_site(request):
            return _page(PAGES[0], CROSS_SITE, status=403)
        form = await request.form()
        next_page = _next(form.get("next"))
        token = str(form.get("token") or "").strip()
        try:
            claims = await to_thread.run_sync(verifier.verify, token)
        except AuthError as error:
            return _page(next_page, f"Not signed in: {error}", status=401)
        response = RedirectResponse(next_page, status_code=303)
        response.set_cookie(
            COOKIE,
            token,
            max_age=max(1, int((claims.expires - datetime.now(UTC)).total_seconds())),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    async def logout(request: Request) -> Response:
        if _cross_site(request):
            return _page(PAGES[0], CROSS_SITE, status=403)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return response

    return login, logout
