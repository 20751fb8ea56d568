"""The GraphiQL console, served with its assets from this package instead of a CDN."""

from __future__ import annotations

import re
from pathlib import Path

CDN = "https://unpkg.com/"
STATIC_DIR = Path(__file__).with_name("static")
VENDOR_PREFIX = "/static/vendor/"


def localise(html: str) -> str:
    """Point every unpkg asset of the console page at its vendored copy."""
    return html.replace(CDN, VENDOR_PREFIX)


def asset_paths(html: str) -> list[str]:
    """The CDN paths a console page asks for (what ``static/vendor`` must hold)."""
    return re.findall(re.escape(CDN) + r'([^"\']+)', html)
