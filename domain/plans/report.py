"""Plans and a department's month in words, the way HR speaks: "本月拣货差错率较基线下降了12%，
距离目标还差18%，按计划进行".

Read from what the workers computed (``PlanProgress``, ``PlanEffect``, a plan's status, ``Gap``,
``FeedbackTheme``): the words never recompute a number. They follow the metric's direction —
a rate that should fall and rose is "the wrong way", a value above its target is a gap only when
lower is better. Numbers, months and quarters are formatted for the locale by Babel; the
sentences are gettext messages (``domain.plans.messages``) in all twelve shipped languages, with
each one's plural rules; metrics, departments and feedback themes are named by their labels in the
reader's language (``domain.labels``). The reports name no person: a department's report is an
aggregate that its own employees may read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent
from sqlmodel import Session, col, select

from domain.errors import InvalidArgument
from domain.labels import Labels, load_labels
from domain.locales import LOCALES
from domain.models import (
    Department,
    FeedbackTheme,
    Gap,
    ImprovementPlan,
    Metric,
    PlanEffect,
    PlanProgress,
    PlanStatus,
)
from domain.periods import Period, PeriodError
from domain.plans.messages import say
from domain.vocabulary import Direction
from plugins.i18n import CLDR_UNITS, CURRENCIES, measure

TOP_THEMES = 3  # the themes a cause analysis names


@dataclass(frozen=True)
class Voice:
    """One locale's words, number formats and names (``labels``: none reads the imported names)."""

    locale: str
    labels: Labels | None = None

    @property
    def babel(self) -> Locale:
        return Locale.parse(self.locale, sep="-")

    def say(self, key: str, **values: object) -> str:
        return say(key, self.locale, **values)

    def sentence(self, text: str) -> str:
        """Capitalised (a metric's name may open it) and ended (Thai ends with a space: none)."""
        end = self.say("sentence.end")
        text = text[:1].upper() + text[1:]
        return text if text.endswith(end) else (text + end).rstrip()

    def name(self, kind: str, code: str, imported: str) -> str:
        """A metric's, department's or theme's name in this language (its label), else ``imported``."""
        if self.labels is None:
            return imported
        return self.labels.name(kind, code, self.locale)

    def metric(self, metric: Metric) -> str:
        return self.name("metric", metric.code, metric.name)

    def department(self, department: Department) -> str:
        return self.name("department", department.code, department.name)

    def join(self, items: list[str]) -> str:
        return self.say("list.separator").join(items)

    def percent(self, share: float) -> str:
        """A share or relative change, unsigned, in the locale's percent pattern (CLDR) with up to
        one decimal: 12%, 12.5%, 12,5 % in German."""
        return format_percent(abs(share), self._percent_pattern("0.#"), locale=self.babel)

    def points(self, difference: float) -> str:
        """A difference of two relative changes in percentage points, unsigned."""
        return format_decimal(abs(difference) * 100, "#,##0.#", locale=self.babel)

    def number(self, value: float, unit: str = "") -> str:
        """Up to three significant digits below 1 (0.088), two decimals above (1,234.57); a ``%``
        metric holds fractions (0–1) and reads as a percentage (0.05 → 5%, 5 % in German), a
        unit CLDR knows (hours, money) in the reader's words (``plugins.i18n.measure``)."""
        if unit == "%":
            return format_percent(value, self._percent_pattern("0.##"), locale=self.babel)
        if unit in CLDR_UNITS or unit in CURRENCIES:
            return measure(value, unit, self.locale)
        text = format_decimal(value, "@##" if abs(value) < 1 else "#,##0.##", locale=self.babel)
        if not unit:
            return text
        return text + unit if self.locale.startswith(("zh", "ja")) else f"{text} {unit}"

    def _percent_pattern(self, digits: str) -> str:
        """The locale's percent pattern (CLDR: ``#,##0 %`` in German) with ``digits`` decimals."""
        pattern = self.babel.percent_formats[None].pattern.split(";")[0]
        return re.sub(r"0(?!.*0)", digits, pattern)

    def period(self, text: str) -> str:
        """A month or quarter as people write it: 2026年11月, November 2026, Q4 2026."""
        period = Period.parse(text)
        return format_skeleton("yMMMM" if period.is_month else "yQQQ", period.start(), locale=self.babel)


