"""A planning request is checked once, in ``domain``: each refusal names the argument at fault
as a ``field`` in domain words, and the message holds no GraphQL name."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from domain.errors import InvalidArgument
from domain.importing.service import run_import
from domain.importing.templates import ImportKind
from domain.periods import Period
from domain.salons.planning import MAX_DEPARTMENT_CODES, check_plan

NOVEMBER = Period.parse("2026-11")
FORMATS = {"data_review_workshop": object(), "peer_clinic": object()}


@pytest.fixture
def departments(engine) -> Engine:
    content = b"code,name,parent_code\nHQ,HQ,\nPROD,Production,HQ\n"
    report = run_import(engine, ImportKind.DEPARTMENTS, content, "departments.csv", secret="s")
    assert report.applied, report.errors
    return engine


def refusal(engine: Engine, month=NOVEMBER, codes=None, formats=None) -> InvalidArgument:
    with Session(engine) as session, pytest.raises(InvalidArgument) as refused:
        check_plan(session, month, codes, formats, FORMATS)
    return refused.value


@pytest.mark.parametrize(
    ("month", "reason"),
    [
        ("2026-Q4", "planning needs a month (YYYY-MM), got 2026-Q4"),
        ("1999-12", "planning takes a month of the years 2000 to 2100, got 1999-12"),
    ],
)
def test_a_month_planning_cannot_mean_is_refused_as_the_month(departments, month, reason):
    refused = refusal(departments, month=Period.parse(month))

    assert (refused.field, refused.reason, str(refused)) == ("month", reason, f"month: {reason}")


def test_unknown_format_keys_are_refused_as_the_formats(departments):
    refused = refusal(departments, formats=["peer_clinic", "karaoke"])

    assert refused.field == "formats"
    assert (
        refused.reason == "unknown format key(s) ['karaoke']; known: ['data_review_workshop', 'peer_clinic']"
    )


def test_too_many_department_codes_are_refused_as_the_department_codes(departments):
    refused = refusal(departments, codes=["PROD"] * (MAX_DEPARTMENT_CODES + 1))

    assert str(refused) == "department_codes: at most 2000 codes, got 2001"


def test_unknown_department_codes_are_named_a_few_of_many(departments):
    refused = refusal(departments, codes=["PROD", *(f"D{i:02d}" for i in range(25))])

    assert refused.field == "department_codes"
    assert refused.reason == f"unknown department(s) {[f'D{i:02d}' for i in range(20)]} and 5 more"


def test_a_plannable_request_passes(departments):
    with Session(departments) as session:
        check_plan(session, NOVEMBER, ["HQ", "PROD"], ["peer_clinic"], FORMATS)
        check_plan(session, NOVEMBER, None, None, FORMATS)
