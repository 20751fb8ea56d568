"""The whole loop on the demo company, through the API: the numbers are recomputed, October's
salons planned and one held (its outcome gives its attendees their ATTENDEE records); HR records
who shared and who solved a problem; the attendees rate it; the programme's numbers move; the
appraisal bonus is what the export writes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from domain.importing.reader import read_table
from domain.jobs import PROGRAMME_METRICS
from domain.models import Employee, Gap, GrowthRecord, Job, Salon
from domain.salons.content import SalonContent
from tests.api.conftest import act_as, graphql
from tests.api.test_bonus_export import APPRAISAL
from tests.support.jobs import wait_for_job
from tests.support.processes import run_salon, salon_env

MONTH = "2026-10"
RECOMPUTE = "mutation { recompute { id } }"
PLAN = 'mutation { planMonth(month: "2026-10") { id } }'
SALONS = '{ salons(month: "2026-10") { id salonId status people { name role employee { employeeId } } } }'
HELD = """mutation($id: ID!, $people: [String!]!) { recordSalonOutcome(salonId: $id, input: {
  conclusions: ["Check the feeder daily"], attendeeIds: $people }) { status } }"""
RECORD = """mutation($input: ContributionInput!) { recordContribution(input: $input) { contribution points date } }"""
RATE = "mutation($s: ID!, $score: Int!) { rateSalon(salonId: $s, score: $score) { id } }"
PROGRAM = """query($p: Period!) { programMetrics(period: $p) {
  attainmentRate growthArchiveUpdateRate satisfaction ratings salonsHeld participationRate plansOnTrack } }"""
BONUS = 'query($id: String!) { employee(id: $id) { appraisalBonus(cycle: "2026-H2") } }'


def finished(engine, job_id: str) -> None:
    done = wait_for_job(engine, job_id, timeout=120)
    assert done.status == "SUCCEEDED", done.error


def programme_jobs_done(engine) -> None:
    with Session(engine) as session:
        ids = session.exec(select(Job.id).where(Job.actor == PROGRAMME_METRICS)).all()
    for job_id in ids:
        finished(engine, job_id)


@pytest.mark.parametrize(
    "demo_database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_the_loop_from_a_held_salon_to_the_programmes_numbers_and_the_bonus(
    demo_client, demo_engine, demo_database_url, tmp_path
):
    client, engine = demo_client, demo_engine
    finished(engine, graphql(client, RECOMPUTE)["data"]["recompute"]["id"])
    finished(engine, graphql(client, PLAN)["data"]["planMonth"]["id"])
    salons = graphql(client, SALONS)["data"]["salons"]
    salon = max(salons, key=lambda s: len(s["people"]))  # the fullest of the month's salons
    salon_id = int(salon["salonId"])
    with Session(engine) as session:
        content = SalonContent.from_json(session.get(Salon, salon_id).content)
    invited = sorted({*content.presenters, *content.participants})
    assert len(invited) >= 6, "the demo's fullest salon invites enough people to rate it"
    came = invited[:-1]  # everyone but one
    held = graphql(client, HELD, id=salon["id"], people=came)["data"]["recordSalonOutcome"]

    sharer, solver = came[0], came[1]
    shared = graphql(
        client, RECORD, input={"salonId": salon["id"], "employeeId": sharer, "kind": "EXCELLENT_SHARER"}
    )
    solved = graphql(
        client, RECORD, input={"salonId": salon["id"], "employeeId": solver, "kind": "PROBLEM_SOLVER"}
    )
    scores = [5, 4, 4, 5, 3]
    for who, score in zip(came, scores, strict=False):
        assert "errors" not in graphql(act_as(client, "employee", who), RATE, s=salon["id"], score=score)
    programme_jobs_done(engine)

    assert held == {"status": "HELD"}
    assert shared["data"]["recordContribution"] == {
        "contribution": "EXCELLENT_SHARER",
        "points": 2.0,
        "date": "2026-10-01",  # held unscheduled: dated in its month
    }
    with Session(engine) as session:
        kinds = session.exec(select(GrowthRecord.contribution).where(GrowthRecord.salon_id == salon_id)).all()
    assert kinds.count("attendee") == len(came)  # the outcome gave each attendee theirs
    assert solved["data"]["recordContribution"]["points"] == 3.0
    october = graphql(client, PROGRAM, p=MONTH)["data"]["programMetrics"]
    expected = by_hand(engine, len(came), len(invited))
    assert october == {
        "attainmentRate": pytest.approx(expected["attainment"]),
        "growthArchiveUpdateRate": pytest.approx(expected["updated"]),
        "satisfaction": 85.0,  # (5 + 4 + 4 + 5 + 3) / 5 = 4.2 → 84 → 85
        "ratings": 5,
        "salonsHeld": 1,
        "participationRate": pytest.approx(len(came) / len(invited)),
        "plansOnTrack": None,  # the demo has no plans
    }

    bonuses = {who: graphql(client, BONUS, id=who)["data"]["employee"]["appraisalBonus"] for who in came}
    assert (bonuses[sharer], bonuses[solver]) == (2.0, 3.0)
    assert set(bonuses.values()) - {0.0, 2.0, 3.0} == set()  # the others attended: 0
    path = tmp_path / "bonuses.csv"
    exported = run_salon(
        "export", "bonuses", "--cycle", "2026-H2", "--output", str(path),
        env=salon_env(SALON_DATABASE_URL=demo_database_url),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    rows = read_table(path, path.name, APPRAISAL).frame.to_dicts()
    assert {row["employee_id"]: float(row["points"]) for row in rows} == {sharer: 2.0, solver: 3.0}


def by_hand(engine, came: int, invited: int) -> dict[str, float]:
    """October's attainment and growth-archive update rate, counted from the tables in plain Python."""
    with Session(engine) as session:
        gaps = session.exec(select(Gap.target, Gap.below_target).where(Gap.period == MONTH)).all()
        judged = [below for target, below in gaps if target is not None]
        end = datetime(2026, 10, 31, tzinfo=UTC).date()
        active = {e.id for e in session.exec(select(Employee)).all() if e.hire_date <= end}
        records = session.exec(
            select(GrowthRecord.employee_id).where(
                col(GrowthRecord.date) >= datetime(2026, 10, 1).date(), col(GrowthRecord.date) <= end
            )
        ).all()
    assert judged, "the demo has October targets"
    return {
        "attainment": sum(not below for below in judged) / len(judged),
        "updated": len(set(records) & active) / len(active),
        "participation": came / invited,
    }
