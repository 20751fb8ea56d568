"""The rules of each kind: vocabularies, references and ranges.

Each rule takes the typed frame, adds resolved id columns (``department_id``,
``employee_ref``, ``metric_id``…) and records what is wrong in ``checks``.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from domain.fingerprints import feedback_fingerprint
from domain.importing.parsing import Checks
from domain.importing.ranges import check_range, percent_unit, shown, with_bounds
from domain.importing.references import References
from domain.importing.templates import ImportKind
from domain.locales import LOCALES, negotiate
from domain.models import Aggregation, Direction, GrowthKind
from domain.settings import time_zone
from domain.vocabulary import LabelKind

DIRECTIONS = {
    "higher": Direction.HIGHER_IS_BETTER, "higher_is_better": Direction.HIGHER_IS_BETTER,
    "越高越好": Direction.HIGHER_IS_BETTER, "高": Direction.HIGHER_IS_BETTER,
    "lower": Direction.LOWER_IS_BETTER, "lower_is_better": Direction.LOWER_IS_BETTER,
    "越低越好": Direction.LOWER_IS_BETTER, "低": Direction.LOWER_IS_BETTER,
}  # fmt: skip
AGGREGATIONS = {
    "mean": Aggregation.MEAN, "average": Aggregation.MEAN, "平均": Aggregation.MEAN, "平均值": Aggregation.MEAN,
    "sum": Aggregation.SUM, "求和": Aggregation.SUM, "合计": Aggregation.SUM,
    "ratio": Aggregation.RATIO, "比率": Aggregation.RATIO, "比例": Aggregation.RATIO,
}  # fmt: skip
GROWTH_KINDS = {kind.value: kind for kind in GrowthKind} | {
    "培训": GrowthKind.TRAINING, "技能评估": GrowthKind.SKILL_ASSESSMENT, "成长意愿": GrowthKind.GROWTH_WISH,
    "成长愿望": GrowthKind.GROWTH_WISH, "沙龙贡献": GrowthKind.SALON_CONTRIBUTION, "奖励": GrowthKind.AWARD,
    "获奖": GrowthKind.AWARD, "晋升": GrowthKind.PROMOTION,
}  # fmt: skip
LABEL_KINDS = {kind.value: kind for kind in LabelKind} | {
    "指标": LabelKind.METRIC, "技能": LabelKind.SKILL, "标签": LabelKind.TAG, "主题": LabelKind.TAG,
    "部门": LabelKind.DEPARTMENT,
}  # fmt: skip
RATIO_TOLERANCE = 1e-6  # relative: value and numerator/denominator agree to 6 significant digits


def _vocabulary(frame: pl.DataFrame, column: str, words: dict, checks: Checks, expected: str) -> pl.DataFrame:
    mapping = {word: str(value) for word, value in words.items()}
    normalised = pl.col(column).str.strip_chars().str.to_lowercase().replace_strict(mapping, default=None)
    checks.add(
        frame,
        pl.col(column).is_not_null() & normalised.is_null(),
        column,
        pl.format(f"{column} must be {expected}, got '{{}}'", pl.col(column)),
    )
    return frame.with_columns(normalised.alias(column))


def _resolve(
    frame: pl.DataFrame,
    column: str,
    lookup: pl.DataFrame,
    key: str,
    take: list[str],
    label: str,
    checks: Checks,
) -> pl.DataFrame:
    """Join ids for ``column`` from ``lookup``; a value that matches nothing is an error."""
    joined = frame.join(
        lookup.select(key, *take).rename({key: column}), on=column, how="left", maintain_order="left"
    )
    checks.add(
        joined,
        pl.col(column).is_not_null() & pl.col(take[0]).is_null(),
        column,
        pl.format(f"unknown {label} '{{}}'", pl.col(column)),
    )
    return joined


def _departments(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    checks.add(
        frame, pl.col("parent_code") == pl.col("code"), "parent_code", "a department cannot be its own parent"
    )
    known = pl.concat([refs.departments.get_column("code"), frame.get_column("code").drop_nulls()]).unique()
    checks.add(
        frame,
        pl.col("parent_code").is_not_null() & ~pl.col("parent_code").is_in(known.implode()),
        "parent_code",
        pl.format("unknown parent department '{}'", pl.col("parent_code")),
    )
    # the tree after this import: the file's parents override the database's
    codes = dict(zip(refs.departments["department_id"], refs.departments["code"], strict=True))
    parents = {
        code: codes.get(parent)
        for code, parent in zip(refs.departments["code"], refs.departments["parent_id"], strict=True)
    }
    parents.update(dict(zip(frame["code"], frame["parent_code"], strict=True)))
    cyclic = []
    for row, code in zip(frame["row"], frame["code"], strict=True):
        seen, current = [code], parents.get(code)
        while current is not None and current not in seen and len(seen) <= len(parents):
            seen.append(current)
            current = parents.get(current)
        if current == code and len(seen) > 1:
            cyclic.append(
                (row, "parent_code", "the department tree would have a cycle: " + " → ".join([*seen, code]))
            )
    checks.extend(pl.DataFrame(cyclic, schema=["row", "column", "message"], orient="row"))
    _time_zones(frame, checks)
    return frame


def _time_zones(frame: pl.DataFrame, checks: Checks) -> None:
    """Each distinct name is looked up once in the IANA database (``zoneinfo``)."""
    unknown = []
    for name in frame.get_column("timezone").drop_nulls().unique():
        try:
            time_zone(name)
        except ValueError:
            unknown.append(name)
    checks.add(
        frame,
        pl.col("timezone").is_in(unknown),
        "timezone",
        pl.format("not an IANA time zone name (e.g. Asia/Shanghai, Europe/Berlin): '{}'", pl.col("timezone")),
    )


def _employees(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _resolve(
        frame, "department_code", refs.departments, "code", ["department_id"], "department", checks
    )
    checks.add(
        frame,
        pl.col("manager_id") == pl.col("employee_id"),
        "manager_id",
        "an employee cannot be their own manager",
    )
    known = pl.concat(
        [refs.employees.get_column("employee_id"), frame.get_column("employee_id").drop_nulls()]
    ).unique()
    checks.add(
        frame,
        pl.col("manager_id").is_not_null() & ~pl.col("manager_id").is_in(known.implode()),
        "manager_id",
        pl.format("unknown manager '{}'", pl.col("manager_id")),
    )
    checks.add(
        frame,
        pl.col("email").is_not_null() & ~pl.col("email").str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
        "email",
        pl.format("not an email address: '{}'", pl.col("email")),
    )
    checks.add(
        frame,
        pl.col("locale").is_not_null() & ~pl.col("locale").is_in(LOCALES),
        "locale",
        pl.format(f"locale must be one of {', '.join(LOCALES)}, got '{{}}'", pl.col("locale")),
    )
    return frame


def _metrics(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _vocabulary(frame, "direction", DIRECTIONS, checks, "higher or lower (越高越好/越低越好)")
    frame = _vocabulary(frame, "aggregation", AGGREGATIONS, checks, "mean, sum or ratio (平均/求和/比率)")
    checks.add(
        frame,
        pl.col("min") > pl.col("max"),
        "min",
        pl.format("min {} is greater than max {}", shown(pl.col("min")), shown(pl.col("max"))),
    )
    return frame.with_columns(percent_unit(pl.col("unit")).fill_null("").alias("unit"))


def _metric(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    """Resolve ``metric_code``, with what a value of the metric is checked against."""
    metrics = with_bounds(refs.metrics)
    return _resolve(
        frame, "metric_code", metrics, "code", ["metric_id", "unit", "_low", "_high"], "metric", checks
    )


def _targets(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _resolve(
        frame, "department_code", refs.departments, "code", ["department_id"], "department", checks
    )
    frame = _metric(frame, refs, checks)
    check_range(frame, "target", checks)
    return frame.drop("unit", "_low", "_high")


def _observations(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _metric(frame, refs, checks)
    frame = _resolve(
        frame, "department_code", refs.departments, "code", ["department_id"], "department", checks
    )
    frame = _resolve(
        frame, "employee_id", refs.employees, "employee_id", ["employee_ref"], "employee", checks
    )
    num, den, value = pl.col("numerator"), pl.col("denominator"), pl.col("value")
    checks.add(
        frame,
        num.is_not_null() & den.is_null(),
        "denominator",
        "denominator is missing: give both or neither",
    )
    checks.add(
        frame, num.is_null() & den.is_not_null(), "numerator", "numerator is missing: give both or neither"
    )
    checks.add(frame, den <= 0, "denominator", pl.format("denominator must be greater than 0, got {}", den))
    checks.add(
        frame,
        value.is_null() & (num.is_null() | den.is_null()),
        "value",
        "value is required (or numerator and denominator)",
    )
    ratio = num / den
    checks.add(
        frame,
        value.is_not_null()
        & (den > 0)
        & ((value - ratio).abs() > RATIO_TOLERANCE * pl.max_horizontal(ratio.abs(), pl.lit(1.0))),
        "value",
        pl.format("value {} does not match numerator/denominator = {}", value, ratio.round(6)),
    )
    frame = frame.with_columns(
        pl.when(value.is_null() & (den > 0)).then(ratio).otherwise(value).alias("value")
    )
    check_range(frame, "value", checks)
    return frame.drop("unit", "_low", "_high")


def _reviews(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _resolve(
        frame, "employee_id", refs.employees, "employee_id", ["employee_ref"], "employee", checks
    )
    checks.add(frame, pl.col("score") < 0, "score", "score must not be negative")
    return frame


def _themes(tags: pl.Expr) -> pl.Expr:
    """``a；b; a`` → ["a", "b"]: order and repeats of tags carry no meaning."""
    parts = (
        tags.str.replace_all("；", ";", literal=True).str.split(";").list.eval(pl.element().str.strip_chars())
    )
    return parts.list.eval(pl.element().filter(pl.element() != "")).list.unique().list.sort().fill_null([])


def _feedback(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _resolve(
        frame,
        "employee_id",
        refs.employees,
        "employee_id",
        ["employee_ref", "department_id"],
        "employee",
        checks,
    )
    by_code = refs.departments.select("department_id", pl.col("code").alias("author_department"))
    frame = frame.join(by_code, on="department_id", how="left", maintain_order="left").drop("department_id")
    frame = frame.with_columns(
        pl.coalesce("department_code", "author_department").alias("department_code")
    ).drop("author_department")
    checks.add(
        frame,
        pl.col("department_code").is_null() & pl.col("employee_id").is_null(),
        "department_code",
        "department_code is required for anonymous feedback",
    )
    frame = _resolve(
        frame, "department_code", refs.departments, "code", ["department_id"], "department", checks
    )
    frame = _resolve(frame, "metric_code", refs.metrics, "code", ["metric_id"], "metric", checks)
    frame = frame.with_columns(_themes(pl.col("tags")).alias("themes"), pl.col("text").str.strip_chars())
    fingerprints = [
        feedback_fingerprint(refs.fingerprint_key, e, d or "", p or "", m, t or "")
        for e, d, p, m, t in frame.select(
            "employee_id", "department_code", "period", "metric_code", "text"
        ).iter_rows()
    ]
    return frame.with_columns(pl.Series("fingerprint", fingerprints, dtype=pl.String))


def _growth(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _resolve(
        frame, "employee_id", refs.employees, "employee_id", ["employee_ref"], "employee", checks
    )
    frame = _vocabulary(
        frame, "kind", GROWTH_KINDS, checks, "one of " + ", ".join(k.value for k in GrowthKind)
    )
    return frame.with_columns(pl.col("skill").fill_null(""))


def _labels(frame: pl.DataFrame, refs: References, checks: Checks) -> pl.DataFrame:
    frame = _vocabulary(
        frame, "kind", LABEL_KINDS, checks, "metric, skill, tag or department (指标/技能/标签/部门)"
    )
    written = frame.get_column("locale").drop_nulls().unique().to_list()
    matched = {tag: negotiate([tag]) for tag in written}  # zh-Hant-TW → zh-TW, en-US → en
    locale = pl.col("locale").replace_strict(matched, default=None, return_dtype=pl.String)
    checks.add(
        frame,
        pl.col("locale").is_not_null() & locale.is_null(),
        "locale",
        pl.format(f"locale must be one of {' '.join(LOCALES)}, got '{{}}'", pl.col("locale")),
    )
    frame = frame.with_columns(locale.alias("locale"))
    for kind, known in (
        (LabelKind.METRIC, refs.metrics.get_column("code")),
        (LabelKind.DEPARTMENT, refs.departments.get_column("code")),
    ):
        checks.add(
            frame,
            (pl.col("kind") == kind.value) & ~pl.col("code").is_in(known.implode()),
            "code",
            pl.format(f"unknown {kind.value} '{{}}'", pl.col("code")),
        )
    return frame


RULES: dict[ImportKind, Callable[[pl.DataFrame, References, Checks], pl.DataFrame]] = {
    ImportKind.DEPARTMENTS: _departments,
    ImportKind.EMPLOYEES: _employees,
    ImportKind.METRICS: _metrics,
    ImportKind.TARGETS: _targets,
    ImportKind.OBSERVATIONS: _observations,
    ImportKind.REVIEWS: _reviews,
    ImportKind.FEEDBACK: _feedback,
    ImportKind.LABELS: _labels,
    ImportKind.GROWTH: _growth,
}
