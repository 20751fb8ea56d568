"""Per-request DataLoaders of the growth area (``<Result>By<Key>Loader``, one query per batch),
attached to ``api.loaders.Loaders`` as ``growth``. The viewer's scope is in every query; the
fields that reach people's data check the person first (``Employee._check``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from api.batching import lazy_loader
from domain.growth.bonus import bonuses
from domain.growth.policy import PointsPolicy
from domain.growth.standing import Standing, standings
from domain.models import Employee, Salon
from domain.periods import Period
from domain.salons import store

if TYPE_CHECKING:
    from api.batching import Reader
    from api.viewer import Viewer


class GrowthLoaders:
    salon_by_id = lazy_loader("_salons_by_id")
    earned_by_employee_cycle = lazy_loader("_earned_by_employee_cycle")
    standings_by_employee_period = lazy_loader("_standings_by_employee_period")

    def __init__(self, read: Reader, viewer: Viewer) -> None:
        self._read = read
        self._viewer = viewer

    async def _salons_by_id(self, ids: list[int]) -> list[tuple[Salon, list[int]] | None]:
        """Salons the viewer may see (their departments attend or host them), with their
        attending departments."""
        allowed = self._viewer.department_ids

        def query(session: Session):
            rows = store.visible_salons(session, department_ids=allowed, salon_ids=ids)
            links = store.attending_department_ids(session, [row.id for row in rows])
            return [(row, links[row.id]) for row in rows]

        found = {row.id: (row, links) for row, links in await self._read(query)}
        return [found.get(salon_id) for salon_id in ids]

    async def _earned_by_employee_cycle(self, keys: Sequence[tuple[int, str]]) -> list[float]:
        """Keys are (employee row, cycle): the points earned before the cap (the caller caps them
        by the settings' policy); one query per cycle asked."""

        def query(session: Session) -> dict[tuple[int, str], float]:
            found: dict[tuple[int, str], float] = {}
            for cycle in sorted({cycle for _, cycle in keys}):
                rows = sorted({row for row, asked in keys if asked == cycle})
                for bonus in bonuses(session, Period.parse_any(cycle), PointsPolicy(), rows):
                    found[(bonus.employee_row, cycle)] = bonus.earned
            return found

        found = await self._read(query)
        return [found.get(key, 0.0) for key in keys]

    async def _standings_by_employee_period(self, keys: Sequence[tuple[int, str]]) -> list[list[Standing]]:
        """Keys are (employee row, period); one read per period asked."""
        viewer = self._viewer

        def query(session: Session) -> dict[tuple[int, str], list[Standing]]:
            found: dict[tuple[int, str], Any] = {}
            for period in sorted({period for _, period in keys}):
                rows = sorted({row for row, asked in keys if asked == period})
                people = session.exec(select(Employee).where(col(Employee.id).in_(rows))).all()
                by_person = standings(
                    session, people, Period.parse(period), sees_colleagues=viewer.sees_individuals_of
                )
                found.update({(row, period): value for row, value in by_person.items()})
            return found

        found = await self._read(query)
        return [found.get(key, []) for key in keys]
