"""The planning actor and the monthly scheduler, on the demo company with a real worker."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.types.job import Job as ApiJob
from domain.db import make_engine
from domain.job_repair import Row
from domain.models import Job, JobStatus, PlanningClaim, Salon
from domain.settings import load_settings
from tests.support import plugin_dists
from tests.support.jobs import wait_for_job
from workers import actors, scheduler
from workers.broker import install, make_broker, setup
from workers.jobs import enqueue
from workers.rebuild import rebuild


@pytest.fixture
def engine(demo_database_url) -> Iterator[Engine]:
    """``running_worker`` binds its actors to this: the demo company, gaps computed."""
    engine = make_engine(demo_database_url)
    rebuild(engine)
    yield engine
    engine.dispose()


def formats_by_department(engine) -> dict[int, str]:
    with Session(engine) as session:
        return {s.department_id: s.format_key for s in session.exec(select(Salon))}


def test_plan_month_job_plans_and_is_idempotent(running_worker, engine):
    first = wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11").id)
    planned = formats_by_department(engine)
    second = wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11").id)

    assert first.status == second.status == JobStatus.SUCCEEDED
    assert first.result["period"] == "2026-Q3" and len(first.result["salons"]) == 7  # OPS and SALES share one
    assert formats_by_department(engine) == planned
    with Session(engine) as session:
        assert {s.job_id for s in session.exec(select(Salon))} == {second.id}


def test_bad_input_fails_the_job_once_with_the_reason(running_worker, engine):
    job = wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11", formats=["karaoke"]).id)

    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert "formats: unknown format key(s) ['karaoke']" in job.error


def test_a_broken_third_party_plugin_is_isolated_and_reported(running_worker, engine, tmp_path, monkeypatch):
    plugin_dists.install(tmp_path, monkeypatch, "salon-flaky", "salon_flaky", plugin_dists.FLAKY, "flaky")

    job = wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11").id)

    assert job.status == JobStatus.SUCCEEDED
    assert job.result["problems"] == [
        {
            "department": "SALES",
            "plugin": "flaky",
            "origin": "salon-flaky 1.0",
            "hook": "build",
            "message": "plugin 'flaky' from salon-flaky 1.0: format 'flaky'.build raised RuntimeError: the flaky plugin broke",
        }
    ]
    chosen = {code: s["format"] for s in job.result["salons"] for code in s["departments"]}
    assert chosen["SALES"] == "cross_department_exchange"  # the next best, after the broken one
    assert len(chosen) == 8  # every department, SALES at OPS's exchange
    assert job.result["plugins_failed"] == [{"plugin": "flaky", "origin": "salon-flaky 1.0"}]
    assert job.result["warning"] == (
        "plugins failed: 'flaky' from salon-flaky 1.0 (1 problem(s) in 1 department(s), see problems)"
    )


FAILING_PREPARE = """
from plugins import hookimpl


@hookimpl
def prepare_salon_draft(draft, context):
    draft.questions.append("half-done")
    raise KeyError(context.department_code)
