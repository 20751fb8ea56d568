"""Authentication: tokens (minted, expired, forged, from an OIDC issuer's JWKS), the refusal of
requests without one, and the browser's way in (token form → HttpOnly cookie)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.websockets import WebSocketDisconnect

from api.tokens import AuthError, Role, TokenVerifier, _signing_key, mint
from domain.settings import load_settings
from tests.api import org
from tests.api.conftest import graphql
from tests.support.processes import free_port, run_salon, salon_env

QUERY = "{ metrics { code } }"


def signed(settings, **claims) -> str:
    """A token signed with the server's key whose claims were not made by ``mint``."""
    payload = {"iss": "ehr-salon", "sub": "x", "role": "hr_admin", "exp": 4102444800, **claims}
    return jwt.encode(payload, _signing_key(settings), algorithm="HS256")


SECRET = "a-secret-of-the-test-run-0123456789"


def test_requests_without_a_token_are_refused_but_healthz_answers(make_client, database_url, engine):
    anonymous = make_client(database_url, engine, role=None)

    refused = anonymous.post("/graphql", json={"query": QUERY})
    health = anonymous.get("/healthz")

    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert "authentication required" in refused.json()["errors"][0]["message"]
    assert health.status_code == 200


def test_the_browser_pages_send_a_visitor_without_a_token_to_the_sign_in_form(
    make_client, database_url, engine
):
    anonymous = make_client(database_url, engine, role=None)

    for page in ("/graphql", "/import"):
        response = anonymous.get(page, headers={"Accept": "text/html"}, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, f"/login?next={page}")
    form = anonymous.get("/login?next=https://evil.example/")
    assert form.status_code == 200 and 'value="/graphql"' in form.text  # no open redirect


def test_the_sign_in_form_sets_an_httponly_strict_cookie_that_then_authenticates(
    make_client, database_url, engine
):
    anonymous = make_client(database_url, engine, role=None)
    token = mint(anonymous.app.state.settings, "hr_admin", "hr-1")

    bad = anonymous.post("/login", data={"token": "nonsense", "next": "/import"}, follow_redirects=False)
    good = anonymous.post("/login", data={"token": token, "next": "/import"}, follow_redirects=False)

    assert bad.status_code == 401 and "Not signed in" in bad.text and "set-cookie" not in bad.headers
    far = anonymous.post("/login", data={"token": signed(anonymous.app.state.settings, exp=10**12)})
    assert far.status_code == 401 and "between 1970 and 9999" in far.text and "set-cookie" not in far.headers
    assert (good.status_code, good.headers["location"]) == (303, "/import")
    cookie = good.headers["set-cookie"].lower()
    assert cookie.startswith("salon_token=") and "httponly" in cookie and "samesite=strict" in cookie
    assert graphql(anonymous, QUERY) == {"data": {"metrics": []}}  # the client keeps the cookie
    anonymous.post("/logout", follow_redirects=False)
    assert anonymous.post("/graphql", json={"query": QUERY}).status_code == 401


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),  # a sibling subdomain is another application
        ({"Origin": "https://evil.example"}, False),  # a browser without Sec-Fetch-*
        ({"Origin": "null"}, False),  # a sandboxed page
        ({"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}, True),
        ({"Origin": "https://testserver"}, True),  # TLS ended by a proxy: the host decides
        ({}, True),  # not a browser: no other site can make it post
    ],
)
def test_signing_in_and_out_is_refused_to_other_sites_forms(
    make_client, database_url, engine, headers, allowed
):
    client = make_client(database_url, engine, role=None)
    token = mint(client.app.state.settings, "hr_admin", "hr-1")

    signed_in = client.post("/login", data={"token": token}, headers=headers, follow_redirects=False)
    client.cookies.set("salon_token", token)  # signed in by the server's own form
    signed_out = client.post("/logout", headers=headers, follow_redirects=False)

    if allowed:
        assert signed_in.status_code == 303 and "salon_token=" in signed_in.headers["set-cookie"]
        assert signed_out.status_code == 303 and 'salon_token=""' in signed_out.headers["set-cookie"]
    else:
        for refused in (signed_in, signed_out):
            assert refused.status_code == 403 and "set-cookie" not in refused.headers
            assert "works only from the pages of this server" in refused.text


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (lambda s: mint(s, "hr_admin", "x", now=datetime.now(UTC) - timedelta(hours=9)), "expired"),
        (
            lambda s: mint(load_settings({"SALON_SECRET_KEY": "another-secret-0123456789"}), "hr_admin", "x"),
            "signature",
        ),
        (lambda s: "not.a.token", "not valid"),
        (
            lambda s: jwt.encode(
                {"iss": "ehr-salon", "sub": "x", "role": "hr_admin", "exp": 4102444800}, "k" * 64, "HS512"
            ),
            "not valid",
        ),
        (lambda s: signed(s, exp="tomorrow"), "(exp) must be an integer"),
        (lambda s: signed(s, exp=10**12), "'exp' is not a date between 1970 and 9999"),
        (lambda s: signed(s, exp=1e300), "'exp' is not a date between 1970 and 9999"),
        (lambda s: signed(s, nbf=10**12), "not yet valid"),
    ],
    ids=[
        "expired",
        "bad-signature",
        "garbage",
        "other-algorithm",
        "exp-text",
        "exp-year-33658",
        "exp-1e300",
        "nbf",
    ],
)
def test_expired_forged_and_malformed_tokens_are_refused_with_the_reason(
    make_client, database_url, engine, token, reason
):
    anonymous = make_client(database_url, engine, role=None)

    response = anonymous.post(
        "/graphql",
        json={"query": QUERY},
        headers={"Authorization": f"Bearer {token(anonymous.app.state.settings)}"},
    )

    assert response.status_code == 401
    assert reason in response.json()["errors"][0]["message"]


