"""After the salon over GraphQL: recording its outcome, closing it, editing it — who may, the
refusals by argument, what each reader sees of it, and the audit trail."""

from __future__ import annotations

import pytest

from domain.models import SalonStatus
from tests.api.conftest import act_as, graphql
from tests.support import follow_up
from tests.support.follow_up import add_salon

RECORD = """mutation($id: ID!, $input: SalonOutcomeInput!) { recordSalonOutcome(salonId: $id, input: $input) {
  id status outcome { conclusions adoptedPractices notes attendeeCount attendees { employeeId } }
} }"""
CLOSE = "mutation($id: ID!) { closeSalon(salonId: $id) { id status } }"
EDIT = """mutation($id: ID!, $input: SalonEditInput!) { updateSalon(salonId: $id, input: $input) {
  id title questions agenda { title minutes } people { name role }
} }"""
OUTCOME = """query($id: ID!) { salon(id: $id) { status outcome {
  conclusions adoptedPractices notes recordedAt attendeeCount attendees { employeeId }
} } }"""
LOG = "{ auditLog(last: 50) { actor actions subjects } }"
INPUT = {
    "conclusions": ["Night shift skips the checklist"],
    "attendeeIds": ["P2", "A1"],
    "adoptedPractices": ["Checklist at every shift change"],
}


@pytest.fixture
def company(client, engine):
    follow_up.build(engine)
    return client


def trail(client) -> list[tuple[str, list[str], list[str]]]:
    return [(e["actor"], e["actions"], e["subjects"]) for e in graphql(client, LOG)["data"]["auditLog"]]


def test_a_manager_records_an_outcome_and_closes_the_salon_audited(company, engine):
    salon_id = add_salon(engine, status=SalonStatus.SCHEDULED)
    manager = act_as(company, "manager", "P1", "PROD")

    held = graphql(manager, RECORD, id=str(salon_id), input=INPUT)["data"]["recordSalonOutcome"]
    closed = graphql(manager, CLOSE, id=str(salon_id))["data"]["closeSalon"]

    assert held["status"] == "HELD" and closed["status"] == "CLOSED"
    assert held["outcome"] == {
        "conclusions": ["Night shift skips the checklist"],
        "adoptedPractices": ["Checklist at every shift change"],
        "notes": None,
        "attendeeCount": 2,
        "attendees": [{"employeeId": "A1"}, {"employeeId": "P2"}],
    }
    entries = trail(company)
    assert ("manager:P1", ["mutation:closeSalon"], [f"salon:{salon_id}"]) in entries
    assert (
        "manager:P1",
        ["mutation:recordSalonOutcome", "read:SalonOutcome.attendees"],
        [f"salon:{salon_id}", "employee:A1", "employee:P2"],
    ) in entries


@pytest.mark.parametrize(
    ("state", "mutation", "variables", "message"),
    [
        ({"status": SalonStatus.CANCELLED}, RECORD, {"input": INPUT}, "salonId: salon {id} was cancelled"),
        (
            {"status": SalonStatus.CLOSED},
            RECORD,
            {"input": INPUT},
            "salonId: salon {id} is closed: its outcome is final",
        ),
        ({}, RECORD, {"input": {**INPUT, "conclusions": []}}, "conclusions: must not be empty"),
        (
            {},
            RECORD,
            {"input": {**INPUT, "attendeeIds": ["C1"]}},
            "attendeeIds: outside the salon's departments",
        ),
        ({}, CLOSE, {}, "salonId: salon {id} is PROPOSED: record what it concluded first"),
        ({"status": SalonStatus.HELD}, CLOSE, {}, "salonId: salon {id} has no outcome"),
        ({}, EDIT, {"input": {}}, "input: nothing to change: give at least one field"),
        ({}, EDIT, {"input": {"participantIds": ["C1"]}}, "participantIds: outside the salon's departments"),
        (
            {"status": SalonStatus.HELD},
            EDIT,
            {"input": {"title": "x"}},
            "salonId: salon {id} is HELD and can no longer be edited",
        ),
    ],
)
def test_each_refusal_names_the_argument_and_its_reason(company, engine, state, mutation, variables, message):
    salon_id = add_salon(engine, **state)

    result = graphql(company, mutation, id=str(salon_id), **variables)

    (error,) = result["errors"]
    assert error["message"].startswith(message.format(id=salon_id)), error
    # a salon whose state does not allow the change is a conflict; a bad argument is bad input
    expected = "CONFLICT" if message.startswith("salonId: salon {id}") else "BAD_USER_INPUT"
    assert error["extensions"]["code"] == expected
    assert follow_up.salon(engine, salon_id).status == state.get("status", SalonStatus.PROPOSED).value


