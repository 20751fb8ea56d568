"""Per-request DataLoaders (``<Result>By<Key>Loader``): one query per batch, no N+1."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from api.batching import Reader, SalonPersonRecord, key_values, keys_in, lazy_loader
from api.batching import by_key as _by_key
from api.batching import grouped as _grouped
from api.growth_loaders import GrowthLoaders
from api.plan_loaders import PlanLoaders
from api.series import series_loader
from api.viewer import where_viewer_sees_departments, where_viewer_sees_individuals
from domain.disclosure import INDIVIDUAL, ShownDriver, disclose
from domain.models import (
    Department,
    Employee,
    Feedback,
    FeedbackTheme,
    Gap,
    GapDriver,
    GrowthNeed,
    GrowthRecord,
    Job,
    Metric,
    Review,
    TopPerformer,
)
from domain.periods import Period

if TYPE_CHECKING:
    from api.viewer import Viewer

__all__ = ["Loaders", "Reader", "SalonPersonRecord"]

# Statements of the screens' loaders, built once; a batch binds its keys (api.batching.keys_in).
_DEPARTMENTS_BY_ID = select(Department).where(*keys_in(Department.id))
_DEPARTMENTS_BY_PARENT_ID = (
    select(Department).where(*keys_in(Department.parent_id)).order_by(col(Department.code))
)
_METRICS_BY_ID = select(Metric).where(*keys_in(Metric.id))
_DRIVERS_BY_GAP = (
    select(GapDriver)
    .where(*keys_in(GapDriver.metric_id, GapDriver.department_id, GapDriver.period))
    .order_by(col(GapDriver.dimension), col(GapDriver.share).desc(), col(GapDriver.segment))
)
_THEMES_BY_GAP = (
    select(FeedbackTheme)
    .where(*keys_in(FeedbackTheme.metric_id, FeedbackTheme.department_id, FeedbackTheme.period))
    .order_by(col(FeedbackTheme.count).desc(), col(FeedbackTheme.theme))
)
_GAPS_BY_DEPARTMENT_PERIOD = (
    select(Gap)
    .where(*keys_in(Gap.department_id, Gap.period))
    .order_by(col(Gap.severity).desc(), col(Gap.metric_id))
)
_GROWTH_NEEDS_BY_DEPARTMENT_PERIOD = (
    select(GrowthNeed)
    .where(*keys_in(GrowthNeed.department_id, GrowthNeed.period))
    .order_by(col(GrowthNeed.share).desc(), col(GrowthNeed.skill))
)
_TOP_PERFORMERS_BY_DEPARTMENT_METRIC_PERIOD = (
    select(TopPerformer, Employee, Metric.code)
    .join(Employee, col(Employee.id) == col(TopPerformer.employee_id))
    .join(Metric, col(Metric.id) == col(TopPerformer.metric_id))
    .where(*keys_in(TopPerformer.department_id, Metric.code, TopPerformer.period))
    .order_by(col(TopPerformer.rank))
)


class Loaders:
    """The viewer's scope is part of every query here: a row outside it is never read."""

    department_by_id = lazy_loader("_departments_by_id")
    departments_by_parent_id = lazy_loader("_departments_by_parent_id")
    employee_by_id = lazy_loader("_employees_by_id")
    employee_by_code = lazy_loader("_employees_by_code")
    salon_person_by_code = lazy_loader("_salon_people_by_code")
    employees_by_department_id = lazy_loader("_employees_by_department_id")
    metric_by_id = lazy_loader("_metrics_by_id")
    metric_by_code = lazy_loader("_metrics_by_code")
    drivers_by_gap = lazy_loader("_drivers_by_gap")
    themes_by_gap = lazy_loader("_themes_by_gap")
    reviews_by_employee_id = lazy_loader("_reviews_by_employee_id")
    growth_by_employee_id = lazy_loader("_growth_by_employee_id")
    job_by_id = lazy_loader("_jobs_by_id")
    jobs_by_parent_id = lazy_loader("_jobs_by_parent_id")
    gaps_by_department_period = lazy_loader("_gaps_by_department_period")
    feedback_by_department_period = lazy_loader("_feedback_by_department_period")
    growth_needs_by_department_period = lazy_loader("_growth_needs_by_department_period")
    top_performers_by_department_metric_period = lazy_loader("_top_performers_by_department_metric_period")

    def __init__(self, read: Reader, viewer: Viewer) -> None:
        self._read = read
        self._viewer = viewer
        self.plans = PlanLoaders(read, viewer)  # what follows a salon
        self.growth = GrowthLoaders(read, viewer)  # the growth area's (api.growth_loaders)
        self.series_by_department_metric = series_loader(read, viewer)

    async def _departments_by_id(self, ids: list[int]) -> list[Department | None]:
        statement = where_viewer_sees_departments(_DEPARTMENTS_BY_ID, self._viewer, Department.id)
        rows = await self._read(lambda s: s.exec(statement, params=key_values(ids)).all())
        return _by_key(rows, ids, lambda d: d.id)

    async def _departments_by_parent_id(self, ids: list[int]) -> list[list[Department]]:
        statement = where_viewer_sees_departments(_DEPARTMENTS_BY_PARENT_ID, self._viewer, Department.id)
        rows = await self._read(lambda s: s.exec(statement, params=key_values(ids)).all())
        return _grouped(rows, ids, lambda d: d.parent_id)

    async def _employees_by_id(self, ids: list[int]) -> list[Employee | None]:
        statement = self._people(select(Employee).where(col(Employee.id).in_(ids)))
        rows = await self._read(lambda s: s.exec(statement).all())
        return _by_key(rows, ids, lambda e: e.id)

    async def _employees_by_code(self, codes: list[str]) -> list[Employee | None]:
        """By the natural ``employee_id`` (what salons store); None outside the viewer's scope."""
        statement = self._people(select(Employee).where(col(Employee.employee_id).in_(codes)))
        rows = await self._read(lambda s: s.exec(statement).all())
        return _by_key(rows, codes, lambda e: e.employee_id)

    async def _salon_people_by_code(self, codes: list[str]) -> list[SalonPersonRecord | None]:
        """What a salon may tell of anyone in it, in or out of scope: a name (shown next to their
        role in the salon to those who may see the salon's people) and a team (to aggregate
        charts by). Never the rest of the row; callers decide who sees the name."""
        statement = select(
            Employee.employee_id, Employee.name, Employee.team, Employee.department_id, Employee.id
        ).where(col(Employee.employee_id).in_(codes))
        rows = await self._read(lambda s: s.exec(statement).all())
        return _by_key([SalonPersonRecord(*row) for row in rows], codes, lambda p: p.employee_id)

    async def _employees_by_department_id(self, ids: list[int]) -> list[list[Employee]]:
        statement = self._people(
            select(Employee).where(col(Employee.department_id).in_(ids)).order_by(col(Employee.employee_id))
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        return _grouped(rows, ids, lambda e: e.department_id)

    async def _metrics_by_id(self, ids: list[int]) -> list[Metric | None]:
        rows = await self._read(lambda s: s.exec(_METRICS_BY_ID, params=key_values(ids)).all())
        return _by_key(rows, ids, lambda m: m.id)

    async def _metrics_by_code(self, codes: list[str]) -> list[Metric | None]:
        rows = await self._read(lambda s: s.exec(select(Metric).where(col(Metric.code).in_(codes))).all())
        return _by_key(rows, codes, lambda m: m.code)

    async def _drivers_by_gap(self, keys: list[tuple[int, int, str]]) -> list[list[GapDriver | ShownDriver]]:
        """Keys are (metric_id, department_id, period); one query for all of them.

        HR admins get the rows as stored. Everyone else gets them through ``disclose``: small
        segments are read only to be merged with others (hiding them would not do, shares add
        up to 1), and a person's own share (the ``employee`` dimension) is never read.
        """
        statement = _DRIVERS_BY_GAP
        if not self._viewer.sees_small_segments:
            statement = statement.where(col(GapDriver.dimension) != INDIVIDUAL)
        rows = await self._read(lambda s: s.exec(statement, params=key_values(keys, 3)).all())
        grouped = _grouped(rows, keys, lambda d: (d.metric_id, d.department_id, d.period))
        if self._viewer.sees_small_segments:
            return grouped
        return [disclose(group) for group in grouped]

    async def _themes_by_gap(self, keys: list[tuple[int, int, str]]) -> list[list[FeedbackTheme]]:
        rows = await self._read(lambda s: s.exec(_THEMES_BY_GAP, params=key_values(keys, 3)).all())
        return _grouped(rows, keys, lambda t: (t.metric_id, t.department_id, t.period))

    async def _gaps_by_department_period(self, keys: list[tuple[int, str]]) -> list[list[Gap]]:
        """Keys are (department_id, period); most severe first."""
        statement = where_viewer_sees_departments(_GAPS_BY_DEPARTMENT_PERIOD, self._viewer, Gap.department_id)
        rows = await self._read(lambda s: s.exec(statement, params=key_values(keys, 2)).all())
        return _grouped(rows, keys, lambda g: (g.department_id, g.period))

    async def _feedback_by_department_period(self, keys: list[tuple[int, str]]) -> list[list[Feedback]]:
        """Keys are (department_id, period); a quarter's feedback is its months' (and any stored
        for the quarter itself). Ordered by period, then by the keyed fingerprint, not the row id:
        the import order would place anonymous feedback among its named neighbours."""
        months = {key: {key[1], *(str(m) for m in Period.parse(key[1]).months())} for key in keys}
        statement = where_viewer_sees_individuals(
            select(Feedback)
            .where(
                col(Feedback.department_id).in_(sorted({department for department, _ in keys})),
                col(Feedback.period).in_(sorted(set().union(*months.values()))),
            )
            .order_by(col(Feedback.period), col(Feedback.fingerprint)),
            self._viewer,
            Feedback.department_id,
            Feedback.employee_id,
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        return [[r for r in rows if r.department_id == key[0] and r.period in months[key]] for key in keys]

    async def _growth_needs_by_department_period(self, keys: list[tuple[int, str]]) -> list[list[GrowthNeed]]:
        """Keys are (department_id, period); largest share first."""
        statement = where_viewer_sees_departments(
            _GROWTH_NEEDS_BY_DEPARTMENT_PERIOD, self._viewer, GrowthNeed.department_id
        )
        rows = await self._read(lambda s: s.exec(statement, params=key_values(keys, 2)).all())
        return _grouped(rows, keys, lambda n: (n.department_id, n.period))

    async def _top_performers_by_department_metric_period(
        self, keys: list[tuple[int, str, str]]
    ) -> list[list[tuple[TopPerformer, Employee]]]:
        """Keys are (department_id, metric_code, period); best first. Only the people the viewer
        may see: the scope is on the performer's row, as for any individual-level data."""
        statement = where_viewer_sees_individuals(
            _TOP_PERFORMERS_BY_DEPARTMENT_METRIC_PERIOD,
            self._viewer,
            TopPerformer.department_id,
            TopPerformer.employee_id,
        )
        rows = await self._read(lambda s: s.exec(statement, params=key_values(keys, 3)).all())
        grouped = _grouped(rows, keys, lambda row: (row[0].department_id, row[2], row[0].period))
        return [[(performer, person) for performer, person, _ in group] for group in grouped]

    def _people(self, statement):
        return where_viewer_sees_individuals(statement, self._viewer, Employee.department_id, Employee.id)

    async def _reviews_by_employee_id(self, ids: list[int]) -> list[list[Review]]:
        """Callers check the employee is visible; the join repeats it in the SQL."""
        statement = self._people(
            select(Review)
            .join(Employee, col(Employee.id) == col(Review.employee_id))
            .where(col(Review.employee_id).in_(ids))
            .order_by(col(Review.cycle))
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        return _grouped(rows, ids, lambda r: r.employee_id)

    async def _growth_by_employee_id(self, ids: list[int]) -> list[list[GrowthRecord]]:
        statement = self._people(
            select(GrowthRecord)
            .join(Employee, col(Employee.id) == col(GrowthRecord.employee_id))
            .where(col(GrowthRecord.employee_id).in_(ids))
            .order_by(col(GrowthRecord.date), col(GrowthRecord.kind), col(GrowthRecord.skill))
        )
        rows = await self._read(lambda s: s.exec(statement).all())
        return _grouped(rows, ids, lambda g: g.employee_id)

    async def _jobs_by_id(self, ids: list[str]) -> list[Job | None]:
        """Callers check the viewer may read jobs (HR only)."""
        rows = await self._read(lambda s: s.exec(select(Job).where(col(Job.id).in_(ids))).all())
        return _by_key(rows, ids, lambda j: j.id)

    async def _jobs_by_parent_id(self, ids: list[str]) -> list[list[Job]]:
        """A job's parts, in the order they were created; callers check the viewer may read jobs."""
        statement = select(Job).where(col(Job.parent_id).in_(ids)).order_by(col(Job.created_at), col(Job.id))
        rows = await self._read(lambda s: s.exec(statement).all())
        return _grouped(rows, ids, lambda j: j.parent_id)