def test_a_websocket_without_a_token_is_closed(make_client, database_url, engine):
    """The handshake may come without a token (``connection_init`` can bring it, see
    test_websocket.py); a forged one at the handshake is refused there."""
    anonymous = make_client(database_url, engine, role=None)

    with pytest.raises(WebSocketDisconnect) as closed:
        with anonymous.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as socket:
            socket.send_json({"type": "connection_init"})
            socket.receive_text()
    with pytest.raises(WebSocketDisconnect) as forged:
        with anonymous.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers={"Authorization": "Bearer x.y.z"}
        ) as socket:
            socket.receive_text()

    assert (closed.value.code, forged.value.code) == (4401, 4401)


def test_claims_are_checked_when_minting_and_verifying():
    settings = load_settings({"SALON_SECRET_KEY": SECRET})

    with pytest.raises(AuthError, match="needs a 'department'"):
        mint(settings, "manager", "P1")
    with pytest.raises(ValueError):
        mint(settings, "superuser", "P1")
    with pytest.raises(AuthError, match="after the year 9999"):
        mint(settings, "hr_admin", "x", ttl=timedelta(days=3_000_000))
    claims = TokenVerifier(settings).verify(mint(settings, "manager", "P1", "PROD", ttl=timedelta(minutes=5)))
    assert (claims.subject, claims.role, claims.department) == ("P1", Role.MANAGER, "PROD")
    assert timedelta(minutes=4) < claims.expires - datetime.now(UTC) <= timedelta(minutes=5)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_salon_token_prints_a_token_the_server_accepts_on_its_last_line(database_url, engine):
    org.build(engine)
    env = salon_env(SALON_SECRET_KEY=SECRET, SALON_DATABASE_URL=database_url)

    result = run_salon(
        "token", "--role", "manager", "--subject", "P1", "--department", "PROD", "--ttl", "30m", env=env
    )
    bad_ttl = run_salon("token", "--role", "employee", "--subject", "E1", "--ttl", "soon", env=env)

    assert result.returncode == 0, result.stderr
    claims = TokenVerifier(load_settings({"SALON_SECRET_KEY": SECRET})).verify(result.stdout.splitlines()[-1])
    assert (claims.subject, claims.role, claims.department) == ("P1", Role.MANAGER, "PROD")
    assert bad_ttl.returncode != 0 and "not a duration" in bad_ttl.stderr


# --- OIDC: an issuer on a loopback HTTP server, with a key made here -------------------------


class Issuer:
    def __init__(self, url: str) -> None:
        self.url = url
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "test-key", "use": "sig", "alg": "RS256"}]}

    def token(self, key=None, **claims) -> str:
        payload = {
            "iss": self.url,
            "sub": "E0012",
            "role": "hr_admin",
            "aud": "salon",
            "exp": datetime.now(UTC) + timedelta(minutes=5),
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": "test-key"})


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    issuer = Issuer(f"http://127.0.0.1:{server.server_address[1]}")
    documents = {
        "/.well-known/openid-configuration": {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks.json"},
        "/jwks.json": issuer.jwks(),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's name)
            body = json.dumps(documents[self.path]).encode() if self.path in documents else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield issuer
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_tokens_from_an_oidc_issuer_are_verified_against_its_jwks(make_client, database_url, engine, issuer):
    app = make_client(
        database_url, engine, role=None, SALON_OIDC_ISSUER=issuer.url, SALON_OIDC_AUDIENCE="salon"
    )
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    local = jwt.encode(
        {"iss": "ehr-salon", "sub": "x", "role": "hr_admin", "exp": 4102444800}, "k" * 32, "HS256"
    )

    def ask(token: str):
        return app.post("/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {token}"})

    assert ask(issuer.token()).json() == {"data": {"metrics": []}}
    refused = {
        "signed by another key": ask(issuer.token(key=stranger)),
        "another issuer": ask(issuer.token(iss="https://elsewhere.example")),
        "another audience": ask(issuer.token(aud="other-app")),
        "HS256 (alg confusion)": ask(local),
    }
    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 401)
    assert "signature" in refused["signed by another key"].json()["errors"][0]["message"]
    with pytest.raises(AuthError, match="OIDC issuer"):
        mint(app.app.state.settings, "hr_admin", "x")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_unreachable_issuer_refuses_cleanly(make_client, database_url, engine, issuer):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    app = make_client(database_url, engine, role=None, SALON_OIDC_ISSUER=url)

    response = app.post(
        "/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {issuer.token(iss=url)}"}
    )

    assert response.status_code == 401
    assert "discovery document could not be read" in response.json()["errors"][0]["message"]


