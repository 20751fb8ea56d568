"""The audit trail, and personal-data export and erasure."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from domain import models
from domain.importing.service import run_import
from domain.importing.templates import ImportKind
from domain.privacy import ERASED_TEXT, pseudonym
from tests.api.conftest import act_as, graphql
from tests.support.jobs import wait_for_job

LOG = "query ($last: Int) { auditLog(last: $last) { at actor action target } }"
EXPORT = "query ($id: String!) { exportPersonalData(employeeId: $id) }"
ERASE = "mutation ($id: String!) { erasePersonalData(employeeId: $id) { employeeId pseudonym feedbackErased notesErased } }"


def trail(client, last: int = 100) -> list[tuple[str, str, str | None]]:
    entries = graphql(client, LOG, last=last)["data"]["auditLog"]
    return [(e["actor"], e["action"], e["target"]) for e in entries]


def test_reads_of_individual_data_refusals_and_mutations_are_audited(company, engine):
    manager = act_as(company, "manager", "P1", "PROD")
    graphql(manager, '{ employee(id: "P2") { reviews { score } growth { kind } } }')
    graphql(manager, '{ employee(id: "C1") { name } }')
    graphql(act_as(company, "employee", "P2"), "mutation { recompute { id } }")
    job = graphql(company, "mutation { recompute { id } }")["data"]["recompute"]
    wait_for_job(engine, job["id"])
    graphql(company, "{ departments { code } metrics { code } }")  # aggregates only: not audited

    entries = trail(company)

    assert entries[0] == ("hr_admin:hr-admin", "mutation:recompute", None)
    assert entries[1] == ("employee:P2", "mutation:recompute:refused", None)
    assert entries[2] == ("manager:P1", "denied:Employee", "employee:C1")
    assert entries[3] == (
        "manager:P1",
        "read:Employee, read:Employee.reviews, read:Employee.growth",
        "employee:P2",
    )  # one entry for the request
    assert len(entries) == 4
    times = [e["at"] for e in graphql(company, LOG)["data"]["auditLog"]]
    assert times == sorted(times, reverse=True)


def test_one_request_writes_one_entry_listing_its_actions_and_subjects(company, engine):
    manager = act_as(company, "manager", "P1", "PROD")
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(models.AuditEntry)).one()

    graphql(
        manager,
        '{ c: employee(id: "C1") { name } h: employee(id: "H1") { name } p: employee(id: "P2") { name } }',
    )

    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(models.AuditEntry)).one() == before + 1
    [entry] = graphql(company, "{ auditLog(last: 1) { actor actions subjects action target } }")["data"][
        "auditLog"
    ]
    assert entry["actor"] == "manager:P1" and entry["target"] is None
    assert sorted(entry["actions"]) == ["denied:Employee", "read:Employee"]  # distinct
    assert entry["action"] == ", ".join(entry["actions"])
    assert sorted(entry["subjects"]) == ["employee:C1", "employee:H1", "employee:P2"]


def test_the_audit_log_is_for_hr_admins_only_and_its_size_is_bounded(company):
    refused = graphql(act_as(company, "manager", "P1", "PROD"), LOG, last=10)
    too_many = graphql(company, LOG, last=100_000)
    too_few = graphql(company, LOG, last=0)

    assert refused["errors"][0]["message"] == "auditLog is for hr_admin only"
    assert "page-size limit of 500" in too_many["errors"][0]["message"]
    assert too_few["errors"][0]["message"] == "last: must be between 1 and 500, got 0"


def test_an_employees_data_is_exported_to_hr_and_to_themselves_only(company):
    exported = graphql(company, EXPORT, id="P2")["data"]["exportPersonalData"]
    own = graphql(act_as(company, "employee", "P2"), EXPORT, id="P2")["data"]["exportPersonalData"]
    colleague = graphql(act_as(company, "employee", "P2"), EXPORT, id="P1")
    manager = graphql(act_as(company, "manager", "P1", "PROD"), EXPORT, id="P2")

    assert exported == own
    assert exported["employee"] | {"hireDate": None} == {
        "employeeId": "P2",
        "name": "裴二",
        "email": "p2@example.com",
        "erasedAt": None,
        "hireDate": None,
        "department": "PROD",
        "team": "一组",
        "level": None,
        "manager": "P1",
    }
    assert exported["reviews"] == [{"cycle": "2026-H1", "score": 82.0}]
    assert exported["feedback"] == [
        {
            "period": "2026-10",
            "metric": "defect_rate",
            "text": "P2 says the line is too fast",
            "themes": ["speed"],
        }
    ]
    assert [g["note"] for g in exported["growth"]] == ["P2 note"]
    for refused in (colleague, manager):
        assert "for hr_admin, or for the employee themselves" in refused["errors"][0]["message"]
    assert ("employee:P2", "read:exportPersonalData", "employee:P2") in trail(company)


def test_erasure_pseudonymises_the_person_and_keeps_their_numbers(company, engine):
    erased = graphql(company, ERASE, id="P2")["data"]["erasePersonalData"]
    again = graphql(company, ERASE, id="P2")["data"]["erasePersonalData"]

    alias = pseudonym(company.app.state.settings.secret_key, "P2")
    assert erased == {"employeeId": "P2", "pseudonym": alias, "feedbackErased": 1, "notesErased": 1}
    assert again == {"employeeId": "P2", "pseudonym": alias, "feedbackErased": 0, "notesErased": 0}
    data = graphql(company, EXPORT, id="P2")["data"]["exportPersonalData"]
    assert (data["employee"]["name"], data["employee"]["email"]) == (alias, None)
    assert data["employee"]["erasedAt"] is not None
    assert data["feedback"] == [
        {"period": "2026-10", "metric": "defect_rate", "text": ERASED_TEXT, "themes": ["speed"]}
    ]
    assert data["reviews"] == [{"cycle": "2026-H1", "score": 82.0}]
    assert [g["note"] for g in data["growth"]] == [None]
    assert "裴二" not in str(data) and "line is too fast" not in str(data)
    others = graphql(company, EXPORT, id="P1")["data"]["exportPersonalData"]
    assert others["employee"]["name"] == "裴一" and others["growth"][0]["note"] == "P1 note"
    assert ("hr_admin:hr-admin", "mutation:erasePersonalData", "employee:P2") in trail(company)
    assert graphql(company, ERASE, id="NOBODY")["data"]["erasePersonalData"] is None


def _row(row, columns: tuple[str, ...]) -> tuple:
    """Recomputation sums in no fixed order, so floats may differ in their last bit, and which of
    two employees with the same share makes the top list may flip: compare what is stable."""
    values = {c: getattr(row, c) for c in columns}
    values = {c: round(v, 9) if isinstance(v, float) else v for c, v in values.items()}
    if values.get("dimension") == "employee":
        values["segment"] = "*"
    return tuple(values.values())


@pytest.mark.parametrize("demo_database_url", ["sqlite"], indirect=True)
def test_erasure_leaves_every_aggregate_as_it_was(demo_client, demo_engine):
    """Erase the author of most production feedback, recompute: values, gaps, drivers and themes match."""

    def recompute() -> None:
        job = graphql(demo_client, "mutation { recompute { id } }")["data"]["recompute"]
        assert wait_for_job(demo_engine, job["id"], timeout=180).status == models.JobStatus.SUCCEEDED

    def aggregates() -> dict[str, list]:
        tables = {
            "values": (models.DepartmentValue, ("metric_id", "department_id", "period", "value")),
            "gaps": (models.Gap, ("metric_id", "department_id", "period", "actual", "severity")),
            "drivers": (
                models.GapDriver,
                ("metric_id", "department_id", "period", "dimension", "segment", "share"),
            ),
            "themes": (models.FeedbackTheme, ("metric_id", "department_id", "period", "theme", "count")),
            "needs": (models.GrowthNeed, ("department_id", "period", "skill", "share")),
        }
        with Session(demo_engine) as session:
            return {
                name: sorted(
                    (_row(r, columns) for r in session.exec(select(model)).all()),
                    key=repr,
                )
                for name, (model, columns) in tables.items()
            }

    recompute()
    before = aggregates()
    with Session(demo_engine) as session:
        author = session.exec(
            select(models.Employee.employee_id)
            .join(models.Feedback, col(models.Feedback.employee_id) == col(models.Employee.id))
            .group_by(col(models.Employee.employee_id))
            .order_by(func.count().desc(), col(models.Employee.employee_id))
        ).first()
    erased = graphql(demo_client, ERASE, id=author)["data"]["erasePersonalData"]
    recompute()

    assert erased["feedbackErased"] >= 1
    assert aggregates() == before
    assert before["themes"] and before["drivers"]


def test_reading_a_persons_share_of_a_gap_is_audited_and_aggregate_drivers_are_not(company):
    query = '{ department(code: "PROD") { gaps(period: "2026-10") { drivers { segment } } } }'
    graphql(act_as(company, "manager", "P1", "PROD"), query)  # sees the 6-person segment only
    graphql(company, query)  # sees P2's own share too

    assert [e for e in trail(company) if e[1] == "read:Gap.drivers"] == [
        ("hr_admin:hr-admin", "read:Gap.drivers", "department:PROD")
    ]


ANONYMOUS = "nobody knows who wrote this"
NAMED = [("P1", f"P1 says {n}") for n in range(6)] + [("P2", f"P2 says {n}") for n in range(6)]
FEEDBACK_READ = '{ department(code: "PROD") { feedback(period: "2026-11") { text author { employeeId } } } }'


def _import_feedback(engine, secret: str, anonymous_at: int) -> None:
    rows = [f"{who},2026-11,defect_rate,{text},,PROD" for who, text in NAMED]
    rows.insert(anonymous_at, f",2026-11,defect_rate,{ANONYMOUS},,PROD")
    content = "employee_id,period,metric_code,text,tags,department_code\n" + "\n".join(rows) + "\n"
    report = run_import(engine, ImportKind.FEEDBACK, content.encode(), "feedback.csv", secret=secret)
    assert report.applied and report.counts.inserted == len(NAMED) + 1


def test_feedback_is_read_back_in_an_order_that_says_nothing_of_the_import_order(company, engine):
    """Anonymous feedback among named feedback: were rows read in file order, its neighbours' authors
    (and the export's timestamps) would place it; the order read back is the same whatever the file's."""
    secret = company.app.state.settings.secret_key
    orders = []
    for anonymous_at in (0, 6, len(NAMED)):
        with Session(engine) as session:
            session.exec(delete(models.Feedback).where(models.Feedback.period == "2026-11"))
            session.commit()
        _import_feedback(engine, secret, anonymous_at)
        feedback = graphql(company, FEEDBACK_READ)["data"]["department"]["feedback"]
        orders.append([f["text"] for f in feedback])

    assert orders[0] == orders[1] == orders[2]
    assert sorted(orders[0]) == sorted([ANONYMOUS] + [text for _, text in NAMED])


def test_every_request_gives_its_connection_back_audited_refused_or_failed(company, engine):
    """An operation holds one connection for its reads (``api.reads``): whatever its end, the
    connection goes back to the pool, and the audit entry is still written before the answer."""
    drivers = '{ department(code: "PROD") { gaps(period: "2026-10") { drivers { segment } } } }'
    graphql(company, drivers)  # audited: the entry is written before the answer
    graphql(company, '{ department(code: "PROD") { code children { code } } }')  # nothing to audit
    refused = graphql(act_as(company, "manager", "P1", "PROD"), '{ employee(id: "C1") { name } }')
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    invalid = company.post("/graphql", json={"query": "{ department(code: 1) { nope } }"})
    assert invalid.status_code in (200, 400)

    for _ in range(200):  # a held session is closed in a worker thread
        if engine.pool.checkedout() == 0:
            break
        time.sleep(0.01)
    assert engine.pool.checkedout() == 0
    assert ("hr_admin:hr-admin", "read:Gap.drivers", "department:PROD") in trail(company)


def test_a_query_asks_to_hold_its_session_and_a_mutation_does_not(company, monkeypatch):
    """A mutation's own writes take connections of their own: its reads must not hold one meanwhile
    (twenty such requests would wait for each other's connections). Where the reads run in threads
    (PostgreSQL) a query's reads keep one session to its end; on a SQLite file they run on the
    event loop, a session per wave, and hold none (``api.reads``)."""
    from api.reads import RequestReads

    asked = []
    release = RequestReads.release

    def noting(self):
        asked.append((self._hold, self.hold, self.on_loop))
        return release(self)

    monkeypatch.setattr(RequestReads, "release", noting)
    graphql(company, '{ department(code: "PROD") { gaps(period: "2026-10") { drivers { segment } } } }')
    queried = list(asked)
    asked.clear()
    graphql(act_as(company, "employee", "P2"), "mutation { recompute { id } }")  # refused, audited

    assert queried and all(wanted for wanted, _, _ in queried)
    assert asked and not any(wanted for wanted, _, _ in asked)
    assert all(held == (wanted and not on_loop) for wanted, held, on_loop in queried + asked)
