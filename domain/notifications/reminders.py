"""Plan reminders: when they fall, and the reminder each plan's people get.

A plan's reminders follow its own calendar: from the first day of its first milestone month to
the end of its deadline month, on its cadence — monthly on ``day`` (1–28) or weekly on ``day``
(1 = Monday … 7) — at ``hour`` in its department's time zone. The default is monthly on the
1st at 09:00. Local times are kept through daylight-saving changes: 09:00 in Berlin is 08:00
UTC in winter and 07:00 in summer; an hour the change skips (02:30 on the spring night) is
taken as the same hour after the change, an hour it repeats as the first of the two.

At any moment only the *latest* occurrence due is wanted: a check after downtime sends one
reminder per plan, never the backlog, and the message's key (plan × occurrence) makes a second
check, a second scheduler or a replay of the same moment send nothing more. Occurrences before
the cadence was last set are not due, so changing it does not fire a reminder for a past day.
Only ACTIVE plans remind; the owner and the members each get the plan's report in their
language.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from domain.errors import InvalidArgument
from domain.models import (
    Department,
    ImprovementPlan,
    Metric,
    NotificationKind,
    PlanMember,
    PlanReminder,
    PlanStatus,
    ReminderCadence,
    Salon,
    utcnow,
)
from domain.notifications import Defaults
from domain.notifications.drafts import Draft
from domain.notifications.messages import say
from domain.notifications.outbox import Created, add, people
from domain.notifications.zones import department_zones
from domain.periods import Period
from domain.plans.milestones import deadline_month, plan_start
from domain.plans.report import plan_report, voice
from plugins.channels import NotificationChannel


@dataclass(frozen=True)
class Reminder:
    cadence: ReminderCadence = ReminderCadence.MONTHLY
    day: int = 1
    hour: int = 9

    @classmethod
    def checked(cls, cadence: str, day: int, hour: int) -> Reminder:
        """The reminder asked for, or a refusal naming the field and the reason."""
        try:
            chosen = ReminderCadence(cadence.lower())
        except ValueError:
            known = ", ".join(c.value for c in ReminderCadence)
            raise InvalidArgument(
                f"must be one of {known}, got {cadence!r}", field="reminder.cadence"
            ) from None
        if chosen is ReminderCadence.MONTHLY and not 1 <= day <= 28:
            raise InvalidArgument(
                f"a monthly reminder falls on a day from 1 to 28 (every month has it), got {day}",
                field="reminder.day",
            )
        if chosen is ReminderCadence.WEEKLY and not 1 <= day <= 7:
            raise InvalidArgument(
                f"a weekly reminder falls on a weekday from 1 (Monday) to 7 (Sunday), got {day}",
                field="reminder.day",
            )
        if not 0 <= hour <= 23:
            raise InvalidArgument(f"must be an hour from 0 to 23, got {hour}", field="reminder.hour")
        return cls(chosen, day, hour)


DEFAULT = Reminder()


# --- when -------------------------------------------------------------------------------------


def _at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """``hour`` o'clock local on ``day``, in UTC. ``fold=0`` (PEP 495) reads an hour a change
    skips with the offset before it (02:30 → 03:30 after the change) and a repeated hour as its
    first occurrence."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def latest_due(
    reminder: Reminder,
    first: Period,
    last: Period,
    zone: ZoneInfo,
    at: datetime,
    since: datetime | None = None,
) -> datetime | None:
    """The latest occurrence at or before ``at`` (UTC) in the months ``first`` to ``last``, not
    before ``since``; None when there is none or ``at`` is past ``last``."""
    local = at.astimezone(zone)
    start = first.start()
    end = last.end()
    today = local.date()
    if today > end:
        return None
    if reminder.cadence is ReminderCadence.MONTHLY:
        candidates = [date(today.year, today.month, reminder.day)]
        previous = Period(today.year, month=today.month).previous()
        candidates.append(date(previous.year, previous.month, reminder.day))
    else:
        back = (today.isoweekday() - reminder.day) % 7
        candidates = [today - timedelta(days=back), today - timedelta(days=back + 7)]
    for day in candidates:
        moment = _at(day, reminder.hour, zone)
        if moment <= at:
            if day < start or day > end or (since is not None and moment < since):
                return None
            return moment
    return None


# --- what is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    plan: ImprovementPlan
    occurrence: datetime  # UTC


