"""The GraphiQL console works without internet access: every asset is served locally."""

from __future__ import annotations

import base64
import hashlib
import re

from strawberry.http.ides import get_graphql_ide_html

from api.http.pages import asset_paths


def test_every_console_asset_is_vendored_with_a_matching_integrity_hash(client):
    page = client.get("/graphql", headers={"Accept": "text/html"}).text

    assert "unpkg.com" not in page
    sources = re.findall(r'(?:src|href)="(/static/vendor/[^"]+)"\s+integrity="(sha384-[^"]+)"', page)
    assert len(sources) >= 5
    for path, integrity in sources:
        response = client.get(path)
        assert response.status_code == 200, path
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert integrity == f"sha384-{digest}", path


def test_the_strawberry_page_asks_for_nothing_we_lack(client):
    """Fails when a Strawberry upgrade moves to asset versions that are not vendored yet."""
    for path in asset_paths(get_graphql_ide_html("graphiql")):
        assert client.get(f"/static/vendor/{path}").status_code == 200, path
