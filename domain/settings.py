"""Settings read from the environment, validated once at start-up.

Every problem names the environment variable, so an operator knows what to fix before
anything touches the database or the broker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from domain.locales import LOCALES as SHIPPED_LOCALES  # every language a reader may choose

DEV_SECRET_KEY = "dev-insecure-change-me"


class SettingsError(ValueError):
    """A setting has a value the application cannot run with."""


def _database_url(raw: str) -> str:
    try:
        url = make_url(raw)
    except ArgumentError as error:
        raise ValueError(f"not a database URL ({error})") from None
    backend = url.get_backend_name()
    if backend == "postgresql" and url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
    elif backend not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {backend!r} (use sqlite:/// or postgresql://)")
    return url.render_as_string(hide_password=False)


def _broker_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme not in ("stub", "redis", "rediss", "amqp", "amqps"):
        raise ValueError(f"unsupported broker {raw!r} (use stub://, redis://… or amqp://…)")
    return raw


def _locale(raw: str) -> str:
    if raw not in SHIPPED_LOCALES:
        raise ValueError(f"unsupported locale {raw!r} (use one of {', '.join(SHIPPED_LOCALES)})")
    return raw


def _origins(raw: str) -> tuple[str, ...]:
    """``https://a.example, https://b.example``: each a scheme and host, no path."""
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if not origin.startswith(("http://", "https://")) or "/" in origin.split("://", 1)[1]:
            raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    return origins


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"not a whole number: {raw!r}") from None
    if value < 1:
        raise ValueError(f"must be at least 1, got {value}")
    return value


def _non_negative_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"not a whole number: {raw!r}") from None
    if value < 0:
        raise ValueError(f"must be 0 or more, got {value}")
    return value


def _boolean(raw: str) -> bool:
    value = raw.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean (true/false, 1/0, yes/no, on/off): {raw!r}")


parse_boolean = _boolean  # plugin settings (``plugins.settings``) read booleans the same way


def _secret(raw: str) -> str:
    if len(raw) < 16:
        raise ValueError("must be at least 16 characters long")
    return raw


def _issuer(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"not an issuer URL (https://…): {raw!r}")
    return raw.rstrip("/")


def _queue(raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", raw):
        raise ValueError(f"not a queue name (letters, digits, '_', '.', '-'; at most 64): {raw!r}")
    return raw


def _plan_day(raw: str) -> int | None:
    if raw.lower() == "off":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"not a day of the month or 'off': {raw!r}") from None
    if not 1 <= value <= 28:
        raise ValueError(f"must be a day from 1 to 28 (every month has it) or 'off', got {value}")
    return value


def _policy_file(raw: str) -> str:
    from domain.growth.policy import PolicyError, read_policy  # the policy's own rules, checked now

    try:
        read_policy(Path(raw))
    except PolicyError as error:
        raise ValueError(str(error)) from None
    return raw


SMTP_SCHEMES = ("smtp", "smtps", "smtp+starttls")
EMAIL_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _smtp_url(raw: str) -> str:
    """``smtp://host:port``, ``smtps://…`` (TLS from the start) or ``smtp+starttls://…``, with
    user and password in the URL when the server wants them."""
    parts = urlsplit(raw)
    if parts.scheme not in SMTP_SCHEMES:
        raise ValueError(
            f"unsupported scheme {parts.scheme!r} (use {', '.join(s + '://' for s in SMTP_SCHEMES)})"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError("the port is not a number from 1 to 65535") from None
    if not parts.hostname or port == 0:
        raise ValueError("needs a host, e.g. smtp://mail.example.com:25")
    if parts.password is not None and not parts.username:
        raise ValueError("a password needs a user (smtp://user:password@host)")
    return raw


def _email(raw: str) -> str:
    address = unquote(raw)
    if not EMAIL_ADDRESS.match(address):
        raise ValueError(f"not an e-mail address: {raw!r}")
    return address


def time_zone(raw: str) -> str:
    """An IANA time zone name (``Asia/Shanghai``, ``Europe/Berlin``); also used by imports."""
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"not an IANA time zone name (e.g. Asia/Shanghai, Europe/Berlin): {raw!r}") from None
    return raw


def _minutes_or_off(raw: str) -> int | None:
    if raw.lower() == "off":
        return None
    return _positive_int(raw)


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError(f"unsupported log level {raw!r}")
    return level


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./salon.db"
    broker_url: str = "stub://"
    secret_key: str = DEV_SECRET_KEY
    locale: str = "zh-CN"
    worker_threads: int = 2
    log_level: str = "INFO"
    import_max_bytes: int = 100 * 1024 * 1024
    import_max_rows: int = 2_000_000
    queue: str = "salon"
    plan_day: int | None = 1  # day of the month the worker plans the month's salons; None = off
    oidc_issuer: str | None = None  # set: tokens come from this issuer (JWKS), not from SALON_SECRET_KEY
    oidc_audience: str | None = None
    database_timeout: int = 5  # seconds to connect, wait for a pooled connection, notice a silent network
    statement_timeout: int = 30  # seconds a request's SQL statement may run
    job_statement_timeout: int = 1800  # seconds a job's or a migration's statement may run
    broker_timeout: int = 5  # seconds to connect to the broker and to wait for its answers
    expose_schema: bool | None = None  # None: on in embedded mode, off with an external broker
    max_query_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 5_000
    max_query_cost: int = 100_000
    max_page_size: int = 500
    max_fields: int = 500  # selections in one query, fragments counted where spread (GraphiQL's ~250)
    max_body_bytes: int = 1024 * 1024  # request bodies other than HR's multipart imports
    redis_heartbeat_timeout_ms: int = 60_000
    redis_maintenance_chance: int = 1_000
    job_retry_minutes: int = 15  # a failing job is retried (with backoff) this long, then FAILED
    job_stale_after: int = 10  # minutes a RUNNING job may go without its worker's heartbeat
    cors_origins: tuple[str, ...] = ()  # browser origins allowed to call the API from their pages
    viewer_cache_seconds: int = 30  # how long a token's resolved viewer is reused; 0: resolved per request
    contribution_policy: str | None = (
        None  # a TOML file of contribution points and the cap (domain.growth.policy)
    )
    smtp_url: str | None = None  # unset: no e-mail is sent, notifications stay in the app
    smtp_from: str | None = None  # the sender of notification mail (and the calendar organiser)
    timezone: str = "Asia/Shanghai"  # IANA; a department's own (or its parent's) comes first
    remind_minutes: int | None = 5  # how often workers check for due reminders; None = off

    @property
    def embedded_broker(self) -> bool:
        return self.broker_url.startswith("stub:")

    @property
    def schema_exposed(self) -> bool:
        """Introspection and GraphiQL: a demo wants them, a production API need not show its map."""
        return self.embedded_broker if self.expose_schema is None else self.expose_schema

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