def test_employees_services_and_other_managers_cannot_change_a_salon(company, engine):
    salon_id = add_salon(engine)

    employee = graphql(act_as(company, "employee", "P2"), RECORD, id=str(salon_id), input=INPUT)
    service = graphql(act_as(company, "service", "bi"), CLOSE, id=str(salon_id))
    other = graphql(act_as(company, "manager", "C1", "CS"), EDIT, id=str(salon_id), input={"title": "x"})

    assert employee["errors"][0]["message"] == "recordSalonOutcome is for hr_admin or manager only"
    assert service["errors"][0]["message"] == "closeSalon is for hr_admin or manager only"
    assert other["errors"][0]["message"] == f"salonId: no salon {salon_id} that your departments attend"
    assert follow_up.salon(engine, salon_id).edited_by is None
    entries = trail(company)
    assert ("employee:P2", ["mutation:recordSalonOutcome:refused"], []) in entries
    assert ("manager:C1", ["mutation:updateSalon:failed"], []) in entries


def test_an_edit_by_an_attending_manager_reads_back_in_every_language(company, engine):
    salon_id = add_salon(engine, participants=("P2",))
    manager = act_as(company, "manager", "P1", "PROD")
    edit = {
        "title": "不良率复盘",
        "questions": ["Why nights?"],
        "agenda": [{"title": "Numbers", "minutes": 15}],
    }

    edited = graphql(manager, EDIT, id=str(salon_id), input={**edit, "participantIds": ["P2", "A1"]})
    english = graphql(
        company, 'query($id: ID!) { salon(id: $id, locale: "en") { title questions } }', id=str(salon_id)
    )

    assert edited["data"]["updateSalon"]["title"] == "不良率复盘"
    assert edited["data"]["updateSalon"]["agenda"] == [{"title": "Numbers", "minutes": 15}]
    assert {p["name"] for p in edited["data"]["updateSalon"]["people"]} == {"裴二", "安一"}
    assert english["data"]["salon"] == {"title": "不良率复盘", "questions": ["Why nights?"]}
    assert follow_up.salon(engine, salon_id).edited_by == "P1"
    assert (
        "manager:P1",
        ["mutation:updateSalon", "read:Salon.people"],
        [f"salon:{salon_id}", "employee:A1", "employee:P2"],
    ) in trail(company)


def test_each_reader_sees_the_outcome_and_only_the_attendees_they_may(company, engine):
    salon_id = add_salon(engine)
    graphql(company, RECORD, id=str(salon_id), input=INPUT)

    def read(client):
        result = graphql(client, OUTCOME, id=str(salon_id))
        assert "errors" not in result, result["errors"]
        return result["data"]["salon"]

    hr = read(company)
    manager = read(act_as(company, "manager", "P1", "PROD"))
    p2 = read(act_as(company, "employee", "P2"))
    service = read(act_as(company, "service", "bi"))
    outsider = read(act_as(company, "employee", "C1"))

    assert (
        hr["outcome"]["attendees"]
        == manager["outcome"]["attendees"]
        == [{"employeeId": "A1"}, {"employeeId": "P2"}]
    )
    assert p2["outcome"]["attendees"] == [{"employeeId": "P2"}]  # their own record; the others by count
    assert service["outcome"]["attendees"] == [] and service["outcome"]["attendeeCount"] == 2
    assert service["outcome"]["conclusions"] == hr["outcome"]["conclusions"] == INPUT["conclusions"]
    assert outsider is None  # a CS employee does not see a PROD salon at all
    entries = trail(company)
    assert ("employee:P2", ["read:SalonOutcome.attendees"], [f"salon:{salon_id}", "employee:P2"]) in entries
    assert not [e for e in entries if e[0] == "service:bi"]  # aggregates only: nothing to audit


def test_an_edit_says_the_language_it_was_made_in_and_unchanged_texts_keep_their_translations(
    company, engine
):
    salon_id = add_salon(engine, participants=("P2",))  # stored in zh-CN and en
    edit_in_english = """mutation($id: ID!, $input: SalonEditInput!) {
      updateSalon(salonId: $id, input: $input, locale: "en") { title questions } }"""

    edited = graphql(
        company, edit_in_english, id=str(salon_id), input={"title": "en title", "questions": ["Which gauge?"]}
    )
    chinese = graphql(
        company, 'query($id: ID!) { salon(id: $id, locale: "zh-CN") { title questions } }', id=str(salon_id)
    )

    assert edited["data"]["updateSalon"] == {"title": "en title", "questions": ["Which gauge?"]}
    assert chinese["data"]["salon"] == {
        "title": "zh-CN title",
        "questions": ["Which gauge?"],
    }  # title sent back unchanged
