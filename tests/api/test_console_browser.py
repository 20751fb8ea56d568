"""An administrator opens GraphiQL in a real browser and sees the demo company."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support.browser import CHROMIUM_FLAGS, chromium_path
from tests.support.processes import salon_env, salon_server

playwright = pytest.importorskip("playwright.sync_api")


def test_graphiql_runs_a_query_and_shows_departments_and_metrics(tmp_path):
    executable = chromium_path()
    query = "{ departments { code name } metrics { code name } }"
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")

    with salon_server("demo", env=env, cwd=tmp_path) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(
            viewport={"width": 1280, "height": 3000}
        )  # the editor renders visible lines only
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(f"{base}/graphql?q={quote(query)}")
        page.locator(".graphiql-execute-button").click()
        response = page.locator(".graphiql-response")
        response.get_by_text("生产部").wait_for(timeout=20_000)
        text = response.inner_text()
        page.screenshot(path=str(tmp_path / "graphiql.png"))
        browser.close()

    assert failed == [], f"requests that failed (offline assets?): {failed}"
    for shown in ('"PROD"', '"生产部"', '"defect_rate"', '"不良率"', '"客服部"'):
        assert shown in text, shown
    assert "errors" not in text
