"""What the embedded mode says at start: a job queued for it (the demo's first recompute) is just
sent; only jobs an earlier process sent or started and did not finish are "sent again"."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session

from domain.db import session_scope
from domain.jobs import RECOMPUTE, create_job
from domain.models import Job, utcnow
from domain.settings import load_settings
from workers import broker as broker_setup
from workers import embedded, runtime


@pytest.fixture
def stub_broker(engine) -> Iterator:
    """The embedded broker with its relay and no worker: nothing sends but the call under test."""
    runtime.configure(load_settings({}), engine)
    yield broker_setup.install(broker_setup.make_broker("stub://"))
    broker_setup.install(broker_setup.make_broker("stub://"))


def _said(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name.startswith("workers")]


def test_a_job_queued_before_the_first_start_is_sent_without_talk_of_unfinished_work(
    engine, stub_broker, caplog
):
    caplog.set_level(logging.INFO)
    with session_scope(engine) as session:  # what `salon demo` does on a new database
        job = create_job(session, RECOMPUTE, {"scope": None})

    sent = embedded.requeue_unfinished(engine, stub_broker)

    assert sent == [job.id]
    assert not [m for m in _said(caplog) if "unfinished" in m or "again" in m], _said(caplog)


def test_a_job_an_earlier_process_left_unfinished_is_said_to_be_sent_again(engine, stub_broker, caplog):
    caplog.set_level(logging.INFO)
    with Session(engine, expire_on_commit=False) as session:
        job = Job(actor=RECOMPUTE, args={"scope": None}, sent_at=utcnow() - timedelta(minutes=5))
        session.add(job)
        session.commit()

    sent = embedded.requeue_unfinished(engine, stub_broker)

    assert sent == [job.id]
    assert [m for m in _said(caplog) if "again" in m] == [
        "1 job(s) an earlier process left unfinished: sent again"
    ]
