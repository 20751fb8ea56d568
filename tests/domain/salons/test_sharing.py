"""One exchange for everyone who needs it: the shared salon is built again for all its
departments, so its questions name each of them and its chart draws each one's line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.labels import Labels
from domain.salons.planner import rebuilder
from domain.salons.sharing import share_hosted
from plugins import hookimpl
from plugins.builtin.exchange import CrossDepartmentExchange
from plugins.facts import MetricFacts
from plugins.i18n import LOCALES, translate
from plugins.testing import company, department, metric, plan

NAMES = {
    "CS": {"zh-CN": "客服部", "en": "Customer Service"},
    "OPS": {"zh-CN": "运营部", "en": "Operations"},
    "SALES": {"zh-CN": "销售部", "en": "Sales"},
}


def lagging_twice():
    """CS leads on the complaint rate (lower is better); OPS lags most, SALES too."""
    facts = company(
        department("CS", people=10, values={"complaint_rate": {"actual": 0.08, "target": 0.09, "previous": 0.085}}),
        department("OPS", people=10, values={"complaint_rate": {"actual": 0.15, "target": 0.09, "previous": 0.14}}),
        department("SALES", people=6, values={"complaint_rate": {"actual": 0.12, "target": 0.09, "previous": 0.11}}),
        metrics=[metric("complaint_rate", unit="%", direction="lower")],
    )  # fmt: skip
    names = {
        (kind, code, locale): name
        for kind, codes in (("department", NAMES), ("metric", {"complaint_rate": {"zh-CN": "投诉率", "en": "Complaint rate"}}))
        for code, by_locale in codes.items()
        for locale, name in by_locale.items()
    }  # fmt: skip
    return replace(facts, labels=Labels("zh-CN", names))


@pytest.fixture(scope="module")
def shared():
    result = plan(formats=[CrossDepartmentExchange()], facts=lagging_twice(), share=False)
    assert {s.department_code for s in result.salons} == {"OPS", "SALES"}  # each lags CS
    rebuild = rebuilder(result.facts, result.formats, result.problems, LOCALES)
    salons, joined = share_hosted(result.salons, rebuild)
    assert result.problems == [] and joined == {"SALES": "OPS"}
    return salons


def test_the_shared_exchange_is_attended_by_both_and_hosted_by_the_leader(shared):
    (salon,) = shared
    draft = salon.drafts["en"]

    assert salon.department_code == "OPS" and draft.departments == ["OPS", "SALES"]
    assert draft.host_department == "CS"
    assert {p[:2] for p in draft.participants} == {"OP", "SA"} and len(draft.participants) == 16


@pytest.mark.parametrize("locale", LOCALES)
def test_its_questions_name_every_attending_department(shared, locale):
    draft = shared[0].drafts[locale]
    names = [NAMES[code].get(locale, NAMES[code]["zh-CN"]) for code in ("OPS", "SALES")]

    assert all(name in draft.questions[0] for name in names), draft.questions[0]  # the figures, side by side
    assert all(name in draft.questions[-1] for name in names), draft.questions[-1]  # what each will adopt
    assert all(name in draft.agenda[0].title for name in names)


def test_its_chart_draws_the_host_against_each_attendee_and_their_target(shared):
    for locale in ("zh-CN", "en"):
        (chart,) = shared[0].drafts[locale].charts
        host = translate("chart.host", locale, department=NAMES["CS"][locale])
        target = translate("chart.target", locale)

        line = chart["layer"][0]["encoding"]
        assert line["color"]["scale"]["domain"] == [
            host,
            NAMES["OPS"][locale],
            NAMES["SALES"][locale],
            target,
        ]
        assert line["strokeWidth"]["condition"]["test"]["oneOf"] == [host]  # the host drawn bold
        assert {row["series"] for row in chart["data"]["values"]} == {
            host,
            NAMES["OPS"][locale],
            NAMES["SALES"][locale],
            target,
        }
        assert line["y"]["axis"]["format"].endswith("%")
        assert chart["title"] == translate(
            "chart.departments", locale, metric="投诉率" if locale == "zh-CN" else "Complaint rate"
        )


def test_a_rebuild_that_fails_leaves_the_salon_shared_as_it_was_built():
    result = plan(formats=[CrossDepartmentExchange()], facts=lagging_twice(), share=False)

    salons, _ = share_hosted(result.salons, lambda salon, departments: None)

    (salon,) = salons
    assert salon.drafts["en"].departments == ["OPS", "SALES"]
    assert len(salon.drafts["en"].participants) == 16
    assert "Sales" not in salon.drafts["en"].questions[-1]  # built for OPS alone


def shared_exchange(facts):
    result = plan(formats=[CrossDepartmentExchange()], facts=facts, share=False)
    salons, _ = share_hosted(result.salons, rebuilder(result.facts, result.formats, result.problems, LOCALES))
    return [s for s in salons if len(s.drafts["en"].departments) > 1]


def test_attendees_with_targets_of_their_own_get_a_target_line_each():
    facts = company(
        department("CS", "Customer Service", values={"complaint_rate": {"actual": 0.08, "target": 0.09}}),
        department("OPS", "Operations", values={"complaint_rate": {"actual": 0.15, "target": 0.10}}),
        department("SALES", "Sales", values={"complaint_rate": {"actual": 0.12, "target": 0.08}}),
        metrics=[metric("complaint_rate", "Complaint rate", unit="%", direction="lower")],
    )

    (salon,) = shared_exchange(facts)

    (chart,) = salon.drafts["en"].charts
    dashed = [name for name in chart["layer"][0]["encoding"]["color"]["scale"]["domain"] if "Target" in name]
    assert dashed == ["Target of Operations", "Target of Sales"]
    targets = {row["series"]: row["value"] for row in chart["data"]["values"] if row["series"] in dashed}
    assert targets == {"Target of Operations": 0.10, "Target of Sales": 0.08}


def test_a_sum_is_drawn_per_head_and_titled_so():
    hours = MetricFacts("training_hours", "Training hours", "小时", "higher", None, "sum")
    facts = company(
        department(
            "MKT", "Marketing", people=10, values={"training_hours": {"actual": 50.0, "target": 40.0}}
        ),
        department(
            "HQ", "Headquarters", people=5, values={"training_hours": {"actual": 10.0, "target": 15.0}}
        ),
        department(
            "OPS", "Operations", people=5, values={"training_hours": {"actual": 12.0, "target": 15.0}}
        ),
        metrics=[hours],
    )

    (salon,) = shared_exchange(facts)

    (chart,) = salon.drafts["en"].charts
    assert (
        chart["title"] == "Training hours per head by department (people employed each month): last 12 months"
    )
    per_head = {row["series"]: row["value"] for row in chart["data"]["values"]}
    assert per_head == {"Marketing (host)": 5.0, "Headquarters": 2.0, "Operations": 2.4, "Target": 3.0}
    assert "per head" in salon.drafts["en"].questions[0]


class BrokenPreparer:
    @hookimpl
    def prepare_salon_draft(self, draft, topic, context, format_key):
        raise KeyError(context.department_code)


def test_a_plugin_failing_again_on_the_rebuild_is_reported_once_per_department():
    result = plan(
        formats=[CrossDepartmentExchange()],
        facts=lagging_twice(),
        plugins={"broken": BrokenPreparer()},
        share=False,
    )
    assert sorted(p.department_code for p in result.problems) == ["OPS", "SALES"]

    salons, _ = share_hosted(result.salons, rebuilder(result.facts, result.formats, result.problems, LOCALES))

    assert sorted(p.department_code for p in result.problems) == ["OPS", "SALES"]
    assert all(
        name in salons[0].drafts["en"].questions[-1] for name in ("Operations", "Sales")
    )  # rebuilt all the same
