from __future__ import annotations

from pathlib import Path

import pytest

from domain.settings import SettingsError, describe, load_settings


def test_defaults_are_the_embedded_setup():
    settings = load_settings({})

    assert settings.database_url == "sqlite:///./salon.db"
    assert settings.broker_url == "stub://"
    assert settings.embedded_broker and settings.is_sqlite
    assert settings.locale == "zh-CN"


def test_postgres_urls_get_the_psycopg3_driver():
    settings = load_settings({"SALON_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/salon"})

    assert settings.database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/salon"


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("SALON_DATABASE_URL", "mysql://root@localhost/x", "unsupported database"),
        ("SALON_DATABASE_URL", "not a url", "not a database URL"),
        ("SALON_BROKER_URL", "kafka://localhost", "unsupported broker"),
        ("SALON_LOCALE", "xx", "unsupported locale"),
        ("SALON_SECRET_KEY", "short", "at least 16 characters"),
        ("SALON_WORKER_THREADS", "0", "at least 1"),
        ("SALON_WORKER_THREADS", "many", "not a whole number"),
        ("SALON_PLAN_DAY", "29", "from 1 to 28"),
        ("SALON_PLAN_DAY", "monthly", "not a day of the month or 'off'"),
        ("SALON_OIDC_ISSUER", "login.example.com", "not an issuer URL"),
        ("SALON_EXPOSE_SCHEMA", "maybe", "not a boolean"),
        ("SALON_MAX_QUERY_COST", "-5", "at least 1"),
        ("SALON_MAX_FIELDS", "0", "at least 1"),
        ("SALON_MAX_BODY_BYTES", "1MB", "not a whole number"),
        ("SALON_SMTP_URL", "http://mail.example.com", "unsupported scheme 'http'"),
        ("SALON_SMTP_URL", "smtp://:25", "needs a host"),
        ("SALON_SMTP_URL", "smtp://mail.example.com:port", "the port is not a number"),
        ("SALON_SMTP_URL", "smtp://:secret@mail.example.com", "a password needs a user"),
        ("SALON_SMTP_FROM", "salon at example.com", "not an e-mail address"),
        ("SALON_TIMEZONE", "Asia/Beijing", "not an IANA time zone name"),
        ("SALON_REMIND_MINUTES", "0", "at least 1"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_reason(variable, value, reason):
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value})

    assert f"{variable}: " in str(raised.value)
    assert reason in str(raised.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as raised:
        load_settings({"SALON_LOCALE": "xx", "SALON_BROKER_URL": "kafka://x"})

    assert "SALON_LOCALE" in str(raised.value) and "SALON_BROKER_URL" in str(raised.value)


@pytest.mark.parametrize(("value", "day"), [(None, 1), ("15", 15), ("off", None), ("OFF", None)])
def test_the_planning_day_defaults_to_the_first_and_can_be_off(value, day):
    assert load_settings({} if value is None else {"SALON_PLAN_DAY": value}).plan_day == day


def test_an_oidc_issuer_is_kept_without_its_trailing_slash():
    settings = load_settings({"SALON_OIDC_ISSUER": "https://login.example.com/realms/hr/"})

    assert settings.oidc_issuer == "https://login.example.com/realms/hr"
    assert load_settings({}).oidc_issuer is None


@pytest.mark.parametrize(
    ("environ", "exposed"),
    [
        ({}, True),  # the embedded demo shows its schema
        ({"SALON_BROKER_URL": "redis://127.0.0.1:6379/0"}, False),  # a deployment does not, unless asked
        ({"SALON_BROKER_URL": "redis://127.0.0.1:6379/0", "SALON_EXPOSE_SCHEMA": "yes"}, True),
        ({"SALON_EXPOSE_SCHEMA": "off"}, False),
    ],
)
def test_the_schema_is_exposed_in_embedded_mode_unless_configured(environ, exposed):
    assert load_settings(environ).schema_exposed is exposed


def test_every_setting_is_documented_in_the_readme():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")

    assert [v for v, _ in describe() if f"| `{v}` |" not in readme] == []


def test_mail_and_time_zone_settings():
    settings = load_settings(
        {
            "SALON_SMTP_URL": "smtp+starttls://salon%40corp.example:p%40ss@mail.corp.example:587",
            "SALON_SMTP_FROM": "salon@corp.example",
            "SALON_TIMEZONE": "Europe/Berlin",
            "SALON_REMIND_MINUTES": "off",
        }
    )

    assert settings.smtp_url.startswith("smtp+starttls://") and settings.smtp_from == "salon@corp.example"
    assert settings.timezone == "Europe/Berlin" and settings.remind_minutes is None
    defaults = load_settings({})
    assert (defaults.smtp_url, defaults.timezone, defaults.remind_minutes) == (None, "Asia/Shanghai", 5)


def test_a_mail_server_needs_a_sender():
    with pytest.raises(SettingsError, match="SALON_SMTP_FROM: must be set when SALON_SMTP_URL is"):
        load_settings({"SALON_SMTP_URL": "smtp://127.0.0.1:25"})


def test_every_shipped_language_can_be_the_default():
    for locale in ("zh-CN", "zh-TW", "en", "ja", "ko", "de", "fr", "es", "pt-BR", "ru", "vi", "th"):
        assert load_settings({"SALON_LOCALE": locale}).locale == locale
