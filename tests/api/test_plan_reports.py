"""The words of a plan and of a department's month reach each reader through the API as the
domain says them (``domain.plans.report``), in the locale asked for, within the reader's scope.

Runs once ``domain.plans.report`` is there (it comes with the workers' side of plans); the
refusals that need no words are in ``test_plan_scope``."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from domain.models import Department
from tests.api.conftest import act_as, graphql
from tests.api.test_plan_scope import world  # noqa: F401  (the fixture)

report = pytest.importorskip("domain.plans.report", reason="the words come with the plans-progress branch")

PLAN = "query($id: ID!, $l: String) { plan(id: $id) { report(locale: $l) } }"
DEPARTMENT = (
    'query($d: String!, $l: String) { departmentReport(departmentCode: $d, period: "2026-12", locale: $l) }'
)


def test_a_plans_report_is_the_domains_words_in_the_locale_asked_for(world, engine):  # noqa: F811
    hr, plan_id = world["client"], world["prod"]

    english = graphql(hr, PLAN, id=plan_id, l="en")["data"]["plan"]["report"]
    chinese = graphql(hr, PLAN, id=plan_id, l="zh-CN")["data"]["plan"]["report"]
    member = graphql(act_as(hr, "employee", "P2"), PLAN, id=plan_id, l="en")["data"]["plan"]["report"]

    with Session(engine) as session:
        assert english == report.plan_report(session, world["prod_number"], "en")
        assert chinese == report.plan_report(session, world["prod_number"], "zh-CN")
    assert english != chinese and member == english
    assert graphql(act_as(hr, "employee", "C1"), PLAN, id=plan_id, l="en")["data"]["plan"] is None


def test_a_departments_report_is_for_its_people_and_services_in_scope(world, engine):  # noqa: F811
    hr = world["client"]

    own = graphql(act_as(hr, "employee", "P2"), DEPARTMENT, d="PROD", l="en")["data"]["departmentReport"]
    service = graphql(act_as(hr, "service", "bi"), DEPARTMENT, d="PROD", l="zh-CN")["data"][
        "departmentReport"
    ]

    with Session(engine) as session:
        prod = session.exec(select(Department.id).where(Department.code == "PROD")).one()
        assert own == report.department_report(session, prod, "2026-12", "en")
        assert service == report.department_report(session, prod, "2026-12", "zh-CN")
    assert "裴" not in own + service  # an aggregate: it names no one
