"""An administrator opens GraphiQL in a real browser and sees the demo company."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support.browser import CHROMIUM_FLAGS, chromium_path
from tests.support.processes import mint_token, salon_env, salon_server


def sign_in(page, base: str, token: str, next_page: str) -> None:
    """As a person does: the console sends them to the token form, which brings them back."""
    page.goto(f"{base}{next_page}")
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_page}*")


playwright = pytest.importorskip("playwright.sync_api")

# Every page records what its Content-Security-Policy blocked (the browser also logs it).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def watch_policy(page) -> list[str]:
    """Violations reported in the console, and (see :func:`violations`) as events."""
    logged: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: logged.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return logged


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_graphiql_runs_a_query_and_shows_departments_and_metrics(tmp_path):
    executable = chromium_path()
    query = "{ departments { code name } metrics { code name } }"
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")

    with salon_server("demo", env=env, cwd=tmp_path) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(
            viewport={"width": 1280, "height": 3000}
        )  # the editor renders visible lines only
        logged = watch_policy(page)
        page.goto(f"{base}/graphql")
        signed_out_at = page.url
        sign_in(page, base, mint_token(env), "/graphql")
        cookies = page.context.cookies()
        page.wait_for_load_state("networkidle")  # leaving earlier would abort the console's first fetches
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        console = page.goto(f"{base}/graphql?q={quote(query)}")
        page.locator(".graphiql-execute-button").click()
        response = page.locator(".graphiql-response")
        response.get_by_text("生产部").wait_for(timeout=20_000)
        text = response.inner_text()
        blocked = violations(page)
        page.screenshot(path=str(tmp_path / "graphiql.png"))
        browser.close()

    policy = console.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy and "sha256-" in policy
    assert blocked == [] and logged == [], (blocked, logged)
    assert "/login" in signed_out_at
    assert [(c["name"], c["httpOnly"], c["sameSite"]) for c in cookies] == [("salon_token", True, "Strict")]
    assert failed == [], f"requests that failed (offline assets?): {failed}"
    for shown in ('"PROD"', '"生产部"', '"defect_rate"', '"不良率"', '"客服部"'):
        assert shown in text, shown
    assert "errors" not in text


def test_hr_uploads_a_gbk_export_from_the_import_page_and_reads_the_report(tmp_path):
    executable = chromium_path()
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}")
    good = tmp_path / "部门.csv"
    good.write_text("部门编码,部门名称,上级部门编码\nHQ,总部,\nPROD,生产部,HQ\n", encoding="gbk")
    bad = tmp_path / "employees.csv"
    bad.write_text(
        "employee_id,name,department_code,hire_date\nE1,王芳,PROD,2020-13-01\nE2,李强,NOPE,2021-01-01\n"
    )

    with salon_server("serve", env=env, cwd=tmp_path) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        logged = watch_policy(page)
        sign_in(page, base, mint_token(env), "/import")
        page.select_option("#kind", "DEPARTMENTS")
        page.set_input_files("#file", str(good))
        page.click("button[type=submit]")
        page.get_by_text("recompute: SUCCEEDED").wait_for(timeout=20_000)
        applied = (page.inner_text("#verdict"), page.inner_text("#counts"))

        page.select_option("#kind", "EMPLOYEES")
        page.set_input_files("#file", str(bad))
        page.click("button[type=submit]")
        page.locator("#errors").wait_for(timeout=20_000)
        refused = (page.inner_text("#verdict"), page.inner_text("#errors"))
        blocked = violations(page)
        page.screenshot(path=str(tmp_path / "import.png"), full_page=True)
        browser.close()

    assert blocked == [] and logged == [], (blocked, logged)
    assert applied[0] == "Applied." and "2" in applied[1]
    assert refused[0] == "Not applied: nothing written."
    assert "not a date (expected YYYY-MM-DD): '2020-13-01'" in refused[1]
    assert "unknown department 'NOPE'" in refused[1]


def test_the_import_page_takes_the_kind_from_the_file_name_as_the_cli_does(tmp_path):
    executable = chromium_path()
    env = salon_env(SALON_DATABASE_URL=f"sqlite:///{tmp_path / 'salon.db'}")
    names = {  # file name → the kind the page should choose (None: left as the user had it)
        "员工.csv": "EMPLOYEES",
        "2026-10_observations.csv": "OBSERVATIONS",
        "Labels.xlsx": "LABELS",
        "hr 成长档案.csv": "GROWTH",
        "export.csv": None,
    }
    for name in names:
        (tmp_path / name).write_text("x\n", encoding="utf-8")

    with salon_server("serve", env=env, cwd=tmp_path) as base, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        logged = watch_policy(page)
        sign_in(page, base, mint_token(env), "/import")
        options = page.eval_on_selector_all("#kind option", "(options) => options.map((o) => o.value)")
        chosen = {}
        for name in names:
            page.select_option("#kind", "REVIEWS")
            page.set_input_files("#file", str(tmp_path / name))
            chosen[name] = (page.input_value("#kind"), page.inner_text("#kindNote"))
        blocked = violations(page)
        browser.close()

    assert blocked == [] and logged == [], (blocked, logged)
    assert "LABELS" in options and len(options) == 9
    for name, kind in names.items():
        value, note = chosen[name]
        assert value == (kind or "REVIEWS"), name
        assert ("kind taken from the file name" if kind else "does not say what it holds") in note, name
