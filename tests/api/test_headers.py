"""Every answer carries the security headers: API answers, pages, refusals and static assets."""

from __future__ import annotations

import base64
import hashlib

import pytest

from api.http.headers import page_policy

sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # headers do not depend on it

HTML = {"accept": "text/html"}
JSON = {"content-type": "application/json"}
ASSET = "/static/vendor/graphiql@3.8.3/graphiql.min.js"


def _answers(client) -> dict[str, object]:
    signed_out = {"authorization": ""}
    return {
        "graphql answer": client.post("/graphql", json={"query": "{ periods }"}),
        "health": client.get("/healthz"),
        "401 refusal": client.post("/graphql", json={"query": "{ periods }"}, headers=signed_out),
        "303 to the login": client.get("/graphql", headers={**HTML, **signed_out}, follow_redirects=False),
        "413 refusal": client.post("/graphql", content=b"x" * (2 * 1024 * 1024), headers=JSON),
        "400 refusal": client.post("/graphql", json=[{"query": "{ periods }"}]),
        "404": client.get("/nothing-here"),
        "login page": client.get("/login"),
        "import page": client.get("/import"),
        "console page": client.get("/graphql", headers=HTML),
        "static asset": client.get(ASSET),
    }


@sqlite
def test_every_answer_forbids_framing_sniffing_and_referrers(client):
    for name, response in _answers(client).items():
        headers = response.headers
        assert headers["x-frame-options"] == "DENY", name
        assert "frame-ancestors 'none'" in headers["content-security-policy"], name
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["referrer-policy"] == "no-referrer", name


@sqlite
def test_api_answers_and_pages_are_not_stored_while_static_assets_are_revalidated(client):
    answers = _answers(client)
    asset = answers.pop("static asset")

    stored = {name: r.headers["cache-control"] for name, r in answers.items()}

    assert stored == dict.fromkeys(answers, "no-store")
    assert asset.status_code == 200 and asset.headers["cache-control"] == "no-cache"
    assert asset.headers["etag"]  # so revalidating costs a 304


@sqlite
def test_an_api_answer_may_load_nothing_and_a_page_only_its_own_scripts(client):
    answers = _answers(client)
    api = answers["graphql answer"].headers["content-security-policy"]
    pages = {name: answers[name] for name in ("login page", "import page", "console page")}

    assert api.startswith("default-src 'none'")
    for name, response in pages.items():
        policy = response.headers["content-security-policy"]
        assert response.status_code == 200, name
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assets, connect = name == "console page", name != "login page"
        assert policy == page_policy(response.text, assets=assets, connect=connect), name


def test_a_pages_policy_allows_its_inline_script_by_hash_and_nothing_else():
    html = "<style>p{}</style><script>go()</script><script src='/static/x.js'></script>"

    policy = page_policy(html)

    assert f"script-src 'sha256-{_digest('go()')}';" in policy  # nothing else, not even 'self'
    assert f"style-src 'sha256-{_digest('p{}')}';" in policy
    assert policy.count("sha256-") == 2


def _digest(text: str) -> str:
    """As a browser computes it for an inline element."""
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
