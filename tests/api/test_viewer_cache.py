"""A token's viewer is resolved once per ``SALON_VIEWER_CACHE_SECONDS``, not once per request."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

import api.app
from api.tokens import Claims, Role, mint
from api.viewer import Viewer, ViewerCache, resolve_viewer
from tests.api import org
from tests.api.conftest import ActingClient, graphql
from tests.api.test_query_counts import counted

DEPARTMENTS = "{ departments { code } }"
EXPIRES = datetime(2030, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = EXPIRES.timestamp() - 3600

    def __call__(self) -> float:
        return self.now


def claims(subject: str = "P1", expires: datetime = EXPIRES) -> Claims:
    return Claims(subject, Role.MANAGER, "PROD", expires)


def viewer(subject: str = "P1") -> Viewer:
    return Viewer(subject, Role.MANAGER, frozenset({1}), frozenset({1}))


def test_a_viewer_is_kept_for_the_seconds_set_and_no_longer():
    clock = Clock()
    cache = ViewerCache(30, clock=clock)
    cache.put(claims(), viewer())

    clock.now += 29
    assert cache.get(claims()) == viewer()
    assert cache.get(claims("P2")) is None  # other claims: another entry
    clock.now += 1
    assert cache.get(claims()) is None


def test_a_viewer_is_never_kept_beyond_its_tokens_expiry():
    clock = Clock()
    cache = ViewerCache(30, clock=clock)
    soon = datetime.fromtimestamp(clock.now + 10, UTC)
    cache.put(claims(expires=soon), viewer())

    clock.now += 9
    assert cache.get(claims(expires=soon)) == viewer()
    clock.now += 1
    assert cache.get(claims(expires=soon)) is None


def test_zero_seconds_keeps_nothing_and_the_cache_is_bounded():
    disabled = ViewerCache(0)
    disabled.put(claims(), viewer())
    assert disabled.get(claims()) is None

    bounded = ViewerCache(30, max_entries=2, clock=Clock())
    for subject in ("A", "B", "C"):
        bounded.put(claims(subject), viewer(subject))
    assert [bounded.get(claims(s)) is not None for s in ("A", "B", "C")] == [False, True, True]


@pytest.fixture
def resolutions(monkeypatch) -> list[Claims]:
    """The claims each request resolved a viewer for (from the database)."""
    calls: list[Claims] = []

    def counting(session, claims):
        calls.append(claims)
        return resolve_viewer(session, claims)

    monkeypatch.setattr(api.app, "resolve_viewer", counting)
    return calls


def as_manager(client, ttl: timedelta = timedelta(hours=8)) -> ActingClient:
    token = mint(client.app.state.settings, "manager", "P1", "PROD", ttl=ttl)
    return ActingClient(client, {"Authorization": f"Bearer {token}"})


def test_requests_with_one_token_resolve_its_viewer_once(make_client, database_url, engine, resolutions):
    client = make_client(database_url, engine)
    org.build(engine)
    manager = as_manager(client)
    with Session(engine) as session, counted(engine) as resolving:
        resolve_viewer(session, claims())

    with counted(engine) as first:
        graphql(manager, DEPARTMENTS)
    later = []
    for _ in range(4):
        with counted(engine) as statements:
            assert graphql(manager, DEPARTMENTS)["data"]["departments"] == [
                {"code": "PROD"},
                {"code": "PROD-A"},
            ]
        later.append(len(statements))

    assert len(resolutions) == 1
    assert later == [len(first) - len(resolving)] * 4  # the viewer's queries ran once, with the first
    graphql(as_manager(client, ttl=timedelta(hours=7)), DEPARTMENTS)  # a new token: resolved again
    assert len(resolutions) == 2


def test_a_viewer_is_resolved_again_after_the_cache_seconds(make_client, database_url, engine, resolutions):
    client = make_client(database_url, engine, SALON_VIEWER_CACHE_SECONDS="1")
    org.build(engine)
    manager = as_manager(client)

    graphql(manager, DEPARTMENTS)
    graphql(manager, DEPARTMENTS)
    time.sleep(1.1)
    graphql(manager, DEPARTMENTS)

    assert len(resolutions) == 2


def test_zero_cache_seconds_resolve_the_viewer_for_each_request(
    make_client, database_url, engine, resolutions
):
    client = make_client(database_url, engine, SALON_VIEWER_CACHE_SECONDS="0")
    org.build(engine)
    manager = as_manager(client)

    for _ in range(3):
        graphql(manager, DEPARTMENTS)

    assert len(resolutions) == 3


def test_the_cache_seconds_setting_takes_zero_and_refuses_a_negative_number():
    from domain.settings import SettingsError, load_settings

    assert load_settings({}).viewer_cache_seconds == 30
    assert load_settings({"SALON_VIEWER_CACHE_SECONDS": "0"}).viewer_cache_seconds == 0
    with pytest.raises(SettingsError, match="SALON_VIEWER_CACHE_SECONDS: must be 0 or more"):
        load_settings({"SALON_VIEWER_CACHE_SECONDS": "-1"})


@pytest.mark.parametrize(
    ("claimed", "statements"),
    [
        (Claims("H1", Role.HR_ADMIN, None, EXPIRES), 0),
        (Claims("P2", Role.EMPLOYEE, None, EXPIRES), 1),  # who they are
        (Claims("svc", Role.SERVICE, "PROD", EXPIRES), 1),  # the tree
        (Claims("P1", Role.MANAGER, "PROD", EXPIRES), 2),  # who, the tree; P1 works in PROD
        (Claims("P1", Role.MANAGER, "HQ", EXPIRES), 3),  # and whether P1 manages someone below HQ
    ],
)
def test_resolving_a_viewer_reads_the_organisation_in_a_few_statements(engine, claimed, statements):
    org.build(engine)
    with Session(engine) as session, counted(engine) as ran:
        resolved = resolve_viewer(session, claimed)

    assert resolved.refusal is None
    assert len(ran) == statements, ran
