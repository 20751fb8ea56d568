"""Plans and a department's month in words, zh-CN and en, on the hand-computed cases of
``cases.py`` (lower and higher is better, achieved, missed, cancelled, no data, no comparison
group): every number below is one worked out there, as HR would read it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlmodel import Session

from domain.db import make_engine
from domain.errors import InvalidArgument
from domain.plans.report import department_report, plan_report
from tests.domain.plans.cases import Cases, seed_cases
from workers.rebuild import rebuild


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def reported(request, sqlite_file, tmp_path_factory) -> Iterator[tuple[str, Session, Cases]]:
    """The cases with names in the report's language, recomputed (SQLite: the reports only read)."""
    path = tmp_path_factory.mktemp("report") / "salon.db"
    shutil.copy(sqlite_file, path)
    engine = make_engine(f"sqlite:///{path}")
    cases = seed_cases(engine, request.param)
    rebuild(engine)
    with Session(engine) as session:
        yield request.param, session, cases
    engine.dispose()


EXPECTED_PLANS = {
    "pick": {  # lower is better, monthly, missed at its deadline, two departments to compare with
        "zh-CN": "仓储一部拣货差错率改进计划：以2026年9月的0.1为基线，目标下降30%至0.07，截止2027年1月。\n"
        "未能按期达成目标：截至2027年1月，拣货差错率较基线下降了29%，目标为下降30%。\n"
        "4个月后，拣货差错率较基线下降了29%；同期没有改进计划的2个部门平均上升了7%，"
        "扣除这一趋势，净改善了36个百分点（双重差分）。",
        "en": "Warehouse 1: a plan to bring pick error rate down 30% from 0.1 (September 2026) to 0.07 by January 2027.\n"
        "The goal was missed: by the deadline (January 2027) pick error rate was down 29% from the baseline,"
        " short of the 30% fall aimed for.\n"
        "4 months later, pick error rate is down 29% from the baseline; the 2 departments without a plan"
        " moved up 7% on average over the same months, so net of that trend it did 36 pp better"
        " (difference-in-differences).",
    },
    "output": {  # higher is better, quarterly, achieved in 2027-03 and slipped in 2027-04
        "zh-CN": "生产一部产量改进计划：以2026年9月的200件为基线，目标上升30%至260件，截止2027年第2季度。\n"
        "已于2027年3月达成目标（较基线上升30%）。\n"
        "2027年4月产量较基线上升了25%，距离目标还差5%，按计划进行。\n"
        "7个月后，产量较基线上升了25%；同期没有改进计划的1个部门平均上升了10%，扣除这一趋势，净改善了15个百分点（双重差分）。",
        "en": "Plant 1: a plan to bring output up 30% from 200 units (September 2026) to 260 units by Q2 2027.\n"
        "The goal (up 30% from the baseline) was reached in March 2027.\n"
        "Output is up 25% from the baseline in April 2027, 5% short of the goal, on track.\n"
        "7 months later, output is up 25% from the baseline; the one department without a plan moved up 10%"
        " over the same months, so net of that trend it did 15 pp better (difference-in-differences).",
    },
    "code": {  # active, on track against the milestone due (54), nobody to compare with
        "zh-CN": "技术一部代码效率改进计划：以2026年9月的50为基线，目标上升20%至60，截止2027年3月。\n"
        "2026年12月代码效率较基线上升了10%，距离目标还差10%，按计划进行。\n"
        "本期阶段目标为54，实际为55。\n"
        "3个月后，代码效率较基线上升了10%；没有可比较的部门（其他部门同期也有改进计划或缺少数据），无法计算双重差分。",
        "en": "Tech 1: a plan to bring code efficiency up 20% from 50 (September 2026) to 60 by March 2027.\n"
        "Code efficiency is up 10% from the baseline in December 2026, 10% short of the goal, on track.\n"
        "The milestone due is 54; the actual value is 55.\n"
        "3 months later, code efficiency is up 10% from the baseline; there is no comparison group (every other"
        " department had a plan on it or lacks the figures), so no difference-in-differences.",
    },
    "cancelled": {
        "zh-CN": "技术二部代码效率改进计划：以2026年9月的40为基线，目标上升10%至44，截止2027年3月。\n"
        "该计划已取消：reorganised。",
        "en": "Tech 2: a plan to bring code efficiency up 10% from 40 (September 2026) to 44 by March 2027.\n"
        "The plan was cancelled: reorganised.",
    },
    "waiting": {
        "zh-CN": "生产三部产量改进计划：以2027年4月的80件为基线，目标上升10%至88件，截止2027年9月。\n"
        "基线（2027年4月）之后暂无产量数据。",
        "en": "Plant 3: a plan to bring output up 10% from 80 units (April 2027) to 88 units by September 2027.\n"
        "No output figures since the baseline (April 2027) yet.",
    },
}


@pytest.mark.parametrize("case", list(EXPECTED_PLANS))
def test_a_plan_in_words(reported, case):
    locale, session, cases = reported

    assert plan_report(session, cases.plans[case], locale) == EXPECTED_PLANS[case][locale]


