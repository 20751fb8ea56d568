"""The ``recompute`` job rebuilds department values for a scope, idempotently, all or nothing."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlmodel import Session

from domain import jobs
from domain.db import session_scope
from domain.models import Department, DepartmentValue, Employee, JobStatus, Metric, Observation
from tests.support.jobs import wait_for_job
from tests.workers.conftest import BROKERS
from workers import rebuild as pipeline
from workers import scoping
from workers.actors import recompute
from workers.jobs import enqueue

# (metric, department, period) -> (value, numerator, denominator, source, contributors)
SEEDED = {
    ("defect_rate", "PROD", "2026-08"): (0.25, 2.0, 8.0, "derived", 2),
    ("defect_rate", "PROD", "2026-09"): (0.125, None, None, "official", 2),
    ("output", "PROD", "2026-08"): (3.0, None, None, "derived", 2),
    ("output", "PROD", "2026-09"): (5.0, None, None, "derived", 2),
    ("output", "SALES", "2026-09"): (7.0, None, None, "official", 0),
    ("revenue", "SALES", "2026-08"): (10.0, None, None, "derived", 1),
    ("revenue", "SALES", "2026-09"): (12.0, None, None, "derived", 1),
}


def _seed(engine) -> None:
    """Two departments, three employees, a metric of each aggregation, two months."""
    with session_scope(engine) as session:
        prod, sales = Department(code="PROD", name="生产部"), Department(code="SALES", name="销售部")
        metrics = {
            "output": Metric(code="output", name="产量", aggregation="mean"),
            "revenue": Metric(code="revenue", name="销售额", aggregation="sum"),
            "defect_rate": Metric(code="defect_rate", name="不良率", direction="lower", aggregation="ratio"),
        }
        session.add_all([prod, sales, *metrics.values()])
        session.flush()
        e1, e2, e3 = (
            Employee(employee_id=code, name=code, department_id=dept.id, hire_date=date(2025, 1, 1))
            for code, dept in (("E1", prod), ("E2", prod), ("E3", sales))
        )
        session.add_all([e1, e2, e3])
        session.flush()
        rows = [
            ("output", prod, e1, "2026-08", 2.0, None, None),
            ("output", prod, e2, "2026-08", 4.0, None, None),
            ("output", prod, e1, "2026-09", 4.0, None, None),
            ("output", prod, e2, "2026-09", 6.0, None, None),
            ("output", sales, None, "2026-09", 7.0, None, None),
            ("revenue", sales, e3, "2026-08", 10.0, None, None),
            ("revenue", sales, e3, "2026-09", 12.0, None, None),
            ("defect_rate", prod, e1, "2026-08", 0.5, 1.0, 2.0),
            ("defect_rate", prod, e2, "2026-08", 1 / 6, 1.0, 6.0),
            ("defect_rate", prod, None, "2026-09", 0.125, None, None),
            ("defect_rate", prod, e1, "2026-09", 0.5, 1.0, 2.0),
            ("defect_rate", prod, e2, "2026-09", 0.5, 2.0, 4.0),
        ]
        session.add_all(
            Observation(
                metric_id=metrics[metric].id,
                department_id=dept.id,
                employee_id=employee.id if employee else None,
                period=period,
                value=value,
                numerator=numerator,
                denominator=denominator,
            )
            for metric, dept, employee, period, value, numerator, denominator in rows
        )


def _values(engine) -> dict[tuple, tuple]:
    """The table by natural key (codes, not ids), as a client would compare it."""
    query = (
        select(
            Metric.code,
            Department.code,
            DepartmentValue.period,
            DepartmentValue.value,
            DepartmentValue.numerator,
            DepartmentValue.denominator,
            DepartmentValue.source,
            DepartmentValue.contributors,
        )
        .join(Metric, Metric.id == DepartmentValue.metric_id)
        .join(Department, Department.id == DepartmentValue.department_id)
    )
    with Session(engine) as session:
        return {tuple(row[:3]): tuple(row[3:]) for row in session.execute(query)}


def _set_observation(engine, metric: str, department: str, period: str, employee: str | None, value):
    """Change one observation's value, or delete it (``value`` None)."""
    with session_scope(engine) as session:
        metric_id = session.scalar(select(Metric.id).where(Metric.code == metric))
        department_id = session.scalar(select(Department.id).where(Department.code == department))
        condition = (
            (Observation.metric_id == metric_id)
            & (Observation.department_id == department_id)
            & (Observation.period == period)
        )
        if employee is None:
            condition &= Observation.employee_id.is_(None)
        else:
            employee_id = session.scalar(select(Employee.id).where(Employee.employee_id == employee))
            condition &= Observation.employee_id == employee_id
        if value is None:
            session.execute(delete(Observation).where(condition))
        else:
            session.execute(update(Observation).where(condition).values(value=value))


def _run(engine, **args):
    job = wait_for_job(engine, enqueue(engine, recompute, **args).id)
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