def voice(locale: str, session: Session | None = None) -> Voice:
    """``locale``'s voice, naming things by the labels in ``session``'s database when given."""
    if locale not in LOCALES:
        raise InvalidArgument(
            f"unsupported locale {locale!r} (use one of {', '.join(LOCALES)})", field="locale"
        )
    return Voice(locale, None if session is None else load_labels(session.connection()))


# --- phrases ---------------------------------------------------------------------------------


def moved(v: Voice, change: float, direction: str | None) -> str:
    """How a value moved: "down 12%", "up 5% (the wrong way)" given the metric's direction, or
    "unchanged" when it rounds to 0%."""
    if round(abs(change) * 100, 1) == 0:
        return v.say("moved.flat")
    way = "down" if change < 0 else "up"
    wrong = direction is not None and (way == "down") != (direction == Direction.LOWER_IS_BETTER.value)
    return v.say(f"moved.{way}" + (".wrong_way" if wrong else ""), amount=v.percent(change))


def goal(v: Voice, goal_change: float, kind: str = "goal") -> str:
    """The goal as a move, "down 30%" (``kind`` "goal"), or as an aim, "30% fall" ("aim")."""
    return v.say(f"{kind}.down" if goal_change < 0 else f"{kind}.up", amount=v.percent(goal_change))


def progress_sentence(v: Voice, metric: Metric, point: PlanProgress, when: str) -> str:
    """A month's standing: "本月拣货差错率较基线下降了12%，距离目标还差18%，按计划进行"."""
    if point.remaining_to_goal == 0:
        standing = v.say("progress.reached")
    else:
        track = v.say("track.on" if point.on_track else "track.behind")
        standing = v.say("progress.short", remaining=v.percent(point.remaining_to_goal), track=track)
    return v.sentence(
        v.say(
            "progress",
            when=when,
            metric=v.metric(metric),
            moved=moved(v, point.change_from_baseline, metric.direction),
            standing=standing,
        )
    )


def status_sentence(
    v: Voice, plan: ImprovementPlan, metric: Metric, points: list[PlanProgress]
) -> str | None:
    """What decided an ACHIEVED or MISSED plan; None for the others."""
    if plan.status == PlanStatus.ACHIEVED and plan.status_period:
        return v.sentence(
            v.say("status.achieved", month=v.period(plan.status_period), goal=goal(v, plan.goal_change))
        )
    if plan.status == PlanStatus.MISSED and plan.status_period:
        at = next((p for p in points if p.period == plan.status_period), None)
        if at is not None:
            return v.sentence(
                v.say(
                    "status.missed",
                    month=v.period(plan.status_period),
                    metric=v.metric(metric),
                    moved=moved(v, at.change_from_baseline, metric.direction),
                    aim=goal(v, plan.goal_change, "aim"),
                )
            )
    return None


def effect_sentence(v: Voice, plan: ImprovementPlan, metric: Metric, effect: PlanEffect) -> str:
    """The effect: "3个月后，不良率较基线下降了8%", against the departments without a plan (or
    saying plainly there are none)."""
    start, end = Period.parse(effect.current_period), Period.parse(plan.baseline_period)
    months = (start.year - end.year) * 12 + start.month - end.month
    headline = v.say(
        "effect.later", count=months, metric=v.metric(metric), moved=moved(v, effect.change, metric.direction)
    )
    did = effect.difference_in_differences
    if effect.comparison_change is None or did is None:
        return v.sentence(v.say("effect.uncompared", headline=headline))
    if round(abs(did) * 100, 1) == 0:
        net = v.say("net.same")
    else:
        better = (did < 0) == (metric.direction == Direction.LOWER_IS_BETTER.value)
        net = v.say("net.better" if better else "net.worse", points=v.points(did))
    return v.sentence(
        v.say(
            "effect.compared",
            headline=headline,
            count=len(effect.comparison_department_ids),
            comparison=moved(v, effect.comparison_change, None),
            net=net,
        )
    )