"""


def salons_by_department(engine) -> dict[int, tuple[int, str, str]]:
    with Session(engine) as session:
        return {
            s.department_id: (s.id, s.format_key, s.content["texts"]["en"]["title"])
            for s in session.exec(select(Salon))
        }


def test_a_failing_prepare_hook_costs_no_salon_and_the_job_says_plugins_failed(
    running_worker, engine, tmp_path, monkeypatch
):
    wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11").id)
    before = salons_by_department(engine)
    plugin_dists.install(tmp_path, monkeypatch, "salon-broken", "salon_broken", FAILING_PREPARE, "broken")

    job = wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11").id)

    assert job.status == JobStatus.SUCCEEDED
    assert len(job.result["salons"]) == 7 and salons_by_department(engine) == before  # kept as built
    assert {p["department"] for p in job.result["problems"]} == {
        code for s in job.result["salons"] for code in s["departments"]
    }
    assert {(p["plugin"], p["origin"], p["hook"]) for p in job.result["problems"]} == {
        ("broken", "salon-broken 1.0", "prepare_salon_draft")
    }
    assert job.result["warning"] == (
        "plugins failed: 'broken' from salon-broken 1.0 (8 problem(s) in 8 department(s), see problems)"
    )
    with Session(engine) as session:
        assert all(
            "half-done" not in s.content["texts"]["en"]["questions"] for s in session.exec(select(Salon))
        )
    # where operators and clients look: `salon jobs`' error column and the API's Job.warning
    assert Row(job, 0, 0).error_line == "warning: " + job.result["warning"]
    assert ApiJob.from_row(job).warning == job.result["warning"]


def test_a_restricted_replan_whose_only_format_broke_changes_nothing(
    running_worker, engine, tmp_path, monkeypatch
):
    wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11").id)
    before = salons_by_department(engine)
    plugin_dists.install(tmp_path, monkeypatch, "salon-flaky", "salon_flaky", plugin_dists.FLAKY, "flaky")

    job = wait_for_job(engine, enqueue(engine, actors.plan_month, month="2026-11", formats=["flaky"]).id)

    assert job.status == JobStatus.SUCCEEDED and job.result["salons"] == []
    assert {p["department"] for p in job.result["problems"]} == {
        "SALES"
    }  # flaky fits SALES only, then breaks
    # a re-plan restricted to flaky leaves the other formats' proposals alone (SALES attends OPS's exchange)
    assert salons_by_department(engine) == before and job.result["removed"] == []


@pytest.mark.parametrize(
    ("today", "plan_day", "due"),
    [(date(2026, 11, 1), 1, "2026-11"), (date(2026, 11, 30), 1, "2026-11"), (date(2026, 11, 2), 3, None)],
)
def test_the_month_is_due_from_the_planning_day_on(today, plan_day, due):
    assert scheduler.due_month(today, plan_day) == due


def test_concurrent_checks_enqueue_one_planning(running_worker, engine):
    results: list[str | None] = []
    barrier = threading.Barrier(4)

    def check():
        barrier.wait()
        results.append(scheduler.check(engine, running_worker, plan_day=1, today=date(2026, 11, 3)))

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    sent = [job_id for job_id in results if job_id]
    assert len(sent) == 1
    assert wait_for_job(engine, sent[0]).status == JobStatus.SUCCEEDED
    with Session(engine) as session:
        assert session.get(PlanningClaim, "2026-11").job_id == sent[0]
        assert len(session.exec(select(Job).where(Job.actor == "plan_month")).all()) == 1
    assert len(formats_by_department(engine)) == 7
    assert scheduler.check(engine, running_worker, plan_day=1, today=date(2026, 11, 20)) is None  # done


def test_nothing_is_claimed_before_there_is_data(running_worker, engine):
    assert scheduler.check(engine, running_worker, plan_day=1, today=date(2024, 1, 5)) is None
    with Session(engine) as session:
        assert session.exec(select(PlanningClaim)).all() == []


def test_the_deployments_broker_carries_the_scheduler_unless_it_is_off():
    import dramatiq

    previous = dramatiq.get_broker()
    try:
        on = setup(load_settings({"SALON_PLAN_DAY": "3"}))
        off = setup(load_settings({"SALON_PLAN_DAY": "off"}))
    finally:
        install(previous)
    assert [m.plan_day for m in on.middleware if isinstance(m, scheduler.PlanningScheduler)] == [3]
    assert not any(isinstance(m, scheduler.PlanningScheduler) for m in off.middleware)
    assert not any(isinstance(m, scheduler.PlanningScheduler) for m in make_broker("stub://").middleware)


def test_the_scheduler_middleware_plans_when_its_worker_boots(engine):
    from workers import broker as broker_setup
    from workers import embedded, runtime

    runtime.configure(load_settings({}), engine)
    broker = broker_setup.install(make_broker("stub://"))
    broker.add_middleware(scheduler.PlanningScheduler(runtime.engine, plan_day=1, interval=3600))
    worker = embedded.start_worker(broker, threads=1, poll_ms=100)
    try:
        deadline, claim = time.monotonic() + 30, None
        while claim is None and time.monotonic() < deadline:
            with Session(engine) as session:
                claim = session.exec(select(PlanningClaim)).first()
            time.sleep(0.05)
        assert claim is not None
        assert wait_for_job(engine, claim.job_id).status == JobStatus.SUCCEEDED
    finally:
        worker.stop(timeout=5_000)
        broker.close()
    assert len(formats_by_department(engine)) == 7
