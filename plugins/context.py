"""The read-only view of the organisation a format sees while it fits and builds.

One ``Context`` per department being planned and locale; all of them share the same facts,
loaded once per planning run. Collections are tuples and mappings a plugin cannot change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from plugins import charts as chart_builders
from plugins.facts import (
    DepartmentFacts,
    DriverFacts,
    EmployeeFacts,
    Facts,
    GapFacts,
    GrowthNeedFacts,
    MetricFacts,
    ThemeFacts,
)
from plugins.i18n import LOCALES, decimal, listing, localised, measure, percent, translate
from plugins.settings import NO_SETTINGS, PluginSettings


@dataclass(frozen=True)
class Context:
    """What a format may read about ``department_code``'s situation; ``t`` speaks ``locale``;
    ``settings`` are the values of the settings the calling plugin declared; ``attending`` the
    departments that attend the salon together when several share it (:attr:`attendees`)."""

    facts: Facts
    department_code: str
    locale: str
    settings: PluginSettings = field(default=NO_SETTINGS, compare=False)
    attending: tuple[str, ...] = ()

    # -- who and where ---------------------------------------------------------------------
    @property
    def month(self) -> str:
        return self.facts.month

    @property
    def period(self) -> str:
        return self.facts.period

    @property
    def department(self) -> DepartmentFacts:
        """This department, its ``name`` in this context's locale."""
        return self.department_named(self.department_code)

    def department_named(self, code: str) -> DepartmentFacts:
        """A department, its ``name`` in this context's locale."""
        found = self.facts.departments[code]
        return replace(found, name=self.label("department", code, found.name))

    @property
    def attendees(self) -> tuple[str, ...]:
        """The department codes attending the salon being built: this department, and the
        others when several share one salon (departments lagging the same host at one exchange)."""
        return tuple(dict.fromkeys((self.department_code, *self.attending)))

    def metric(self, code: str) -> MetricFacts:
        """A metric, its ``name`` in this context's locale."""
        found = self.facts.metrics[code]
        return replace(found, name=self.label("metric", code, found.name))

    def label(self, kind: str, code: str, fallback: str | None = None) -> str:
        """What people read for a ``metric``, ``skill``, ``tag`` or ``department`` code in this
        locale: its imported name, else the default locale's, else ``fallback`` or the code
        made readable — never the raw code."""
        from domain.labels import readable  # the one rule for making a code readable

        if self.facts.labels is not None:
            return self.facts.labels.name(kind, code, self.locale)
        return fallback if fallback and fallback != code else readable(code)

    def employees(self, department_code: str | None = None) -> tuple[EmployeeFacts, ...]:
        """A department's employees (default: this one), by employee id."""
        code = department_code or self.department_code
        return tuple(
            sorted(
                (e for e in self.facts.employees.values() if e.department_code == code),
                key=lambda e: e.employee_id,
            )
        )

    def employee(self, employee_id: str) -> EmployeeFacts:
        return self.facts.employees[employee_id]

    # -- findings ---------------------------------------------------------------------------
    def gaps(self, department_code: str | None = None) -> tuple[GapFacts, ...]:
        """A department's gaps in the period, most severe first."""
        code = department_code or self.department_code
        return tuple(
            sorted(
                (g for g in self.facts.gaps if g.department_code == code),
                key=lambda g: (-g.severity, g.metric_code),
            )
        )

    def gap(self, metric_code: str, department_code: str | None = None) -> GapFacts | None:
        code = department_code or self.department_code
        return next(
            (g for g in self.facts.gaps if g.department_code == code and g.metric_code == metric_code), None
        )

    def standings(self, metric_code: str) -> tuple[GapFacts, ...]:
        """Every department's gap on the metric in the period, best first.

        Ranked on attainment when every department has a target (so departments of different
        sizes compare fairly on sums), otherwise on the value in the metric's direction — for a
        sum, the value per head (:meth:`compared`), leaving out departments with nobody to
        divide by: 394 h from 30 people is not better than 132 h from 12.
        """
        rows = [g for g in self.facts.gaps if g.metric_code == metric_code]
        if rows and all(g.attainment is not None for g in rows):
            return tuple(sorted(rows, key=lambda g: (-(g.attainment or 0), g.department_code)))
        sign = -1 if self.metric(metric_code).higher_is_better else 1
        values = {g.department_code: self.compared(g) for g in rows}
        ranked = [g for g in rows if values[g.department_code] is not None]
        return tuple(sorted(ranked, key=lambda g: (sign * values[g.department_code], g.department_code)))

    def headcount(self, department_code: str | None = None) -> int:
        """A department's people today (as the facts list them: everyone hired before the month
        planned, in the department they are in now)."""
        return len(self.employees(department_code))

    def headcount_in(self, period: str, department_code: str | None = None) -> int:
        """A department's people in ``period`` (``YYYY-MM`` or a quarter): those of
        :meth:`headcount` hired by its last day. The data knows hire dates but not leaving dates
        or earlier departments, so people who left or moved since are not counted."""
        from domain.periods import Period  # the one reading of a period's bounds

        end = Period.parse(period).end()
        return sum(1 for e in self.employees(department_code) if e.hire_date <= end)

    def per_head(self, gap: GapFacts) -> float | None:
        """The gap's value divided by its department's people (None for a department of nobody)."""
        people = self.headcount(gap.department_code)
        return gap.actual / people if people else None

    def compared(self, gap: GapFacts) -> float | None:
        """The value departments are compared on: per head for a sum metric, else the value."""
        return self.per_head(gap) if self.metric(gap.metric_code).is_sum else gap.actual

    def drivers(self, metric_code: str, department_code: str | None = None) -> tuple[DriverFacts, ...]:
        code = department_code or self.department_code
        return tuple(
            sorted(
                (d for d in self.facts.drivers if d.department_code == code and d.metric_code == metric_code),
                key=lambda d: (d.dimension, -d.share, d.segment),
            )
        )

    def themes(self, metric_code: str | None, department_code: str | None = None) -> tuple[ThemeFacts, ...]:
        """Feedback themes about the metric in the period's months, most frequent first."""
        code = department_code or self.department_code
        return tuple(
            sorted(
                (t for t in self.facts.themes if t.department_code == code and t.metric_code == metric_code),
                key=lambda t: (-t.count, t.theme),
            )
        )

    def growth_needs(self, department_code: str | None = None) -> tuple[GrowthNeedFacts, ...]:
        code = department_code or self.department_code
        return tuple(
            sorted(
                (n for n in self.facts.growth_needs if n.department_code == code),
                key=lambda n: (-n.share, n.skill),
            )
        )

    def top_performers(self, metric_code: str, department_code: str | None = None) -> tuple[str, ...]:
        """Employee ids of the department's top 10% on the metric in the period, best first."""
        return self.facts.top_performers.get((department_code or self.department_code, metric_code), ())

    def wishers(self, skill: str, department_code: str | None = None) -> tuple[str, ...]:
        """Employee ids with an open growth wish for ``skill`` at the period's end."""
        return self.facts.wishes.get((department_code or self.department_code, skill), ())

    def series(self, metric_code: str, department_code: str | None = None, *, employees: bool = False):
        """Monthly values of the metric, oldest first: the department's, or (``employees``) each
        employee's."""
        code = department_code or self.department_code
        rows = [
            v
            for v in self.facts.series
            if v.department_code == code
            and v.metric_code == metric_code
            and ((v.employee_id is not None) == employees)
        ]
        return tuple(sorted(rows, key=lambda v: (v.period, v.employee_id or "")))

    # -- words and pictures -----------------------------------------------------------------
    charts = chart_builders

    def mixed_groups(self, employees: tuple[EmployeeFacts, ...] | None = None) -> list[list[str]]:
        """Working groups of 4–6 mixing new and experienced, high and low scorers (the
        product's grouping rule, ``domain.salons.grouping``): employee ids per group."""
        from domain.salons.grouping import mixed_groups  # the policy lives with the planner

        return mixed_groups(self.employees() if employees is None else employees)

    def t(self, key: str, **values: object) -> str:
        """The built-in catalog's text for ``key`` in this context's locale. A ``skill`` or
        ``theme`` value is a code and is shown by its name in the locale (:meth:`label`)."""
        return translate(key, self.locale, **self._named(values))

    def _named(self, values: dict[str, object]) -> dict[str, object]:
        named = dict(values)
        for placeholder, kind in (("skill", "skill"), ("theme", "tag")):
            if isinstance(named.get(placeholder), str):
                named[placeholder] = self.label(kind, named[placeholder])
        return named

    def texts(self, key: str, **values: object) -> dict[str, str]:
        """The built-in catalog's text for ``key`` in every supported locale (a ``Text``, e.g. a
        ``Fit``'s reason); a value that is itself a ``Text`` by locale is taken in each locale,
        and a metric's or department's name as this context says it is said in each locale."""

        names = {self.metric(code).name: ("metric", code) for code in self.facts.metrics}
        names |= {self.department_named(code).name: ("department", code) for code in self.facts.departments}

        def value_in(value: object, context: Context) -> object:
            if isinstance(value, Mapping):
                return localised(value, context.locale)
            if isinstance(value, str) and value in names:
                kind, code = names[value]
                return (context.metric(code) if kind == "metric" else context.department_named(code)).name
            return value

        result = {}
        for locale in LOCALES:
            there = self.in_locale(locale)
            result[locale] = there.t(key, **{k: value_in(v, there) for k, v in values.items()})
        return result

    def number(self, value: float | None, unit: str = "") -> str:
        """A figure as people in this locale write it (CLDR, through Babel): percent units as
        percentages to one decimal (``0.149`` → ``14.9%``), others grouped, to 2 decimals under
        1,000, with their unit in the reader's words (``1,016 hr``, ``950小时``: CLDR units)."""
        if value is None:
            return "—"
        if unit == "%":
            return percent(value, self.locale)
        return measure(value, unit, self.locale, 2 if abs(value) < 1000 else 0)

    def axis_title(self, metric: MetricFacts) -> str:
        """A chart's value-axis title for ``metric`` (as :meth:`metric` names it): its name with
        its unit in this locale's words (``培训时长（小时）``), the bare name for a percent
        (:func:`plugins.charts.value_title`)."""
        return chart_builders.value_title(metric.name, metric.unit, self.locale)

    def listing(self, items: Sequence[str]) -> str:
        """Names joined as a sentence in this locale lists them (CLDR): ``A, B, and C``, ``A、B和C``."""
        return listing(items, self.locale)

    def share(self, value: float) -> str:
        """A share of people or of a gap as a whole percent (``0.3`` → ``30%``), per locale."""
        return percent(value, self.locale, digits=0)

    def change(self, value: float | None, unit: str = "", previous: float | None = None,
               actual: float | None = None) -> str:  # fmt: skip
        """A relative change as a signed percent (``+58.8%``); given the figures of a rate (unit
        ``%``), the change in percentage points first, in words (``up 0.9 pp (+58.8%)``)."""
        if value is None:
            return "—"
        relative = percent(value, self.locale, signed=True)
        if unit != "%" or previous is None or actual is None:
            return relative
        points = (actual - previous) * 100
        if round(points, 1) == 0:
            return self.t("change.flat")
        key = "change.rate.up" if points > 0 else "change.rate.down"
        shown = decimal(round(abs(points), 1), self.locale, 1)
        return self.t(key, points=shown, relative=relative)

    def in_locale(self, locale: str) -> Context:
        return replace(self, locale=locale)

    def for_department(self, department_code: str) -> Context:
        return replace(self, department_code=department_code)

    def with_attending(self, department_codes: Sequence[str]) -> Context:
        """The same context for a salon these departments attend together (:attr:`attendees`)."""
        return replace(self, attending=tuple(department_codes))

    def with_settings(self, settings: PluginSettings) -> Context:
        """The same context carrying a plugin's settings (the host calls each plugin with its own)."""
        return replace(self, settings=settings)
