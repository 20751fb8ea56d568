"""The demo generator: template shape, determinism, integrity, and every story computed from data.

Stories are checked the way the analytics will see them (Σnumerator/Σdenominator per quarter,
tenure cohorts from hire_date vs period end, shares of people), with tolerance bands, so the
tests fail if a refactor keeps the constants but breaks what the data shows.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from domain.demo.generator import FIRST_MONTH, KINDS, LAST_MONTH, generate, write_templates

COLUMNS = {
    "departments": ["code", "name", "parent_code"],
    "employees": [
        "employee_id",
        "name",
        "department_code",
        "hire_date",
        "email",
        "team",
        "level",
        "manager_id",
    ],
    "metrics": ["code", "name", "unit", "direction", "aggregation", "skill"],
    "targets": ["department_code", "metric_code", "period", "target"],
    "observations": [
        "metric_code",
        "period",
        "department_code",
        "employee_id",
        "value",
        "numerator",
        "denominator",
    ],
    "reviews": ["employee_id", "cycle", "score"],
    "feedback": ["employee_id", "period", "metric_code", "text", "tags", "department_code"],
    "labels": ["kind", "code", "locale", "name"],
    "growth": ["employee_id", "date", "kind", "skill", "score", "note"],
}
NATURAL_KEYS = {
    "departments": ["code"],
    "employees": ["employee_id"],
    "metrics": ["code"],
    "targets": ["department_code", "metric_code", "period"],
    "observations": ["metric_code", "period", "department_code", "employee_id"],
    "reviews": ["employee_id", "cycle"],
    "feedback": ["employee_id", "department_code", "period", "metric_code", "text"],  # importer fingerprint
    "labels": ["kind", "code", "locale"],
    "growth": ["employee_id", "date", "kind", "skill"],
}
PERIOD_END = pl.col("period").str.to_date("%Y-%m").dt.month_end()
NEW_HIRE = (PERIOD_END - pl.col("hire_date")).dt.total_days() < 180


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    return generate()


def observations(frames, metric: str, department: str) -> pl.DataFrame:
    obs = frames["observations"].filter(
        pl.col("metric_code") == metric, pl.col("department_code") == department
    )
    return obs.join(
        frames["employees"].select("employee_id", "hire_date", "team"), on="employee_id", how="left"
    )


def ratio(obs: pl.DataFrame, periods: list[str]) -> float:
    chosen = obs.filter(pl.col("period").is_in(periods))
    return chosen["numerator"].sum() / chosen["denominator"].sum()


def mean_value(obs: pl.DataFrame, period: str) -> float:
    return obs.filter(pl.col("period") == period)["value"].mean()


# --- shape, determinism, integrity ----------------------------------------------------------------
def test_generate_returns_every_kind_with_exactly_the_template_columns(frames):
    assert tuple(frames) == KINDS
    for kind, frame in frames.items():
        assert frame.columns == COLUMNS[kind], kind
        assert frame.height > 0, kind
    assert frames["employees"].schema["hire_date"] == pl.Date
    assert frames["growth"].schema["date"] == pl.Date
    for kind, column in [
        ("observations", "value"),
        ("observations", "numerator"),
        ("targets", "target"),
        ("reviews", "score"),
        ("growth", "score"),
    ]:
        assert frames[kind].schema[column] == pl.Float64


def test_periods_cover_22_months_from_first_to_last(frames):
    periods = frames["observations"]["period"].unique().sort().to_list()
    assert (periods[0], periods[-1], len(periods)) == (FIRST_MONTH, LAST_MONTH, 22)


def test_same_seed_gives_identical_frames_and_another_seed_differs(frames):
    again = generate(7)
    for kind in KINDS:
        assert_frame_equal(frames[kind], again[kind])
    assert not generate(8)["observations"].equals(frames["observations"])


def test_write_templates_twice_writes_identical_bytes(tmp_path):
    first = write_templates(tmp_path / "a")
    second = write_templates(tmp_path / "b", seed=7)
    assert list(first) == list(KINDS)
    for kind in KINDS:
        assert first[kind].name == f"{kind}.csv"
        assert first[kind].read_bytes() == second[kind].read_bytes()
        assert first[kind].read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS[kind])
    employees = pl.read_csv(first["employees"], try_parse_dates=True)
    assert employees.schema["hire_date"] == pl.Date


@pytest.mark.parametrize("kind", KINDS)
def test_natural_keys_are_unique(frames, kind):
    frame = frames[kind]
    assert frame.select(NATURAL_KEYS[kind]).unique().height == frame.height


def test_every_code_people_read_has_an_english_name_and_skills_and_themes_a_chinese_one(frames):
    labels = frames["labels"]
    named = {
        (kind, code, locale) for kind, code, locale in labels.select("kind", "code", "locale").iter_rows()
    }
    tags = set(frames["feedback"]["tags"].drop_nulls().str.split(";").explode()) - {""}
    skills = set(frames["growth"]["skill"].drop_nulls()) | set(frames["metrics"]["skill"].drop_nulls())
    wanted = {("metric", code, "en") for code in frames["metrics"]["code"]}
    wanted |= {("department", code, "en") for code in frames["departments"]["code"]}
    wanted |= {(kind, code, locale) for kind, codes in (("skill", skills), ("tag", tags))
               for code in codes for locale in ("zh-CN", "en")}  # fmt: skip
    assert wanted == named
    assert labels.filter(pl.col("locale") == "zh-CN")["name"].str.contains("[\u4e00-\u9fff]").all()
    assert not labels["name"].str.contains("_").any()


def test_every_reference_resolves(frames):
    departments = set(frames["departments"]["code"])
    employees = frames["employees"]
    people = set(employees["employee_id"])
    metrics = set(frames["metrics"]["code"])
    assert set(frames["departments"]["parent_code"].drop_nulls()) <= departments
    for kind in ("employees", "targets", "observations", "feedback"):
        assert set(frames[kind]["department_code"]) <= departments, kind
    for kind in ("targets", "observations"):
        assert set(frames[kind]["metric_code"]) <= metrics, kind
    assert set(frames["feedback"]["metric_code"].drop_nulls()) <= metrics
    for kind in ("observations", "reviews", "feedback", "growth"):
        assert set(frames[kind]["employee_id"].drop_nulls()) <= people, kind
    managers = employees.join(
        employees.select(
            pl.col("employee_id").alias("manager_id"), pl.col("department_code").alias("manager_department")
        ),
        on="manager_id",
        how="left",
    )
    assert (
        managers.filter(pl.col("manager_id").is_not_null(), pl.col("manager_department").is_null()).height
        == 0
    )
    assert (
        managers.drop_nulls("manager_id")["department_code"]
        == managers.drop_nulls("manager_id")["manager_department"]
    ).all()
    heads = employees.filter(pl.col("manager_id").is_null())
    assert sorted(heads["department_code"]) == sorted(departments)


def test_a_persons_rows_stay_within_their_employment_and_department(frames):
    employees = frames["employees"].select(
        "employee_id", "hire_date", pl.col("department_code").alias("home")
    )
    obs = frames["observations"].join(employees, on="employee_id")
    assert obs.filter(PERIOD_END < pl.col("hire_date")).height == 0
    assert (obs["department_code"] == obs["home"]).all()
    feedback = frames["feedback"].join(employees, on="employee_id")
    assert feedback.filter(PERIOD_END < pl.col("hire_date")).height == 0
    assert (feedback["department_code"] == feedback["home"]).all()
    growth = frames["growth"].join(employees, on="employee_id")
    assert (
        growth.filter((pl.col("date") < pl.col("hire_date")) | (pl.col("date") > date(2026, 10, 31))).height
        == 0
    )


def test_ratio_rows_carry_their_parts_and_other_rows_do_not(frames):
    obs = frames["observations"].join(
        frames["metrics"].select(pl.col("code").alias("metric_code"), "aggregation"), on="metric_code"
    )
    ratios = obs.filter(pl.col("aggregation") == "ratio")
    assert ratios.null_count().select("numerator", "denominator").sum_horizontal().item() == 0
    assert (ratios["denominator"] > 0).all()
    assert ((ratios["value"] - ratios["numerator"] / ratios["denominator"]).abs() < 1e-12).all()
    assert obs.filter(pl.col("aggregation") != "ratio", pl.col("numerator").is_not_null()).height == 0
    assert obs["value"].null_count() == 0


def test_metrics_are_defined_with_valid_direction_and_aggregation(frames):
    metrics = frames["metrics"]
    assert 8 <= metrics.height <= 10
    assert set(metrics["direction"]) <= {"higher", "lower"}
    assert set(metrics["aggregation"]) <= {"mean", "sum", "ratio"}
    row = metrics.filter(pl.col("code") == "avg_order_value").row(0, named=True)
    assert (row["name"], row["unit"], row["aggregation"], row["skill"]) == (
        "客单价",
        "元",
        "ratio",
        "premium_recommendation",
    )


def test_the_roster_looks_like_a_real_company(frames):
    employees = frames["employees"]
    assert 300 <= employees.height <= 450
    assert employees["employee_id"].str.contains(r"^E\d{4}$").all()
    assert (employees["email"] == employees["employee_id"].str.to_lowercase() + "@example.com").all()
    assert employees["name"].str.contains(r"^[\u4e00-\u9fff]{2,4}$").all()
    assert employees["level"].str.contains(r"^(P[1-6]|M[1-3])$").all()
    assert employees.filter(pl.col("manager_id").is_not_null(), pl.col("team").is_null()).height == 0
    assert employees["hire_date"].dt.year().n_unique() >= 8
    hired_recently = employees.filter(pl.col("hire_date") >= date(2025, 1, 1)).height / employees.height
    assert 0.15 <= hired_recently <= 0.4
    assert frames["departments"].filter(pl.col("parent_code").is_null())["code"].to_list() == ["HQ"]


def test_targets_exist_for_every_reported_department_metric_and_month(frames):
    reported = frames["observations"].select("department_code", "metric_code").unique()
    targets = frames["targets"]
    assert (
        targets.select("department_code", "metric_code")
        .unique()
        .sort(pl.all())
        .equals(reported.sort(pl.all()))
    )
    assert (targets.group_by("department_code", "metric_code").len()["len"] == 22).all()
    latest = targets.filter(pl.col("period") == LAST_MONTH)
    target = {(d, m): t for d, m, _, t in latest.iter_rows()}
    assert target[("PROD", "defect_rate")] == pytest.approx(0.02)
    assert target[("MKT", "user_retention")] == pytest.approx(0.40)
    assert target[("TECH", "code_efficiency")] == pytest.approx(85)
    assert target[("CS", "complaint_rate")] == pytest.approx(0.09)


# --- stories --------------------------------------------------------------------------------------
def test_store_average_order_value_drops_about_12_percent_from_q2_to_q3_2026(frames):
    # given every salesperson's revenue and orders
    aov = observations(frames, "avg_order_value", "STORE")
    assert aov["employee_id"].null_count() == 0
    # when the quarters are rolled up as Σrevenue / Σorders
    q2 = ratio(aov, ["2026-04", "2026-05", "2026-06"])
    q3 = ratio(aov, ["2026-07", "2026-08", "2026-09"])
    # then Q3 is 10-14 % below Q2
    assert -0.14 <= q3 / q2 - 1 <= -0.10


def test_store_staff_say_they_cannot_recommend_premium_products_in_q3_2026(frames):
    feedback = frames["feedback"].filter(
        pl.col("department_code") == "STORE", pl.col("period").is_in(["2026-07", "2026-08", "2026-09"])
    )
    tagged = feedback.filter(
        pl.col("metric_code") == "avg_order_value", pl.col("tags").str.contains("premium_recommendation")
    )
    assert tagged.height >= 15
    assert tagged["text"].str.contains("高端").mean() >= 0.8
    themes = feedback["tags"].str.split(";").explode().value_counts(sort=True)
    assert themes["tags"][0] == "premium_recommendation"


def test_prod_defect_rate_rises_above_target_in_september_and_october_2026(frames):
    defects = observations(frames, "defect_rate", "PROD")
    monthly = {p: ratio(defects, [p]) for p in defects["period"].unique().to_list()}
    earlier = [rate for period, rate in monthly.items() if period < "2026-07"]
    assert monthly["2026-09"] > 1.4 * max(earlier)
    assert monthly["2026-10"] > 1.4 * max(earlier)
    assert min(monthly["2026-09"], monthly["2026-10"]) > 0.02
    assert ratio(defects, ["2026-07", "2026-08", "2026-09"]) > ratio(
        defects, ["2026-04", "2026-05", "2026-06"]
    )


def test_new_hires_make_about_60_percent_of_latest_defects_while_being_30_percent_of_staff(frames):
    # given the latest month's defect rows with each producer's tenure cohort
    latest = observations(frames, "defect_rate", "PROD").filter(pl.col("period") == LAST_MONTH)
    latest = latest.with_columns(NEW_HIRE.alias("new"))
    # when defects are split by cohort
    share = latest.filter("new")["numerator"].sum() / latest["numerator"].sum()
    # then new hires account for 55-65 % of defects but 25-35 % of producers
    assert 0.55 <= share <= 0.65
    assert 0.25 <= latest["new"].mean() <= 0.35


@pytest.mark.parametrize("period", ["2026-09", "2026-10"])
def test_a_quarter_of_production_staff_were_hired_in_the_last_180_days(frames, period):
    staff = (
        frames["employees"]
        .filter(pl.col("department_code") == "PROD")
        .with_columns(pl.lit(period).alias("period"))
    )
    staff = staff.filter(pl.col("hire_date") <= PERIOD_END)
    assert 0.25 <= staff.select(NEW_HIRE.mean()).item() <= 0.35


def test_prod_new_hires_say_onboarding_was_too_short(frames):
    feedback = frames["feedback"].filter(pl.col("department_code") == "PROD", pl.col("period") >= "2026-09")
    tags = feedback["tags"].str.split(";").explode()
    assert (tags == "onboarding").sum() >= 8 and (tags == "training").sum() >= 5


def test_about_30_percent_of_tech_wish_to_learn_code_optimization_in_2026(frames):
    tech = frames["employees"].filter(pl.col("department_code") == "TECH")
    wishes = frames["growth"].filter(
        pl.col("kind") == "growth_wish",
        pl.col("skill") == "code_optimization",
        pl.col("date").is_between(date(2026, 1, 1), date(2026, 10, 31)),
    )
    share = wishes.join(tech, on="employee_id")["employee_id"].n_unique() / tech.height
    assert 0.25 <= share <= 0.35


def test_tech_code_efficiency_is_about_75_against_a_target_of_85(frames):
    efficiency = observations(frames, "code_efficiency", "TECH")
    assert 73 <= mean_value(efficiency, LAST_MONTH) <= 77
    assert mean_value(efficiency, FIRST_MONTH) > mean_value(efficiency, LAST_MONTH)


def test_code_efficiency_top_performers_stand_out(frames):
    latest = observations(frames, "code_efficiency", "TECH").filter(pl.col("period") == LAST_MONTH)
    top = latest["value"].quantile(0.9)
    assert top - latest["value"].median() >= 5


def test_marketing_online_campaigns_return_about_twice_offline(frames):
    roi = observations(frames, "campaign_roi", "MKT")
    by_team = roi.group_by("team").agg(pl.col("value").mean()).sort("team")
    means = dict(by_team.iter_rows())
    assert set(means) == {"线上推广", "线下活动"}
    assert means["线上推广"] >= 2.8 and means["线下活动"] <= 1.9
    assert means["线上推广"] / means["线下活动"] >= 1.6


def test_marketing_retention_sits_near_30_percent_against_40(frames):
    retention = observations(frames, "user_retention", "MKT")
    assert retention["employee_id"].null_count() == retention.height  # measured per department
    for period in ["2026-08", "2026-09", "2026-10"]:
        assert 0.28 <= ratio(retention, [period]) <= 0.32


def test_customer_service_is_best_on_complaint_rate_in_the_latest_month(frames):
    latest = {
        dept: ratio(observations(frames, "complaint_rate", dept), [LAST_MONTH])
        for dept in ("CS", "SALES", "OPS")
    }
    assert latest["CS"] == pytest.approx(0.08, abs=0.005)
    assert latest["SALES"] == pytest.approx(0.12, abs=0.007)
    assert latest["OPS"] == pytest.approx(0.15, abs=0.008)
    assert ratio(observations(frames, "complaint_rate", "CS"), [FIRST_MONTH]) == pytest.approx(
        0.10, abs=0.006
    )


def test_customer_service_halves_complaint_handling_time(frames):
    hours = observations(frames, "complaint_handling_hours", "CS")
    assert mean_value(hours, FIRST_MONTH) == pytest.approx(48, abs=2.5)
    assert mean_value(hours, LAST_MONTH) == pytest.approx(24, abs=2)


# --- people records -------------------------------------------------------------------------------
def test_reviews_cover_everyone_employed_at_each_cycle_end(frames):
    employees, reviews = frames["employees"], frames["reviews"]
    for cycle, end in [
        ("2025-H1", date(2025, 6, 30)),
        ("2025-H2", date(2025, 12, 31)),
        ("2026-H1", date(2026, 6, 30)),
    ]:
        employed = set(employees.filter(pl.col("hire_date") <= end)["employee_id"])
        assert set(reviews.filter(pl.col("cycle") == cycle)["employee_id"]) == employed
    assert reviews["score"].is_between(55, 100).all()


def test_better_performers_get_better_reviews(frames):
    # given each TECH engineer's 2026-H1 code efficiency and review
    efficiency = observations(frames, "code_efficiency", "TECH").filter(
        pl.col("period").is_between(pl.lit("2026-01"), pl.lit("2026-06"))
    )
    per_person = efficiency.group_by("employee_id").agg(pl.col("value").mean().alias("kpi"))
    scored = per_person.join(frames["reviews"].filter(pl.col("cycle") == "2026-H1"), on="employee_id")
    # then the two rank alike, and reviews persist across cycles
    assert scored.select(pl.corr("kpi", "score", method="spearman")).item() >= 0.5
    wide = frames["reviews"].pivot(on="cycle", index="employee_id", values="score").drop_nulls()
    assert wide.select(pl.corr("2025-H1", "2026-H1")).item() >= 0.7


def test_feedback_is_plentiful_partly_anonymous_and_tagged(frames):
    feedback = frames["feedback"]
    assert 200 <= feedback.height <= 600
    assert 0.1 <= feedback["employee_id"].is_null().mean() <= 0.4
    assert feedback["department_code"].n_unique() == 8
    assert feedback["period"].n_unique() >= 20
    assert feedback["tags"].str.contains(r"^[a-z_]+(;[a-z_]+)*$").all()
    assert feedback["metric_code"].is_not_null().mean() >= 0.7


def test_growth_archive_holds_trainings_assessments_wishes_and_awards(frames):
    growth = frames["growth"]
    kinds = dict(growth.group_by("kind").len().sort("kind").iter_rows())
    assert {"training", "skill_assessment", "growth_wish", "award"} <= set(kinds)
    assert kinds["award"] <= 40 and kinds["training"] >= frames["employees"].height
    assessments = growth.filter(pl.col("kind") == "skill_assessment")
    assert assessments["score"].null_count() == 0 and assessments["score"].is_between(0, 100).all()