def test_our_tokens_are_verified_on_the_event_loop_without_a_thread_hop(monkeypatch):
    settings = load_settings({"SALON_SECRET_KEY": SECRET})
    verifier = TokenVerifier(settings)
    hops = []

    async def run_sync(func, *args, **kwargs):
        hops.append(func)
        return func(*args)

    monkeypatch.setattr("api.tokens.to_thread.run_sync", run_sync)

    claims = asyncio.run(verifier.verify_async(mint(settings, "manager", "P1", "PROD")))
    with pytest.raises(AuthError, match="signature is not valid"):
        asyncio.run(
            verifier.verify_async(mint(load_settings({"SALON_SECRET_KEY": SECRET + "x"}), "hr_admin", "H"))
        )

    assert (claims.subject, claims.role, claims.department) == ("P1", Role.MANAGER, "PROD")
    assert hops == []  # an HMAC is cheaper than the hop; an OIDC issuer's token still takes one


def test_a_verified_token_is_taken_as_verified_for_a_minute_never_past_its_expiry(monkeypatch):
    """Clients send the same token with every request: it is checked once, then known for
    VERIFIED_SECONDS (or to its ``exp``, if sooner); a token that failed is checked every time."""
    settings = load_settings({"SALON_SECRET_KEY": SECRET})
    now = [datetime.now(UTC).timestamp()]
    verifier = TokenVerifier(settings, clock=lambda: now[0])
    checks = []
    decode = jwt.decode
    monkeypatch.setattr("api.tokens.jwt.decode", lambda *a, **k: checks.append(1) or decode(*a, **k))
    long_lived = mint(settings, "hr_admin", "H", ttl=timedelta(hours=8))
    short_lived = mint(settings, "employee", "P1", ttl=timedelta(seconds=30))
    forged = mint(load_settings({"SALON_SECRET_KEY": SECRET + "x"}), "hr_admin", "H")

    first, again = verifier.verify(long_lived), verifier.verify(long_lived)
    assert first == again and len(checks) == 1
    now[0] += 59
    verifier.verify(long_lived)
    assert len(checks) == 1
    now[0] += 2  # past the minute: checked again
    verifier.verify(long_lived)
    assert len(checks) == 2

    now[0] = datetime.now(UTC).timestamp()
    verifier.verify(short_lived)
    now[0] += 31  # past its exp, within the minute: checked again (PyJWT's own clock then decides)
    verifier.verify(short_lived)
    assert len(checks) == 4

    for _ in range(2):
        with pytest.raises(AuthError, match="signature is not valid"):
            verifier.verify(forged)
    assert len(checks) == 6
    assert all(long_lived.encode() not in bytes(key) for key in verifier._verified)  # digests, not tokens


def test_an_oidc_token_known_as_verified_takes_no_thread_hop(monkeypatch):
    settings = load_settings({"SALON_SECRET_KEY": SECRET})
    verifier = TokenVerifier(settings)
    token = mint(settings, "hr_admin", "H")
    verifier.verify(token)  # known as verified, as after a first request
    monkeypatch.setattr(
        verifier, "settings", dataclasses.replace(settings, oidc_issuer="https://issuer.example")
    )
    monkeypatch.setattr(verifier, "_check", lambda token: pytest.fail("checked again"))
    hops = []

    async def run_sync(func, *args, **kwargs):
        hops.append(func)
        return func(*args)

    monkeypatch.setattr("api.tokens.to_thread.run_sync", run_sync)
    claims = asyncio.run(verifier.verify_async(token))
    assert claims.subject == "H" and hops == []
    monkeypatch.setattr(verifier, "_check", lambda token: (_ for _ in ()).throw(AuthError("unknown key")))
    with pytest.raises(AuthError, match="unknown key"):
        asyncio.run(verifier.verify_async(token + "x"))  # not known: checked in a thread
    assert len(hops) == 1