@pytest.mark.parametrize("running_worker", BROKERS, indirect=True)
def test_a_full_recompute_writes_every_department_value(engine, running_worker):
    _seed(engine)

    job = _run(engine)

    assert _values(engine) == SEEDED
    expected = {
        "partitions": 7,
        "official": 2,
        "derived": 5,
        "gaps": 11,
        "scope": "all",
    }  # 7 months + 4 quarters
    assert job.result.items() >= expected.items()
    assert job.result["drivers"] > 0 and job.result["top_performers"] > 0


def test_running_it_twice_leaves_identical_rows(engine, running_worker):
    _seed(engine)
    _run(engine)
    first = _values(engine)

    again = _run(engine, scope=None)

    assert _values(engine) == first == SEEDED
    assert again.result["partitions"] == 7


def test_a_scoped_recompute_replaces_only_its_partitions(engine, running_worker):
    _seed(engine)
    _run(engine)
    _set_observation(engine, "output", "PROD", "2026-09", "E1", 8.0)  # in scope
    _set_observation(engine, "output", "PROD", "2026-08", "E1", 100.0)  # other period
    _set_observation(engine, "revenue", "SALES", "2026-09", "E3", 100.0)  # other metric
    scope = {"metric_codes": ["output"], "periods": ["2026-09"]}

    job = _run(engine, scope=scope)

    # gaps: the month, the month after, their quarters (output: PROD and SALES have 2026-09 and Q3 only)
    assert (
        job.result.items()
        >= {"partitions": 2, "official": 1, "derived": 1, "gaps": 4, "scope": scope}.items()
    )
    assert _values(engine) == {**SEEDED, ("output", "PROD", "2026-09"): (7.0, None, None, "derived", 2)}


def test_a_changed_observation_updates_its_value_when_its_scope_is_recomputed(engine, running_worker):
    _seed(engine)
    _run(engine)
    scope = {"metric_codes": ["defect_rate"], "department_codes": ["PROD"], "periods": ["2026-09"]}

    _set_observation(engine, "defect_rate", "PROD", "2026-09", None, 0.1)
    _run(engine, scope=scope)
    assert _values(engine)[("defect_rate", "PROD", "2026-09")] == (0.1, None, None, "official", 2)

    _set_observation(engine, "defect_rate", "PROD", "2026-09", None, None)  # the official row goes
    _run(engine, scope=scope)
    assert _values(engine)[("defect_rate", "PROD", "2026-09")] == (0.5, 3.0, 6.0, "derived", 2)


def test_a_partition_without_observations_any_more_disappears(engine, running_worker):
    _seed(engine)
    _run(engine)
    _set_observation(engine, "revenue", "SALES", "2026-08", "E3", None)

    job = _run(engine, scope={"department_codes": ["SALES"]})

    assert job.result["partitions"] == 2
    assert _values(engine) == {k: v for k, v in SEEDED.items() if k != ("revenue", "SALES", "2026-08")}


def test_unknown_codes_match_nothing(engine, running_worker):
    _seed(engine)
    _run(engine)

    job = _run(engine, scope={"metric_codes": ["no_such_metric"], "department_codes": None})

    assert job.result["partitions"] == 0
    assert _values(engine) == SEEDED


def test_a_failure_after_the_delete_keeps_the_previous_rows_and_fails_the_job(
    engine, running_worker, monkeypatch
):
    _seed(engine)
    _run(engine)
    _set_observation(engine, "output", "PROD", "2026-09", "E1", 8.0)
    seen_inside: list[int] = []

    def crash(connection, values):
        seen_inside.append(connection.scalar(select(func.count()).select_from(DepartmentValue)))
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "insert_values", crash)
    monkeypatch.setitem(recompute.options, "max_retries", 0)

    job = wait_for_job(engine, enqueue(engine, recompute).id)
    # the parent fails with its first failed part; the others may still be running
    parts = [wait_for_job(engine, part.id) for part in jobs.parts(engine, job.id)]

    assert job.status == JobStatus.FAILED
    assert [part.status for part in parts] == [JobStatus.FAILED] * 3
    assert job.error.startswith("internal error (reference ")  # the traceback is in the log only
    # one part per metric; each had deleted its own metric's values inside its transaction
    # (7 values: output 3, defect_rate 2, revenue 2)
    assert sorted(seen_inside) == [4, 5, 5]
    assert _values(engine) == SEEDED


