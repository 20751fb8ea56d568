"""Bearer tokens: minting (HS256 with ``SALON_SECRET_KEY``) and verification (that, or an OIDC
issuer's JWKS when ``SALON_OIDC_ISSUER`` is set).

A token says who (``sub``: an employee id, or a service's name), in which ``role``, and for a
manager or a service which ``department`` (its code; the subtree below it is theirs). What that
allows — the viewer's scope — is decided per request in ``api.viewer``, against the current
organisation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt
from anyio import to_thread

from domain.settings import Settings

log = logging.getLogger(__name__)
ISSUER = "ehr-salon"
ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
DISCOVERY_TIMEOUT = 5.0
TIME_CLAIMS = ("exp", "iat", "nbf")
LATEST = datetime(9999, 12, 31, tzinfo=UTC).timestamp()  # the last second a datetime can hold
VERIFIED_TOKENS = 1024  # tokens kept verified per process (least recently used go first)
VERIFIED_SECONDS = 60.0  # how long a verified token is taken as verified; never past its expiry


class Role(StrEnum):
    HR_ADMIN = "hr_admin"
    MANAGER = "manager"
    EMPLOYEE = "employee"
    SERVICE = "service"


class AuthError(Exception):
    """The request carries no usable token; the message says why (never the token itself)."""


@dataclass(frozen=True)
class Claims:
    subject: str
    role: Role
    department: str | None
    expires: datetime

    @classmethod
    def from_payload(cls, payload: dict) -> Claims:
        subject = payload.get("sub")
        if not isinstance(subject, str) or not subject:
            raise AuthError("the token has no subject ('sub')")
        try:
            role = Role(payload.get("role"))
        except ValueError:
            roles = ", ".join(r.value for r in Role)
            raise AuthError(f"the token's role is not one of {roles}") from None
        department = payload.get("department") or None
        if department is not None and not isinstance(department, str):
            raise AuthError("the token's 'department' must be a department code")
        if role is Role.MANAGER and department is None:
            raise AuthError("a manager's token needs a 'department' claim")
        _check_times(payload)
        return cls(subject, role, department, datetime.fromtimestamp(payload["exp"], UTC))


def _check_times(payload: dict) -> None:
    """``exp``, ``iat`` and ``nbf`` are NumericDates (RFC 7519): seconds since 1970, up to the
    year 9999. PyJWT passes some other values (``true``; a year beyond 9999, which no
    ``datetime`` holds), so each is checked here before it is used."""
    if "exp" not in payload:
        raise AuthError("the token has no expiry ('exp')")
    for name in TIME_CLAIMS:
        if name not in payload:
            continue
        value = payload[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AuthError(f"the token's '{name}' must be a number of seconds since 1970")
        if not 0 <= value <= LATEST:  # NaN fails this too
            raise AuthError(f"the token's '{name}' is not a date between 1970 and 9999")


def _signing_key(settings: Settings) -> bytes:
    """A 256-bit HMAC key derived from the secret: HS256 wants 32 bytes, operators type fewer,
    and the derivation keeps token keys apart from any other use of the same secret."""
    return hashlib.sha256(b"salon-token:" + settings.secret_key.encode()).digest()


def mint(
    settings: Settings,
    role: Role | str,
    subject: str,
    department: str | None = None,
    ttl: timedelta = timedelta(hours=8),
    now: datetime | None = None,
) -> str:
    """A token for ``salon token`` and the tests; refused when tokens come from an OIDC issuer."""
    if settings.oidc_issuer:
        raise AuthError(f"tokens come from the OIDC issuer {settings.oidc_issuer}; none can be minted here")
    now = now or datetime.now(UTC)
    try:
        expires = now + ttl
    except OverflowError:
        raise AuthError("the token's lifetime would end after the year 9999") from None
    payload = {"iss": ISSUER, "sub": subject, "role": Role(role).value, "iat": now, "exp": expires}
    if department:
        payload["department"] = department
    Claims.from_payload({**payload, "iat": now.timestamp(), "exp": expires.timestamp()})  # as verified
    return jwt.encode(payload, _signing_key(settings), algorithm="HS256")


class TokenVerifier:
    """Verifies tokens against the secret key, or against the OIDC issuer's published keys.

    ``verify`` may fetch the issuer's discovery document and key set (cached by PyJWT's
    ``PyJWKClient``), so call it off the event loop — or call :meth:`verify_async` on it.

    A client sends the same token with every request; checking it again each time (decoding,
    the signature, the claims) was about a twentieth of a dashboard request's CPU. A token that
    passed is taken as verified for :data:`VERIFIED_SECONDS`, never past its ``exp``; what is kept
    is a digest of the token, not the token (the cache holds no credential), with its claims.
    A token that failed is checked again each time, so its error stays the precise one.
    """

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()
        self._clock = clock
        self._verified: OrderedDict[bytes, tuple[float, Claims]] = OrderedDict()
        self._verified_lock = threading.Lock()

    def verify(self, token: str) -> Claims:
        digest, now = _digest(token), self._clock()
        if (kept := self._kept(digest, now)) is not None:
            return kept
        claims = self._check(token)
        until = min(now + VERIFIED_SECONDS, claims.expires.timestamp())
        with self._verified_lock:
            self._verified[digest] = (until, claims)
            self._verified.move_to_end(digest)
            while len(self._verified) > VERIFIED_TOKENS:
                self._verified.popitem(last=False)
        return claims

    def _kept(self, digest: bytes, now: float) -> Claims | None:
        with self._verified_lock:
            kept = self._verified.get(digest)
            if kept is None or now >= kept[0]:
                return None
            self._verified.move_to_end(digest)
            return kept[1]

    def _check(self, token: str) -> Claims:
        try:
            if self.settings.oidc_issuer:
                payload = self._verify_oidc(token)
            else:
                payload = jwt.decode(
                    token,
                    _signing_key(self.settings),
                    algorithms=["HS256"],
                    issuer=ISSUER,
                    options={"require": ["exp", "sub", "iss"]},
                )
        except jwt.ExpiredSignatureError:
            raise AuthError("the token has expired") from None
        except jwt.InvalidSignatureError:
            raise AuthError("the token's signature is not valid") from None
        except jwt.PyJWKClientError as error:
            log.warning("token keys unavailable: %s", error)
            raise AuthError("the token's signing key could not be found at the issuer") from None
        except jwt.InvalidTokenError as error:
            raise AuthError(f"the token is not valid ({error})") from None
        return Claims.from_payload(payload)

    async def verify_async(self, token: str) -> Claims:
        """``verify`` for the event loop. A token of ours is checked right here: an HMAC over a
        few hundred bytes takes microseconds, and a worker thread's round trip under load took
        milliseconds. An OIDC issuer's goes to a worker thread, as its keys may have to be
        fetched, unless it is already known as verified."""
        if self.settings.oidc_issuer and self._kept(_digest(token), self._clock()) is None:
            return await to_thread.run_sync(self.verify, token)
        return self.verify(token)

    def _verify_oidc(self, token: str) -> dict:
        key = self._jwks_client().get_signing_key_from_jwt(token)
        audience = self.settings.oidc_audience
        return jwt.decode(
            token,
            key,
            algorithms=ASYMMETRIC,  # never HS*: a public key must not double as an HMAC secret
            issuer=self.settings.oidc_issuer,
            audience=audience,
            options={"require": ["exp", "sub", "iss"], "verify_aud": audience is not None},
        )

    def _jwks_client(self) -> jwt.PyJWKClient:
        with self._lock:
            if self._jwks is None:
                self._jwks = jwt.PyJWKClient(_discover_jwks_uri(self.settings.oidc_issuer), timeout=5)
            return self._jwks


def _digest(token: str) -> bytes:
    return hashlib.blake2b(token.encode(), digest_size=32).digest()


def _discover_jwks_uri(issuer: str) -> str:
    """The issuer's ``jwks_uri`` from its OpenID discovery document."""
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        with urllib.request.urlopen(url, timeout=DISCOVERY_TIMEOUT) as response:  # noqa: S310 (an https/http URL from settings)
            document = json.load(response)
        return document["jwks_uri"]
    except (OSError, ValueError, KeyError) as error:
        log.warning("OIDC discovery at %s failed: %s", url, error)
        raise AuthError("the OIDC issuer's discovery document could not be read") from None
