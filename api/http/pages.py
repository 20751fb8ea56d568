"""The browser pages: the front door, the GraphiQL console and the import page, served with
their assets from this package instead of a CDN (HR systems often run on intranets without one).

The sign-in page is :mod:`api.http.login`; every page's security headers come from
:func:`api.http.headers.page`.
"""

from __future__ import annotations

import html as html_text
import json
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from api.http import headers
from domain.importing.templates import TEMPLATES

CDN = "https://unpkg.com/"
STATIC_DIR = Path(__file__).with_name("static")
VENDOR_PREFIX = "/static/vendor/"


def localise(html: str) -> str:
    """Point every unpkg asset of the console page at its vendored copy."""
    return html.replace(CDN, VENDOR_PREFIX)


def asset_paths(html: str) -> list[str]:
    """The CDN paths a console page asks for (what ``static/vendor`` must hold)."""
    return re.findall(re.escape(CDN) + r'([^"\']+)', html)


def console(graphql_ide_html: str) -> HTMLResponse:
    """Strawberry's GraphiQL page, loading its assets from ``/static/vendor/``."""
    return headers.page(localise(graphql_ide_html), assets=True, connect=True)


async def home(request: Request) -> RedirectResponse:
    return RedirectResponse("/graphql")


def _chinese(names: tuple[str, ...]) -> str:
    return next((name for name in names if not name.isascii()), names[0])


def _with_kinds(html: str) -> str:
    """The page's kinds and the file names that name each, from the templates (so the page takes
    the kind from a file's name as ``salon import`` does)."""
    options = "\n".join(
        f'    <option value="{kind.name}">{kind.name} · {html_text.escape(_chinese(template.file_names))}</option>'
        for kind, template in TEMPLATES.items()
    )
    names = {kind.name: list(template.file_names) for kind, template in TEMPLATES.items()}
    data = json.dumps(names, ensure_ascii=False).replace("<", "\\u003c")  # cannot close the script
    return html.replace("<!--KIND_OPTIONS-->", options).replace("<!--FILE_NAMES-->", data)


def import_page():
    """The ``/import`` route: the page is read once, when the app is made."""
    html = _with_kinds((STATIC_DIR / "import.html").read_text(encoding="utf-8"))

    async def page(request: Request) -> HTMLResponse:
        return headers.page(html, connect=True)

    return page