# variable name -> (field, parser); the parser raises ValueError with the reason.
_VARIABLES: dict[str, tuple[str, Callable[[str], object]]] = {
    "SALON_DATABASE_URL": ("database_url", _database_url),
    "SALON_BROKER_URL": ("broker_url", _broker_url),
    "SALON_SECRET_KEY": ("secret_key", _secret),
    "SALON_LOCALE": ("locale", _locale),
    "SALON_WORKER_THREADS": ("worker_threads", _positive_int),
    "SALON_LOG_LEVEL": ("log_level", _log_level),
    "SALON_IMPORT_MAX_BYTES": ("import_max_bytes", _positive_int),
    "SALON_IMPORT_MAX_ROWS": ("import_max_rows", _positive_int),
    "SALON_QUEUE": ("queue", _queue),
    "SALON_PLAN_DAY": ("plan_day", _plan_day),
    "SALON_OIDC_ISSUER": ("oidc_issuer", _issuer),
    "SALON_OIDC_AUDIENCE": ("oidc_audience", str),
    "SALON_DATABASE_TIMEOUT": ("database_timeout", _positive_int),
    "SALON_STATEMENT_TIMEOUT": ("statement_timeout", _positive_int),
    "SALON_JOB_STATEMENT_TIMEOUT": ("job_statement_timeout", _positive_int),
    "SALON_BROKER_TIMEOUT": ("broker_timeout", _positive_int),
    "SALON_EXPOSE_SCHEMA": ("expose_schema", _boolean),
    "SALON_MAX_QUERY_DEPTH": ("max_query_depth", _positive_int),
    "SALON_MAX_ALIASES": ("max_aliases", _positive_int),
    "SALON_MAX_TOKENS": ("max_tokens", _positive_int),
    "SALON_MAX_QUERY_COST": ("max_query_cost", _positive_int),
    "SALON_MAX_PAGE_SIZE": ("max_page_size", _positive_int),
    "SALON_MAX_FIELDS": ("max_fields", _positive_int),
    "SALON_MAX_BODY_BYTES": ("max_body_bytes", _positive_int),
    "SALON_REDIS_HEARTBEAT_TIMEOUT_MS": ("redis_heartbeat_timeout_ms", _positive_int),
    "SALON_REDIS_MAINTENANCE_CHANCE": ("redis_maintenance_chance", _positive_int),
    "SALON_JOB_RETRY_MINUTES": ("job_retry_minutes", _positive_int),
    "SALON_JOB_STALE_AFTER": ("job_stale_after", _positive_int),
    "SALON_VIEWER_CACHE_SECONDS": ("viewer_cache_seconds", _non_negative_int),
    "SALON_CONTRIBUTION_POLICY": ("contribution_policy", _policy_file),
    "SALON_SMTP_URL": ("smtp_url", _smtp_url),
    "SALON_SMTP_FROM": ("smtp_from", _email),
    "SALON_TIMEZONE": ("timezone", time_zone),
    "SALON_REMIND_MINUTES": ("remind_minutes", _minutes_or_off),
    "SALON_CORS_ORIGINS": ("cors_origins", _origins),
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``environ`` (default ``os.environ``); unset variables keep defaults."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    problems: list[str] = []
    for variable, (name, parse) in _VARIABLES.items():
        raw = environ.get(variable)
        if raw is None or raw.strip() == "":
            continue
        try:
            values[name] = parse(raw.strip())
        except ValueError as error:
            problems.append(f"{variable}: {error}")
    if values.get("smtp_url") and not values.get("smtp_from"):
        problems.append(
            "SALON_SMTP_FROM: must be set when SALON_SMTP_URL is (the sender of notification mail)"
        )
    if problems:
        raise SettingsError("invalid settings: " + "; ".join(problems))
    return Settings(**values)


def describe() -> list[tuple[str, str]]:
    """(variable, default) pairs, for the CLI's help and the README."""
    defaults = Settings()
    unset = {"expose_schema": "auto"}  # decided by the broker; other unset values are just unset

    def shown(name: str) -> str:
        value = getattr(defaults, name)
        return unset.get(name, "unset") if value is None else str(value)

    return [(variable, shown(name)) for variable, (name, _) in _VARIABLES.items()]
