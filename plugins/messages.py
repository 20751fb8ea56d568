"""Every text the built-in formats generate, declared once in English with its key.

Each ``N_(key, text)`` (``NP_(key, singular, plural)``) is a gettext message: the key is its context, the English text its id.
``pybabel extract`` collects them (``make catalogs``); translations live in
``plugins/locale/<locale>/LC_MESSAGES/salon.po``. Placeholders use ``str.format`` names; numbers
arrive formatted by ``Context``.
"""

from __future__ import annotations


def N_(key: str, text: str) -> tuple[str, str]:  # noqa: N802  (the gettext marker name)
    """Marks a message for extraction; gives back (key, English text)."""
    return key, text


def NP_(key: str, singular: str, plural: str) -> tuple[str, tuple[str, str]]:  # noqa: N802
    """Marks a message with plural forms, chosen by its ``count`` value and the locale's rule."""
    return key, (singular, plural)


MESSAGES: dict[str, str | tuple[str, str]] = dict(
    (
        N_("topic.worsening", "{department}: {metric} got worse, {change}"),
        N_("topic.growth", "{department}: {share} of the team want to grow {skill}"),
        N_("fit.shortfalls_only", "serves shortfalls only"),
        N_(
            "workshop.fit",
            "a shortfall to work through: feedback {feedback}, concentrated drivers {drivers}, deterioration {deterioration} (each 0–1, on a base of 0.3)",
        ),
        N_("exchange.fit", "{host} leads on {metric} by {lead} (full marks from 30%)"),
        N_("exchange.fit.none", "no other department leads on {metric} by at least 10%"),
        N_(
            "skill.fit",
            "{share} of the department asked for {skill} and {metric} has top performers to teach it{linked}",
        ),
        N_("skill.fit.linked", ", the department's top shortfall"),
        N_("skill.fit.growth_only", "serves growth needs only"),
        N_("skill.fit.few", "only {share} asked for {skill}: fewer than 20%"),
        N_(
            "skill.fit.no_metric",
            "no metric is linked to {skill}, so nobody can be picked to teach it by the numbers",
        ),
        N_("skill.fit.nobody", "nobody stands out on {metric} to teach {skill}"),
        N_("workshop.title", "Data-review workshop: {metric}"),
        N_("workshop.agenda.numbers", "The numbers: {metric} now and over the year"),
        N_("workshop.agenda.groups", "Groups: finding the causes"),
        N_("workshop.agenda.share", "Groups report back"),
        N_("workshop.agenda.actions", "Actions and owners"),
        N_("workshop.question.change", "Why did {metric} go from {previous} to {actual} ({change})?"),
        N_(
            "workshop.question.target",
            "{metric} is {actual} against a target of {target}: where does the gap come from?",
        ),
        N_(
            "workshop.question.driver_share",
            "{segment} are {people} of the people but account for {share} of the gap: what makes it hard for them?",
        ),
        NP_(
            "workshop.question.theme",
            "Feedback mentions {theme} {count} time: how does it relate to {metric}?",
            "Feedback mentions {theme} {count} times: how does it relate to {metric}?",
        ),
        N_(
            "workshop.question.action",
            "What one thing can we do next month to bring {metric} back to {target}?",
        ),
        N_("segment.new_hire", "New hires"),
        N_("segment.experienced", "Experienced staff"),
        N_("chart.by_team", "{metric} by team"),
        N_("chart.trend", "{metric}: last 12 months against target"),
        N_("chart.heatmap", "{metric}: employee × month"),
        N_("chart.team", "Team"),
        N_("chart.other", "Other"),
        N_("chart.everyone", "All"),
        N_("chart.month", "Month"),
        N_("chart.employee", "Employee"),
        N_("chart.value", "Value"),
        # a value axis's title: the metric's name and its unit (小时, hours, ¥, 件)
        N_("chart.axis_unit", "{metric} ({unit})"),
        N_("chart.target", "Target"),
        N_("chart.actual", "Actual"),
        N_("chart.better_than_target", "Better than target"),
        N_("chart.worse_than_target", "Worse than target"),
        N_("chart.better_than_average", "Better than the average"),
        N_("chart.worse_than_average", "Worse than the average"),
        N_("chart.department", "Department"),
        N_("chart.host", "{department} (host)"),
        N_("chart.target_of", "Target of {department}"),
        N_("chart.departments", "{metric} by department: last 12 months"),
        N_("chart.departments_per_head", "{metric} per head by department: last 12 months"),
        # a sum per head: each month over that month's people (by hire date), or over today's
        N_(
            "chart.departments_per_head_monthly",
            "{metric} per head by department (people employed each month): last 12 months",
        ),
        N_(
            "chart.departments_per_head_current",
            "{metric} per head by department (today's headcount): last 12 months",
        ),
        N_("group.name", "Group {number}"),
        N_("exchange.title", "Cross-department exchange: {metric}, hosted by {host}"),
        N_("exchange.agenda.figures", "{metric} in both departments"),
        N_("exchange.agenda.figures_group", "{metric} at {departments}"),
        N_("exchange.agenda.host", "How {host} does it"),
        N_("exchange.agenda.qa", "Questions and discussion"),
        N_("exchange.agenda.actions", "What we will adopt"),
        N_(
            "exchange.question.contrast",
            "{host} is at {host_value} on {metric}, {department} at {value}: which practices make the difference?",
        ),
        N_(
            "exchange.question.contrast_per_head",
            "{host} is at {host_value} per head on {metric}, {department} at {value}: which practices make the difference?",
        ),
        N_(
            "exchange.question.contrast_group",
            "{host} is at {host_value} on {metric}; {figures}: which practices make the difference?",
        ),
        N_(
            "exchange.question.contrast_per_head_group",
            "{host} is at {host_value} per head on {metric}; {figures}: which practices make the difference?",
        ),
        N_("exchange.figure", "{department} at {value}"),
        N_(
            "exchange.question.improved",
            "{host}'s {metric} changed {host_change} last period: what did they change?",
        ),
        N_("exchange.question.adopt", "Which of {host}'s practices can {department} try first?"),
        N_("exchange.question.adopt_group", "Which of {host}'s practices can {departments} try first?"),
        N_("skill.title", "Skill sharing: {skill}"),
        N_("skill.agenda.why", "Why {skill}: {share} of us asked for it"),
        N_("skill.agenda.demo", "Top performers show how"),
        N_("skill.agenda.practice", "Practice in pairs"),
        N_("skill.agenda.next", "What we practise next"),
        N_(
            "skill.question.metric",
            "The presenters reach {top} on {metric} against a department average of {average}: what do they do differently?",
        ),
        N_("skill.question.first", "What is the one problem in {skill} you most want solved first?"),
        N_("skill.question.practice", "How will we practise {skill} next month and see whether it works?"),
        N_("topic.shortfall.higher", "{department}: {metric} below target ({actual} against {target})"),
        N_("topic.shortfall.lower", "{department}: {metric} above its ceiling ({actual} against {target})"),
        N_("change.rate.up", "up {points} pp ({relative})"),
        N_("change.rate.down", "down {points} pp ({relative})"),
        N_("change.flat", "unchanged"),
    )
)