# --- the reports -----------------------------------------------------------------------------


def plan_report(session: Session, plan_id: int, locale: str) -> str:
    """A plan in words: its goal, where it stands (or what decided it), and its effect."""
    v = voice(locale, session)
    plan = session.get(ImprovementPlan, plan_id)
    if plan is None:
        raise InvalidArgument(f"no plan {plan_id}", field="plan_id")
    metric = session.get(Metric, plan.metric_id)
    department = session.get(Department, plan.department_id)
    points = list(
        session.exec(
            select(PlanProgress)
            .where(col(PlanProgress.plan_id) == plan_id)
            .order_by(col(PlanProgress.period))
        )
    )
    header = v.say(
        "plan.header", department=v.department(department), metric=v.metric(metric), goal=goal(v, plan.goal_change),
        baseline=v.number(plan.baseline, metric.unit), baseline_month=v.period(plan.baseline_period),
        goal_value=v.number(plan.goal_value, metric.unit), deadline=v.period(plan.deadline),
    )  # fmt: skip
    lines = [v.sentence(header)]
    latest = points[-1] if points else None
    latest_words = (
        progress_sentence(v, metric, latest, v.say("when.month", month=v.period(latest.period)))
        if latest
        else None
    )
    if plan.status == PlanStatus.CANCELLED:
        reason = (plan.cancel_reason or "").strip().rstrip("。.!！")
        lines.append(
            v.sentence(
                v.say("status.cancelled", reason=reason) if reason else v.say("status.cancelled.no_reason")
            )
        )
        lines += [latest_words] if latest_words else []
    elif plan.baseline == 0:  # no progress is computed against 0 (``workers.analytics.progress``)
        lines.append(v.sentence(v.say("status.zero_baseline", metric=v.metric(metric))))
    elif latest is None:
        lines.append(
            v.sentence(v.say("status.no_data", month=v.period(plan.baseline_period), metric=v.metric(metric)))
        )
    else:
        decided = status_sentence(v, plan, metric, points)
        lines += [decided] if decided else []
        if plan.status != PlanStatus.MISSED or decided is None:
            lines.append(latest_words)
        if plan.status == PlanStatus.ACTIVE and latest.milestone is not None:
            milestone = v.number(latest.milestone, metric.unit)
            actual = v.number(latest.actual, metric.unit)
            lines.append(v.sentence(v.say("progress.milestone", milestone=milestone, actual=actual)))
    effect = session.get(PlanEffect, plan_id)
    if effect is not None:
        lines.append(effect_sentence(v, plan, metric, effect))
    return "\n".join(lines)


def department_report(session: Session, department_id: int, period: str, locale: str) -> str:
    """A department's month (or quarter): its plans' progress, its gaps, and the causes its
    people name in feedback, with their shares of the mentions."""
    v = voice(locale, session)
    try:
        parsed = Period.parse(period)
    except PeriodError as error:
        raise InvalidArgument(str(error), field="period") from None
    department = session.get(Department, department_id)
    if department is None:
        raise InvalidArgument(f"no department {department_id}", field="department_id")
    period = str(parsed)
    when = v.say("when.this_month") if parsed.is_month else v.say("when.this_quarter")
    lines = [v.say("department.header", department=v.department(department), period=v.period(period))]
    lines += _plan_lines(session, v, department_id, parsed, when)
    lines += _gap_lines(session, v, department_id, period, when)
    lines.append(_causes(session, v, department_id, period, when))
    return "\n".join(lines)