def test_a_misspelt_scope_key_fails_instead_of_widening_to_everything(
    engine, running_worker, monkeypatch, caplog
):
    monkeypatch.setitem(recompute.options, "max_retries", 0)

    job = wait_for_job(engine, enqueue(engine, recompute, scope={"metrics": ["output"]}).id)

    assert job.status == JobStatus.FAILED
    assert any("unknown scope key" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_recompute_over_an_organisation_without_data_succeeds_empty(engine, running_worker):
    with session_scope(engine) as session:
        session.add(Department(code="HQ", name="总部"))

    job = _run(engine, scope={"department_codes": ["HQ"]})

    assert job.result.items() >= {"partitions": 0, "gaps": 0, "drivers": 0, "growth_needs": 0}.items()


def test_a_rebuild_of_some_periods_names_every_metric_and_department_so_deletes_use_the_keys(engine):
    _seed(engine)
    with session_scope(engine) as session:
        metrics = sorted(m.id for m in session.exec(select(Metric)).scalars())
        departments = sorted(d.id for d in session.exec(select(Department)).scalars())

    some_months = scoping.resolve(engine, {"periods": ["2026-09"]})
    everything = scoping.resolve(engine, None)
    one_metric = scoping.resolve(engine, {"metric_codes": ["output"], "periods": ["2026-09"]})

    assert (some_months.metric_ids, some_months.department_ids) == (metrics, departments)
    assert (everything.metric_ids, everything.department_ids) == (
        None,
        None,
    )  # a whole table: no WHERE at all
    assert len(one_metric.metric_ids) == 1 and one_metric.department_ids == departments


def _waiting_on_metric_locks(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            text(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = :space"
            ),
            {"space": pipeline.LOCK_SPACE},
        )


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_rebuild_waits_for_another_rebuild_of_its_metric_and_not_of_others(engine):
    _seed(engine)
    with session_scope(engine) as session:
        output = session.scalar(select(Metric.id).where(Metric.code == "output"))
    done: dict[str, dict] = {}

    def rebuild(code: str) -> None:
        done[code] = pipeline.rebuild(engine, {"metric_codes": [code]})

    with engine.connect() as other:  # another rebuild of output, mid-way
        other.execute(
            text("SELECT pg_advisory_lock(:space, :metric)"),
            {"space": pipeline.LOCK_SPACE, "metric": output},
        )
        rebuild("revenue")  # another metric: not held up
        waiting = threading.Thread(target=rebuild, args=("output",))
        waiting.start()
        deadline = time.monotonic() + 10
        while not _waiting_on_metric_locks(engine) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_on_metric_locks(engine) == 1 and waiting.is_alive() and "output" not in done
        other.execute(
            text("SELECT pg_advisory_unlock(:space, :metric)"),
            {"space": pipeline.LOCK_SPACE, "metric": output},
        )
        waiting.join(timeout=30)

    assert done["output"]["partitions"] == 3 and done["revenue"]["partitions"] == 2
    assert _values(engine) == {key: row for key, row in SEEDED.items() if key[0] != "defect_rate"}


def _metric_id(engine, code: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(Metric.id).where(Metric.code == code))


def _versions(engine, table: str) -> dict[tuple, str]:
    """Each row's key → the transaction that wrote it (PostgreSQL's xmin)."""
    key = "metric_id, department_id, period, " + ("rank" if table == "topperformer" else "dimension, segment")
    with engine.connect() as connection:
        return {
            tuple(row[:-1]): row[-1]
            for row in connection.execute(text(f"SELECT {key}, xmin::text FROM {table}"))
        }


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_second_full_rebuild_writes_only_the_drivers_and_performers_that_change(engine):
    _seed(engine)
    pipeline.rebuild(engine)
    first = {table: _versions(engine, table) for table in ("topperformer", "gapdriver")}
    # output, PROD, 2026-09: E1 ties E2 at 6 — nobody below the mean (its drivers go), E1 first by id
    _set_observation(engine, "output", "PROD", "2026-09", "E1", 6.0)

    pipeline.rebuild(engine)

    with engine.connect() as connection:
        prod = connection.scalar(select(Department.id).where(Department.code == "PROD"))
    moved = {(_metric_id(engine, "output"), prod, period) for period in ("2026-09", "2026-Q3")}
    for table, before in first.items():
        after = _versions(engine, table)
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        assert changed and {key[:3] for key in changed} <= moved, (table, changed)
        assert len(before) > len(changed), table  # the other rows were left as they were


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_a_rebuild_never_writes_what_it_read_before_a_rival_changed_it(engine, monkeypatch):
    """A rebuild paused between its reads and its writes while an observation changes and a
    second rebuild runs: the table ends as the newest data says, whoever finishes last."""
    _seed(engine)
    pipeline.rebuild(engine)
    read_inputs, rival_done = pipeline.read_gap_inputs, threading.Event()
    first = threading.current_thread()

    def slow_read(connection, selection):
        inputs = read_inputs(connection, selection)
        if threading.current_thread() is first:
            rival_done.wait(timeout=1.5)  # the rival cannot finish while this rebuild holds the file
        return inputs

    def rival() -> None:
        _set_observation(engine, "output", "PROD", "2026-09", "E1", 8.0)
        pipeline.rebuild(engine, {"metric_codes": ["output"]})
        rival_done.set()

    other, original_load = threading.Thread(target=rival), pipeline.load_observations

    def load_then_start_rival(connection, selection):
        observations = original_load(connection, selection)
        if threading.current_thread() is first and not other.is_alive() and not rival_done.is_set():
            other.start()
        return observations

    monkeypatch.setattr(pipeline, "read_gap_inputs", slow_read)
    monkeypatch.setattr(pipeline, "load_observations", load_then_start_rival)
    pipeline.rebuild(engine, {"metric_codes": ["output"]})
    other.join(timeout=60)

    assert not other.is_alive()
    assert _values(engine)[("output", "PROD", "2026-09")] == (7.0, None, None, "derived", 2)
