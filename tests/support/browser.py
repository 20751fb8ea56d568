"""Real headless Chromium (Debian's package), driven by Playwright without its own browser download."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # this machine's closed network refuses them noisily
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "Debian chromium is not installed (make test installs it when run as root)"
    if os.environ.get("SALON_REQUIRE_SERVICES"):
        pytest.fail(message + " and SALON_REQUIRE_SERVICES is set")
    pytest.skip(message)
