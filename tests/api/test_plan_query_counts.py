"""Query-count pins for what follows a salon: a screen of plans, and a person's own page with
their salons and plans, run as many SQL statements for more rows."""

from __future__ import annotations

import pytest

from domain.models import SalonStatus
from tests.api.conftest import graphql
from tests.api.test_plans_api import create
from tests.api.test_query_counts import audit_inserts, run
from tests.support import follow_up
from tests.support.follow_up import add_salon

PLANS = """{ plans {
  id baseline goalValue status department { code } metric { code }
  owner { employeeId } members { employeeId } people { name role }
  milestones { period targetValue } progress { period } effect { change comparisonDepartments { code } }
  salon { id outcome { conclusions attendeeCount } plans { id } }
} }"""
# Each loader is reached from one path only (see tests.api.test_query_counts): attendees and
# practices would share loaders with the plans' people and salons.
ME = """query($id: String!) { employee(id: $id) {
  employeeId salonRoles { salon { id title } invited attended } plans { id metric { code } }
} }"""
OUTCOME = """mutation($id: ID!) { recordSalonOutcome(salonId: $id, input: {
  conclusions: ["c"], attendeeIds: ["P2", "A1"], adoptedPractices: ["p"] }) { id } }"""


@pytest.fixture
def company(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_VIEWER_CACHE_SECONDS="0")
    follow_up.build(engine)
    return client


def held_with_plans(client, engine, month: str, plans: int) -> None:
    salon_id = add_salon(engine, month=month, participants=("P2",), status=SalonStatus.SCHEDULED)
    graphql(client, OUTCOME, id=str(salon_id))
    for _ in range(plans):
        create(client, salon_id, memberIds=["P2", "A1"])
    follow_up.settle(engine)  # the workers' writes are not the request's statements, nor its rows


def test_the_plans_screen_runs_as_many_statements_for_more_plans_and_salons(company, engine):
    held_with_plans(company, engine, "2026-11", 1)
    few, few_statements = run(company, engine, PLANS)
    held_with_plans(company, engine, "2026-10", 3)
    many, many_statements = run(company, engine, PLANS)

    assert (len(few["plans"]), len(many["plans"])) == (1, 4)
    assert all(len(p["members"]) == 2 and p["salon"]["outcome"]["attendeeCount"] == 2 for p in many["plans"])
    assert len(many_statements) == len(few_statements), many_statements
    assert audit_inserts(many_statements) == 1


def test_a_persons_page_runs_as_many_statements_for_more_salons_and_plans(company, engine):
    held_with_plans(company, engine, "2026-11", 1)
    few, few_statements = run(company, engine, ME, id="P2")
    held_with_plans(company, engine, "2026-10", 2)
    held_with_plans(company, engine, "2026-09", 1)
    many, many_statements = run(company, engine, ME, id="P2")

    assert (len(few["employee"]["salonRoles"]), len(many["employee"]["salonRoles"])) == (1, 3)
    assert len(many["employee"]["plans"]) == 4
    assert len(many_statements) == len(few_statements), many_statements
