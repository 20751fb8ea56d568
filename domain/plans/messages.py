"""Every sentence the plan and department reports say, declared once in English with its key.

Gettext messages like the formats' (``plugins/messages.py``), extracted by ``make catalogs``
(``babel.cfg`` names this module) and translated in ``plugins/locale/<locale>/LC_MESSAGES/salon.po``.
Templates use ``str.format`` names; the numbers, months and names arrive formatted
(``domain.plans.report``), so a template only orders words. A count (months, mentions) is a
plural message (``NP_``), said by each language's plural rule.
"""

from __future__ import annotations

from plugins.i18n import translated
from plugins.messages import N_, NP_

MESSAGES: dict[str, str | tuple[str, str]] = dict(
    (
        # how a value moved from the baseline (or the previous period): the goal's way, or the wrong way
        N_("report.moved.down", "down {amount}"),
        N_("report.moved.up", "up {amount}"),
        N_("report.moved.down.wrong_way", "down {amount} (the wrong way)"),
        N_("report.moved.up.wrong_way", "up {amount} (the wrong way)"),
        N_("report.moved.flat", "unchanged"),
        N_("report.goal.down", "down {amount}"),
        N_("report.goal.up", "up {amount}"),
        N_("report.aim.down", "{amount} fall"),
        N_("report.aim.up", "{amount} rise"),
        N_("report.when.this_month", "this month"),
        N_("report.when.this_quarter", "this quarter"),
        N_("report.when.month", "in {month}"),
        # a plan
        N_(
            "report.plan.header",
            "{department}: a plan to bring {metric} {goal} from {baseline} ({baseline_month}) to {goal_value} by {deadline}.",
        ),
        N_("report.progress", "{metric} is {moved} from the baseline {when}, {standing}"),
        N_("report.progress.short", "{remaining} short of the goal, {track}"),
        N_("report.progress.reached", "the goal is reached"),
        N_("report.track.on", "on track"),
        N_("report.track.behind", "behind plan"),
        N_("report.progress.milestone", "The milestone due is {milestone}; the actual value is {actual}."),
        N_("report.status.achieved", "The goal ({goal} from the baseline) was reached in {month}."),
        N_(
            "report.status.missed",
            "The goal was missed: by the deadline ({month}) {metric} was {moved} from the baseline, short of the {aim} aimed for.",
        ),
        N_("report.status.cancelled", "The plan was cancelled: {reason}"),
        N_("report.status.cancelled.no_reason", "The plan was cancelled."),
        N_(
            "report.status.zero_baseline",
            "The {metric} baseline is 0, so progress cannot be measured as a change from it.",
        ),
        N_("report.status.no_data", "No {metric} figures since the baseline ({month}) yet."),
        # the effect
        NP_(
            "report.effect.later",
            "{count} month later, {metric} is {moved} from the baseline",
            "{count} months later, {metric} is {moved} from the baseline",
        ),
        NP_(
            "report.effect.compared",
            "{headline}; the one department without a plan moved {comparison} over the same months, so net of that trend it did {net} (difference-in-differences).",
            "{headline}; the {count} departments without a plan moved {comparison} on average over the same months, so net of that trend it did {net} (difference-in-differences).",
        ),
        N_(
            "report.effect.uncompared",
            "{headline}; there is no comparison group (every other department had a plan on it or lacks the figures), so no difference-in-differences.",
        ),
        N_("report.net.better", "{points} pp better"),
        N_("report.net.worse", "{points} pp worse"),
        N_("report.net.same", "no better and no worse"),
        # a department's period
        N_("report.department.header", "{department}: report for {period}"),
        N_("report.department.no_plans", "No improvement plan was running {when}."),
        N_("report.department.no_point", "No {metric} figures {when} yet."),
        N_("report.gap.actual", "{metric} was {actual} {when}"),
        N_("report.gap.below_target.higher", "below its target of {target}"),
        N_("report.gap.below_target.lower", "above its ceiling of {target}"),
        N_("report.gap.worsening", "{moved} on the previous period"),
        N_("report.gap.none", "No metric fell short of its target or worsened {when}."),
        N_("report.gap.no_figures", "No figures {when} yet."),
        NP_(
            "report.causes",
            "What people name in their feedback: {items} (of {count} mention).",
            "What people name in their feedback: {items} (of {count} mentions).",
        ),
        N_("report.causes.item", "{theme} {share}"),
        N_("report.causes.none", "No feedback {when}."),
        # joining
        N_("report.list.separator", ", "),
        N_("report.sentence.end", "."),
    )
)


def say(key: str, locale: str, **values: object) -> str:
    """The report's sentence ``report.<key>`` in ``locale``, placeholders filled."""
    return translated(MESSAGES, f"report.{key}", locale, values)