def due(session: Session, at: datetime, defaults: Defaults) -> list[Due]:
    """Every ACTIVE plan whose latest occurrence at ``at`` exists, by plan id."""
    rows = session.exec(
        select(ImprovementPlan, Salon.month, PlanReminder)
        .outerjoin(Salon, col(Salon.id) == col(ImprovementPlan.salon_id))
        .outerjoin(PlanReminder, col(PlanReminder.plan_id) == col(ImprovementPlan.id))
        .where(col(ImprovementPlan.status) == PlanStatus.ACTIVE.value)
        .order_by(col(ImprovementPlan.id))
    ).all()
    zones = department_zones(session, defaults.timezone)
    found = []
    for plan, salon_month, stored in rows:
        reminder = (
            DEFAULT if stored is None else Reminder(ReminderCadence(stored.cadence), stored.day, stored.hour)
        )
        since = None if stored is None else stored.updated_at
        first = plan_start(plan, salon_month)
        last = deadline_month(Period.parse(plan.deadline))
        zone = zones.get(plan.department_id, ZoneInfo(defaults.timezone))
        occurrence = latest_due(reminder, first, last, zone, at, since)
        if occurrence is not None:
            found.append(Due(plan, occurrence))
    return found


def plan_people(session: Session, plan: ImprovementPlan) -> list[int]:
    """The owner and the members, owner first."""
    members = session.exec(select(PlanMember.employee_id).where(col(PlanMember.plan_id) == plan.id)).all()
    return list(dict.fromkeys([plan.owner_id, *sorted(members)]))


def plan_draft(session: Session, plan: ImprovementPlan, person, kind: NotificationKind, key: str) -> Draft:
    """A plan's message to one person: a line of what it is, then the plan's report."""
    locale = person.locale
    department = session.get(Department, plan.department_id)
    metric = session.get(Metric, plan.metric_id)
    wording = kind.value
    named = voice(locale, session)  # the names the report under it uses: the labels in the reader's language
    return Draft(
        key=key,
        kind=kind,
        employee_id=person.row_id,
        locale=locale,
        subject=say(
            f"{wording}.subject", locale, department=named.department(department), metric=named.metric(metric)
        ),
        paragraphs=(say(f"{wording}.body", locale), plan_report(session, plan.id, locale)),
        plan_id=plan.id,
    )


def remind(
    session: Session,
    at: datetime,
    defaults: Defaults,
    channels: Mapping[str, NotificationChannel],
    *,
    with_job: bool = True,
    now: datetime | None = None,
) -> Created:
    """Create the reminders due at ``at`` that were not sent yet (see the module)."""
    drafts, recipients = [], {}
    for item in due(session, at, defaults):
        found = people(session, plan_people(session, item.plan), defaults.locale)
        recipients |= found
        key = f"plan:{item.plan.id}:reminder:{item.occurrence.strftime('%Y-%m-%dT%H:%MZ')}"
        drafts += [
            plan_draft(session, item.plan, p, NotificationKind.PLAN_REMINDER, key) for p in found.values()
        ]
    return add(session, drafts, recipients, channels, now or utcnow(), with_job=with_job)


# --- a plan's cadence -------------------------------------------------------------------------


def reminder_of(session: Session, plan_id: int) -> Reminder:
    return reminders_of(session, [plan_id])[plan_id]


def reminders_of(session: Session, plan_ids: Collection[int]) -> dict[int, Reminder]:
    """The cadence of each of ``plan_ids`` (the default for a plan that never set one), in one
    query: what ``ImprovementPlan.reminder`` batches."""
    rows = session.exec(select(PlanReminder).where(col(PlanReminder.plan_id).in_(sorted(set(plan_ids)))))
    stored = {row.plan_id: Reminder(ReminderCadence(row.cadence), row.day, row.hour) for row in rows}
    return {plan_id: stored.get(plan_id, DEFAULT) for plan_id in plan_ids}


def set_reminder(
    session: Session, plan_id: int, reminder: Reminder, by: str, now: datetime | None = None
) -> None:
    """Set ``plan_id``'s cadence (in the caller's transaction: a plan's create or update)."""
    stored = session.get(PlanReminder, plan_id)
    if stored is None:
        stored = PlanReminder(plan_id=plan_id)
    elif (stored.cadence, stored.day, stored.hour) == (reminder.cadence.value, reminder.day, reminder.hour):
        return  # unchanged: its reminders keep their course
    stored.cadence, stored.day, stored.hour = reminder.cadence.value, reminder.day, reminder.hour
    stored.updated_by, stored.updated_at = by, now or utcnow()
    session.add(stored)
