"""``/salons/{id}.ics``: a salon as an iCalendar file (``Salon.calendarUrl``), for whoever may see
the salon — with the token of any other request (bearer or the sign-in cookie).

It is the event the invitations carry (same UID, same SEQUENCE), published without attendees, so
importing it and accepting an invitation leave one event in a calendar. A salon the viewer may
not see and one that does not exist read the same (404).
"""

from __future__ import annotations

from anyio import to_thread
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api import locale as locales
from api.viewer import resolve_viewer
from domain.locales import LOCALES
from domain.models import SalonCalendar
from domain.notifications.calendar import PUBLISH, ics
from domain.notifications.invitations import event_of
from domain.salons import store
from domain.salons.content import SalonContent
from domain.settings import Settings

MAX_ID = 2**63 - 1


def _refused(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message}]}, status_code=status)


def route(engine: Engine, settings: Settings):
    async def salon_calendar(request: Request) -> Response:
        salon_id = request.path_params["salon_id"]
        claims = request.state.claims  # set by api.http.gate.Authenticate, which refuses without
        header = locales.from_header(request.headers.get("accept-language"))
        asked = request.query_params.get("locale")
        if asked is not None and asked not in LOCALES:
            return _refused(
                400, f"locale: unsupported locale {asked[:20]!r} (use one of {', '.join(LOCALES)})"
            )
        if salon_id > MAX_ID:  # no row has it, and SQLite could not even compare it
            return _refused(404, f"no scheduled salon {salon_id} in your scope")
        locale = locales.choose(asked, header, settings.locale)

        def build() -> Response:
            with Session(engine) as session:
                viewer = resolve_viewer(session, claims)
                if viewer.refusal:
                    return _refused(403, viewer.refusal)
                found = store.visible_salons(
                    session, department_ids=viewer.department_ids, salon_ids=[salon_id]
                )
                calendar = session.get(SalonCalendar, salon_id) if found else None
                if calendar is None:
                    return _refused(404, f"no scheduled salon {salon_id} in your scope")
                event = event_of(calendar, SalonContent.from_json(found[0].content), locale)
            return Response(
                ics(event, PUBLISH),
                media_type="text/calendar; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="salon-{salon_id}.ics"'},
            )

        return await to_thread.run_sync(build)

    return salon_calendar