def _plan_lines(session: Session, v: Voice, department_id: int, period: Period, when: str) -> list[str]:
    """The department's plans running in ``period``: made before its end, not cancelled, and
    still open or decided in it or later."""
    months = [str(month) for month in period.months()]
    plans = [
        plan
        for plan in session.exec(
            select(ImprovementPlan)
            .where(
                col(ImprovementPlan.department_id) == department_id,
                col(ImprovementPlan.status) != PlanStatus.CANCELLED.value,
                col(ImprovementPlan.baseline_period) < months[-1],
            )
            .order_by(col(ImprovementPlan.id))
        )
        if plan.status == PlanStatus.ACTIVE or (plan.status_period or "") >= months[0]
    ]
    if not plans:
        return [v.sentence(v.say("department.no_plans", when=when))]
    metrics = {
        m.id: m for m in session.exec(select(Metric).where(col(Metric.id).in_({p.metric_id for p in plans})))
    }
    points: dict[int, list[PlanProgress]] = defaultdict(list)
    for point in session.exec(
        select(PlanProgress)
        .where(col(PlanProgress.plan_id).in_([p.id for p in plans]), col(PlanProgress.period).in_(months))
        .order_by(col(PlanProgress.period))
    ):
        points[point.plan_id].append(point)
    lines = []
    for plan in plans:
        metric, mine = metrics[plan.metric_id], points[plan.id]
        if plan.baseline == 0:
            lines.append(v.sentence(v.say("status.zero_baseline", metric=v.metric(metric))))
        elif mine:
            latest = mine[-1]
            at = when if latest.period == str(period) else v.say("when.month", month=v.period(latest.period))
            lines.append(progress_sentence(v, metric, latest, at))
        else:
            lines.append(v.sentence(v.say("department.no_point", when=when, metric=v.metric(metric))))
        if plan.status_period in months:
            decided = status_sentence(v, plan, metric, mine)
            lines += [decided] if decided else []
    return lines


def _gap_lines(session: Session, v: Voice, department_id: int, period: str, when: str) -> list[str]:
    """Each metric below its target or worse than the period before, most severe first."""
    rows = session.exec(
        select(Gap, Metric)
        .join(Metric, col(Metric.id) == col(Gap.metric_id))
        .where(col(Gap.department_id) == department_id, col(Gap.period) == period)
        .order_by(col(Gap.severity).desc(), col(Metric.code))
    ).all()
    if not rows:
        return [v.sentence(v.say("gap.no_figures", when=when))]
    lines = []
    for gap, metric in rows:
        parts = []
        if gap.below_target and gap.target is not None:
            parts.append(
                v.say(f"gap.below_target.{metric.direction}", target=v.number(gap.target, metric.unit))
            )
        if gap.worsening and gap.change is not None:
            parts.append(v.say("gap.worsening", moved=moved(v, gap.change, None)))
        if parts:
            actual = v.say(
                "gap.actual", when=when, metric=v.metric(metric), actual=v.number(gap.actual, metric.unit)
            )
            lines.append(v.sentence(v.join([actual, *parts])))
    return lines or [v.sentence(v.say("gap.none", when=when))]


def _causes(session: Session, v: Voice, department_id: int, period: str, when: str) -> str:
    """The themes people name most, with their shares of every theme mention (a feedback with
    two tags counts in both), whatever metric the feedback is about."""
    counts: dict[str, int] = defaultdict(int)
    for theme in session.exec(
        select(FeedbackTheme).where(
            col(FeedbackTheme.department_id) == department_id, col(FeedbackTheme.period) == period
        )
    ):
        counts[theme.theme] += theme.count
    total = sum(counts.values())
    if not total:
        return v.sentence(v.say("causes.none", when=when))
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_THEMES]
    items = [
        v.say("causes.item", theme=v.name("tag", theme, theme), share=v.percent(count / total))
        for theme, count in top
    ]
    return v.sentence(v.say("causes", items=v.join(items), count=total))
