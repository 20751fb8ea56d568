"""The read-only view of the organisation a format sees while it fits and builds.

One ``Context`` per department being planned and locale; all of them share the same facts,
loaded once per planning run. Collections are tuples and mappings a plugin cannot change.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from plugins.formats import localised
from plugins.i18n import LOCALES, translate
from plugins.settings import NO_SETTINGS, PluginSettings


@dataclass(frozen=True)
class Context:
    """What a format may read about ``department_code``'s situation; ``t`` speaks ``locale``;
    ``settings`` are the values of the settings the calling plugin declared."""

    facts: Facts
    department_code: str
    locale: str
    settings: PluginSettings = field(default=NO_SETTINGS, compare=False)

    # -- who and where ---------------------------------------------------------------------
    @property
    def month(self) -> str:
        return self.facts.month

    @property
    def period(self) -> str:
        return self.facts.period

    @property
    def department(self) -> DepartmentFacts:
        return self.facts.departments[self.department_code]

    def department_named(self, code: str) -> DepartmentFacts:
        return self.facts.departments[code]

    def metric(self, code: str) -> MetricFacts:
        return self.facts.metrics[code]

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
        return len(self.employees(department_code))

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
        """The built-in catalog's text for ``key`` in this context's locale."""
        return translate(key, self.locale, **values)

    def texts(self, key: str, **values: object) -> dict[str, str]:
        """The built-in catalog's text for ``key`` in every supported locale (a ``Text``, e.g. a
        ``Fit``'s reason); a value that is itself a ``Text`` by locale is taken in each locale."""

        def value_in(value: object, locale: str) -> object:
            return localised(value, locale) if isinstance(value, Mapping) else value

        return {
            locale: translate(key, locale, **{k: value_in(v, locale) for k, v in values.items()})
            for locale in LOCALES
        }

    def number(self, value: float | None, unit: str = "") -> str:
        """A figure as people read it: percent units as percentages, others to 3 significant digits."""
        if value is None:
            return "—"
        if unit == "%":
            return f"{value * 100:.1f}%"
        text = f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
        return f"{text}{unit if unit and self.locale == 'zh-CN' else (' ' + unit if unit else '')}"

    def change(self, value: float | None) -> str:
        return "—" if value is None else f"{value * 100:+.1f}%"

    def in_locale(self, locale: str) -> Context:
        return replace(self, locale=locale)

    def for_department(self, department_code: str) -> Context:
        return replace(self, department_code=department_code)

    def with_settings(self, settings: PluginSettings) -> Context:
        """The same context carrying a plugin's settings (the host calls each plugin with its own)."""
        return replace(self, settings=settings)
