"""The viewer's notifications and their answers to invitations.

Everything here is the viewer's own: their inbox (``notifications``), marking it read, and
answering an invitation. A viewer who is not an employee (an HR admin or service token without
an employee record) has no inbox.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from anyio import to_thread
from sqlmodel import Session

from api.context import Info
from api.salons import allowed_department_ids, row_id
from api.types.notification import Notification
from api.types.rsvp import Rsvp, RsvpResponse
from api.types.salon import Salon
from api.viewer import PermissionDenied
from domain import models
from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.notifications import inbox, rsvp
from domain.salons import store

MAX_IDS = 500


def _ids(values: list[strawberry.ID], argument: str, kind: str = "notification") -> list[int]:
    """Ids as the database stores them: digits only, 18 at most (within both databases' range)."""
    if len(values) > MAX_IDS:
        raise InvalidArgument(f"{argument}: at most {MAX_IDS} ids at once")
    found = []
    for value in values:
        text = str(value)
        if not (text.isascii() and text.isdigit() and 0 < len(text) <= 18 and int(text) > 0):
            raise InvalidArgument(f"{argument}: not a {kind} id: {text[:40]!r}")
        found.append(int(text))
    return found


def _me(info: Info, action: str) -> int:
    me = info.context.viewer.employee_row_id
    if me is None:
        raise PermissionDenied(f"{action} is for people of the organisation (the token names no employee)")
    return me


def _read_inbox(info: Info, me: int, unread_only: bool, ids: list[int] | None = None):
    """The viewer's notifications (those of ``ids`` only, when given) with the salons they are
    about that the viewer may see, in two more queries whatever their number."""
    allowed = allowed_department_ids(info)

    def query(session: Session):
        rows = inbox.inbox(session, me, unread_only)
        if ids is not None:
            rows = [pair for pair in rows if pair[0].id in ids]
        salon_ids = sorted({n.salon_id for n, _ in rows if n.salon_id is not None})
        salons = (
            store.visible_salons(session, department_ids=allowed, salon_ids=salon_ids) if salon_ids else []
        )
        links = store.attending_department_ids(session, [s.id for s in salons])
        return rows, {s.id: (s, links[s.id]) for s in salons}

    return query


def _shown(info: Info, rows, salons) -> list[Notification]:
    locale = info.context.locale()
    found = []
    for row, deliveries in rows:
        salon = salons.get(row.salon_id)
        shown = Salon.of(salon[0], salon[1], locale, info.context.formats) if salon else None
        found.append(Notification.from_row(row, deliveries, shown))
    return found


@strawberry.type
class NotificationQuery:
    @strawberry.field(
        description="The viewer's notifications in the app, newest first (the latest 200): invitations, plan "
        "reminders and progress reports, each with its deliveries. Empty for a token that names no employee."
    )
    async def notifications(
        self,
        info: Info,
        unread_only: Annotated[
            bool | None, strawberry.argument(description="Only those not marked read.")
        ] = False,
    ) -> list[Notification]:
        me = info.context.viewer.employee_row_id
        if me is None:
            return []
        rows, salons = await info.context.read(_read_inbox(info, me, bool(unread_only)))
        return _shown(info, rows, salons)


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(description="Mark the viewer's notifications read; returns them.")
    async def mark_notifications_read(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The viewer's own notifications to mark read."),
        ],
    ) -> list[Notification]:
        me = _me(info, "markNotificationsRead")
        wanted = _ids(ids, "ids")

        def mark():
            with session_scope(info.context.engine) as session:
                return inbox.mark_read(session, me, wanted, models.utcnow())

        marked = await to_thread.run_sync(mark)  # another's id is refused naming it (field ids)
        rows, salons = await info.context.read(_read_inbox(info, me, False, set(marked)))
        return _shown(info, rows, salons)

    @strawberry.mutation(
        description="Answer an invitation to a scheduled salon: ACCEPTED, DECLINED or TENTATIVE, with an "
        "optional note (at most 500 characters); a new answer replaces the last."
    )
    async def respond_to_invitation(
        self,
        info: Info,
        salon_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="A salon the viewer is invited to: its number (`Salon.salonId`) or its global id."
            ),
        ],
        response: Annotated[RsvpResponse, strawberry.argument(description="Their answer.")],
        note: Annotated[
            str | None, strawberry.argument(description="A few words with it (e.g. who comes instead).")
        ] = None,
    ) -> Rsvp:
        me = _me(info, "respondToInvitation")
        salon = row_id(salon_id)
        answer = models.RsvpResponse(response.value)

        def respond():
            with session_scope(info.context.engine) as session:
                invitation = rsvp.respond(session, salon, me, answer, note, models.utcnow())
                return invitation, session.get(models.Employee, me)

        invitation, person = await to_thread.run_sync(respond)
        info.context.audit("mutation:respondToInvitation", f"salon:{salon}")
        return Rsvp.of(invitation, person)
