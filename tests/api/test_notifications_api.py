"""Notifications, answers and calendars through the API, within role scope: a scheduled salon's
invitations reach each person's inbox (their own only), they mark them read and answer; HR and
the attending department's manager read every answer (audited), others their own; the salon's
calendar file is served to who may see the salon."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from domain.models import AuditEntry, Notification
from tests.api.conftest import act_as, graphql
from tests.domain.notifications.world import build
from tests.support.declared import declared_plugins  # noqa: F401  (a fixture)
from workers import notifications as worker_notifications

INBOX = """query($unread: Boolean) { notifications(unreadOnly: $unread) {
  id kind subject text html read planId link salon { id title calendarUrl }
  deliveries { channel status attempts error }
} }"""
RSVPS = "query($id: ID!) { salon(id: $id) { rsvps { name role response note employee { employeeId } } } }"
RESPOND = """mutation($id: ID!, $r: RsvpResponse!, $note: String) {
  respondToInvitation(salonId: $id, response: $r, note: $note) { name role response note respondedAt } }"""
READ = "mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { id read } }"
JANUARY = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def scheduled(client, engine, declared_plugins):  # noqa: F811  (the fixture)
    """The world's salon scheduled by HR a month ahead, its invitations in everyone's inbox."""
    world = build(engine)
    at = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).isoformat()
    done = graphql(
        client, "mutation($id: ID!, $at: DateTime!) { scheduleSalon(salonId: $id, at: $at) { status } }",
        id=str(world.salon), at=at,
    )  # fmt: skip
    assert done["data"]["scheduleSalon"]["status"] == "SCHEDULED", done
    ou = act_as(client, "employee", "O1")
    deadline = time.monotonic() + 30
    while not graphql(ou, INBOX)["data"]["notifications"] and time.monotonic() < deadline:
        time.sleep(0.1)
    return world


def test_each_person_reads_their_own_invitation_in_their_language(client, scheduled):
    world = scheduled
    ou, ben = act_as(client, "employee", "O1"), act_as(client, "employee", "B1")

    (mine,) = graphql(ou, INBOX)["data"]["notifications"]
    (his,) = graphql(ben, INBOX)["data"]["notifications"]

    assert mine["kind"] == "INVITATION" and mine["subject"] == "沙龙邀请：不良率复盘" and not mine["read"]
    assert mine["salon"] == {
        "id": f"Salon:{world.salon}",
        "title": "不良率复盘",
        "calendarUrl": f"/salons/{world.salon}.ics",
    }
    assert mine["deliveries"] == [{"channel": "in_app", "status": "SENT", "attempts": 1, "error": None}]
    assert mine["link"] == f"/salons/{world.salon}.ics" and "<p>" in mine["html"]
    assert his["subject"] == "Invitation: Defect rate review" and "You present at this salon" in his["text"]
    assert his["id"] != mine["id"]
    assert graphql(client, INBOX)["data"]["notifications"] == []  # HR's token names no employee
    assert graphql(act_as(client, "service", "bi"), INBOX)["data"]["notifications"] == []


def test_marking_read_is_for_ones_own(client, scheduled):
    ou, pe = act_as(client, "employee", "O1"), act_as(client, "employee", "P1")
    (mine,) = graphql(ou, INBOX)["data"]["notifications"]
    (theirs,) = graphql(pe, INBOX)["data"]["notifications"]

    marked = graphql(ou, READ, ids=[mine["id"]])
    someone_elses = graphql(ou, READ, ids=[theirs["id"]])
    by_hr = graphql(client, READ, ids=[mine["id"]])

    assert marked["data"]["markNotificationsRead"] == [{"id": mine["id"], "read": True}]
    assert graphql(ou, INBOX, unread=True)["data"]["notifications"] == []
    assert someone_elses["errors"][0]["message"] == f"ids: no notification of yours with id {theirs['id']}"
    assert graphql(pe, INBOX, unread=True)["data"]["notifications"][0]["read"] is False
    assert "markNotificationsRead is for people of the organisation" in by_hr["errors"][0]["message"]


def test_answers_are_given_by_the_invited_and_read_within_scope(client, engine, scheduled):
    world = scheduled
    salon = str(world.salon)
    ou, pe = act_as(client, "employee", "O1"), act_as(client, "employee", "P1")
    manager, stranger = act_as(client, "manager", "M1", "OPS"), act_as(client, "manager", "B1", "BER")

    accepted = graphql(ou, RESPOND, id=salon, r="ACCEPTED", note="准时到")["data"]["respondToInvitation"]
    graphql(pe, RESPOND, id=salon, r="TENTATIVE")
    uninvited = graphql(manager, RESPOND, id=salon, r="DECLINED")

    assert {k: accepted[k] for k in ("name", "role", "response", "note")} == {
        "name": "欧一", "role": "PARTICIPANT", "response": "ACCEPTED", "note": "准时到",
    }  # fmt: skip
    assert uninvited["errors"][0]["message"] == f"salonId: you are not invited to salon {salon}"
    everyone = [
        ("Ben", "PRESENTER", None, None, None),
        ("欧一", "PARTICIPANT", "ACCEPTED", "准时到", "O1"),
        ("彭一", "PARTICIPANT", "TENTATIVE", None, "P1"),
    ]

    def seen(viewer):
        rows = graphql(viewer, RSVPS, id=salon)["data"]["salon"]["rsvps"]
        return [
            (r["name"], r["role"], r["response"], r["note"], (r["employee"] or {}).get("employeeId"))
            for r in rows
        ]

    assert seen(client) == [("Ben", "PRESENTER", None, None, "B1"), *everyone[1:]]  # HR sees every record
    assert seen(manager) == everyone  # OPS attends; Ben works in BER, outside M1's scope
    assert seen(ou) == [everyone[1]]  # their own answer only
    assert seen(stranger) == [
        ("Ben", "PRESENTER", None, None, "B1")
    ]  # BER hosts: its manager is no OPS manager
    with Session(engine) as session:
        audited = [e.subjects for e in session.exec(select(AuditEntry)) if "read:Salon.rsvps" in e.actions]
    assert [f"salon:{salon}", "employee:B1", "employee:O1", "employee:P1"] in audited


def test_the_calendar_file_is_the_invitations_event_for_who_may_see_the_salon(client, engine, scheduled):
    world = scheduled
    path = f"/salons/{world.salon}.ics"
    with Session(engine) as session:
        sent = session.exec(select(Notification.calendar)).first()
    (invitation,) = Calendar.from_ical(sent).events

    mine = act_as(client, "employee", "O1").get(path, params={"locale": "en"})
    outside = act_as(client, "service", "bi", "BER-A").get(path)
    unknown = client.get("/salons/999999.ics")
    anonymous = client.get(path, headers={"Authorization": ""})

    assert mine.status_code == 200 and mine.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(mine.text)
    (event,) = calendar.events
    assert calendar["METHOD"] == "PUBLISH" and "ATTENDEE" not in event
    assert (str(event["UID"]), event["SEQUENCE"], event.start) == (
        str(invitation["UID"]),
        invitation["SEQUENCE"],
        invitation.start,
    )
    assert str(event["SUMMARY"]) == "Defect rate review"
    assert outside.status_code == 404 and unknown.status_code == 404
    assert anonymous.status_code == 401


def test_a_plan_reminder_reaches_the_inbox_with_its_plan(client, engine, scheduled):
    world = scheduled
    worker_notifications.check(engine, client.app.state.broker, at=JANUARY)
    pe = act_as(client, "employee", "P1")
    deadline = time.monotonic() + 30
    while len(found := graphql(pe, INBOX)["data"]["notifications"]) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)

    reminder = next(n for n in found if n["kind"] == "PLAN_REMINDER")
    assert reminder["planId"] == str(world.plans["shanghai"]) and reminder["salon"] is None
    assert reminder["subject"] == "改进计划提醒：运营部不良率"


def test_the_inbox_costs_the_same_statements_for_more_notifications(client, engine, scheduled):
    from tests.support.statements import counted

    pe = act_as(client, "employee", "P1")
    graphql(pe, INBOX)  # the viewer resolved and cached, as for any later request
    with counted(engine) as one:
        assert len(graphql(pe, INBOX)["data"]["notifications"]) == 1
    for month in (1, 2):  # two reminders more
        worker_notifications.check(
            engine, client.app.state.broker, at=datetime(2027, month, 1, 1, 0, tzinfo=UTC)
        )
    deadline = time.monotonic() + 30
    while len(graphql(pe, INBOX)["data"]["notifications"]) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)

    with counted(engine) as three:
        assert len(graphql(pe, INBOX)["data"]["notifications"]) == 3

    assert len(three) == len(one)


@pytest.mark.usefixtures("declared_plugins")
def test_a_mail_server_down_shows_on_the_notification(make_client, database_url, engine, monkeypatch):
    from tests.support.proxy import outside_ephemeral_port

    monkeypatch.setenv("SALON_SMTP_URL", f"smtp://127.0.0.1:{outside_ephemeral_port()}")  # nobody listens
    monkeypatch.setenv("SALON_SMTP_FROM", "salon@example.com")
    client = make_client(database_url, engine)
    world = build(engine)
    ou = act_as(client, "employee", "O1")

    worker_notifications.check(engine, client.app.state.broker, at=JANUARY)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = graphql(ou, INBOX)["data"]["notifications"]
        email = [d for n in found for d in n["deliveries"] if d["channel"] == "email"]
        if email and email[0]["error"]:
            break
        time.sleep(0.1)

    (reminder,) = found
    assert reminder["planId"] == str(world.plans["shanghai"])
    by_channel = {d["channel"]: d for d in reminder["deliveries"]}
    assert by_channel["in_app"]["status"] == "SENT"
    assert by_channel["email"]["status"] in ("PENDING", "SENDING") and by_channel["email"]["attempts"] >= 1
    assert "ConnectionRefusedError" in by_channel["email"]["error"]
