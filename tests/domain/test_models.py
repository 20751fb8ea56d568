"""Natural keys, foreign keys and checks hold in the database itself, on both engines."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.models import (
    Department,
    Employee,
    Feedback,
    GrowthRecord,
    Job,
    JobStatus,
    Metric,
    Observation,
    Review,
    Target,
)


@pytest.fixture
def org(engine):
    """Given a department with one employee and one metric."""
    with Session(engine) as session:
        root = Department(code="HQ", name="总部")
        session.add(root)
        session.flush()
        prod = Department(code="PROD", name="生产部", parent_id=root.id)
        session.add(prod)
        session.flush()
        employee = Employee(employee_id="E1", name="张伟", department_id=prod.id, hire_date=date(2026, 5, 1))
        metric = Metric(code="defect_rate", name="不良率", unit="%", direction="lower", aggregation="ratio")
        session.add_all([employee, metric])
        session.commit()
        return {"root": root.id, "prod": prod.id, "employee": employee.id, "metric": metric.id}


def _insert_fails(engine, row) -> None:
    with Session(engine) as session:
        session.add(row)
        with pytest.raises(IntegrityError):
            session.commit()


def test_department_tree_and_employee_round_trip(engine, org):
    with Session(engine) as session:
        prod = session.exec(select(Department).where(Department.code == "PROD")).one()
        assert prod.parent_id == org["root"]
        employee = session.exec(select(Employee).where(Employee.employee_id == "E1")).one()
        assert employee.hire_date == date(2026, 5, 1)
        assert employee.department_id == prod.id


@pytest.mark.parametrize(
    "make_row",
    [
        pytest.param(lambda ids: Department(code="HQ", name="again"), id="duplicate department code"),
        pytest.param(lambda ids: Department(code="X", name="x", parent_id=999), id="unknown parent"),
        pytest.param(
            lambda ids: Employee(
                employee_id="E1", name="again", department_id=ids["prod"], hire_date=date(2026, 1, 1)
            ),
            id="duplicate employee id",
        ),
        pytest.param(
            lambda ids: Employee(employee_id="E2", name="x", department_id=999, hire_date=date(2026, 1, 1)),
            id="employee in unknown department",
        ),
        pytest.param(lambda ids: Metric(code="m", name="m", direction="up"), id="direction outside the enum"),
        pytest.param(
            lambda ids: Metric(code="m", name="m", aggregation="median"), id="aggregation outside the enum"
        ),
        pytest.param(
            lambda ids: Observation(
                metric_id=ids["metric"], period="2026-Q3", department_id=ids["prod"], value=1
            ),
            id="observation for a quarter",
        ),
        pytest.param(
            lambda ids: Observation(
                metric_id=ids["metric"],
                period="2026-09",
                department_id=ids["prod"],
                value=0,
                numerator=0,
                denominator=0,
            ),
            id="zero denominator",
        ),
        pytest.param(
            lambda ids: Target(metric_id=ids["metric"], department_id=ids["prod"], period="2026", target=1),
            id="bad period",
        ),
        pytest.param(
            lambda ids: Review(employee_id=ids["employee"], cycle="2026-H1", score=-1), id="negative score"
        ),
        pytest.param(
            lambda ids: GrowthRecord(employee_id=ids["employee"], date=date(2026, 1, 1), kind="wish"),
            id="unknown growth kind",
        ),
        pytest.param(lambda ids: Job(actor="a", status="DONE"), id="unknown job status"),
    ],
)
def test_the_database_rejects_invalid_rows(engine, org, make_row):
    _insert_fails(engine, make_row(org))


def test_observation_natural_keys_are_per_level(engine, org):
    """One department-level and one employee-level row per metric × period; never two of either."""
    common = {"metric_id": org["metric"], "period": "2026-09", "department_id": org["prod"]}
    with Session(engine) as session:
        session.add(Observation(**common, value=0.02, numerator=2, denominator=100))
        session.add(
            Observation(**common, employee_id=org["employee"], value=0.05, numerator=1, denominator=20)
        )
        session.commit()

    _insert_fails(engine, Observation(**common, value=0.03))
    _insert_fails(engine, Observation(**common, employee_id=org["employee"], value=0.03))


def test_review_and_growth_natural_keys(engine, org):
    with Session(engine) as session:
        session.add(Review(employee_id=org["employee"], cycle="2026-H1", score=88))
        session.add(
            GrowthRecord(employee_id=org["employee"], date=date(2026, 3, 1), kind="growth_wish", skill="qc")
        )
        session.commit()

    _insert_fails(engine, Review(employee_id=org["employee"], cycle="2026-H1", score=90))
    _insert_fails(
        engine,
        GrowthRecord(employee_id=org["employee"], date=date(2026, 3, 1), kind="growth_wish", skill="qc"),
    )


def test_feedback_keeps_themes_and_allows_anonymous_authors(engine, org):
    with Session(engine) as session:
        session.add(
            Feedback(
                fingerprint="f1",
                department_id=org["prod"],
                period="2026-09",
                text="新人培训不够",
                themes=["onboarding", "training"],
            )
        )
        session.commit()
    with Session(engine) as session:
        feedback = session.exec(select(Feedback)).one()
        assert feedback.employee_id is None
        assert feedback.themes == ["onboarding", "training"]
    _insert_fails(
        engine, Feedback(fingerprint="f1", department_id=org["prod"], period="2026-09", text="again")
    )


def test_job_defaults(engine):
    with Session(engine) as session:
        job = Job(actor="summarise_data", args={"x": 1})
        session.add(job)
        session.commit()
        session.refresh(job)
    assert job.status == JobStatus.QUEUED
    assert len(job.id) == 32
    assert job.created_at.tzinfo is not None