EXPECTED_DEPARTMENTS = {
    ("W10", "2026-11"): {  # the sentence; above a target is a gap when lower is better
        "zh-CN": "仓储一部2026年11月报告\n"
        "本月拣货差错率较基线下降了12%，距离目标还差18%，按计划进行。\n"
        "本月拣货差错率为0.088，高于目标0.08。\n"
        "原因分析（员工反馈）：交付占比50%，物流规划占比25%，培训占比25%（共4次提及）。",
        "en": "Warehouse 1: report for November 2026\n"
        "Pick error rate is down 12% from the baseline this month, 18% short of the goal, on track.\n"
        "Pick error rate was 0.088 this month, above its ceiling of 0.08.\n"
        "What people name in their feedback: delivery 50%, logistics planning 25%, training 25% (of 4 mentions).",
    },
    ("P20", "2026-10"): {  # higher is better and it fell: the wrong way, and a worsening gap
        "zh-CN": "生产一部2026年10月报告\n"
        "本月产量较基线反而下降了5%，距离目标还差35%，落后于计划。\n"
        "本月产量为190件，较上期下降了5%。\n"
        "本月没有员工反馈。",
        "en": "Plant 1: report for October 2026\n"
        "Output is down 5% (the wrong way) from the baseline this month, 35% short of the goal, behind plan.\n"
        "Output was 190 units this month, down 5% on the previous period.\n"
        "No feedback this month.",
    },
    ("P20", "2027-03"): {  # the month that achieved it
        "zh-CN": "生产一部2027年3月报告\n"
        "本月产量较基线上升了31%，已达到目标。\n"
        "已于2027年3月达成目标（较基线上升30%）。\n"
        "本月没有未达标或变差的指标。\n"
        "本月没有员工反馈。",
        "en": "Plant 1: report for March 2027\n"
        "Output is up 31% from the baseline this month, the goal is reached.\n"
        "The goal (up 30% from the baseline) was reached in March 2027.\n"
        "No metric fell short of its target or worsened this month.\n"
        "No feedback this month.",
    },
    ("W10", "2027-01"): {  # the deadline month that missed it
        "zh-CN": "仓储一部2027年1月报告\n"
        "本月拣货差错率较基线下降了29%，距离目标还差1%，落后于计划。\n"
        "未能按期达成目标：截至2027年1月，拣货差错率较基线下降了29%，目标为下降30%。\n"
        "本月没有未达标或变差的指标。\n"
        "本月没有员工反馈。",
        "en": "Warehouse 1: report for January 2027\n"
        "Pick error rate is down 29% from the baseline this month, 1% short of the goal, behind plan.\n"
        "The goal was missed: by the deadline (January 2027) pick error rate was down 29% from the baseline,"
        " short of the 30% fall aimed for.\n"
        "No metric fell short of its target or worsened this month.\n"
        "No feedback this month.",
    },
    ("W10", "2026-Q4"): {  # a quarter: its plans at their latest month in it; its value the mean of
        # its months (0.096 + 0.088 + 0.085) / 3 = 0.08966…, its target the months' mean 0.08
        "zh-CN": "仓储一部2026年第4季度报告\n"
        "2026年12月拣货差错率较基线下降了15%，距离目标还差15%，落后于计划。\n"
        "本季度拣货差错率为0.0897，高于目标0.08。\n"
        "原因分析（员工反馈）：交付占比50%，物流规划占比25%，培训占比25%（共4次提及）。",
        "en": "Warehouse 1: report for Q4 2026\n"
        "Pick error rate is down 15% from the baseline in December 2026, 15% short of the goal, behind plan.\n"
        "Pick error rate was 0.0897 this quarter, above its ceiling of 0.08.\n"
        "What people name in their feedback: delivery 50%, logistics planning 25%, training 25% (of 4 mentions).",
    },
    ("W11", "2026-11"): {  # no plan, no figures that month
        "zh-CN": "仓储二部2026年11月报告\n本月没有进行中的改进计划。\n本月暂无指标数据。\n本月没有员工反馈。",
        "en": "Warehouse 2: report for November 2026\nNo improvement plan was running this month.\n"
        "No figures this month yet.\nNo feedback this month.",
    },
}


@pytest.mark.parametrize("department, period", list(EXPECTED_DEPARTMENTS))
def test_a_departments_period_in_words(reported, department, period):
    locale, session, cases = reported

    found = department_report(session, cases.departments[department], period, locale)

    assert found == EXPECTED_DEPARTMENTS[(department, period)][locale]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_plan_on_a_zero_baseline_says_why_it_has_no_progress(sqlite_file, tmp_path, locale):
    path = tmp_path / "salon.db"
    shutil.copy(sqlite_file, path)
    engine = make_engine(f"sqlite:///{path}")
    cases = seed_cases(engine, locale)
    with engine.begin() as connection:  # T30 had 50 in 2026-09: this plan says 0
        connection.execute(
            text("UPDATE improvementplan SET baseline = 0, goal_value = 0 WHERE id = :id"),
            {"id": cases.plans["code"]},
        )
    rebuild(engine)

    with Session(engine) as session:
        words = plan_report(session, cases.plans["code"], locale).splitlines()
        month = department_report(session, cases.departments["T30"], "2026-12", locale).splitlines()
    engine.dispose()

    expected = {
        "zh-CN": "代码效率的基线为0，无法按较基线的变化衡量进度。",
        "en": "The code efficiency baseline is 0, so progress cannot be measured as a change from it.",
    }[locale]
    assert words[1:] == [expected]  # no progress, no effect: just why
    assert month[1] == expected


def test_a_report_in_an_unsupported_language_or_of_a_bad_period_is_refused_naming_the_field(reported):
    _, session, cases = reported

    with pytest.raises(InvalidArgument) as language:
        plan_report(session, cases.plans["pick"], "xx")
    with pytest.raises(InvalidArgument) as period:
        department_report(session, cases.departments["W10"], "2026-13", "en")
    with pytest.raises(InvalidArgument) as plan:
        plan_report(session, 999_999, "en")

    assert language.value.field == "locale" and "xx" in language.value.reason
    assert period.value.field == "period" and "2026-13" in period.value.reason
    assert plan.value.field == "plan_id"
