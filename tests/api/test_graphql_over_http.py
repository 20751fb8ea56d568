"""GraphQL over HTTP: the graphql-response+json media type and its status codes, CORS for the
configured origins (a preflight is not refused for want of a token), gzip for large answers."""

from __future__ import annotations

from api.http.negotiate import MEDIA_TYPE

ACCEPT = {"accept": f"{MEDIA_TYPE}, application/json;q=0.9"}


def test_a_client_that_accepts_the_graphql_media_type_gets_it_and_200_when_the_operation_ran(client):
    response = client.post("/graphql", json={"query": "{ periods }"}, headers=ACCEPT)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    assert "data" in response.json()


def test_a_request_that_never_ran_is_a_400_without_data(client):
    for query in ("{ periods", "{ nope }", "query($p: Period!) { periods }"):
        response = client.post("/graphql", json={"query": query}, headers=ACCEPT)

        assert response.status_code == 400, (query, response.text)
        assert response.headers["content-type"].startswith(MEDIA_TYPE)
        assert "data" not in response.json() and response.json()["errors"]


def test_a_legacy_client_keeps_json_and_200(client):
    response = client.post("/graphql", json={"query": "{ nope }"}, headers={"accept": "application/json"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


def test_unauthenticated_is_401_in_the_graphql_media_type(make_client, database_url, engine):
    anonymous = make_client(database_url, engine, role="")

    response = anonymous.post("/graphql", json={"query": "{ periods }"}, headers=ACCEPT)

    assert response.status_code == 401
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_preflight_from_a_configured_origin_is_allowed_without_a_token(make_client, database_url, engine):
    app = make_client(database_url, engine, role="", SALON_CORS_ORIGINS="https://hr.example.com")
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }

    allowed = app.options("/graphql", headers={"origin": "https://hr.example.com", **preflight})
    other = app.options("/graphql", headers={"origin": "https://evil.example.com", **preflight})

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://hr.example.com"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers


def test_large_answers_are_gzipped_small_ones_not(client):
    large = "{ " + " ".join(f"a{i}: periods" for i in range(25)) + " __schema { types { name } } }"
    small = client.post("/graphql", json={"query": "{ periods }"}, headers={"accept-encoding": "gzip"})
    big = client.post("/graphql", json={"query": large}, headers={"accept-encoding": "gzip"})

    assert "content-encoding" not in small.headers
    assert big.headers.get("content-encoding") == "gzip", big.text[:200]
    assert big.json()["data"]  # httpx decodes it
    assert int(big.headers["content-length"]) < len(big.content)
